/**
 * `cache` output (spec components §7): stores each message in a cache resource under an
 * interpolated key (and optional TTL). A batch is written item by item; the first failure nacks it.
 */
import { compileInterpolation } from '../../bloblang/index.js'
import { weirError } from '../../errors.js'
import type { Batch } from '../../message/message.js'
import { parseDuration } from '../../config/duration.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Output } from '../../spec/index.js'
import { atField, invalid } from '../shared/field-error.js'
import { checkMaxInFlight, maxInFlightField } from '../shared/max-in-flight.js'

export default defineComponent({
  kind: 'output',
  name: 'cache',
  status: 'stable',
  summary: 'Stores each message in a cache.',
  config: f.object('', [
    f.string('target', { description: 'The target cache to store messages in.' }),
    f.interp('key', {
      default: '\${!count("items")}-\${!timestamp_unix_nano()}',
      description: 'The key to store messages by, function interpolation should be used in order to derive a unique key for each message.',
    }),
    f.interp('ttl', { optional: true, advanced: true, description: 'The TTL of each individual item as a duration string.' }),
    maxInFlightField(64),
  ]),
  examples: [
    {
      title: 'Store documents by id',
      config: `output:
  cache:
    target: docs
    key: \${!json("document.id")}
cache_resources:
  - label: docs
    file:
      directory: ./data
`,
      input: ['{"document":{"id":"b","v":1}}', '{"document":{"id":"a","v":2}}'],
      // One file per key (the file cache), in name order.
      output: ['{"document":{"id":"a","v":2}}', '{"document":{"id":"b","v":1}}'],
    },
  ],
  build: (c, ctx): Output => {
    const key = atField('key', () => compileInterpolation(c.key))
    const ttl = atField('ttl', () => compileInterpolation(c.ttl ?? ''))
    checkMaxInFlight(c.max_in_flight)
    if (!ctx.resources.hasCache(c.target)) throw weirError('RESOURCE_NOT_FOUND', `cache resource '${c.target}' was not found`)
    const cache = ctx.resources.cache(c.target)
    return {
      maxInFlight: c.max_in_flight,
      connect: async () => {},
      connected: () => true,
      close: async () => {},
      write: async (batch: Batch) => {
        for (let i = 0; i < batch.length; i++) {
          let k: string, t: string
          try {
            t = ttl.string(batch, i)
          } catch (err) {
            throw new Error(`ttl interpolation error: ${err instanceof Error ? err.message : String(err)}`)
          }
          let ttlMs: number | undefined
          if (t !== '') {
            ttlMs = parseDuration(t)
            if (ttlMs === undefined) throw new Error(`ttl field: time: invalid duration "${t}"`)
          }
          try {
            k = key.string(batch, i)
          } catch (err) {
            throw new Error(`key interpolation error: ${err instanceof Error ? err.message : String(err)}`)
          }
          await cache.set(k, batch[i]!.bytes(), ttlMs)
        }
      },
    }
  },
})
