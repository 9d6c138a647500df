/**
 * `--config-kv`: several real `weir streams` processes on loopback against one real
 * `nats-server -js` converge on the streams its KV bucket holds, whichever host's API wrote them.
 * Every wait polls with a generous deadline; nothing depends on which host applies first.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { connect } from '@nats-io/transport-node'
import { Kvm } from '@nats-io/kv'
import { startHost, type RunningHost } from '../helpers/cli-host.js'
import { answer, info, tagged } from '../helpers/tagged-stream.js'
import { requireNats, startNatsServer, type NatsServer } from '../helpers/nats-server.js'

const DEADLINE_MS = 60_000

async function hosts(t: Parameters<typeof startHost>[0], nats: NatsServer, n: number, bucket: string): Promise<RunningHost[]> {
  const out: RunningHost[] = []
  for (let i = 0; i < n; i++) out.push(await startHost(t, { args: ['--config-kv', `${nats.url}/${bucket}`] }))
  return out
}

/** A plain client on the same bucket: what an operator (or another tool) writes. */
async function bucketClient(t: Parameters<typeof startHost>[0], nats: NatsServer, bucket: string) {
  const nc = await connect({ servers: `127.0.0.1:${nats.port}`, maxReconnectAttempts: -1, reconnectTimeWait: 250 })
  t.after(() => nc.close())
  return new Kvm(nc).create(bucket, { history: 5 })
}

test('a stream written through one host API runs on every host; edits and deletes follow', async (t) => {
  if (!requireNats(t)) return
  const nats = await startNatsServer(t)
  const [a, b, c] = await hosts(t, nats, 3, 'streams')

  let r = await a!.text('/streams/echo', { method: 'POST', body: tagged('v1') })
  assert.equal(r.status, 200, r.body)
  // The answer comes once the writing host runs it.
  assert.equal(await answer(a!, 'echo'), '200 v1:x')
  for (const h of [b!, c!]) await h.until('echo on the other hosts', async () => (await answer(h, 'echo')) === '200 v1:x', DEADLINE_MS)
  assert.match((await info(b!, 'echo'))!.source, /^nats:\/\/127\.0\.0\.1:\d+\/streams#echo$/)

  r = await b!.text('/streams/echo', { method: 'POST', body: tagged('v1') })
  assert.deepEqual([r.status, r.body], [400, 'Stream already exists\n'])

  r = await b!.text('/streams/echo', { method: 'PUT', body: tagged('v2') })
  assert.equal(r.status, 200, r.body)
  for (const h of [a!, b!, c!]) await h.until('the edit everywhere', async () => (await answer(h, 'echo')) === '200 v2:x', DEADLINE_MS)

  r = await c!.text('/streams/echo', { method: 'PATCH', body: 'pipeline:\n  processors:\n    - mapping: \'root = "v3:" + content().string()\'\n' })
  assert.equal(r.status, 200, r.body)
  for (const h of [a!, b!, c!]) await h.until('the patch everywhere', async () => (await answer(h, 'echo')) === '200 v3:x', DEADLINE_MS)

  r = await c!.text('/streams/echo', { method: 'DELETE' })
  assert.equal(r.status, 200, r.body)
  assert.equal(await info(c!, 'echo'), undefined)
  for (const h of [a!, b!]) await h.until('echo gone everywhere', async () => (await info(h, 'echo')) === undefined, DEADLINE_MS)
  r = await a!.text('/streams/echo', { method: 'DELETE' })
  assert.equal(r.status, 404)

  // Bulk: the body becomes the whole set of streams on every host.
  r = await a!.text('/streams', { method: 'POST', body: JSON.stringify({ one: parse(tagged('one')), two: parse(tagged('two')) }) })
  assert.equal(r.status, 200, r.body)
  for (const h of [a!, b!, c!]) {
    await h.until('one and two everywhere', async () => (await answer(h, 'one')) === '200 one:x' && (await answer(h, 'two')) === '200 two:x', DEADLINE_MS)
  }
  r = await b!.text('/streams', { method: 'POST', body: JSON.stringify({ two: parse(tagged('two')) }) })
  assert.equal(r.status, 200, r.body)
  for (const h of [a!, b!, c!]) await h.until('one gone everywhere', async () => (await info(h, 'one')) === undefined, DEADLINE_MS)
  assert.deepEqual(Object.keys((await a!.json<Record<string, unknown>>('/streams')).body), ['two'])
})

test('ids a KV key cannot hold are refused; an invalid value leaves the running stream with a located error', async (t) => {
  if (!requireNats(t)) return
  const nats = await startNatsServer(t)
  const [a, b] = await hosts(t, nats, 2, 'cfg')
  const kv = await bucketClient(t, nats, 'cfg')

  const r = await a!.text('/streams/has%20space', { method: 'POST', body: tagged('x') })
  assert.equal(r.status, 400)
  assert.match(r.body, /cannot be a NATS KV key/)

  await kv.put('s', tagged('good'))
  for (const h of [a!, b!]) await h.until('s from the bucket', async () => (await answer(h, 's')) === '200 good:x', DEADLINE_MS)
  const gen = (await info(a!, 's'))!.generation

  await kv.put('s', 'input:\n  http_server:\n    path: /in\npipeline:\n  processors:\n    - mapping: root = this.\noutput:\n  sync_response: {}\n')
  for (const h of [a!, b!]) {
    const e = await h.until('the located error', async () => (await info(h, 's'))?.last_error ?? undefined, DEADLINE_MS)
    assert.equal(e.line, 6, JSON.stringify(e))
    assert.equal(typeof e.column, 'number')
    assert.equal(await answer(h, 's'), '200 good:x')
  }
  assert.equal((await info(a!, 's'))!.generation, gen)

  // A value that is not even YAML: still located, the old version still serves.
  await kv.put('s', 'input: [\n')
  for (const h of [a!, b!]) await h.until('the YAML error', async () => (await info(h, 's'))?.last_error?.line === 2, DEADLINE_MS)
  assert.equal(await answer(b!, 's'), '200 good:x')

  // Through the API, the write is stored, and the answer carries the error from the writing host.
  const put = await b!.text('/streams/s?chilled=true', { method: 'PUT', body: 'input:\n  http_server:\n    path: /in\noutput:\n  nope: {}\n' })
  assert.notEqual(put.status, 200, put.body)

  await kv.put('s', tagged('fixed'))
  for (const h of [a!, b!]) {
    await h.until('the fix everywhere', async () => (await answer(h, 's')) === '200 fixed:x', DEADLINE_MS)
    await h.until('the error cleared', async () => (await info(h, 's'))?.last_error === null, DEADLINE_MS)
  }
  await kv.delete('s')
  for (const h of [a!, b!]) await h.until('s gone', async () => (await info(h, 's')) === undefined, DEADLINE_MS)
})

test('the bucket watch resumes after a NATS outage: changes made meanwhile apply, nothing is restarted twice', async (t) => {
  if (!requireNats(t)) return
  const nats = await startNatsServer(t)
  const [a, b] = await hosts(t, nats, 2, 'ha')
  let r = await a!.text('/streams/keep', { method: 'POST', body: tagged('keep') })
  assert.equal(r.status, 200, r.body)
  r = await a!.text('/streams/drop', { method: 'POST', body: tagged('drop') })
  assert.equal(r.status, 200, r.body)
  for (const h of [a!, b!]) await h.until('both streams', async () => (await answer(h, 'keep')) === '200 keep:x' && (await answer(h, 'drop')) === '200 drop:x', DEADLINE_MS)
  const gens = await Promise.all([a!, b!].map(async (h) => (await info(h, 'keep'))!.generation))

  await nats.stop()
  // While NATS is down the streams keep serving.
  for (const h of [a!, b!]) assert.equal(await answer(h, 'keep'), '200 keep:x')
  await nats.start()

  // Written by a client after the outage (the hosts may not have reconnected yet).
  const kv = await bucketClient(t, nats, 'ha')
  await kv.put('late', tagged('late'))
  await kv.delete('drop')
  for (const h of [a!, b!]) {
    await h.until('the write made after the outage', async () => (await answer(h, 'late')) === '200 late:x', DEADLINE_MS)
    await h.until('the delete made after the outage', async () => (await info(h, 'drop')) === undefined, DEADLINE_MS)
  }
  assert.deepEqual(await Promise.all([a!, b!].map(async (h) => (await info(h, 'keep'))!.generation)), gens)
  assert.deepEqual(Object.keys((await b!.json<Record<string, unknown>>('/streams')).body).sort(), ['keep', 'late'])
})

function parse(yamlText: string): unknown {
  // The configs above are simple enough to state as JSON for the bulk body.
  const mapping = /mapping: '(.*)'/.exec(yamlText)![1]!
  return { input: { http_server: { path: '/in' } }, pipeline: { processors: [{ mapping }] }, output: { sync_response: {} } }
}
