import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createRegistry, defaultRegistry, BUILTIN_SPECS } from '../../src/components/registry.js'
import { ResourceHost } from '../../src/supervisor/resource-host.js'
import { WorkerMetrics } from '../../src/metrics/worker-metrics.js'
import { createLogger } from '../../src/util/logger.js'
import { WeirError } from '../../src/errors.js'
import { END_OF_INPUT, type Cache, type Resources } from '../../src/spec/index.js'
import { startStream, buildError, localResources, settings, tempDir, until, deadline } from '../stream/harness.js'
import { TEST_SPECS, capture, acks } from '../stream/test-components.js'

const registry = createRegistry([...BUILTIN_SPECS, ...TEST_SPECS])
const text = async (c: Cache, k: string): Promise<string | undefined> => {
  const v = await c.get(k)
  return v === undefined ? undefined : Buffer.from(v).toString()
}
const put = (c: Cache, k: string, v = k): Promise<void> => c.set(k, Buffer.from(v))

/** A host-wide resource set the test can also replace resources in. */
function host(): { host: ResourceHost; resources: Resources } {
  const metrics = new WorkerMetrics('', { mapping: '', useHistogramTiming: false, histogramBuckets: [], summaryQuantiles: [] })
  const h = new ResourceHost(registry, createLogger(settings('OFF'), {}), (p, l) => metrics.view(p, l))
  return { host: h, resources: h.local }
}

test('lru: standard evicts the least recently used, arc and two_queues keep entries used twice', async () => {
  const res = await localResources(defaultRegistry(), {
    cache: {
      std2: { lru: { cap: 2 } },
      arc2: { lru: { cap: 2, algorithm: 'arc' } },
      std4: { lru: { cap: 4 } },
      tq4: { lru: { cap: 4, algorithm: 'two_queues' } },
      seeded: { lru: { init_values: { foo: 'bar' } } },
    },
  })
  for (const name of ['std2', 'arc2']) {
    const c = res.cache(name)
    await put(c, 'a')
    await c.get('a')
    await put(c, 'b')
    await put(c, 'c')
    assert.equal(await text(c, 'c'), 'c', name)
    assert.equal(await text(c, 'a'), name === 'arc2' ? 'a' : undefined, name)
  }
  for (const name of ['std4', 'tq4']) {
    const c = res.cache(name)
    for (const k of ['a', 'b']) await put(c, k)
    for (const k of ['a', 'b']) await c.get(k)
    for (const k of ['c', 'd', 'e', 'f']) await put(c, k)
    const kept = name === 'tq4' ? ['a', 'b'] : [undefined, undefined]
    assert.deepEqual([await text(c, 'a'), await text(c, 'b')], kept, name)
    assert.equal(await text(c, 'f'), 'f')
  }
  const seeded = res.cache('seeded')
  assert.equal(await text(seeded, 'foo'), 'bar')
  await assert.rejects(seeded.add('foo', Buffer.from('x')), /^Error: key already exists$/)
  await seeded.delete('foo')
  await seeded.add('foo', Buffer.from('x'))
  assert.equal(await text(seeded, 'foo'), 'x')
  await assert.rejects(localResources(defaultRegistry(), { cache: { c: { lru: { cap: 0 } } } }), /invalid lru cache parameter capacity: must be bigger than 0/)
  await assert.rejects(
    localResources(defaultRegistry(), { cache: { c: { lru: { algorithm: 'lfu' } } } }),
    /algorithm "lfu" not supported. the supported values are "standard", "arc" and "two_queues"/,
  )
})

test('ttlru: entries expire default_ttl after their last write, the oldest goes past cap', async () => {
  const res = await localResources(defaultRegistry(), { cache: { t: { ttlru: { default_ttl: '150ms', cap: 2 } }, big: { ttlru: { cap: 3, init_values: { k: 'v' } } } } })
  const t = res.cache('t')
  await put(t, 'a')
  await assert.rejects(t.add('a', Buffer.from('x')), /key already exists/)
  assert.equal(await text(t, 'a'), 'a')
  await until('a to expire', async () => (await text(t, 'a')) === undefined, 5000)
  await t.add('a', Buffer.from('again'))
  assert.equal(await text(t, 'a'), 'again')
  const big = res.cache('big')
  assert.equal(await text(big, 'k'), 'v')
  for (const k of ['x', 'y', 'z']) await put(big, k)
  assert.equal(await text(big, 'k'), undefined)
  await assert.rejects(localResources(defaultRegistry(), { cache: { c: { ttlru: { default_ttl: '0s' } } } }), /invalid ttlru cache parameter default_ttl: must be bigger than 0s/)
})

test('noop misses every get; file stores items as files under its directory', async (t) => {
  const dir = tempDir(t)
  const res = await localResources(defaultRegistry(), { cache: { n: { noop: {} }, f: { file: { directory: dir } } } })
  const n = res.cache('n')
  await put(n, 'a')
  await n.add('a', Buffer.from('b'))
  assert.equal(await text(n, 'a'), undefined)
  const f = res.cache('f')
  await put(f, 'item', 'content')
  assert.equal(readFileSync(join(dir, 'item'), 'utf8'), 'content')
  assert.equal(await text(f, 'item'), 'content')
  assert.equal(await text(f, 'missing'), undefined)
  await assert.rejects(f.add('item', Buffer.from('x')), /^Error: key already exists$/)
  await f.add('other', Buffer.from('y'))
  await f.delete('item')
  assert.equal(existsSync(join(dir, 'item')), false)
  await assert.rejects(f.delete('item'), /ENOENT/)
})

test('multilevel reads through its levels, copying a lower hit into the upper levels', async () => {
  const res = await localResources(defaultRegistry(), {
    cache: { hot: { memory: {} }, cold: { memory: {} }, both: { multilevel: ['hot', 'cold'] } },
  })
  const both = res.cache('both')
  await put(res.cache('cold'), 'k', 'deep')
  assert.equal(await text(res.cache('hot'), 'k'), undefined)
  assert.equal(await text(both, 'k'), 'deep')
  assert.equal(await text(res.cache('hot'), 'k'), 'deep')
  await assert.rejects(both.add('k', Buffer.from('x')), /key already exists/)
  await both.add('n', Buffer.from('new'))
  assert.deepEqual([await text(res.cache('hot'), 'n'), await text(res.cache('cold'), 'n')], ['new', 'new'])
  await both.delete('n')
  assert.equal(await text(res.cache('cold'), 'n'), undefined)
  await assert.rejects(localResources(defaultRegistry(), { cache: { one: { multilevel: ['hot'] } } }), /expected at least two cache levels, found 1/)
})

test('cache processor: add flags duplicates, get replaces content or flags a miss, exists answers a boolean', async (t) => {
  const name = 'cache-proc'
  const h = await startStream(
    t,
    {
      input: { acking: { name, messages: ['a', 'b', 'a', 'zz'] } },
      pipeline: {
        processors: [
          { cache: { resource: 'seen', operator: 'add', key: '${! content() }', value: 'x' } },
          { cache: { resource: 'lookup', operator: 'get', key: '${! content() }' } },
        ],
      },
      output: { capture: { name } },
    },
    { extraSpecs: TEST_SPECS, resources: { cache: { seen: { memory: {} }, lookup: { memory: { init_values: { a: 'A', b: 'B' } } } } } },
  )
  await deadline(h.stream.finished, 10_000, 'stream to finish')
  assert.deepEqual(capture(name).texts, ['A', 'B', 'A', 'zz'])
  assert.deepEqual(capture(name).errors, ['', '', 'key already exists: a', "operator failed for key 'zz': key does not exist"])

  const ex = 'cache-exists'
  const h2 = await startStream(
    t,
    {
      input: { acking: { name: ex, messages: ['a', 'q'] } },
      pipeline: { processors: [{ cache: { resource: 'c', operator: 'exists', key: '${! content() }' } }, { cache: { resource: 'c', operator: 'set', key: 'k', value: 'v', ttl: 'soon' } }] },
      output: { capture: { name: ex } },
    },
    { extraSpecs: TEST_SPECS, resources: { cache: { c: { memory: { init_values: { a: '1' } } } } } },
  )
  await deadline(h2.stream.finished, 10_000, 'stream to finish')
  assert.deepEqual(capture(ex).texts, ['true', 'false'])
  assert.deepEqual(capture(ex).errors, Array(2).fill('ttl must be a duration: time: invalid duration "soon"'))

  const err = await buildError({ input: { generate: { mapping: 'root = 1' } }, pipeline: { processors: [{ cache: { resource: 'nope', operator: 'get', key: 'k' } }] } })
  assert.ok(err instanceof WeirError)
  assert.deepEqual([err.data.code, err.data.message, err.data.path], ['RESOURCE_NOT_FOUND', "cache resource 'nope' was not found", 'pipeline.processors[0].cache'])
})

test('cache output stores each message under its interpolated key', async (t) => {
  const { resources, host: rh } = host()
  rh.declare('cache', 'store', { memory: {} })
  const name = 'cache-out'
  const h = await startStream(
    t,
    { input: { acking: { name, messages: ['x', 'y'] } }, output: { cache: { target: 'store', key: '${! content() }-key' } } },
    { extraSpecs: TEST_SPECS, sharedResources: resources },
  )
  await deadline(h.stream.finished, 10_000, 'stream to finish')
  assert.deepEqual(acks.get(name), ['x:ok', 'y:ok'])
  assert.equal(await text(resources.cache('store'), 'x-key'), 'x')
  assert.equal(await text(resources.cache('store'), 'y-key'), 'y')
})

test('unknown resources fail the build with the reference messages', async () => {
  const cases: [Record<string, unknown>, string, string][] = [
    [{ input: { resource: 'in' } }, "input resource 'in' was not found", 'input.resource'],
    [{ input: { generate: { mapping: 'root = 1' } }, output: { resource: 'out' } }, "output resource 'out' was not found", 'output.resource'],
    [{ input: { generate: { mapping: 'root = 1' } }, pipeline: { processors: [{ resource: 'p' }] } }, "processor resource 'p' was not found", 'pipeline.processors[0].resource'],
    [{ input: { generate: { mapping: 'root = 1' } }, pipeline: { processors: [{ rate_limit: { resource: 'r' } }] } }, "rate limit resource 'r' was not found", 'pipeline.processors[0].rate_limit'],
    [{ input: { generate: { mapping: 'root = 1' } }, output: { cache: { target: 'c' } } }, "cache resource 'c' was not found", 'output.cache'],
  ]
  for (const [conf, message, path] of cases) {
    const err = await buildError(conf)
    assert.ok(err instanceof WeirError)
    assert.deepEqual([err.data.message, err.data.path], [message, path])
  }
})

test('an input resource read by two streams hands each message to exactly one of them', async (t) => {
  const { resources, host: rh } = host()
  rh.declare('input', 'gen', { generate: { count: 60, interval: '2ms', mapping: 'root = counter()' } })
  const a = await startStream(t, { input: { resource: 'gen' }, output: { capture: { name: 'share-a' } } }, { id: 'a', extraSpecs: TEST_SPECS, sharedResources: resources })
  const b = await startStream(t, { input: { resource: 'gen' }, output: { capture: { name: 'share-b' } } }, { id: 'b', extraSpecs: TEST_SPECS, sharedResources: resources })
  await deadline(Promise.all([a.stream.finished, b.stream.finished]), 20_000, 'both streams to finish')
  const got = [...capture('share-a').texts, ...capture('share-b').texts].map(Number).sort((x, y) => x - y)
  assert.deepEqual(got, Array.from({ length: 60 }, (_, i) => i + 1))
  assert.ok(capture('share-a').texts.length > 0 && capture('share-b').texts.length > 0, 'both streams got messages')
  await rh.close()
})

test('an output resource written by two streams acks (and nacks) each write back to its stream', async (t) => {
  const { resources, host: rh } = host()
  rh.declare('output', 'sink', { capture: { name: 'shared-sink', fail_first: 1, error: 'first write refused' } })
  const one = await startStream(t, { input: { acking: { name: 'w1', messages: ['1a', '1b'] } }, output: { resource: 'sink' } }, { id: 'w1', extraSpecs: TEST_SPECS, sharedResources: resources })
  const two = await startStream(t, { input: { acking: { name: 'w2', messages: ['2a', '2b'] } }, output: { resource: 'sink' } }, { id: 'w2', extraSpecs: TEST_SPECS, sharedResources: resources })
  await deadline(Promise.all([one.stream.finished, two.stream.finished]), 20_000, 'both streams to finish')
  const all = [...acks.get('w1')!, ...acks.get('w2')!]
  // Each stream's acks name only its own messages; the one refused write came back as a nack.
  assert.ok(acks.get('w1')!.every((a) => a.startsWith('1')) && acks.get('w2')!.every((a) => a.startsWith('2')))
  assert.equal(all.filter((a) => a.endsWith(':first write refused')).length, 1, all.join(', '))
  assert.deepEqual([...capture('shared-sink').texts].sort(), ['1a', '1b', '2a', '2b'].filter((m) => all.includes(`${m}:ok`)).sort())
})

test('a component holding an input resource stops watching its connection once closed', async () => {
  const { resources, host: rh } = host()
  const gen = { generate: { interval: '1ms', mapping: 'root = counter()' } }
  rh.declare('input', 'gen', gen)
  // What an outer resource (a broker of `resource: gen`, say) holds; replacing the outer one closes it.
  const holder = resources.input('gen')
  let changes = 0
  holder.watchConnection!(() => changes++)
  const abort = new AbortController()
  const readOne = async (): Promise<void> => {
    const r = await deadline(holder.read(abort.signal), 10_000, 'a message from the resource')
    assert.ok(r !== END_OF_INPUT)
    r.ack()
  }
  await readOne()
  // A replacement takes the shared input down until the new source connects: the holder hears it.
  assert.deepEqual(await rh.replace('input', 'gen', gen), { ok: true })
  assert.equal(changes, 1)
  await readOne()
  assert.equal(changes, 2, 'reconnected')
  await holder.close()
  assert.deepEqual(await rh.replace('input', 'gen', gen), { ok: true })
  await readOne()
  assert.equal(changes, 2, 'a closed holder is no longer called (nor kept reachable)')
  abort.abort()
  await rh.close()
})

test('inproc: an output in one stream feeds the inproc input of another and gets its acks', async (t) => {
  const { resources } = host()
  const reader = await startStream(t, { input: { inproc: 'pipe' }, output: { capture: { name: 'inproc-read' } } }, { id: 'reader', extraSpecs: TEST_SPECS, sharedResources: resources })
  const writer = await startStream(t, { input: { acking: { name: 'inproc-w', messages: ['p', 'q', 'r'] } }, output: { inproc: 'pipe' } }, { id: 'writer', extraSpecs: TEST_SPECS, sharedResources: resources })
  await deadline(writer.stream.finished, 10_000, 'writer to finish')
  assert.deepEqual(acks.get('inproc-w'), ['p:ok', 'q:ok', 'r:ok'])
  assert.deepEqual(capture('inproc-read').texts, ['p', 'q', 'r'])
  assert.equal(reader.stream.statuses().every((s) => s.connected), true)
})

test('a replaced processor resource takes effect on the next batch of a running stream', async (t) => {
  const { resources, host: rh } = host()
  rh.declare('processor', 'stamp', { mapping: 'root = "v1"' })
  await startStream(t, { input: { generate: { interval: '5ms', mapping: 'root = ""' } }, pipeline: { processors: [{ resource: 'stamp' }] }, output: { capture: { name: 'stamped' } } }, { extraSpecs: TEST_SPECS, sharedResources: resources })
  await until('v1 output', () => capture('stamped').texts.includes('v1'))
  const r = await rh.replace('processor', 'stamp', { mapping: 'root = "v2"' })
  assert.deepEqual(r, { ok: true })
  await until('v2 output', () => capture('stamped').texts.includes('v2'))
  const texts = capture('stamped').texts
  assert.deepEqual(texts.slice(texts.indexOf('v2')).filter((x) => x !== 'v2'), [], 'no v1 after the first v2')
})

test('the default registry holds the resource, inproc and cache components', () => {
  const r = defaultRegistry()
  const has = (kind: Parameters<typeof r.names>[0], names: string[]): string[] => names.filter((n) => r.names(kind).includes(n))
  assert.deepEqual(has('input', ['inproc', 'resource']), ['inproc', 'resource'])
  assert.deepEqual(has('output', ['cache', 'inproc', 'resource']), ['cache', 'inproc', 'resource'])
  assert.deepEqual(has('processor', ['cache', 'rate_limit', 'resource']), ['cache', 'rate_limit', 'resource'])
  assert.deepEqual(has('cache', ['file', 'lru', 'memory', 'multilevel', 'noop', 'ttlru']), ['file', 'lru', 'memory', 'multilevel', 'noop', 'ttlru'])
})
