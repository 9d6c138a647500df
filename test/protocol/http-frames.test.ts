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
