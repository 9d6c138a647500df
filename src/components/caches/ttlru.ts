/**
 * `ttlru` cache: an LRU of `cap` entries where each entry expires `default_ttl` after it was last
 * written (per-item TTLs are ignored, as in the reference). Reads bump recency, not expiry.
 */
import { Buffer } from 'node:buffer'
import { defineComponent, f } from '../../spec/index.js'
import type { Cache } from '../../spec/index.js'
import { durationField } from '../shared/durations.js'
import { invalid } from '../shared/field-error.js'
import { meteredCache } from '../shared/metered-cache.js'
import { policyCache } from './lru.js'
import type { LruPolicy } from '../shared/lru-policies.js'

export default defineComponent({
  kind: 'cache',
  name: 'ttlru',
  status: 'stable',
  summary: 'Stores key/value pairs in a ttlru in-memory cache. This cache is therefore reset every time the service restarts.',
  config: f.object('', [
    f.int('cap', { default: 1024, description: 'The cache maximum capacity (number of entries)' }),
    f.duration('default_ttl', { default: '5m0s', description: 'The cache ttl of each element' }),
    f.duration('ttl', { optional: true, advanced: true, deprecated: true, description: 'Deprecated. Please use `default_ttl` field' }),
    f.map(f.string('init_values', { default: {}, description: 'A table of key/value pairs that should be present in the cache on initialization. This can be used to create static lookup tables.' })),
    f.bool('optimistic', { default: false, advanced: true, description: 'If true, we do not lock on read/write events. The ttlru package is thread-safe, however the ADD operation is not atomic.' }),
  ]),
  examples: [
    {
      title: 'Entries for five minutes',
      config: `pipeline:
  processors:
    - cache:
        resource: foocache
        operator: get
        key: '\${! content() }'
cache_resources:
  - label: foocache
    ttlru:
      default_ttl: '5m'
      cap: 1024
      init_values:
        foo: bar
`,
      // A key it holds is replaced by its value; a miss leaves the message as it was, flagged.
      input: ['foo', 'baz'],
      output: ['bar', 'baz'],
    },
  ],
  build: (c, ctx): Cache => {
    let ttlMs: number
    if (c.ttl !== undefined) {
      ttlMs = durationField('ttl', c.ttl)
      ctx.logger.warn(`field "ttl" is deprecated, please use "default_ttl"`)
    } else ttlMs = durationField('default_ttl', c.default_ttl)
    if (c.cap <= 0) throw invalid('cap', 'invalid ttlru cache parameter capacity: must be bigger than 0')
    if (ttlMs <= 0) throw invalid('default_ttl', 'invalid ttlru cache parameter default_ttl: must be bigger than 0s')
    const lru = new ExpiringLru(c.cap, ttlMs)
    for (const [k, v] of Object.entries(c.init_values)) lru.add(k, Buffer.from(String(v)))
    return meteredCache(policyCache(lru), ctx)
  },
})

class ExpiringLru implements LruPolicy {
  readonly #items = new Map<string, { value: Uint8Array; expires: number }>()
  readonly #cap: number
  readonly #ttlMs: number

  constructor(cap: number, ttlMs: number) {
    this.#cap = cap
    this.#ttlMs = ttlMs
  }

  get(key: string): Uint8Array | undefined {
    const e = this.#live(key)
    if (!e) return undefined
    this.#items.delete(key)
    this.#items.set(key, e)
    return e.value
  }

  peek(key: string): Uint8Array | undefined {
    return this.#live(key)?.value
  }

  add(key: string, value: Uint8Array): void {
    this.#items.delete(key)
    this.#items.set(key, { value, expires: performance.now() + this.#ttlMs })
    if (this.#items.size > this.#cap) this.#items.delete(this.#items.keys().next().value!)
  }

  remove(key: string): void {
    this.#items.delete(key)
  }

  #live(key: string): { value: Uint8Array; expires: number } | undefined {
    const e = this.#items.get(key)
    if (!e) return undefined
    if (e.expires <= performance.now()) {
      this.#items.delete(key)
      return undefined
    }
    return e
  }
}
