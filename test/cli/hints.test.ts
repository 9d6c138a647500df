/**
 * "Did you mean" hints end to end: `weir lint`, the log and `last_error.hint` show them; the API's
 * `lint_errors` stay the reference's bytes.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, startHost, tempDir } from '../helpers/cli-host.js'

const TYPO_FIELD = `input:
  http_server:
    pathh: /post
output:
  drop: {}
`
const TYPO_COMPONENT = `input:
  generate:
    mapping: root = 1
    interval: 1h
pipeline:
  processors:
    - mappings: root = 2
output:
  drop: {}
`

test('weir lint prints the hint after the reference message', async (t) => {
  const dir = tempDir(t)
  writeFileSync(join(dir, 'a.yaml'), TYPO_FIELD)
  const r = await runCli(['lint', join(dir, 'a.yaml')])
  assert.equal(r.code, 1)
  assert.equal(r.stderr, `${join(dir, 'a.yaml')}(3,1) field pathh not recognised (did you mean \`path\`?)\n`)
})

test('a file stream with a typo fails with last_error.hint and a hinted log line', async (t) => {
  const h = await startHost(t, { files: { 'typo.yaml': TYPO_FIELD, 'unknown.yaml': TYPO_COMPONENT } })
  const typo = await h.until('typo listed as failed', async () => {
    const r = await h.json<{ state: string; last_error: { code: string; message: string; hint?: string } | null }>('/streams/typo')
    return r.status === 200 && r.body.state === 'failed' ? r.body : undefined
  })
  assert.deepEqual(typo.last_error && [typo.last_error.code, typo.last_error.message, typo.last_error.hint], ['CONFIG_LINT', 'field pathh not recognised', 'did you mean `path`?'])
  const unknown = await h.until('unknown listed as failed', async () => {
    const r = await h.json<{ state: string; last_error: { code: string; hint?: string } | null }>('/streams/unknown')
    return r.status === 200 && r.body.state === 'failed' ? r.body : undefined
  })
  assert.equal(unknown.last_error?.hint, 'did you mean `mapping`?')
  assert.match(h.stdout() + h.stderr(), /typo\.yaml\(3,1\) field pathh not recognised( \[input\.http_server\.pathh\])? \(did you mean `path`\?\)/)
})

test('API lint_errors carry no hint text', async (t) => {
  const h = await startHost(t, { args: [] })
  const r = await h.text('/streams/x', { method: 'POST', body: TYPO_FIELD })
  assert.equal(r.status, 400)
  assert.equal(r.body, '{"lint_errors":["(3,1) field pathh not recognised"]}')
})
