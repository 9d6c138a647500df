/** `weir blobl` over stdin lines, and the `blobl server` page on an ephemeral port. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PassThrough, Readable } from 'node:stream'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'node:http'
import { runBlobl } from '../../src/cli/blobl.js'

async function blobl(args: string[], input: string): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (c: Buffer) => (out += c.toString()))
  stderr.on('data', (c: Buffer) => (err += c.toString()))
  const code = await runBlobl(args, { stdin: Readable.from([input]), stdout, stderr })
  return { code, out, err }
}

test('maps each input line and reports failures on stderr', async () => {
  const r = await blobl(['root.b = this.a.uppercase()'], '{"a":"hi"}\n{"a":5}\nnot json\n')
  assert.equal(r.code, 0)
  assert.equal(r.out, '{"b":"HI"}\n')
  assert.equal(
    r.err,
    'failed to execute map: failed assignment (line 1): expected string value, got number from field `this.a` (5)\n' +
      "failed to execute map: failed assignment (line 1): unable to reference message as structured (with 'this.a'): parse as json: invalid character 'o' in literal null (expecting 'u')\n",
  )
})

test('file mappings, raw input, deleted and untouched results', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-blobl-cli-'))
  writeFileSync(join(dir, 'm.blobl'), 'root = if this == "skip" { deleted() } else if this == "keep" { nothing() } else { this.uppercase() }\n')
  const r = await blobl(['-f', join(dir, 'm.blobl'), '--raw'], 'abc\nskip\nkeep\n')
  assert.equal(r.out, 'ABC\n\n"keep"\n')
  const untouched = await blobl(['meta a = 1'], '{"b": 1, "a" : "<"}\n')
  assert.equal(untouched.out, '{"a":"\\u003c","b":1}\n')
  const pretty = await blobl(['-p', 'root = {"a":[1]}'], '{}\n')
  assert.equal(pretty.out, '{\n  "a": [\n    1\n  ]\n}\n')
})

test('bad mappings and flags fail with a message', async () => {
  const r = await blobl(['root = '], '')
  assert.equal(r.code, 1)
  assert.equal(r.err, 'failed to parse mapping: line 1 char 8: expected query\n  |\n1 | root = \n  |        ^---\n')
  const both = await blobl(['-f', 'x.blobl', 'root = 1'], '')
  assert.equal(both.code, 1)
  assert.equal(both.err, 'invalid flags, unable to execute both a file mapping and an inline mapping\n')
  const bad = await blobl(['--nope'], '')
  assert.equal(bad.code, 2)
})

function post(port: number, path: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let data = ''
      res.on('data', (c: Buffer) => (data += c.toString()))
      res.on('end', () => ok({ status: res.statusCode ?? 0, body: data }))
    })
    req.on('error', fail)
    req.end(body)
  })
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let data = ''
      res.on('data', (c: Buffer) => (data += c.toString()))
      res.on('end', () => ok({ status: res.statusCode ?? 0, body: data }))
    })
      .on('error', fail)
      .end()
  })
}

test('server: page and /execute on an ephemeral port', async () => {
  const ac = new AbortController()
  const stdout = new PassThrough()
  const listening = new Promise<number>((ok) => {
    void runBlobl(['server', '--host', '127.0.0.1', '--port', '0'], {
      stdin: Readable.from([]),
      stdout,
      stderr: new PassThrough(),
      signal: ac.signal,
      onListening: (a) => ok(a.port),
    })
  })
  const port = await listening
  try {
    const page = await get(port, '/')
    assert.equal(page.status, 200)
    assert.match(page.body, /<textarea id="mapping"/)
    const okRes = await post(port, '/execute', JSON.stringify({ mapping: 'root.x = this.a * 2', input: '{"a":21}' }))
    assert.deepEqual(JSON.parse(okRes.body), { parse_error: '', mapping_error: '', result: '{\n  "x": 42\n}' })
    const parseRes = await post(port, '/execute', JSON.stringify({ mapping: 'root = ', input: '{}' }))
    assert.match((JSON.parse(parseRes.body) as { parse_error: string }).parse_error, /^failed to parse mapping: line 1 char 8/)
    const runRes = await post(port, '/execute', JSON.stringify({ mapping: 'root = throw("x")', input: '{}' }))
    assert.equal((JSON.parse(runRes.body) as { mapping_error: string }).mapping_error, 'failed to execute mapping: failed assignment (line 1): x')
    assert.equal((await get(port, '/nope')).status, 404)
  } finally {
    ac.abort()
  }
})
