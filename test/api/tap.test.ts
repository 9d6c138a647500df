/**
 * The live tap (`GET /streams/{id}/tap`) and the restart route, end to end: real CLI, real HTTP on
 * 127.0.0.1, real workers. Whether the worker samples is read from its own stats (`taps`), so
 * "stops when the client leaves" is checked where it matters: in the worker.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { startHost, type RunningHost } from '../helpers/cli-host.js'
import { openSse, type SseClient } from '../helpers/sse.js'

const GEN = `input:
  generate:
    interval: 10ms
    mapping: 'root = {"n": counter(), "pad": "abcdefghijklmnopqrstuvwxyz"}'
pipeline:
  processors:
    - mapping: 'root = this.merge({"double": this.n * 2})'
    - mapping: 'meta colour = "blue"'
output:
  drop: {}
`
const DEADLINE = 60_000

interface Sample {
  point: string
  content: string
  bytes: number
  truncated: boolean
  metadata: Record<string, string>
}

async function workerTaps(h: RunningHost, id: string): Promise<string[]> {
  const r = await h.json<{ taps?: string[] }>(`/streams/${id}/stats`)
  return r.body.taps ?? []
}

async function tapped(h: RunningHost, point: string, query = ''): Promise<SseClient> {
  const c = await openSse(`${h.base}/streams/gen/tap?point=${encodeURIComponent(point)}${query}`)
  assert.equal(c.status, 200)
  return c
}

test('a tap streams samples while traffic flows and the worker stops sampling when the last client leaves', async (t) => {
  const h = await startHost(t, { files: { 'gen.yaml': GEN } })
  await h.until('gen running', async () => (await h.json<{ state: string }>('/streams/gen')).body.state === 'running', DEADLINE)
  assert.deepEqual(await workerTaps(h, 'gen'), [], 'nothing is tapped before anyone listens')

  const a = await tapped(h, 'processor:0')
  const open = JSON.parse((await a.next((e) => e.event === 'open')).data)
  assert.deepEqual(open, { stream: 'gen', point: 'processor:0', rate: 10, max_bytes: 1024 })
  const first = JSON.parse((await a.next((e) => e.event === 'message', DEADLINE)).data) as Sample
  const second = JSON.parse((await a.next((e) => e.event === 'message', DEADLINE)).data) as Sample
  for (const s of [first, second]) {
    const body = JSON.parse(s.content) as { n: number; double: number }
    assert.equal(s.point, 'processor:0')
    assert.equal(body.double, body.n * 2, 'what leaves processor 0 carries its mapping')
    assert.equal(s.truncated, false)
    assert.equal(s.bytes, Buffer.byteLength(s.content))
    assert.deepEqual(s.metadata, {}, 'processor 1 (which sets metadata) comes after this point')
  }
  assert.ok(JSON.parse(second.content).n > JSON.parse(first.content).n)
  assert.deepEqual(await workerTaps(h, 'gen'), ['processor:0'])

  // A second client of the same point shares the worker's subscription; another point adds one.
  const b = await tapped(h, 'processor:0')
  const out = await tapped(h, 'output', '&max_bytes=5&rate=50')
  const cut = JSON.parse((await out.next((e) => e.event === 'message', DEADLINE)).data) as Sample
  assert.equal(cut.content, '{"dou')
  assert.equal(cut.truncated, true)
  assert.ok(cut.bytes > 5)
  assert.deepEqual(cut.metadata, { colour: 'blue' })
  await b.next((e) => e.event === 'message', DEADLINE)
  assert.deepEqual(await workerTaps(h, 'gen'), ['processor:0', 'output'])

  a.close()
  out.close()
  await h.until('the worker to stop sampling the output', async () => (await workerTaps(h, 'gen')).join() === 'processor:0', DEADLINE)
  // b still listens: the point stays on for it.
  await b.next((e) => e.event === 'message', DEADLINE)
  b.close()
  await h.until('the worker to stop sampling once the last client left', async () => (await workerTaps(h, 'gen')).length === 0, DEADLINE)
})

test('a tap is refused with a clear answer: bad point, bad bounds, unknown stream', async (t) => {
  const h = await startHost(t, { files: { 'gen.yaml': GEN } })
  await h.until('gen running', async () => (await h.json<{ state: string }>('/streams/gen')).body.state === 'running', DEADLINE)
  const bad = await h.text('/streams/gen/tap?point=processor:7')
  assert.deepEqual([bad.status, bad.body], [400, 'Error: unknown tap point "processor:7": stream gen has input, processor:0, processor:1, output\n'])
  const rate = await h.text('/streams/gen/tap?point=input&rate=0')
  assert.deepEqual([rate.status, rate.body], [400, 'Error: rate must be a whole number of events per second from 1 to 50\n'])
  const bytes = await h.text('/streams/gen/tap?max_bytes=lots')
  assert.deepEqual([bytes.status, bytes.body], [400, 'Error: max_bytes must be a whole number from 1 to 16384\n'])
  const missing = await h.text('/streams/nope/tap?point=input')
  assert.deepEqual([missing.status, missing.body], [404, 'Stream not found\n'])
  assert.deepEqual(await workerTaps(h, 'gen'), [])
})

test('restart replaces the worker: counted, the tap client is told, the stream keeps its config', async (t) => {
  const h = await startHost(t, { files: { 'gen.yaml': GEN } })
  await h.until('gen running', async () => (await h.json<{ state: string }>('/streams/gen')).body.state === 'running', DEADLINE)
  const c = await tapped(h, 'input')
  await c.next((e) => e.event === 'message', DEADLINE)
  const r = await h.text('/streams/gen/restart', { method: 'POST' })
  assert.deepEqual([r.status, r.body], [200, ''])
  const end = await c.next((e) => e.event === 'end', DEADLINE)
  assert.deepEqual(JSON.parse(end.data), { reason: 'stream worker stopped' })
  await c.ended
  const info = await h.json<{ state: string; restarts: number; generation: number }>('/streams/gen')
  assert.deepEqual([info.body.state, info.body.restarts, info.body.generation], ['running', 1, 2])
  assert.deepEqual(await h.text('/streams/nope/restart', { method: 'POST' }).then((x) => [x.status, x.body]), [404, 'Stream not found\n'])
})

test('the page, its feeds and the tap sit behind basic auth and are mirrored under http.root_path', async (t) => {
  const hash = createHash('sha256').update('s3cret').digest('base64')
  const root = `http:\n  root_path: /admin\n  basic_auth:\n    enabled: true\n    username: ada\n    password_hash: ${hash}\n    algorithm: sha256\n`
  const h = await startHost(t, { files: { 'root.yaml': root, 's/gen.yaml': GEN }, args: ['-o', '{dir}/root.yaml', '{dir}/s'] })
  const creds = { authorization: 'Basic ' + Buffer.from('ada:s3cret').toString('base64') }
  for (const path of ['/', '/ui', '/admin/ui', '/ui/streams/gen', '/ui/summaries', '/streams/gen/tap?point=input', '/admin/streams/gen/tap']) {
    assert.equal((await h.text(path)).status, 401, path)
  }
  await h.until('gen running', async () => (await h.json<{ state: string }>('/streams/gen', { headers: creds })).body.state === 'running', DEADLINE)
  const page = await h.text('/admin/ui', { headers: creds })
  assert.equal(page.status, 200)
  assert.match(page.body, /<html lang="en" data-base="\/admin">/)
  assert.match(page.headers.get('content-security-policy') ?? '', /^default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'; connect-src 'self'/)
  assert.match((await h.text('/', { headers: creds })).body, /<html lang="en" data-base="">/)
  const feed = await openSse(`${h.base}/admin/ui/summaries`, { headers: creds })
  const snap = JSON.parse((await feed.next((e) => e.event === 'summary', DEADLINE)).data) as { streams: { id: string; state: string; source: string; tap_points: string[] }[] }
  assert.deepEqual(snap.streams.map((s) => [s.id, s.state, s.tap_points]), [['gen', 'running', ['input', 'processor:0', 'processor:1', 'output']]])
  assert.match(snap.streams[0]!.source, /s\/gen\.yaml$/)
  feed.close()
  const tap = await openSse(`${h.base}/admin/streams/gen/tap?point=input`, { headers: creds })
  assert.equal(tap.status, 200)
  await tap.next((e) => e.event === 'message', DEADLINE)
  tap.close()
})
