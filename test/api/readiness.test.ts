/**
 * Per-stream readiness (spec §6.12) is answered by a supervisor query on its own route: it shadows
 * a component endpoint at the same path, is listed in `/endpoints`, and leaves a 503 placeholder
 * when the stream is deleted. Without prefixing, the last stream started owns the bare `/ready`.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../helpers/cli-host.js'

const AT = (path: string): string => `input:\n  http_server:\n    path: ${path}\noutput:\n  sync_response: {}\n`

test('/<id>/ready answers from the statuses, shadows an endpoint at that path, and turns into a placeholder on delete', async (t) => {
  const h = await startHost(t, { files: { 'a.yaml': AT('/in'), 'b.yaml': AT('/ready') } })
  const ready = await h.until('a and b to report connected', async () => {
    const r = await h.text('/b/ready')
    return r.status === 200 && (await h.text('/a/ready')).status === 200 ? r : undefined
  })
  assert.equal(ready.headers.get('content-type'), 'application/json')
  assert.deepEqual(JSON.parse(ready.body), { statuses: [{ label: '', path: 'input', connected: true }, { label: '', path: 'output', connected: true }] })
  let eps = (await h.json<Record<string, string>>('/endpoints')).body
  assert.equal(eps['/b/ready'], 'Returns 200 OK if the stream is connected.')
  assert.equal(eps['/a/in'], 'Post a message into Benthos.')

  assert.equal((await h.text('/streams/b', { method: 'DELETE' })).status, 200)
  assert.deepEqual(await h.text('/b/ready').then((r) => [r.status, r.body]), [503, 'Service unavailable\n'])
  eps = (await h.json<Record<string, string>>('/endpoints')).body
  assert.equal(eps['/b/ready'], 'Endpoint disabled.')
  assert.equal((await h.text('/a/ready')).status, 200)
  assert.equal((await h.text('/nope/ready')).status, 404)
})

test('without prefixing, the bare /ready belongs to the last stream started', async (t) => {
  const h = await startHost(t, { files: { 'a.yaml': AT('/in') }, args: ['--prefix-stream-endpoints=false', '{dir}'] })
  const r = await h.until('a to own /ready', async () => {
    const x = await h.text('/ready')
    return x.status === 200 && x.body.startsWith('{') ? x : undefined
  })
  assert.deepEqual(JSON.parse(r.body).statuses.length, 2)
  assert.equal((await h.text('/streams/a', { method: 'DELETE' })).status, 200)
  assert.deepEqual(await h.text('/ready').then((x) => [x.status, x.body]), [503, 'Service unavailable\n'])
})
