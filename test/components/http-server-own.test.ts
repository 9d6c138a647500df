/**
 * `http_server` output and the input's `ws_path` on their own servers (custom `address`), built
 * in-process with real sockets: multipart batches, 408 and 503 answers, streamed responses, and
 * WebSocket clients with welcome and rate-limit messages and nack retries.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WebSocket } from 'ws'
import { startStream, until, type Harness } from '../stream/harness.js'
import { capture, TEST_SPECS } from '../stream/test-components.js'
import { parseMediaType, parseMultipart } from '../../src/components/shared/http-util.js'
import { writeMultipart } from '../../src/components/shared/http-client-request.js'

function boundUrl(h: Harness, pattern: RegExp): Promise<string> {
  return until('the server to log its address', () => h.logs.map((l) => pattern.exec(l)?.[1]).find((x) => x !== undefined))
}

function collect(ws: WebSocket): { messages: { data: string; binary: boolean }[] } {
  const out = { messages: [] as { data: string; binary: boolean }[] }
  ws.on('message', (data, binary) => out.messages.push({ data: Buffer.isBuffer(data) ? data.toString() : String(data), binary }))
  return out
}

test('output on its own address: a batch as multipart, then 408', async (t) => {
  const h = await startStream(t, {
    input: { http_server: { path: '/in', ws_path: '' } },
    output: { http_server: { address: '127.0.0.1:0', path: '/get', timeout: '2s' } },
  })
  const base = await boundUrl(h, /Serving messages through HTTP GET request at: (http:\/\/[^ "]+)\/get/)
  // A multipart POST is one batch of two messages.
  const mp = writeMultipart([
    { headers: [], body: Buffer.from('part1') },
    { headers: [], body: Buffer.from('part2') },
  ])
  const posted = fetch(`${h.base}/test/in`, { method: 'POST', body: mp.body, headers: { 'Content-Type': mp.contentType } })
  const r = await fetch(`${base}/get`)
  assert.equal((await posted).status, 200)
  assert.equal(r.status, 200)
  const mt = parseMediaType(r.headers.get('content-type')!)!
  assert.equal(mt.type, 'multipart/form-data')
  const parts = parseMultipart(new Uint8Array(await r.arrayBuffer()), mt.params.boundary!).map((p) => Buffer.from(p).toString())
  assert.deepEqual(parts, ['part1', 'part2'])
  const empty = await fetch(`${base}/get`)
  assert.deepEqual([empty.status, await empty.text()], [408, 'Timed out waiting for message\n'])
  const missing = await fetch(`${base}/nothing`)
  assert.equal(missing.status, 404)
})

test('output on its own address: stream_path writes each batch and a newline; ws_path sends binary messages', async (t) => {
  const h = await startStream(t, {
    input: { http_server: { path: '/in', ws_path: '' } },
    output: { http_server: { address: '127.0.0.1:0', path: '', stream_path: '/s', ws_path: '/ws' } },
  })
  const base = await boundUrl(h, /Serving messages through HTTP GET request at: (http:\/\/[^ "]+)/)
  const post = (body: string): Promise<number> => fetch(`${h.base}/test/in`, { method: 'POST', body }).then((r) => r.status)

  const ctl = new AbortController()
  t.after(() => ctl.abort())
  const res = fetch(`${base}/s`, { signal: ctl.signal })
  const first = post('a')
  const r = await res
  assert.equal(r.headers.get('content-type'), 'text/plain; charset=utf-8')
  assert.equal(await first, 200)
  assert.equal(await post('b'), 200)
  const reader = r.body!.getReader()
  let text = ''
  while (text.length < 4) {
    const c = await reader.read()
    if (c.done) break
    text += Buffer.from(c.value).toString()
  }
  assert.equal(text, 'a\nb\n')
  ctl.abort()

  const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`)
  t.after(() => ws.terminate())
  const got = collect(ws)
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
  // The stream consumer that went away no longer takes messages: the socket gets this one.
  assert.equal(await post('c'), 200)
  await until('the websocket message', () => got.messages.length >= 1)
  assert.deepEqual(got.messages, [{ data: 'c', binary: true }])
})

test('input ws_path on its own address: welcome, rate-limit message, nack retried, metadata', async (t) => {
  const h = await startStream(
    t,
    {
      input: { http_server: { address: '127.0.0.1:0', path: '/post', ws_path: '/ws/{room}', ws_welcome_message: 'hello', ws_rate_limit_message: 'slow down', rate_limit: 'rl' } },
      pipeline: { processors: [{ mapping: 'root = content().string() + "@" + meta("room") + "?" + meta("user")' }] },
      output: { capture: { name: 'own-ws-in', fail_first: 1 } },
    },
    { extraSpecs: TEST_SPECS, resources: { rate_limit: { rl: { local: { count: 2, interval: '60s' } } } } },
  )
  const base = await boundUrl(h, /Receiving HTTP messages at: (http:\/\/[^ "]+)\/post/)
  const ws = new WebSocket(`${base.replace('http', 'ws')}/ws/lobby?user=ann`)
  t.after(() => ws.terminate())
  const got = collect(ws)
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
  await until('the welcome message', () => got.messages.length >= 1)
  assert.deepEqual(got.messages[0], { data: 'hello', binary: true })
  ws.send('m1')
  const c = capture('own-ws-in')
  // The first write fails: the same message is delivered again (it used the second token).
  await until('m1 delivered', () => c.texts.length >= 1)
  assert.deepEqual(c.texts, ['m1@lobby?ann'])
  assert.equal(c.attempts, 2)
  ws.send('m2')
  await until('the rate limit message', () => got.messages.some((m) => m.data === 'slow down'))
  assert.equal(c.texts.length, 1)
  const plain = await fetch(`${base}/ws/lobby`)
  assert.deepEqual([plain.status, await plain.text()], [400, 'Bad Request\n'])
  // Stopping the stream closes the idle socket (the server going away).
  const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)))
  await h.stream.stop(3000)
  assert.equal(await closed, 1001)
})
