/**
 * `http` processor against real loopback servers: content replaced and metadata merged, failures
 * flagged with the response's status, serial versus parallel batches, multipart batches, and
 * targets that are down, slow or answer garbage ending within their timeouts.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startStream, until } from '../stream/harness.js'
import { capture, TEST_SPECS } from '../stream/test-components.js'
import { deadPort, garbageTarget, httpTarget } from '../helpers/http-target.js'
import { parseMediaType, parseMultipart } from '../../src/components/shared/http-util.js'

const gen = (count: number, batch = 1, mapping = 'root = "m" + count("gen_" + uuid_v4()).string()') => ({
  generate: { count, batch_size: batch, interval: '', mapping },
})

test('a response replaces the content; status and extracted headers join the original metadata', async (t) => {
  const srv = await httpTarget(t, (q, res) => {
    res.setHeader('X-Echo', 'yes')
    res.setHeader('X-Other', 'no')
    res.end(`echo:${q.body.toString()}`)
  })
  const h = await startStream(
    t,
    {
      input: gen(1, 1, 'root = "hello"\nmeta kept = "k"'),
      pipeline: { processors: [{ http: { url: `${srv.url}/x`, extract_headers: { include_prefixes: ['x-echo'] } } }] },
      output: { capture: { name: 'proc-ok' } },
    },
    { extraSpecs: TEST_SPECS },
  )
  await h.stream.finished
  const c = capture('proc-ok')
  assert.deepEqual(c.texts, ['echo:hello'])
  assert.deepEqual(c.metas[0], { kept: 'k', http_status_code: '200', 'x-echo': 'yes' })
  assert.equal(c.errors[0], '')
  assert.equal(srv.seen[0]!.method, 'POST')
  assert.equal(srv.seen[0]!.headers['content-type'], 'application/octet-stream')
})

test('a failure after the retries keeps the content, flags it and records the status code', async (t) => {
  const srv = await httpTarget(t, (_q, res) => {
    res.statusCode = 404
    res.setHeader('X-Why', 'gone')
    res.end('nope\n')
  })
  const h = await startStream(
    t,
    {
      input: gen(1, 1, 'root = "keep me"'),
      pipeline: { processors: [{ http: { url: `${srv.url}/missing`, retries: 1, retry_period: '10ms', extract_headers: { include_prefixes: ['x-why'] } } }] },
      output: { capture: { name: 'proc-404' } },
    },
    { extraSpecs: TEST_SPECS },
  )
  await h.stream.finished
  const c = capture('proc-404')
  assert.deepEqual(c.texts, ['keep me'])
  assert.equal(c.metas[0]!.http_status_code, '404')
  assert.equal(c.metas[0]!['x-why'], 'gone')
  assert.equal(c.errors[0], `${srv.url}/missing: HTTP request returned unexpected response code (404): 404 Not Found, Error: nope`)
  assert.equal(srv.seen.length, 2, 'one request and one retry')
  assert.ok(h.logs.some((l) => l.includes(`HTTP request to '${srv.url}/missing' failed:`)))
  assert.match(h.metrics.exposition().text, /processor_error\{[^}]*\} 1/)
})

test('drop_on stops retrying at once; successful_on accepts a non-2xx status', async (t) => {
  const srv = await httpTarget(t, (q, res) => {
    res.statusCode = q.url === '/drop' ? 418 : 302
    res.end('x')
  })
  const h = await startStream(
    t,
    {
      input: gen(1, 1, 'root = "a"'),
      pipeline: {
        processors: [
          { http: { url: `${srv.url}/drop`, drop_on: [418], retries: 5, retry_period: '10ms' } },
          { mapping: 'root = content()' },
          { http: { url: `${srv.url}/ok`, successful_on: [302], follow_redirects: false, retries: 0 } },
        ],
      },
      output: { capture: { name: 'proc-drop' } },
    },
    { extraSpecs: TEST_SPECS },
  )
  await h.stream.finished
  assert.deepEqual(
    srv.seen.map((s) => s.url),
    ['/drop', '/ok'],
  )
  const c = capture('proc-drop')
  assert.equal(c.metas[0]!.http_status_code, '302')
})

test('a batch goes one request per message in order, or all at once with parallel', async (t) => {
  for (const parallel of [false, true]) {
    const held: (() => void)[] = []
    const srv = await httpTarget(t, (q, res) => {
      const answer = (): void => void res.end(`r-${q.body.toString()}`)
      if (!parallel) return answer()
      // Answer only once all three are in flight: a serial client would never get here.
      held.push(answer)
      if (held.length === 3) for (const a of held) a()
    })
    const name = `proc-batch-${parallel}`
    const h = await startStream(
      t,
      {
        input: gen(3, 3, `root = "m" + count("${name}").string()`),
        pipeline: { processors: [{ http: { url: srv.url, parallel, timeout: '20s' } }] },
        output: { capture: { name } },
      },
      { extraSpecs: TEST_SPECS },
    )
    await h.stream.finished
    assert.deepEqual(capture(name).batches, [['r-m1', 'r-m2', 'r-m3']])
    assert.equal(srv.peak(), parallel ? 3 : 1)
  }
})

test('batch_as_multipart sends the batch as one multipart request and maps parts back', async (t) => {
  const srv = await httpTarget(t, (q, res) => {
    const mt = parseMediaType(String(q.headers['content-type']))!
    const parts = parseMultipart(q.body, mt.params.boundary!).map((p) => Buffer.from(p).toString())
    res.end(parts.join('+'))
  })
  const h = await startStream(
    t,
    {
      input: gen(2, 2, 'root = "p" + count("proc-mp").string()'),
      pipeline: { processors: [{ http: { url: srv.url, batch_as_multipart: true } }] },
      output: { capture: { name: 'proc-mp' } },
    },
    { extraSpecs: TEST_SPECS },
  )
  await h.stream.finished
  assert.equal(srv.seen.length, 1)
  // One response part for a batch of two: the batch shrinks to it, as in the reference.
  assert.deepEqual(capture('proc-mp').batches, [['p1+p2']])
})

test('targets that are down, silent or answer garbage fail within their timeouts', async (t) => {
  const silent = await httpTarget(t, () => {})
  const garbage = await garbageTarget(t)
  const down = `http://127.0.0.1:${await deadPort()}`
  const started = performance.now()
  const h = await startStream(
    t,
    {
      input: gen(1, 1, 'root = "x"'),
      pipeline: {
        processors: [
          { http: { url: `${silent.url}/slow`, timeout: '300ms', retries: 0 } },
          { http: { url: `${garbage.url}/junk`, timeout: '2s', retries: 0 } },
          { http: { url: `${down}/down`, timeout: '2s', retries: 0 } },
        ],
      },
      output: { capture: { name: 'proc-bad' } },
    },
    { extraSpecs: TEST_SPECS },
  )
  await h.stream.finished
  assert.ok(performance.now() - started < 8000, 'no target held the stream past its timeout')
  const logs = h.logs.join('\n')
  assert.ok(logs.includes(`HTTP request to '${silent.url}/slow' failed`), logs)
  assert.ok(logs.includes(`HTTP request to '${garbage.url}/junk' failed`), logs)
  assert.ok(logs.includes(`HTTP request to '${down}/down' failed`), logs)
  assert.ok(garbage.connections() >= 1)
  const c = capture('proc-bad')
  assert.deepEqual(c.texts, ['x'])
  // The message carries the last processor's error: the target that is down.
  assert.equal(c.errors[0], `${down}/down: Post "${down}/down": dial tcp 127.0.0.1:${new URL(down).port}: connect: connection refused`)
})

test('a forced stop ends a request the server never answers', async (t) => {
  const silent = await httpTarget(t, () => {})
  const h = await startStream(
    t,
    {
      input: gen(1, 1, 'root = "x"'),
      pipeline: { processors: [{ http: { url: silent.url, timeout: '60s' } }] },
      output: { capture: { name: 'proc-stop' } },
    },
    { extraSpecs: TEST_SPECS },
  )
  await until('the request to arrive', () => silent.seen.length === 1)
  const started = performance.now()
  await h.stream.stop(300)
  assert.ok(performance.now() - started < 5000)
})

test('back-off belongs to the client: it keeps growing across messages until a success', async (t) => {
  const srv = await httpTarget(t, (_q, res) => {
    res.statusCode = 429
    res.end('busy')
  })
  const h = await startStream(
    t,
    {
      input: gen(2, 2, 'root = "m"'),
      pipeline: { processors: [{ http: { url: srv.url, backoff_on: [429], retries: 1, retry_period: '100ms', max_retry_backoff: '10s' } }] },
      output: { capture: { name: 'proc-backoff' } },
    },
    { extraSpecs: TEST_SPECS },
  )
  await h.stream.finished
  assert.equal(srv.seen.length, 4)
  const gap = (i: number): number => srv.seen[i + 1]!.at - srv.seen[i]!.at
  assert.ok(gap(0) >= 95, `first retry after the base period (${gap(0)} ms)`)
  // The second message's retry waits the doubled period the first message left behind.
  assert.ok(gap(2) >= 195, `second retry after a doubled period (${gap(2)} ms)`)
  assert.deepEqual(capture('proc-backoff').errors.map((e) => e.includes('(429)')), [true, true])
})
