/**
 * The nested-quantifier attack through a real stream endpoint: a request body that would make a
 * backtracking engine spin on `^(a+)+$` is answered promptly by its stream, the stream stays
 * running, and a bystander stream on the same host keeps answering. Config-supplied regexes that
 * RE2 rejects fail the build with the field's path.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WeirError } from '../../src/errors.js'
import { startHost, type RunningHost } from '../helpers/cli-host.js'
import { buildError } from '../stream/harness.js'

const stream = (mapping: string): string => `input:
  http_server:
    path: /in
    timeout: 60s
pipeline:
  processors:
    - mapping: |
        ${mapping.split('\n').join('\n        ')}
    - sync_response: {}
output:
  drop: {}
`

async function running(h: RunningHost, id: string): Promise<void> {
  await h.until(`stream ${id} running`, async () => {
    const r = await h.json<{ state?: string; running?: boolean }>(`/streams/${id}`)
    return r.status === 200 && (r.body.state === 'running' || r.body.running === true)
  })
}

test('a nested-quantifier body is answered promptly and a bystander stream is unaffected', async (t) => {
  const h = await startHost(t, {
    files: {
      'evil.yaml': stream('root.hit = content().string().re_match("^(a+)+$")\nroot.parts = content().string().re_find_all("(a|aa)+b")'),
      'calm.yaml': stream('root = content().string().uppercase()'),
    },
  })
  await running(h, 'evil')
  await running(h, 'calm')

  // 40 `a` then `b` already takes a backtracking engine minutes; this body would take forever.
  const attack = `${'a'.repeat(20_000)}b`
  const answer = h.text('/evil/in', { method: 'POST', body: attack, signal: AbortSignal.timeout(120_000) })
  const calm = await h.text('/calm/in', { method: 'POST', body: 'still here', signal: AbortSignal.timeout(120_000) })
  assert.deepEqual([calm.status, calm.body], [200, 'STILL HERE'])
  const r = await answer
  assert.equal(r.status, 200)
  assert.deepEqual(JSON.parse(r.body), { hit: false, parts: [attack] })

  const again = await h.text('/evil/in', { method: 'POST', body: 'aaaa', signal: AbortSignal.timeout(120_000) })
  assert.deepEqual(JSON.parse(again.body), { hit: true, parts: [] })
  await running(h, 'evil')
})

test('config regexes RE2 rejects fail the build at their path with Go text', async () => {
  const dropOn = await buildError({
    input: { generate: { mapping: 'root = 1', count: 1 } },
    output: { drop_on: { error_patterns: ['timeout', '(?=refused)'], output: { drop: {} } } },
  })
  assert.ok(dropOn instanceof WeirError)
  assert.equal(dropOn.data.path, 'output.drop_on.error_patterns[1]')
  assert.match(dropOn.message, /invalid or unsupported Perl syntax: `\(\?=`/)

  const meta = await buildError({
    input: { http_server: { path: '/x', sync_response: { metadata_headers: { include_patterns: ['ok', '(a)\\1'] } } } },
    output: { drop: {} },
  })
  assert.ok(meta instanceof WeirError)
  assert.equal(meta.data.path, 'input.http_server.sync_response.metadata_headers.include_patterns[1]')
  assert.match(meta.message, /invalid escape sequence: `\\1`/)

  const scanner = await buildError({
    input: { stdin: { scanner: { re_match: { pattern: '(?<!x)y' } } } },
    output: { drop: {} },
  })
  assert.ok(scanner instanceof WeirError)
  assert.equal(scanner.data.path, 'input.stdin.scanner.re_match.pattern')
  assert.match(scanner.message, /invalid named capture: `\(\?<!x\)y`/)
})
