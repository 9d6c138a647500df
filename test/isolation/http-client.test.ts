/**
 * `http_client` output against a real loopback server: request shape, retries and status rules,
 * multipart batches, propagated responses, auth, timeouts, and a forced stop that interrupts a
 * request the server never answers.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import { generateKeyPairSync, verify } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startStream, until, tempDir } from '../stream/harness.js'
import { parseMediaType, parseMultipart } from '../../src/components/shared/http-util.js'

interface Seen {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: Buffer
  at: number
}

type Reply = (req: Seen, res: ServerResponse, n: number) => void

/** A loopback server that records every request and answers with `reply` (default: 200 "ok"). */
async function target(t: TestContext, reply: Reply = (_q, res) => res.end('ok')): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const s: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks), at: performance.now() }
      seen.push(s)
      reply(s, res, seen.length)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  t.after(() => {
    server.closeAllConnections()
    return new Promise<void>((r) => server.close(() => r()))
  })
  const a = server.address()
  return { url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`, seen }
}

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: Headers }> {
  const r = await fetch(url, { method: 'POST', body, headers })
  return { status: r.status, text: await r.text(), headers: r.headers }
}

test('a message is sent with interpolated URL and headers, metadata headers and an octet-stream body', async (t) => {
  const srv = await target(t)
  const h = await startStream(t, {
    input: { http_server: { path: '/in' } },
    pipeline: { processors: [{ mapping: 'meta trace_id = "t-1"\nmeta other = "no"\nroot = content()' }] },
    output: {
      http_client: {
        url: `${srv.url}/items/\${! json("id") }`,
        verb: 'PUT',
        headers: { 'X-Kind': '${! json("kind") }' },
        metadata: { include_prefixes: ['trace_'] },
      },
    },
  })
  const r = await post(`${h.base}/test/in`, '{"id":7,"kind":"fruit"}')
  assert.equal(r.status, 200)
  assert.equal(srv.seen.length, 1)
  const s = srv.seen[0]!
  assert.equal(s.method, 'PUT')
  assert.equal(s.url, '/items/7')
  assert.equal(s.headers['x-kind'], 'fruit')
  assert.equal(s.headers['trace_id'], 't-1')
  assert.equal(s.headers['other'], undefined)
  assert.equal(s.headers['content-type'], 'application/octet-stream')
  assert.equal(s.body.toString(), '{"id":7,"kind":"fruit"}')
})

test('failed statuses are retried after retry_period until one succeeds', async (t) => {
  const srv = await target(t, (_q, res, n) => {
    res.statusCode = n < 3 ? 500 : 200
    res.end(n < 3 ? 'busy' : 'ok')
  })
  const h = await startStream(t, {
    input: { http_server: { path: '/in' } },
    output: { http_client: { url: `${srv.url}/x`, retry_period: '50ms' } },
  })
  const r = await post(`${h.base}/test/in`, 'hello')
  assert.equal(r.status, 200)
  assert.equal(srv.seen.length, 3)
  assert.deepEqual(
    srv.seen.map((s) => s.body.toString()),
    ['hello', 'hello', 'hello'],
  )
  assert.ok(srv.seen[1]!.at - srv.seen[0]!.at >= 45, 'waits retry_period before the first retry')
  assert.ok(srv.seen[2]!.at - srv.seen[1]!.at >= 45, 'and before the second')
})

test('a drop_on status fails at once and the nack carries the URL, status and body', async (t) => {
  const srv = await target(t, (_q, res) => {
    res.statusCode = 400
    res.end('no\nway')
  })
  const h = await startStream(t, {
    input: { http_server: { path: '/in' } },
    output: { http_client: { url: `${srv.url}/x`, drop_on: [400], retry_period: '10ms' } },
  })
  const r = await post(`${h.base}/test/in`, 'hello')
  assert.equal(r.status, 502)
  assert.equal(r.text, `${srv.url}/x: HTTP request returned unexpected response code (400): 400 Bad Request, Error: noway\n`)
  assert.equal(srv.seen.length, 1)
})

test('retries run out after `retries` extra attempts; backoff_on doubles the wait each time', async (t) => {
  const srv = await target(t, (_q, res) => {
    res.statusCode = 429
    res.end('slow down')
  })
  const h = await startStream(t, {
    input: { http_server: { path: '/in', timeout: '10s' } },
    output: { http_client: { url: `${srv.url}/x`, retries: 3, retry_period: '40ms', max_retry_backoff: '1s' } },
  })
  const r = await post(`${h.base}/test/in`, 'hello')
  assert.equal(r.status, 502)
  assert.equal(r.text, `${srv.url}/x: HTTP request returned unexpected response code (429): 429 Too Many Requests, Error: slow down\n`)
  assert.equal(srv.seen.length, 4)
  const gaps = srv.seen.slice(1).map((s, i) => s.at - srv.seen[i]!.at)
  assert.ok(gaps[0]! >= 35, `first wait is retry_period (${gaps[0]})`)
  assert.ok(gaps[1]! >= 75, `second wait doubles (${gaps[1]})`)
  assert.ok(gaps[2]! >= 155, `third wait doubles again (${gaps[2]})`)
})

test('a batching policy sends one multipart request with batch_as_multipart, parts in order', async (t) => {
  const srv = await target(t)
  await startStream(t, {
    input: { generate: { count: 3, interval: '', mapping: 'root = "m" + counter().string()\nmeta n = counter().string()' } },
    output: {
      http_client: {
        url: `${srv.url}/batch`,
        batch_as_multipart: true,
        metadata: { include_patterns: ['^n$'] },
        batching: { count: 3 },
      },
    },
  })
  await until('the batch to arrive', () => srv.seen.length >= 1)
  assert.equal(srv.seen.length, 1)
  const media = parseMediaType(String(srv.seen[0]!.headers['content-type']))!
  assert.equal(media.type, 'multipart/form-data')
  const parts = parseMultipart(srv.seen[0]!.body, media.params.boundary!)
  assert.deepEqual(
    parts.map((p) => Buffer.from(p).toString()),
    ['m1', 'm2', 'm3'],
  )
  assert.match(srv.seen[0]!.body.toString(), /Content-Type: application\/octet-stream\r\nn: 1\r\n\r\nm1/)
})

test('a partial batch is flushed by its period', async (t) => {
  const srv = await target(t)
  await startStream(t, {
    input: { generate: { count: 0, interval: '1h', mapping: 'root = "only"' } },
    output: { http_client: { url: `${srv.url}/p`, batching: { count: 100, period: '100ms' } } },
  })
  await until('the period flush', () => srv.seen.length >= 1)
  assert.equal(srv.seen.length, 1)
  assert.equal(srv.seen[0]!.body.toString(), 'only')
})

test('propagate_response makes the response the sync response of the originating request', async (t) => {
  const srv = await target(t, (q, res) => {
    res.setHeader('X-Served-By', 'upstream')
    res.end(`echo:${q.body.toString()}`)
  })
  const h = await startStream(t, {
    input: { http_server: { path: '/in', sync_response: { metadata_headers: { include_prefixes: ['x-served'] } } } },
    output: { http_client: { url: `${srv.url}/x`, propagate_response: true, extract_headers: { include_prefixes: ['x-served'] } } },
  })
  const r = await post(`${h.base}/test/in`, 'ping')
  assert.equal(r.status, 200)
  assert.equal(r.text, 'echo:ping')
  assert.equal(r.headers.get('x-served-by'), 'upstream')
})

test('a server that never answers fails the attempt at `timeout` with the reference wording', async (t) => {
  const srv = await target(t, () => {})
  const h = await startStream(t, {
    input: { http_server: { path: '/in' } },
    output: { http_client: { url: `${srv.url}/never`, timeout: '200ms', retries: 0 } },
  })
  const r = await post(`${h.base}/test/in`, 'x')
  assert.equal(r.status, 502)
  assert.equal(r.text, `${srv.url}/never: Post "${srv.url}/never": context deadline exceeded (Client.Timeout exceeded while awaiting headers)\n`)
})

test('a forced stop interrupts a request the server never answers', async (t) => {
  const srv = await target(t, () => {})
  const h = await startStream(t, {
    input: { generate: { count: 1, interval: '', mapping: 'root = "stuck"' } },
    output: { http_client: { url: `${srv.url}/never`, timeout: '1h' } },
  })
  await until('the request to reach the server', () => srv.seen.length === 1)
  const started = Date.now()
  const out = await h.stream.stop(400)
  assert.ok(Date.now() - started < 2000, `stop returned after ${Date.now() - started}ms`)
  assert.deepEqual(out, { graceful: false, heldBy: 'root.output', inFlight: 1 })
})

test('basic auth, and an OAuth 2 token fetched once and reused', async (t) => {
  let tokens = 0
  const srv = await target(t, (q, res) => {
    if (q.url === '/token') {
      tokens++
      res.setHeader('Content-Type', 'application/json')
      res.end(JSON.stringify({ access_token: `tok${tokens}`, token_type: 'bearer', expires_in: 3600, grant: q.body.toString(), auth: q.headers.authorization }))
      return
    }
    res.end('ok')
  })
  const h = await startStream(t, {
    input: { http_server: { path: '/in' } },
    output: {
      http_client: {
        url: `${srv.url}/api`,
        oauth2: { enabled: true, client_key: 'id', client_secret: 's3', token_url: `${srv.url}/token`, scopes: ['a', 'b'] },
      },
    },
  })
  assert.equal((await post(`${h.base}/test/in`, 'one')).status, 200)
  assert.equal((await post(`${h.base}/test/in`, 'two')).status, 200)
  const api = srv.seen.filter((s) => s.url === '/api')
  const tok = srv.seen.filter((s) => s.url === '/token')
  assert.equal(tok.length, 1)
  assert.equal(tok[0]!.body.toString(), 'grant_type=client_credentials&scope=a+b')
  assert.equal(tok[0]!.headers.authorization, `Basic ${Buffer.from('id:s3').toString('base64')}`)
  assert.deepEqual(
    api.map((s) => s.headers.authorization),
    ['Bearer tok1', 'Bearer tok1'],
  )

  const srv2 = await target(t)
  const h2 = await startStream(t, {
    input: { http_server: { path: '/in' } },
    output: { http_client: { url: `${srv2.url}/api`, basic_auth: { enabled: true, username: 'ann', password: 'pw' } } },
  }, { id: 'basic' })
  assert.equal((await post(`${h2.base}/basic/in`, 'x')).status, 200)
  assert.equal(srv2.seen[0]!.headers.authorization, `Basic ${Buffer.from('ann:pw').toString('base64')}`)
})

test('user info in the URL is sent as basic auth, as Go does, unless a header is set already', async (t) => {
  const srv = await target(t)
  const withUser = srv.url.replace('http://', 'http://b%40b:p%3Aw@')
  const h = await startStream(t, {
    input: { http_server: { path: '/in' } },
    output: {
      broker: {
        outputs: [
          { http_client: { url: `${withUser}/plain` } },
          { http_client: { url: `${withUser}/explicit`, basic_auth: { enabled: true, username: 'ann', password: 'pw' } } },
          { http_client: { url: `${srv.url}/none?who=a@b` } },
        ],
      },
    },
  })
  assert.equal((await post(`${h.base}/test/in`, 'x')).status, 200)
  await until('three requests', () => srv.seen.length === 3)
  const auth = Object.fromEntries(srv.seen.map((s) => [s.url, s.headers.authorization]))
  assert.deepEqual(auth, {
    '/plain': `Basic ${Buffer.from('b@b:p:w').toString('base64')}`,
    '/explicit': `Basic ${Buffer.from('ann:pw').toString('base64')}`,
    '/none?who=a@b': undefined,
  })
})

test('jwt signs the configured claims with the private key file', async (t) => {
  const dir = tempDir(t)
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const keyFile = join(dir, 'key.pem')
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }))
  const srv = await target(t)
  const h = await startStream(t, {
    input: { http_server: { path: '/in' } },
    output: { http_client: { url: `${srv.url}/api`, jwt: { enabled: true, private_key_file: keyFile, signing_method: 'RS256', claims: { sub: 'weir', n: 1 }, headers: { kid: 'k1' } } } },
  })
  assert.equal((await post(`${h.base}/test/in`, 'x')).status, 200)
  const auth = String(srv.seen[0]!.headers.authorization)
  assert.match(auth, /^Bearer /)
  const [head, claims, sig] = auth.slice(7).split('.')
  assert.deepEqual(JSON.parse(Buffer.from(head!, 'base64url').toString()), { alg: 'RS256', kid: 'k1', typ: 'JWT' })
  assert.equal(Buffer.from(claims!, 'base64url').toString(), '{"n":1,"sub":"weir"}')
  assert.equal(verify('sha256', Buffer.from(`${head}.${claims}`), publicKey, Buffer.from(sig!, 'base64url')), true)
})
