/**
 * The streams REST API end to end (spec §6.13): real CLI, real HTTP on 127.0.0.1, real workers.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../helpers/cli-host.js'

const GEN_DROP = JSON.stringify({ input: { generate: { mapping: 'root = {"n": counter()}', interval: '50ms' } }, output: { drop: {} } })
const ECHO = `input:
  http_server:
    path: /post
pipeline:
  processors:
    - mapping: root = content().string().uppercase()
output:
  sync_response: {}
`
const GO_DURATION = /^(\d+h)?(\d+m)?\d+(\.\d+)?(s|ms|µs|ns)$/

test('service endpoints answer with the reference bodies', async (t) => {
  const h = await startHost(t, { args: [] })
  assert.deepEqual(await h.text('/ping').then((r) => [r.status, r.body]), [200, 'pong'])
  const v = await h.text('/version')
  assert.equal(v.status, 200)
  assert.match(v.body, /^\{"version":"\d+\.\d+\.\d+", "built":".*"\}$/)
  assert.deepEqual(await h.text('/ready').then((r) => [r.status, r.body]), [200, 'OK'])
  assert.deepEqual(await h.text('/streams').then((r) => [r.status, r.body, r.headers.get('content-type')]), [200, '{}', 'application/json'])
  assert.deepEqual(await h.text('/benthos/streams').then((r) => [r.status, r.body]), [200, '{}'])
  const put = await h.text('/streams', { method: 'PUT' })
  assert.deepEqual([put.status, put.body, put.headers.get('content-type')], [400, 'Error: method not supported\n', 'text/plain; charset=utf-8'])
  assert.deepEqual(await h.text('/streams/').then((r) => [r.status, r.body]), [400, 'Var `id` must be set\n'])
})

test('create, read, conflict, update, patch, stats and delete a stream', async (t) => {
  const h = await startHost(t, { args: [] })
  const created = await h.text('/streams/foo', { method: 'POST', body: GEN_DROP })
  assert.deepEqual([created.status, created.body], [200, ''])

  const again = await h.text('/streams/foo', { method: 'POST', body: GEN_DROP })
  assert.deepEqual([again.status, again.body], [400, 'Stream already exists\n'])

  const one = await h.json<Record<string, unknown>>('/streams/foo')
  assert.equal(one.status, 200)
  assert.equal(one.body.active, true)
  assert.match(String(one.body.uptime_str), GO_DURATION)
  assert.deepEqual(one.body.config, JSON.parse(GEN_DROP))
  assert.equal(one.body.state, 'running')
  assert.equal(one.body.generation, 1)

  const list = await h.json<Record<string, { active: boolean; uptime: number }>>('/streams')
  assert.deepEqual(Object.keys(list.body), ['foo'])
  assert.equal(typeof list.body.foo!.uptime, 'number')

  assert.deepEqual(await h.text('/streams/nope', { method: 'PUT', body: GEN_DROP }).then((r) => [r.status, r.body]), [404, 'Stream not found\n'])
  assert.deepEqual(await h.text('/streams/nope').then((r) => [r.status, r.body]), [404, 'Stream not found\n'])

  const patched = await h.text('/streams/foo', { method: 'PATCH', body: '{"input":{"generate":{"interval":"2s"}}}' })
  assert.deepEqual([patched.status, patched.body], [200, ''])
  const after = await h.json<{ config: { input: { generate: Record<string, unknown> } }; generation: number }>('/streams/foo')
  assert.deepEqual(after.body.config.input.generate, { mapping: 'root = {"n": counter()}', interval: '2s' })
  assert.equal(after.body.generation, 2)

  const stats = await h.json<Record<string, unknown>>('/streams/foo/stats')
  assert.equal(stats.status, 200)
  assert.equal(typeof stats.body.uptime_ns, 'number')
  assert.deepEqual(await h.text('/streams/foo/stats', { method: 'POST' }).then((r) => [r.status, r.body]), [400, 'Error: verb not supported: POST\n'])
  assert.deepEqual(await h.text('/streams/nope/stats').then((r) => [r.status, r.body]), [404, 'Stream not found\n'])

  assert.deepEqual(await h.text('/streams/foo', { method: 'OPTIONS' }).then((r) => [r.status, r.body]), [400, 'Error: verb not supported: OPTIONS\n'])

  const del = await h.text('/streams/foo?timeout=5s', { method: 'DELETE' })
  assert.deepEqual([del.status, del.body], [200, ''])
  assert.equal((await h.text('/streams/foo')).status, 404)
  assert.deepEqual(await h.text('/streams/foo', { method: 'DELETE' }).then((r) => [r.status, r.body]), [404, 'Stream not found\n'])
})

test('lint findings are a 400 with lint_errors unless chilled', async (t) => {
  const h = await startHost(t, { args: [] })
  const body = '{"input":{"generate":{"mapping":"root = 1","nope":1}},"output":{"drop":{}}}'
  const r = await h.text('/streams/foo2', { method: 'POST', body })
  assert.equal(r.status, 400)
  assert.equal(r.headers.get('content-type'), 'application/json')
  assert.deepEqual(JSON.parse(r.body), { lint_errors: ['(1,1) field nope not recognised'] })
  assert.equal((await h.text('/streams/foo2')).status, 404)

  const chilled = await h.text('/streams/foo2?chilled=true', { method: 'POST', body })
  assert.deepEqual([chilled.status, chilled.body], [200, ''])

  const bad = await h.text('/streams/foo3', { method: 'POST', body: 'input: [' })
  assert.equal(bad.status, 400)
  assert.match(bad.body, /^Error: /)
})

test('a stream that cannot be built is a 502 naming the config path', async (t) => {
  const h = await startHost(t, { args: [] })
  const body = 'input:\n  http_server:\n    path: /x\n    rate_limit: nope\noutput:\n  drop: {}\n'
  const r = await h.text('/streams/bad', { method: 'POST', body })
  assert.equal(r.status, 502)
  assert.match(r.body, /^Error: .*rate limit resource 'nope' was not found/)
  assert.match(r.body, /input/)
  assert.equal((await h.text('/streams/bad')).status, 404)
})

test('bulk POST /streams replaces the whole set', async (t) => {
  const h = await startHost(t, { args: [] })
  assert.equal((await h.text('/streams/old', { method: 'POST', body: GEN_DROP })).status, 200)
  const set = JSON.stringify({ a: JSON.parse(GEN_DROP), b: JSON.parse(GEN_DROP) })
  const r = await h.text('/streams', { method: 'POST', body: set })
  assert.deepEqual([r.status, r.body], [200, ''])
  const list = await h.json<Record<string, unknown>>('/streams')
  assert.deepEqual(Object.keys(list.body), ['a', 'b'])
  const lint = await h.text('/streams', { method: 'POST', body: JSON.stringify({ c: { input: { generate: { mapping: 'root = 1', nope: 1 } } } }) })
  assert.equal(lint.status, 400)
  assert.match(JSON.parse(lint.body).lint_errors[0], /^stream 'c': \(\d+,\d+\) field nope not recognised$/)
})

test('stream endpoints are prefixed, mirrored under root_path and answer through the worker', async (t) => {
  const h = await startHost(t, { files: { 'echo.yaml': ECHO } })
  await h.until('echo to run', async () => (await h.json<{ state: string }>('/streams/echo')).body.state === 'running')
  const r = await h.text('/echo/post', { method: 'POST', body: 'hello' })
  assert.deepEqual([r.status, r.body], [200, 'HELLO'])
  assert.equal(r.headers.get('content-type'), 'application/octet-stream')
  assert.deepEqual(await h.text('/benthos/echo/post', { method: 'POST', body: 'again' }).then((x) => [x.status, x.body]), [200, 'AGAIN'])
  assert.deepEqual(await h.text('/echo/post').then((x) => [x.status, x.body]), [405, 'Incorrect method\n'])
  const ready = await h.json<{ statuses: { connected: boolean }[] }>('/echo/ready')
  assert.equal(ready.status, 200)
  assert.ok(ready.body.statuses.length > 0 && ready.body.statuses.every((s) => s.connected))
  const eps = await h.json<Record<string, string>>('/endpoints')
  assert.ok('/echo/post' in eps.body, JSON.stringify(eps.body))

  assert.equal((await h.text('/streams/echo', { method: 'DELETE' })).status, 200)
  assert.deepEqual(await h.text('/echo/post', { method: 'POST', body: 'x' }).then((x) => [x.status, x.body]), [503, 'Service unavailable\n'])
})

test('--prefix-stream-endpoints=false serves the bare path', async (t) => {
  const h = await startHost(t, { files: { 'echo.yaml': ECHO }, args: ['--prefix-stream-endpoints=false', '{dir}'] })
  await h.until('echo to serve', async () => (await h.text('/post', { method: 'POST', body: 'x' })).status === 200)
  assert.equal((await h.text('/post', { method: 'POST', body: 'bare' })).body, 'BARE')
  assert.equal((await h.text('/echo/post', { method: 'POST', body: 'x' })).status, 404)
})

test('hostile ids and oversized bodies are refused with clear errors', async (t) => {
  const h = await startHost(t, { files: { 'echo.yaml': ECHO }, args: ['--max-body-size', '1024', '{dir}'] })
  const long = 'x'.repeat(300)
  assert.deepEqual(await h.text(`/streams/${long}`, { method: 'POST', body: GEN_DROP }).then((r) => [r.status, r.body]), [400, 'Error: stream id is longer than 256 bytes\n'])
  assert.deepEqual(await h.text('/streams/a%2Fb', { method: 'POST', body: GEN_DROP }).then((r) => [r.status, r.body]), [400, "Error: stream id 'a/b' must not contain '/' or '\\'\n"])
  await h.until('echo to run', async () => (await h.json<{ state: string }>('/streams/echo')).body.state === 'running')
  const big = await h.text('/echo/post', { method: 'POST', body: 'y'.repeat(4096) })
  assert.deepEqual([big.status, big.body], [413, 'Request Entity Too Large\n'])
  assert.equal((await h.text('/echo/post', { method: 'POST', body: 'small' })).body, 'SMALL')
})

test('resources: type check, verb check, create', async (t) => {
  const h = await startHost(t, { args: [] })
  assert.deepEqual(await h.text('/resources/bogus/x', { method: 'POST', body: 'memory: {}' }).then((r) => [r.status, r.body]), [
    400,
    'Var `type` must be set to one of `cache`, `input`, `output`, `processor` or `rate_limit`\n',
  ])
  assert.deepEqual(await h.text('/resources/cache/x').then((r) => [r.status, r.body]), [400, 'Error: verb not supported: GET\n'])
  assert.deepEqual(await h.text('/resources/cache/c1', { method: 'POST', body: 'memory: { default_ttl: 60s }' }).then((r) => [r.status, r.body]), [200, ''])
  assert.deepEqual(await h.text('/resources/rate_limit/rl', { method: 'POST', body: 'local: { count: 1, interval: 1h }' }).then((r) => [r.status, r.body]), [200, ''])
  // A stream using the new rate limit: the second request inside the hour is limited.
  const body = 'input:\n  http_server:\n    path: /in\n    rate_limit: rl\noutput:\n  drop: {}\n'
  assert.equal((await h.text('/streams/limited', { method: 'POST', body })).status, 200)
  assert.equal((await h.text('/limited/in', { method: 'POST', body: 'a' })).status, 200)
  const limited = await h.text('/limited/in', { method: 'POST', body: 'b' })
  assert.equal(limited.status, 429)
  assert.match(limited.headers.get('retry-after') ?? '', /^\d+$/)
})

test('a config body that is not UTF-8 is a located lint error', async (t) => {
  const h = await startHost(t, { args: [] })
  const body = Buffer.concat([Buffer.from('input:\n  generate:\n    mapping: root = "'), Buffer.from([0xff, 0xfe]), Buffer.from('"\noutput:\n  drop: {}\n')])
  const r = await h.text('/streams/u', { method: 'POST', body })
  assert.equal(r.status, 400)
  assert.deepEqual(JSON.parse(r.body), { lint_errors: ['(1,1) detected invalid utf-8 encoding in config, this may result in interpolation functions not working as expected'] })
})

test('a PUT that cannot be built leaves the running version serving with last_error', async (t) => {
  const h = await startHost(t, { args: [] })
  assert.equal((await h.text('/streams/e', { method: 'POST', body: ECHO })).status, 200)
  await h.until('e to serve', async () => (await h.text('/e/post', { method: 'POST', body: 'a' })).body === 'A')
  const bad = 'input:\n  http_server:\n    path: /post\n    rate_limit: missing\noutput:\n  sync_response: {}\n'
  const r = await h.text('/streams/e', { method: 'PUT', body: bad })
  assert.equal(r.status, 502)
  assert.match(r.body, /rate limit resource 'missing' was not found/)
  assert.equal((await h.text('/e/post', { method: 'POST', body: 'still' })).body, 'STILL')
  const info = await h.json<{ state: string; generation: number; last_error: { message: string } }>('/streams/e')
  assert.equal(info.body.state, 'running')
  assert.equal(info.body.generation, 1)
  assert.match(info.body.last_error.message, /rate limit resource 'missing' was not found/)
  // A good PUT replaces it and clears the error.
  assert.equal((await h.text('/streams/e', { method: 'PUT', body: ECHO.replace('uppercase', 'lowercase') })).status, 200)
  assert.equal((await h.text('/e/post', { method: 'POST', body: 'LOW' })).body, 'low')
  assert.equal((await h.json<{ last_error: unknown; generation: number }>('/streams/e')).body.last_error, null)
})
