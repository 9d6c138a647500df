/**
 * `http_client` input against real loopback servers: polling with pagination from the previous
 * response, empty bodies dropped, nacks replayed, stream mode split by a scanner with and without
 * reconnecting, and targets that are down or silent never wedging the stream.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startStream, until } from '../stream/harness.js'
import { capture, TEST_SPECS } from '../stream/test-components.js'
import { deadPort, httpTarget } from '../helpers/http-target.js'

test('polling: each response is a message and the next URL is interpolated against it', async (t) => {
  const srv = await httpTarget(t, (q, res) => {
    const after = new URL(q.url, 'http://x').searchParams.get('after') ?? ''
    const next = after === '' ? 1 : Number(after) + 1
    res.setHeader('X-Page', String(next))
    res.end(next <= 3 ? JSON.stringify({ id: next }) : '')
  })
  const h = await startStream(
    t,
    {
      input: { http_client: { url: `${srv.url}/items?after=\${! content().parse_json().or({}).id.or("") }`, extract_headers: { include_patterns: ['^x-page$'] } } },
      output: { capture: { name: 'in-poll' } },
    },
    { extraSpecs: TEST_SPECS },
  )
  const c = capture('in-poll')
  await until('three pages', () => c.texts.length >= 3)
  assert.deepEqual(c.texts.slice(0, 3), ['{"id":1}', '{"id":2}', '{"id":3}'])
  assert.deepEqual(c.metas[1], { http_status_code: '200', 'x-page': '2' })
  // Past the last page the server answers empty bodies: dropped, and the request repeats.
  await until('an empty page to be polled twice', () => srv.seen.filter((s) => s.url === '/items?after=3').length >= 2)
  assert.equal(c.texts.length, 3)
  assert.equal(srv.seen[0]!.method, 'GET')
  // Without `payload` the previous response is the body, as in the reference.
  assert.equal(srv.seen[1]!.body.toString(), '{"id":1}')
  await h.stream.stop(2000)
})

test('payload is sent with every request; drop_empty_bodies false keeps empty responses', async (t) => {
  const srv = await httpTarget(t, (_q, res, n) => res.end(n % 2 === 0 ? '' : `r${n}`))
  const h = await startStream(
    t,
    {
      input: { http_client: { url: srv.url, verb: 'POST', payload: '{"q":"${! "x" }"}', drop_empty_bodies: false, headers: { 'Content-Type': 'application/json' } } },
      output: { capture: { name: 'in-payload' } },
    },
    { extraSpecs: TEST_SPECS },
  )
  const c = capture('in-payload')
  await until('three messages', () => c.texts.length >= 3)
  assert.deepEqual(c.texts.slice(0, 3), ['r1', '', 'r3'])
  assert.equal(srv.seen[0]!.body.toString(), '{"q":"x"}')
  assert.equal(srv.seen[0]!.headers['content-type'], 'application/json')
  await h.stream.stop(2000)
})

test('a nacked response is replayed until delivered (auto_replay_nacks)', async (t) => {
  const srv = await httpTarget(t, (_q, res, n) => res.end(`page${n}`))
  const h = await startStream(
    t,
    {
      input: { http_client: { url: srv.url, rate_limit: 'one' } },
      output: { capture: { name: 'in-replay', fail_first: 2 } },
    },
    { extraSpecs: TEST_SPECS, resources: { rate_limit: { one: { local: { count: 1, interval: '10s' } } } } },
  )
  const c = capture('in-replay')
  await until('the first page delivered', () => c.texts.length >= 1)
  assert.equal(c.texts[0], 'page1')
  assert.ok(c.attempts >= 3)
  // The rate limit allows one request per 10 s: the replay re-sent the page, not a new request.
  assert.equal(srv.seen.length, 1)
  await h.stream.stop(2000)
})

test('stream mode: one request split into lines; without reconnect the input ends', async (t) => {
  const srv = await httpTarget(t, (_q, res) => {
    res.setHeader('X-Session', 's1')
    res.write('one\ntwo\n')
    setImmediate(() => res.end('three\n\nfour'))
  })
  const h = await startStream(
    t,
    {
      input: { http_client: { url: srv.url, timeout: '50ms', stream: { enabled: true, reconnect: false } } },
      output: { capture: { name: 'in-stream' } },
    },
    { extraSpecs: TEST_SPECS },
  )
  await h.stream.finished
  assert.deepEqual(capture('in-stream').texts, ['one', 'two', 'three', 'four'])
  assert.equal(srv.seen.length, 1)
})

test('stream mode: a held-open body is read as it arrives and reconnects when it ends', async (t) => {
  const open: import('node:http').ServerResponse[] = []
  const srv = await httpTarget(t, (q, res, n) => {
    res.setHeader('X-Session', `s${n}`)
    res.write(`first${n}|`)
    if (n === 1) {
      // The second part comes well after the 100 ms client timeout: stream mode must not apply it.
      setTimeout(() => res.write('second1|'), 400)
      open.push(res)
    } else res.end(`url=${q.url}|`)
  })
  const h = await startStream(
    t,
    {
      input: { http_client: { url: `${srv.url}/s?session=\${! meta("x-session").or("none") }`, timeout: '100ms', stream: { enabled: true, scanner: { lines: { custom_delimiter: '|' } } } } },
      output: { capture: { name: 'in-reconnect' } },
    },
    { extraSpecs: TEST_SPECS },
  )
  const c = capture('in-reconnect')
  await until('the part sent after the timeout', () => c.texts.length >= 2)
  assert.deepEqual(c.texts, ['first1', 'second1'])
  assert.equal(srv.seen.length, 1)
  open[0]!.end('last1|')
  await until('the reconnected request', () => c.texts.length >= 5)
  // The reconnect is interpolated against the last parts read (they carry no headers).
  assert.deepEqual(c.texts.slice(0, 5), ['first1', 'second1', 'last1', 'first2', 'url=/s?session=none'])
  await h.stream.stop(2000)
})

test('a target that is down is retried with back-off and never blocks a stop', async (t) => {
  const url = `http://127.0.0.1:${await deadPort()}`
  const h = await startStream(
    t,
    {
      input: { http_client: { url, retries: 0, retry_period: '10ms' } },
      output: { capture: { name: 'in-down' } },
    },
    { extraSpecs: TEST_SPECS },
  )
  await until('a logged read failure', () => h.logs.some((l) => l.includes('Failed to read message') && l.includes('connection refused')))
  const started = performance.now()
  await h.stream.stop(2000)
  assert.ok(performance.now() - started < 2500)
  assert.equal(capture('in-down').texts.length, 0)
})

test('a silent target times out per request and the input keeps polling', async (t) => {
  let answered = 0
  const srv = await httpTarget(t, (_q, res, n) => {
    if (n <= 2) return
    answered++
    res.end('finally')
  })
  const h = await startStream(
    t,
    {
      input: { http_client: { url: srv.url, timeout: '200ms', retries: 0 } },
      output: { capture: { name: 'in-silent' } },
    },
    { extraSpecs: TEST_SPECS },
  )
  await until('a message after two timeouts', () => capture('in-silent').texts.length >= 1)
  assert.equal(capture('in-silent').texts[0], 'finally')
  assert.ok(srv.seen.length >= 3 && answered >= 1)
  await h.stream.stop(2000)
})
