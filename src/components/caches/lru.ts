/**
 * `lru` cache: a fixed number of entries with `standard`, `two_queues` or `arc` eviction
 * (shared/lru-policies.ts). One instance on the main thread serves every stream, so `optimistic`
 * (skip locking in Go) changes nothing here: operations never interleave.
 */
import { Buffer } from 'node:buffer'
import { defineComponent, f } from '../../spec/index.js'
import type { Cache } from '../../spec/index.js'
import { invalid } from '../shared/field-error.js'
import { KEY_EXISTS } from '../shared/cache-errors.js'
import { meteredCache } from '../shared/metered-cache.js'
import { ArcLru, StandardLru, TwoQueueLru, type LruPolicy } from '../shared/lru-policies.js'

const ALGORITHMS = ['standard', 'arc', 'two_queues'] as const

export default defineComponent({
  kind: 'cache',
  name: 'lru',
  status: 'stable',
  summary: 'Stores key/value pairs in a lru in-memory cache. This cache is therefore reset every time the service restarts.',
  config: f.object('', [
    f.int('cap', { default: 1000, description: 'The cache maximum capacity (number of entries)' }),
    f.map(f.string('init_values', { default: {}, description: 'A table of key/value pairs that should be present in the cache on initialization. This can be used to create static lookup tables.' })),
    f.string('algorithm', { default: 'standard', options: ALGORITHMS, advanced: true, description: 'the lru cache implementation' }),
    f.float('two_queues_recent_ratio', { default: 0.25, advanced: true, description: 'is the ratio of the two_queues cache dedicated to recently added entries that have only been accessed once.' }),
    f.float('two_queues_ghost_ratio', { default: 0.5, advanced: true, description: 'is the default ratio of ghost entries kept to track entries recently evicted on two_queues cache.' }),
    f.bool('optimistic', { default: false, advanced: true, description: 'If true, we do not lock on read/write events. The lru package is thread-safe, however the ADD operation is not atomic.' }),
  ]),
  examples: [
    {
      title: 'Static lookup table',
      config: `pipeline:
  processors:
    - cache:
        resource: foocache
        operator: get
        key: '\${! content() }'
cache_resources:
  - label: foocache
    lru:
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
    if (c.cap <= 0) throw invalid('cap', 'invalid lru cache parameter capacity: must be bigger than 0')
    let policy: LruPolicy
    switch (c.algorithm) {
      case 'standard':
        policy = new StandardLru(c.cap)
        break
      case 'arc':
        policy = new ArcLru(c.cap)
        break
      case 'two_queues':
        try {
          policy = new TwoQueueLru(c.cap, c.two_queues_recent_ratio, c.two_queues_ghost_ratio)
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err)
          throw invalid(message.includes('ghost') ? 'two_queues_ghost_ratio' : 'two_queues_recent_ratio', message)
        }
        break
      default:
        throw invalid('algorithm', `algorithm "${c.algorithm}" not supported. the supported values are "standard", "arc" and "two_queues"`)
    }
    for (const [k, v] of Object.entries(c.init_values)) policy.add(k, Buffer.from(String(v)))
    return meteredCache(policyCache(policy), ctx)
  },
})

/** The cache operations over an eviction policy (shared with `ttlru`). */
export function policyCache(p: LruPolicy): Cache {
  return {
    get: async (key) => p.get(key),
    set: async (key, value) => p.add(key, value),
    add: async (key, value) => {
      if (p.peek(key) !== undefined) throw new Error(KEY_EXISTS)
      p.add(key, value)
    },
    delete: async (key) => p.remove(key),
    close: async () => {},
  }
}
