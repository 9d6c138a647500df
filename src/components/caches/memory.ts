/**
 * `memory` cache (spec components §8.2): entries with a TTL (`default_ttl` unless given), expired
 * lazily on `get` and removed by a compaction that runs on writes at most once per
 * `compaction_interval` ("" disables expiry). `init_values` never expire. `add` checks existence
 * before compacting and ignores expiry, as the reference does. Built on the main thread and
 * shared by every stream through the resource host, so it keeps no worker state.
 */
import { Buffer } from 'node:buffer'
import { defineComponent, f } from '../../spec/index.js'
import type { Cache, ComponentContext } from '../../spec/index.js'
import { durationField } from '../shared/durations.js'
import { invalid } from '../shared/field-error.js'


interface Item {
  value: Uint8Array
  /** performance.now() deadline; undefined = never expires. */
  expires: number | undefined
}

export default defineComponent({
  kind: 'cache',
  name: 'memory',
  status: 'stable',
  summary: 'Stores key/value pairs in a map held in memory. This cache is therefore reset every time the service restarts.',
  config: f.object('', [
    f.duration('default_ttl', { default: '5m', description: 'The default TTL of each item. After this period an item will be eligible for removal during the next compaction.' }),
    f.string('compaction_interval', { default: '60s', description: 'The period of time to wait before each compaction, at which point expired items are removed. This field can be set to an empty string in order to disable compactions/expiry entirely.' }),
    f.map(f.string('init_values', { default: {}, description: 'A table of key/value pairs that should be present in the cache on initialization.' })),
    f.int('shards', { default: 1, advanced: true, description: 'A number of logical shards to spread keys across, increasing the shards can have a performance benefit when processing a large number of keys.' }),
  ]),
  build: (c, ctx): Cache => {
    const ttlMs = durationField('default_ttl', c.default_ttl)
    const compactMs = c.compaction_interval === '' ? undefined : durationField('compaction_interval', c.compaction_interval)
    if (c.shards <= 0) throw invalid('shards', `expected >=1 shards, found: ${c.shards}`)
    return new MemoryCache(ttlMs, compactMs, c.init_values ?? {}, ctx)
  },
})

/** Cache failures the `cache` processor and others match on by message. */
export const KEY_EXISTS = 'key already exists'

class MemoryCache implements Cache {
  readonly #items = new Map<string, Item>()
  readonly #ttlMs: number
  readonly #compactMs: number | undefined
  #lastCompaction = performance.now()
  readonly #m

  constructor(ttlMs: number, compactMs: number | undefined, init: Record<string, string>, ctx: ComponentContext) {
    this.#ttlMs = ttlMs
    this.#compactMs = compactMs
    for (const [k, v] of Object.entries(init)) this.#items.set(k, { value: Buffer.from(String(v)), expires: undefined })
    const m = ctx.metrics
    this.#m = {
      success: m.counter('cache_success', ['operation']),
      error: m.counter('cache_error', ['operation']),
      notFound: m.counter('cache_not_found', ['operation']),
      duplicate: m.counter('cache_duplicate', ['operation']),
      latency: m.timer('cache_latency_ns', ['operation']),
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const started = performance.now()
    const item = this.#items.get(key)
    const live = item && (item.expires === undefined || this.#compactMs === undefined || item.expires > performance.now()) ? item : undefined
    this.#observe('get', started)
    if (!live) {
      this.#m.notFound.inc(1, ['get'])
      return undefined
    }
    this.#m.success.inc(1, ['get'])
    return live.value
  }

  async set(key: string, value: Uint8Array, ttlMs?: number): Promise<void> {
    const started = performance.now()
    this.#compact()
    this.#items.set(key, { value, expires: performance.now() + (ttlMs ?? this.#ttlMs) })
    this.#observe('set', started)
    this.#m.success.inc(1, ['set'])
  }

  async add(key: string, value: Uint8Array, ttlMs?: number): Promise<void> {
    const started = performance.now()
    if (this.#items.has(key)) {
      this.#observe('add', started)
      this.#m.duplicate.inc(1, ['add'])
      throw new Error(KEY_EXISTS)
    }
    this.#compact()
    this.#items.set(key, { value, expires: performance.now() + (ttlMs ?? this.#ttlMs) })
    this.#observe('add', started)
    this.#m.success.inc(1, ['add'])
  }

  async delete(key: string): Promise<void> {
    const started = performance.now()
    this.#compact()
    this.#items.delete(key)
    this.#observe('delete', started)
    this.#m.success.inc(1, ['delete'])
  }

  async close(): Promise<void> {
    this.#items.clear()
  }

  #observe(op: string, started: number): void {
    this.#m.latency.observe(Math.round((performance.now() - started) * 1e6), [op])
  }

  #compact(): void {
    if (this.#compactMs === undefined) return
    const now = performance.now()
    if (now - this.#lastCompaction < this.#compactMs) return
    this.#lastCompaction = now
    for (const [k, item] of this.#items) if (item.expires !== undefined && item.expires <= now) this.#items.delete(k)
  }
}
