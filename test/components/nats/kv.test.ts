/**
 * The `nats_kv` cache, processor, input and output on one real Weir host against a real
 * nats-server: values, revisions and the reference's `nats_kv_*` metadata, asserted exactly.
 * Buckets are made by the test's own client (the components, as the reference's, never create one).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Kvm } from '@nats-io/kv'
import { startHost, type RunningHost } from '../../helpers/cli-host.js'
import { requireNats, startNatsServer } from '../../helpers/nats-server.js'
import { natsClient, until } from './support.js'

const DEADLINE_MS = 60_000

const endpoint = (url: string, processor: string, mapping: string): string => `input:
  http_server:
    path: /in
pipeline:
  processors:
    - nats_kv:
        urls: [ ${url} ]
${processor
  .split('\n')
  .map((l) => `        ${l}`)
  .join('\n')}
    - mapping: |
${mapping
  .split('\n')
  .map((l) => `        ${l}`)
  .join('\n')}
output:
  sync_response: {}
`

/** Waits until every stream in `ids` runs (its endpoint registered), without touching the bucket. */
async function running(h: RunningHost, ids: string[]): Promise<void> {
  await until(`streams ${ids.join(', ')} active`, async () => {
    const r = await h.json<Record<string, { state: string }>>('/streams')
    return ids.every((id) => r.body[id]?.state === 'running')
  }, DEADLINE_MS)
}

async function call(h: RunningHost, stream: string, body: string): Promise<unknown> {
  const r = await h.text(`/${stream}/in`, { method: 'POST', body })
  assert.equal(r.status, 200, `${stream}: ${r.body}\n${h.stderr()}`)
  return JSON.parse(r.body)
}

test('nats_kv processor: put, get, get_revision, create, update, delete, purge, history and keys with their metadata', async (t) => {
  if (!requireNats(t)) return
  const server = await startNatsServer(t)
  const c = await natsClient(t, server.url)
  const kv = await new Kvm(c.nc).create('things', { history: 10 })
  const written = 'root = {"body": content().string(), "key": @nats_kv_key, "bucket": @nats_kv_bucket, "revision": @nats_kv_revision, "op": @nats_kv_operation, "err": if errored() { error() } else { null }}'
  const read = 'root = {"body": content().string(), "key": @nats_kv_key, "bucket": @nats_kv_bucket, "revision": @nats_kv_revision, "delta": @nats_kv_delta, "op": @nats_kv_operation, "created": @nats_kv_created.type()}'
  const h = await startHost(t, {
    files: {
      'put.yaml': endpoint(server.url, 'bucket: things\noperation: put\nkey: ${! content().string().split("=").index(0) }', written),
      'create.yaml': endpoint(server.url, 'bucket: things\noperation: create\nkey: ${! content().string().split("=").index(0) }', written),
      'update.yaml': endpoint(server.url, 'bucket: things\noperation: update\nkey: a\nrevision: ${! content().string().split("@").index(1) }', written),
      'get.yaml': endpoint(server.url, 'bucket: things\noperation: get\nkey: ${! content() }', read),
      'getrev.yaml': endpoint(server.url, 'bucket: things\noperation: get_revision\nkey: a\nrevision: ${! content() }', read),
      'del.yaml': endpoint(server.url, 'bucket: things\noperation: delete\nkey: ${! content() }', written),
      'purge.yaml': endpoint(server.url, 'bucket: things\noperation: purge\nkey: ${! content() }', written),
      'hist.yaml': endpoint(server.url, 'bucket: things\noperation: history\nkey: ${! content() }', 'root = this.map_each(e -> [e.key, e.value.string(), e.revision, e.operation, e.bucket])'),
      'keys.yaml': endpoint(server.url, 'bucket: things\noperation: keys\nkey: ${! content() }', 'root = {"keys": this.sort(), "bucket": @nats_kv_bucket}'),
    },
  })
  const w = (body: string, key: string, revision: number, op = 'KeyValuePutOp', err: string | null = null) => ({ body, key, bucket: 'things', revision, op, err })

  await running(h, ['put', 'create', 'update', 'get', 'getrev', 'del', 'purge', 'hist', 'keys'])
  assert.deepEqual(await call(h, 'put', 'a=1'), w('a=1', 'a', 1))
  assert.equal(new TextDecoder().decode((await kv.get('a'))!.value), 'a=1')
  assert.deepEqual(await call(h, 'put', 'a=2'), w('a=2', 'a', 2))
  assert.deepEqual(await call(h, 'create', 'b=1'), w('b=1', 'b', 3))
  const dup = (await call(h, 'create', 'b=2')) as { err: string | null }
  assert.notEqual(dup.err, null, 'create of an existing key flags the message')
  assert.deepEqual(await call(h, 'update', 'a=3@2'), w('a=3@2', 'a', 4))
  const stale = (await call(h, 'update', 'a=4@2')) as { err: string | null }
  assert.notEqual(stale.err, null, 'update at a stale revision flags the message')

  assert.deepEqual(await call(h, 'get', 'a'), { body: 'a=3@2', key: 'a', bucket: 'things', revision: 4, delta: 0, op: 'KeyValuePutOp', created: 'timestamp' })
  assert.deepEqual(await call(h, 'getrev', '2'), { body: 'a=2', key: 'a', bucket: 'things', revision: 2, delta: 0, op: 'KeyValuePutOp', created: 'timestamp' })
  assert.deepEqual(await call(h, 'hist', 'a'), [
    ['a', 'a=1', 1, 'KeyValuePutOp', 'things'],
    ['a', 'a=2', 2, 'KeyValuePutOp', 'things'],
    ['a', 'a=3@2', 4, 'KeyValuePutOp', 'things'],
  ])
  assert.deepEqual(await call(h, 'keys', '>'), { keys: ['a', 'b'], bucket: 'things' })

  assert.deepEqual(await call(h, 'del', 'b'), w('b', 'b', 0, 'KeyValueDeleteOp'))
  assert.equal((await kv.get('b'))?.operation, 'DEL')
  const gone = await h.text('/get/in', { method: 'POST', body: 'b' })
  assert.equal(gone.status, 200)
  assert.match(gone.body, /"op":null|key not found/)
  assert.deepEqual(await call(h, 'purge', 'a'), w('a', 'a', 0, 'KeyValuePurgeOp'))
  assert.deepEqual(await call(h, 'keys', '>'), { keys: [], bucket: 'things' })
})

test('nats_kv cache as a resource: add refuses a duplicate, get reads what set wrote, across streams', async (t) => {
  if (!requireNats(t)) return
  const server = await startNatsServer(t)
  const c = await natsClient(t, server.url)
  const kv = await new Kvm(c.nc).create('cache')
  const cacheStream = (operator: string, key: string, value?: string): string => `input:
  http_server:
    path: /in
pipeline:
  processors:
    - cache:
        resource: shared
        operator: ${operator}
        key: '${key}'
${value ? `        value: '${value}'\n` : ''}    - mapping: 'root = if errored() { "error: " + error() } else { content().string() }'
output:
  sync_response: {}
`
  const h = await startHost(t, {
    args: ['-r', '{dir}/res.yaml', '{dir}/streams'],
    files: {
      'res.yaml': `cache_resources:\n  - label: shared\n    nats_kv:\n      urls: [ ${server.url} ]\n      bucket: cache\n`,
      'streams/add.yaml': cacheStream('add', '${! content() }', 'seen'),
      'streams/get.yaml': cacheStream('get', '${! content() }'),
      'streams/del.yaml': cacheStream('delete', '${! content() }'),
    },
  })
  const say = async (stream: string, body: string): Promise<string> => (await h.text(`/${stream}/in`, { method: 'POST', body })).body
  await running(h, ['add', 'get', 'del'])
  assert.equal(await say('add', 'k1'), 'k1')
  assert.equal(new TextDecoder().decode((await kv.get('k1'))!.value), 'seen')
  assert.equal(await say('add', 'k1'), 'error: key already exists: k1')
  assert.equal(await say('get', 'k1'), 'seen')
  assert.equal(await say('del', 'k1'), 'k1')
  assert.match(await say('get', 'k1'), /^error: /)
  // Deleted keys can be added again (a KV create over a delete marker).
  assert.equal(await say('add', 'k1'), 'k1')
})

test('nats_kv input watches a bucket (history, deletes, meta_only) and nats_kv output writes one', async (t) => {
  if (!requireNats(t)) return
  const server = await startNatsServer(t)
  const c = await natsClient(t, server.url)
  const kvm = new Kvm(c.nc)
  const src = await kvm.create('src', { history: 10 })
  const dst = await kvm.create('dst')
  const meta = await kvm.create('meta')
  await src.put('x', 'x1')
  await src.put('x', 'x2')
  await src.put('y', 'y1')
  const h = await startHost(t, {
    files: {
      'copy.yaml': `input:
  nats_kv:
    urls: [ ${server.url} ]
    bucket: src
    include_history: true
pipeline:
  processors:
    - mapping: 'root = [@nats_kv_key, content().string(), @nats_kv_operation, @nats_kv_bucket, @nats_kv_created.type()].join(" ")'
output:
  nats_kv:
    urls: [ ${server.url} ]
    bucket: dst
    key: '\${! @nats_kv_revision }'
`,
      'meta.yaml': `input:
  nats_kv:
    urls: [ ${server.url} ]
    bucket: src
    key: x
    ignore_deletes: true
    meta_only: true
pipeline:
  processors:
    - mapping: 'root = "%s %s %s".format(@nats_kv_key, content().string(), @nats_kv_revision.string())'
output:
  nats_kv:
    urls: [ ${server.url} ]
    bucket: meta
    key: '\${! @nats_kv_revision }'
`,
    },
  })
  const value = async (kv: typeof dst, key: string): Promise<string | undefined> => {
    const e = await kv.get(key)
    return e && e.operation === 'PUT' ? new TextDecoder().decode(e.value) : undefined
  }
  await until('history copied', async () => (await value(dst, '3')) !== undefined, DEADLINE_MS).catch((err: unknown) => {
    throw new Error(`${String(err)}\n${h.stderr()}\n${h.stdout()}`)
  })
  assert.equal(await value(dst, '1'), 'x x1 KeyValuePutOp src timestamp')
  assert.equal(await value(dst, '2'), 'x x2 KeyValuePutOp src timestamp')
  assert.equal(await value(dst, '3'), 'y y1 KeyValuePutOp src timestamp')
  // Both streams watch before the changes below (they start in parallel, each at its own time).
  await until('meta of x2', async () => (await value(meta, '2')) !== undefined, DEADLINE_MS)
  await src.delete('x')
  await src.put('x', 'x3')
  await until('the delete and the new value', async () => (await value(dst, '5')) !== undefined, DEADLINE_MS)
  assert.equal(await value(dst, '4'), 'x  KeyValueDeleteOp src timestamp')
  assert.equal(await value(dst, '5'), 'x x3 KeyValuePutOp src timestamp')

  // meta_only: empty bodies; ignore_deletes: revision 4 (the delete) never arrives.
  await until('meta of x3', async () => (await value(meta, '5')) !== undefined, DEADLINE_MS)
  assert.equal(await value(meta, '5'), 'x  5')
  assert.deepEqual((await keysOf(meta)).sort(), ['2', '5'])
})

async function keysOf(kv: { keys(): Promise<AsyncIterable<string>> }): Promise<string[]> {
  const out: string[] = []
  for await (const k of await kv.keys()) out.push(k)
  return out
}
