/**
 * The route grammar's edges that the contract suite does not reach over HTTP: templates that do
 * not compile (errors as values, mux's and Go regexp's messages), how a broken `http_server.path`
 * fails the build at its config path, and the no-allocation promise for exact routes.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WeirError } from '../../src/errors.js'
import { Router, compileTemplate, streamPath, templateProblem } from '../../src/http/index.js'
import { buildError } from '../stream/harness.js'

test('templates that do not compile are CONFIG_INVALID errors with the reference messages', () => {
  const cases: [string, string][] = [
    ['/a/{id', 'mux: unbalanced braces in "/a/{id"'],
    ['/a/id}', 'mux: unbalanced braces in "/a/id}"'],
    ['/a/{}', 'mux: missing name or pattern in "{}"'],
    ['/a/{id:}', 'mux: missing name or pattern in "{id:}"'],
    ['/a/{id:[0-9}', 'error parsing regexp: missing closing ]: `[0-9$`'],
    ['/a/{id:(x)}', 'route /a/{id:(x)} contains capture groups in its regexp. Only non-capturing groups are accepted: e.g. (?:pattern) instead of (pattern)'],
  ]
  for (const [template, message] of cases) {
    assert.throws(() => compileTemplate(template), (err: unknown) => err instanceof WeirError && err.data.code === 'CONFIG_INVALID' && err.message === message, template)
    assert.equal(templateProblem(template), message)
  }
  // Nested braces belong to the expression; non-capturing groups are fine.
  assert.equal(templateProblem('/a/{id:[0-9]{2}}/{kind:(?:x|y)}'), undefined)
  const t = compileTemplate('/a/{id:[0-9]{2}}/{kind:(?:x|y)}')
  assert.ok(t.kind === 'pattern')
  assert.deepEqual(t.exec('/a/42/y'), { id: '42', kind: 'y' })
  assert.equal(t.exec('/a/421/y'), undefined)
})

test('a template that does not compile is listed by the router but never matches', () => {
  const r = new Router<string>()
  r.set('/b/{id', 'broken')
  r.set('/a/{id}', 'ok')
  assert.equal(r.get('/b/{id'), 'broken')
  assert.equal(r.match('/b/{id'), undefined)
  assert.equal(r.match('/b/7'), undefined)
  assert.deepEqual(r.match('/a/7'), { target: 'ok', params: { id: '7' } })
  assert.deepEqual([...r.entries()], [['/b/{id', 'broken'], ['/a/{id}', 'ok']])
})

test('an http_server whose path does not compile fails the build at input.http_server.path', async () => {
  for (const address of ['', '127.0.0.1:0']) {
    const err = await buildError({ input: { http_server: { address, path: '/items/{id:[0-9}' } }, output: { drop: {} } })
    assert.ok(err instanceof WeirError)
    assert.deepEqual([err.data.code, err.data.path, err.message], ['CONFIG_INVALID', 'input.http_server.path', 'error parsing regexp: missing closing ]: `[0-9$`'], address)
  }
})

test('an exact route answers with the same match object every time; replacing it keeps its place', () => {
  const r = new Router<string>()
  r.set('/x', 'one')
  const first = r.match('/x')
  assert.equal(r.match('/x'), first)
  r.set('/{any}', 'pattern')
  r.set('/x', 'two')
  // Registered before the pattern, so still the exact route that answers.
  assert.deepEqual(r.match('/x'), { target: 'two', params: {} })
  assert.deepEqual(r.match('/y'), { target: 'pattern', params: { any: 'y' } })
})

test('templates are matched against the decoded path, literal % included', () => {
  const r = new Router<string>()
  r.set('/a%20b', 'pct')
  r.set('/c', 'c')
  assert.equal(r.match('/a%20b'), undefined)
  assert.deepEqual(r.match('/a%2520b'), { target: 'pct', params: {} })
  assert.deepEqual(r.match('/%63'), { target: 'c', params: {} })
  assert.equal(r.match('/%6'), undefined)
})

test('stream endpoint paths join like Go path.Join', () => {
  assert.deepEqual(
    ['/post', '/in/', '/', 'post', '/a/../b', '/items/{id}'].map((p) => streamPath('s', p)),
    ['/s/post', '/s/in', '/s', '/s/post', '/s/b', '/s/items/{id}'],
  )
})
