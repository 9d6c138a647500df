import { test } from 'node:test'
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { gunzipSync } from 'node:zlib'
import { startStream, until, deadline } from '../stream/harness.js'
import { TEST_SPECS, capture } from '../stream/test-components.js'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
  text: string
}

/** One HTTP request over a fresh connection (no automatic Accept-Encoding, unlike fetch). */
function send(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'POST', headers: opts.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const body = Buffer.concat(chunks)
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString() })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(opts.body ?? '')
  })
}

test('http_server + mapping + sync_response answers with the mapped body and request metadata', async (t) => {
  const h = await startStream(t, {
    input: { http_server: { path: '/items/{id}', sync_response: { headers: { 'Content-Type': 'application/json', 'X-Item': '${! meta("id") }' } } } },
    pipeline: {
      processors: [
        {
          mapping: `root.body = this
root.rid = meta("X-Request-Id")
root.path = meta("http_server_request_path")
root.verb = meta("http_server_verb")
root.q = meta("q")
root.id = meta("id")
root.sess = meta("sess")
root.ip = meta("http_server_remote_ip")`,
        },
        { sync_response: {} },
      ],
    },
    output: { drop: {} },
  })
  const r = await send(`${h.base}/test/items/42?q=first&q=second`, {
    headers: { 'Content-Type': 'application/json', 'x-request-id': 'abc', Cookie: 'sess="s1"; other=2' },
    body: '{"hello":"world"}',
  })
  assert.equal(r.status, 200)
  assert.equal(r.headers['content-type'], 'application/json')
  assert.equal(r.headers['x-item'], '42')
  assert.deepEqual(JSON.parse(r.text), {
    body: { hello: 'world' },
    rid: 'abc',
    path: '/test/items/42',
    verb: 'POST',
    q: 'first',
    id: '42',
    sess: 's1',
    ip: '127.0.0.1',
  })
  assert.equal(h.metrics.stats()['input_received{label="",path="root.input",stream="test"}'], 1)
  assert.equal(h.metrics.stats()['input_connection_up{label="",path="root.input",stream="test"}'], undefined)
})

test('without a sync response the answer is an empty 200; status and metadata headers follow the config', async (t) => {
  const h = await startStream(t, {
    input: {
      http_server: {
        path: '/post',
        sync_response: { status: '${! meta("code") }', metadata_headers: { include_prefixes: ['out_'] } },
      },
    },
    pipeline: { processors: [{ mutation: 'meta code = if content() == "created" { "201" } else { "200" }\nmeta out_a = "x"' }, { sync_response: {} }] },
    output: { drop: {} },
  })
  const created = await send(`${h.base}/test/post`, { body: 'created' })
  assert.equal(created.status, 201)
  assert.equal(created.headers['content-type'], 'application/octet-stream')
  assert.equal(created.headers['out_a'], 'x')
  assert.equal(created.text, 'created')
})

test('a nack from the output reaches the client as 502 with the error text', async (t) => {
  const h = await startStream(t, { input: { http_server: {} }, output: { capture: { name: 'http502', fail_first: 1, error: 'no way through' } } }, { extraSpecs: TEST_SPECS })
  const first = await send(`${h.base}/test/post`, { body: 'a' })
  assert.deepEqual([first.status, first.text, first.headers['content-type']], [502, 'no way through\n', 'text/plain; charset=utf-8'])
  const second = await send(`${h.base}/test/post`, { body: 'b' })
  assert.deepEqual([second.status, second.text, second.headers['content-type']], [200, '', undefined])
  assert.deepEqual(capture('http502').texts, ['b'])
})

test('disallowed verbs get 405, rate limited requests 429 with Retry-After', async (t) => {
  const h = await startStream(
    t,
    { input: { http_server: { allowed_verbs: ['POST', 'PUT'], rate_limit: 'one' } }, output: { drop: {} } },
    { resources: { rate_limit: { one: { local: { count: 1, interval: '1h' } } } } },
  )
  const get = await send(`${h.base}/test/post`, { method: 'GET' })
  assert.deepEqual([get.status, get.text], [405, 'Incorrect method\n'])
  const ok = await send(`${h.base}/test/post`, { method: 'PUT', body: 'x' })
  assert.equal(ok.status, 200)
  const limited = await send(`${h.base}/test/post`, { body: 'y' })
  assert.deepEqual([limited.status, limited.text], [429, 'Too Many Requests\n'])
  // Whole seconds left in the one-hour window.
  assert.match(String(limited.headers['retry-after']), /^35\d\d$/)
})

test('responses are gzipped when the client accepts gzip', async (t) => {
  const h = await startStream(t, {
    input: { http_server: {} },
    pipeline: { processors: [{ sync_response: {} }] },
    output: { drop: {} },
  })
  const r = await send(`${h.base}/test/post`, { headers: { 'Accept-Encoding': 'gzip, deflate' }, body: 'squeeze me' })
  assert.equal(r.status, 200)
  assert.equal(r.headers['content-encoding'], 'gzip')
  assert.equal(gunzipSync(r.body).toString(), 'squeeze me')
})

test('a multipart request becomes one message per part; several responses come back as multipart', async (t) => {
  const h = await startStream(t, {
    input: { http_server: {} },
    pipeline: { processors: [{ mapping: 'root = content().uppercase()' }] },
    output: { sync_response: {} },
  })
  const boundary = 'XyZ'
  const body = `--${boundary}\r\nContent-Type: text/plain\r\n\r\nfirst\r\n--${boundary}\r\nContent-Type: text/plain\r\n\r\nsecond\r\n--${boundary}--\r\n`
  const r = await send(`${h.base}/test/post`, { headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` }, body })
  assert.equal(r.status, 200)
  const ct = String(r.headers['content-type'])
  const m = /^multipart\/form-data; boundary=([0-9a-f]{60})$/.exec(ct)
  assert.ok(m, ct)
  const b = m[1]
  assert.equal(
    r.text,
    `--${b}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nFIRST\r\n--${b}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSECOND\r\n--${b}--\r\n`,
  )
  const bad = await send(`${h.base}/test/post`, { headers: { 'Content-Type': 'multipart/mixed; boundary="' }, body: 'x' })
  assert.deepEqual([bad.status, bad.text], [400, 'Bad request\n'])
})

test('a message not acknowledged within the timeout gets 408', async (t) => {
  const h = await startStream(t, {
    input: { http_server: { timeout: '100ms' } },
    pipeline: { processors: [{ sleep: { duration: '400ms' } }] },
    output: { drop: {} },
  })
  const r = await send(`${h.base}/test/post`, { body: 'slow' })
  assert.deepEqual([r.status, r.text], [408, 'Request timed out\n'])
})

test('graceful stop: requests already handed over complete, later ones get 503, every 200 was delivered', async (t) => {
  const name = 'http-graceful'
  const h = await startStream(
    t,
    {
      input: { http_server: { timeout: '10s' } },
      pipeline: { threads: 1, processors: [{ sleep: { duration: '100ms' } }] },
      output: { capture: { name } },
    },
    { extraSpecs: TEST_SPECS },
  )
  const url = `${h.base}/test/post`
  const inflight = [send(url, { body: 'm1' }), send(url, { body: 'm2' })]
  await until('first message in the pipeline', () => h.stream.stats().pipeline_busy === 1)
  const stopping = h.stream.stop(10_000)
  const late = await send(url, { body: 'late' })
  assert.deepEqual([late.status, late.text], [503, 'Server closing\n'])
  const answers = await deadline(Promise.all(inflight), 10_000, 'in-flight answers')
  assert.deepEqual(await stopping, { graceful: true, inFlight: 0 })
  const delivered = answers.filter((a) => a.status === 200).length
  assert.ok(delivered >= 1, `statuses: ${answers.map((a) => a.status).join(',')}`)
  // A request still waiting for the hand-off when the stop began is refused, never half-done.
  assert.ok(answers.every((a) => a.status === 200 || (a.status === 503 && a.text === 'Server closing\n')))
  assert.equal(capture(name).texts.length, delivered)
  // After the drain the path answers with the placeholder.
  const after = await send(url, { body: 'after' })
  assert.deepEqual([after.status, after.text], [503, 'Service unavailable\n'])
  assert.equal(h.endpoints.handlers.get('/post')?.description, 'Endpoint disabled.')
})

test('with an address the input serves on its own server, unprefixed', async (t) => {
  const h = await startStream(t, {
    input: { http_server: { address: '127.0.0.1:0', path: '/in' } },
    pipeline: { processors: [{ mapping: 'root = "got " + content().string()' }, { sync_response: {} }] },
    output: { drop: {} },
  })
  const line = await until('listen log', () => h.logs.find((l) => l.includes('Receiving HTTP messages at: http://127.0.0.1:')))
  const port = /127\.0\.0\.1:(\d+)/.exec(line)![1]
  const r = await send(`http://127.0.0.1:${port}/in`, { body: 'hi' })
  assert.deepEqual([r.status, r.text, r.headers['content-type']], [200, 'got hi', 'application/octet-stream'])
  const miss = await send(`http://127.0.0.1:${port}/other`, { body: 'hi' })
  assert.equal(miss.status, 404)
  assert.equal(h.endpoints.handlers.size, 0)
})

test('the direct lane: a synchronous stream answers within the call, pausing falls back to the layers, an async processor keeps them', async (t) => {
  const sync = await startStream(t, {
    input: { http_server: { path: '/post' } },
    pipeline: { processors: [{ mapping: 'root.n = this.n + 1' }] },
    output: { sync_response: {} },
  })
  const url = `${sync.base}/test/post`
  await until('the output to connect', async () => (await send(url, { body: '{"n":0}' })).status === 200)
  const first = await send(url, { body: '{"n":1}' })
  assert.equal(first.status, 200)
  assert.equal(first.text, '{"n":2}')
  assert.equal(sync.stream.stats().in_flight, 0)

  // Paused: the lane closes. The read already waiting takes one request (as on the layered
  // path); the other waits at the gate until resume.
  sync.stream.pause()
  const answered: number[] = []
  const pending = [7, 9].map((n) =>
    send(url, { body: `{"n":${n}}` }).then((r) => {
      answered.push(n)
      return r
    }),
  )
  await until('the request the waiting read took', () => answered.length === 1)
  // Asserting that nothing happens needs a window; a slow machine only makes it weaker, never red.
  await new Promise((r) => setTimeout(r, 200))
  assert.equal(answered.length, 1, 'both answered while paused')
  sync.stream.resume()
  const replies = await deadline(Promise.all(pending), 10_000, 'the paused request')
  assert.deepEqual(replies.map((r) => [r.status, r.text]), [[200, '{"n":8}'], [200, '{"n":10}']])

  // A processor that waits keeps the layered path and the same answers.
  const slow = await startStream(t, {
    input: { http_server: { path: '/post' } },
    pipeline: { processors: [{ sleep: { duration: '1ms' } }, { mapping: 'root.n = this.n + 1' }] },
    output: { sync_response: {} },
  }, { id: 'slow' })
  const r = await until('the slow stream to answer', async () => {
    const x = await send(`${slow.base}/slow/post`, { body: '{"n":1}' })
    return x.status === 200 ? x : undefined
  })
  assert.equal(r.text, '{"n":2}')
})
