import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MessageChannel } from 'node:worker_threads'
import { FrameWriter, readRequests, readResponses, type FrameRequest, type FrameResponse } from '../../src/protocol/http-frames.js'
import type { HttpFrame } from '../../src/protocol/messages.js'

const enc = new TextEncoder()
const dec = new TextDecoder()

/** Sends a frame through a real MessagePort with its transfer list, as the host does. */
function across(frame: HttpFrame, transfer: ArrayBuffer[]): Promise<HttpFrame> {
  const { port1, port2 } = new MessageChannel()
  return new Promise((resolve) => {
    port2.once('message', (m: HttpFrame) => {
      port1.close()
      port2.close()
      resolve(m)
    })
    port1.postMessage(frame, transfer)
  })
}

test('requests survive a packed frame across a port: fields, params, empty, small and large bodies', async () => {
  const big = new Uint8Array(70 * 1024).map((_, i) => i % 251)
  const pooled = Buffer.from('in a shared pool') // a view into a larger buffer: must be copied
  const sent: FrameRequest[] = [
    { id: 1, endpoint: '/in', method: 'POST', path: '/s/in', query: 'a=1', remoteAddress: '127.0.0.1', rawHeaders: ['Host', 'x', 'X-A', 'b'], params: {}, body: enc.encode('{"n":1}') },
    { id: 2, endpoint: '/items/{id}', method: 'GET', path: '/s/items/7', query: '', remoteAddress: '::1', rawHeaders: [], params: { id: '7', k: 'v' }, body: new Uint8Array(0) },
    { id: 3, endpoint: '/in', method: 'PUT', path: '/s/in', query: '', remoteAddress: '', rawHeaders: ['Content-Type', 'application/octet-stream'], params: {}, body: big },
    { id: 4, endpoint: '/in', method: 'POST', path: '/s/in', query: '', remoteAddress: '', rawHeaders: [], params: {}, body: pooled },
  ]
  const w = new FrameWriter()
  for (const r of sent) w.request(r.id, r)
  assert.equal(w.count, 4)
  const { frame, transfer } = w.take()
  assert.equal(w.count, 0)
  // The large body owns its buffer and travels on its own; small ones share one buffer.
  assert.equal(transfer.length, 2)
  const got: FrameRequest[] = []
  readRequests(await across(frame, transfer), (r) => got.push(r))
  assert.deepEqual(
    got.map((r) => ({ ...r, body: [...r.body] })),
    [
      { ...sent[0]!, body: [...enc.encode('{"n":1}')] },
      { ...sent[1]!, body: [] },
      { ...sent[2]!, body: [...new Uint8Array(70 * 1024).map((_, i) => i % 251)] },
      { ...sent[3]!, body: [...Buffer.from('in a shared pool')] },
    ],
  )
  // The pooled view was copied, not detached.
  assert.equal(pooled.toString(), 'in a shared pool')
})

test('responses keep text bodies as strings and byte bodies as bytes, in order', async () => {
  const w = new FrameWriter()
  const sent: FrameResponse[] = [
    { id: 9, status: 200, headers: ['Content-Type', 'application/json'], body: enc.encode('{"ok":true}') },
    { id: 10, status: 503, headers: ['Content-Type', 'text/plain; charset=utf-8'], body: 'Service unavailable\n' },
    { id: 11, status: 200, headers: [], body: new Uint8Array(0) },
  ]
  for (const r of sent) w.response(r)
  const { frame, transfer } = w.take()
  const got: FrameResponse[] = []
  readResponses(await across(frame, transfer), (r) => got.push(r))
  assert.deepEqual(
    got.map((r) => ({ ...r, body: typeof r.body === 'string' ? r.body : dec.decode(r.body) })),
    [
      { id: 9, status: 200, headers: ['Content-Type', 'application/json'], body: '{"ok":true}' },
      { id: 10, status: 503, headers: ['Content-Type', 'text/plain; charset=utf-8'], body: 'Service unavailable\n' },
      { id: 11, status: 200, headers: [], body: '' },
    ],
  )
})

test('a route parameter named __proto__ stays a parameter; a frame cut short is refused whole (found by fuzzing)', () => {
  const w = new FrameWriter()
  const params = Object.fromEntries([['__proto__', 'p'], ['id', '7']]) as Record<string, string>
  w.request(1, { endpoint: '/{__proto__}/{id}', method: 'GET', path: '/p/7', query: '', remoteAddress: '', rawHeaders: [], params, body: new Uint8Array(0) })
  w.request(2, { endpoint: '/x', method: 'GET', path: '/x', query: '', remoteAddress: '', rawHeaders: [], params: {}, body: enc.encode('hi') })
  const { frame } = w.take()
  const got: FrameRequest[] = []
  readRequests(frame, (r) => got.push(r))
  assert.deepEqual(Object.entries(got[0]!.params), [['__proto__', 'p'], ['id', '7']])
  assert.equal(Object.getPrototypeOf(got[0]!.params), Object.prototype)
  let calls = 0
  assert.throws(() => readRequests({ ...frame, fields: frame.fields.slice(0, -1) }, () => calls++), { name: 'WeirError', message: /corrupt HTTP frame/ })
  assert.equal(calls, 0)
})

test('strings repeated at the same place of the previous entry cross as null and read back whole', async () => {
  const head = (host: string) => ['Host', host, 'Content-Type', 'application/json', 'Content-Length', '2']
  const sent: FrameRequest[] = [
    { id: 1, endpoint: '/in', method: 'POST', path: '/s/in', query: '', remoteAddress: '127.0.0.1', rawHeaders: head('a:1'), params: {}, body: enc.encode('{}') },
    { id: 2, endpoint: '/in', method: 'POST', path: '/s/in', query: '', remoteAddress: '127.0.0.1', rawHeaders: head('a:1'), params: {}, body: enc.encode('{}') },
    // A shorter list, then a longer one again: places past the short list keep the older strings.
    { id: 3, endpoint: '/in', method: 'GET', path: '/s/in', query: 'x=1', remoteAddress: '127.0.0.1', rawHeaders: ['Host', 'b:2'], params: {}, body: new Uint8Array(0) },
    { id: 4, endpoint: '/in', method: 'POST', path: '/s/in', query: '', remoteAddress: '::1', rawHeaders: head('b:2'), params: {}, body: enc.encode('{}') },
  ]
  const w = new FrameWriter()
  for (const r of sent) w.request(r.id, r)
  const { frame, transfer } = w.take()
  // Entry 2 repeats all 11 strings of entry 1; entry 3 endpoint, path, remote address, `Host`;
  // entry 4 endpoint, path, `Host`, its value (from entry 3) and the four strings past entry 3's list.
  assert.equal(frame.fields.filter((f) => f === null).length, 11 + 4 + 8)
  const got: FrameRequest[] = []
  readRequests(await across(frame, transfer), (r) => got.push(r))
  assert.deepEqual(
    got.map((r) => ({ ...r, body: dec.decode(r.body) })),
    sent.map((r) => ({ ...r, body: dec.decode(r.body) })),
  )

  // Each frame stands alone: the writer's next frame repeats nothing from this one.
  w.request(5, sent[0]!)
  assert.equal(w.take().frame.fields.filter((f) => f === null).length, 0)

  const resp = new FrameWriter()
  for (const id of [1, 2]) resp.response({ id, status: 200, headers: ['Content-Type', 'application/octet-stream', 'Content-Length', '2'], body: '{}' })
  const r = resp.take()
  assert.equal(r.frame.fields.filter((f) => f === null).length, 4)
  const answers: FrameResponse[] = []
  readResponses(await across(r.frame, r.transfer), (x) => answers.push(x))
  assert.deepEqual(answers[1], { id: 2, status: 200, headers: ['Content-Type', 'application/octet-stream', 'Content-Length', '2'], body: '{}' })
})

test('a repeat marker with nothing before it at its place is a corrupt frame', () => {
  const w = new FrameWriter()
  w.request(1, { endpoint: '/in', method: 'POST', path: '/p', query: '', remoteAddress: '', rawHeaders: ['Host', 'h'], params: {}, body: new Uint8Array(0) })
  const { frame } = w.take()
  let calls = 0
  // The `Host` header name is the first string of the header list (field 8).
  assert.equal(frame.fields[7], 'Host')
  const bad = { ...frame, fields: frame.fields.map((f, i) => (i === 7 ? null : f)) }
  assert.throws(() => readRequests(bad, () => calls++), { name: 'WeirError', message: /repeat of a string never sent/ })
  // In a number's place a null is no number.
  const noId = { ...frame, fields: frame.fields.map((f, i) => (i === 0 ? null : f)) }
  assert.throws(() => readRequests(noId, () => calls++), { name: 'WeirError', message: /expected a number/ })
  assert.equal(calls, 0)
})
