/**
 * The one apply path end to end (real CLI, real workers): how a failed reload is reported, the
 * stop-first update recognised by its error code, and bulk `POST /streams` going through the same
 * add / change / remove plan.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { startHost, type RunningHost } from '../helpers/cli-host.js'
import { JSON_LOGS, logLines } from '../isolation/helpers.js'

const tagged = (tag: string, extra = ''): string => `input:
  http_server:
    path: /in${extra}
pipeline:
  processors:
    - mapping: 'root = "${tag}:" + content().string()'
output:
  sync_response: {}
`

/** Passes lint, fails when the worker builds it. */
const MISSING_CERT = '\n    address: 127.0.0.1:0\n    cert_file: /nonexistent/weir-cert.pem\n    key_file: /nonexistent/weir-key.pem'

interface Info {
  state: string
  generation: number
  last_error: null | { code: string; message: string }
}

async function info(h: RunningHost, id: string): Promise<Info | undefined> {
  const r = await h.fetch(`/streams/${id}`)
  if (r.status !== 200) {
    await r.body?.cancel()
    return undefined
  }
  return (await r.json()) as Info
}

async function answer(h: RunningHost, path: string): Promise<string> {
  const r = await h.text(path, { method: 'POST', body: 'x' })
  return `${r.status} ${r.body}`
}

function errorsOf(h: RunningHost, stream: string): Record<string, unknown>[] {
  return logLines(h.stdout(), /./).filter((l) => l.level === 'error' && l.stream === stream)
}

test('a reload the worker refuses logs exactly one error and the running version keeps serving', async (t) => {
  const h = await startHost(t, { files: { 'weir.yaml': JSON_LOGS, 'streams/a.yaml': tagged('v1') }, args: ['-c', '{dir}/weir.yaml', '-w', '{dir}/streams'] })
  await h.until('a to serve', async () => (await answer(h, '/a/in')) === '200 v1:x')

  h.write('streams/a.yaml', tagged('v2', MISSING_CERT))
  const err = await h.until('the build error to show', async () => (await info(h, 'a'))?.last_error ?? undefined)
  assert.match(err.message, /failed to load TLS certificates/)
  // A later file proves the rescan that carried the failure is over (rescans run one at a time).
  h.write('streams/marker.yaml', tagged('m'))
  await h.until('marker to serve', async () => (await answer(h, '/marker/in')) === '200 m:x')

  const errors = errorsOf(h, 'a')
  assert.equal(errors.length, 1, JSON.stringify(errors))
  assert.match(String(errors[0]!.msg), /^reload of stream a failed, the running version stays: .*failed to load TLS certificates/)
  assert.equal(await answer(h, '/a/in'), '200 v1:x')
  assert.deepEqual([(await info(h, 'a'))!.state, (await info(h, 'a'))!.generation], ['running', 1])
  assert.deepEqual(logLines(h.stdout(), /stream state cannot change/), [])
})

/** A loopback port free right now (the OS hands out ephemeral ports in turn, so reuse is unlikely). */
async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const { port } = s.address() as { port: number }
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

test('an update that needs the address its running version holds stops that version first', async (t) => {
  const h = await startHost(t, { files: { 'weir.yaml': JSON_LOGS }, args: ['-c', '{dir}/weir.yaml'] })
  const port = await freePort()
  const conf = (tag: string): string => JSON.stringify({
    input: { http_server: { address: `127.0.0.1:${port}`, path: '/in' } },
    pipeline: { processors: [{ mapping: `root = "${tag}:" + content().string()` }] },
    output: { sync_response: {} },
  })
  const own = async (): Promise<string> => {
    const r = await fetch(`http://127.0.0.1:${port}/in`, { method: 'POST', body: 'x' })
    return `${r.status} ${await r.text()}`
  }
  const created = await h.text('/streams/own', { method: 'POST', body: conf('v1') })
  assert.deepEqual([created.status, created.body], [200, ''])
  assert.equal(await own(), '200 v1:x')

  const put = await h.text('/streams/own', { method: 'PUT', body: conf('v2') })
  assert.deepEqual([put.status, put.body], [200, ''])
  assert.equal(await own(), '200 v2:x')
  assert.deepEqual([(await info(h, 'own'))!.state, (await info(h, 'own'))!.generation], ['running', 2])
  // The first build of v2 failed with HTTP_ADDRESS_IN_USE, which is what chose this path.
  assert.equal(logLines(h.stdout(), /^new config needs a resource the running stream holds; stopping it first$/).filter((l) => l.stream === 'own').length, 1)
})

test('bulk POST /streams updates, creates and deletes through one plan; a failed create is reported, not recorded', async (t) => {
  const h = await startHost(t, { files: { 'weir.yaml': JSON_LOGS }, args: ['-c', '{dir}/weir.yaml'] })
  const drop = { input: { generate: { mapping: 'root = 1', interval: '1s' } }, output: { drop: {} } }
  for (const id of ['keep', 'gone']) assert.equal((await h.text(`/streams/${id}`, { method: 'POST', body: JSON.stringify(drop) })).status, 200)
  const broken = { input: { http_server: { path: '/in', address: '127.0.0.1:0', cert_file: '/nonexistent/c.pem', key_file: '/nonexistent/k.pem' } }, output: { drop: {} } }
  const r = await h.text('/streams', { method: 'POST', body: JSON.stringify({ keep: drop, fresh: drop, broken }) })
  assert.equal(r.status, 400)
  assert.match(r.body, /^Error: failed to create stream: .*failed to load TLS certificates/)
  assert.deepEqual(Object.keys((await h.json<Record<string, unknown>>('/streams')).body), ['fresh', 'keep'])
  assert.equal((await info(h, 'keep'))!.generation, 2)
  assert.equal((await info(h, 'fresh'))!.generation, 1)
  assert.equal(errorsOf(h, 'broken').length, 1)

  const put = await h.text('/streams/keep', { method: 'PUT', body: JSON.stringify(broken) })
  assert.equal(put.status, 502)
  const logged = await h.until('the failed PUT to be logged', () => {
    const e = errorsOf(h, 'keep')
    return e.length > 0 ? e : undefined
  })
  assert.equal(logged.length, 1)
  assert.match(String(logged[0]!.msg), /^reload of stream keep failed, the running version stays: /)
  assert.deepEqual([(await info(h, 'keep'))!.state, (await info(h, 'keep'))!.generation], ['running', 2])
})
