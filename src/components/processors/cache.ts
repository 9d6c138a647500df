/**
 * `cache` processor (spec components §6): runs one operation (`set`, `add`, `get`, `delete`,
 * `exists`) against a cache resource per message, with interpolated key, value and TTL. Failures
 * flag the message; `get` replaces the content with the cached bytes, `exists` with a boolean.
 */
import { compileInterpolation } from '../../bloblang/index.js'
import { weirError } from '../../errors.js'
import type { Batch, Message } from '../../message/message.js'
import { parseDuration } from '../../config/duration.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Cache, Processor } from '../../spec/index.js'
import { atField, invalid } from '../shared/field-error.js'
import { errorFlagger } from '../shared/processor-error.js'
import { isKeyExists, KEY_NOT_FOUND } from '../shared/cache-errors.js'

const OPERATORS = ['set', 'add', 'get', 'delete', 'exists'] as const

export default defineComponent({
  kind: 'processor',
  name: 'cache',
  status: 'stable',
  summary: 'Performs operations against a cache resource for each message, allowing you to store or retrieve data within message payloads.',
  config: f.object('', [
    f.string('resource', { description: 'The `cache` resource to target with this processor.' }),
    f.string('operator', { options: OPERATORS, description: 'The operation to perform with the cache.' }),
    f.interp('key', { description: 'A key to use with the cache.' }),
    f.interp('value', { optional: true, description: 'A value to use with the cache (when applicable).' }),
    f.interp('ttl', {
      optional: true,
      advanced: true,
      description: 'The TTL of each individual item as a duration string. After this period an item will be eligible for removal during the next compaction.',
    }),
  ]),
  examples: [
    {
      title: 'Deduplication',
      config: `pipeline:
  processors:
    - cache:
        resource: foocache
        operator: add
        key: '\${! json("message.id") }'
        value: storeme
    - mapping: root = if errored() { deleted() }
cache_resources:
  - label: foocache
    memory: {}
`,
      input: ['{"message":{"id":"a"}}', '{"message":{"id":"b"}}', '{"message":{"id":"a"}}'],
      output: ['{"message":{"id":"a"}}', '{"message":{"id":"b"}}'],
    },
  ],
  build: (c, ctx): Processor => {
    if (c.resource === '') throw invalid('resource', 'cache name must be specified')
    if (!(OPERATORS as readonly string[]).includes(c.operator)) throw invalid('operator', `operator not recognised: ${c.operator}`)
    const key = atField('key', () => compileInterpolation(c.key))
    const value = atField('value', () => compileInterpolation(c.value ?? ''))
    const ttl = atField('ttl', () => compileInterpolation(c.ttl ?? ''))
    if (!ctx.resources.hasCache(c.resource)) throw weirError('RESOURCE_NOT_FOUND', `cache resource '${c.resource}' was not found`)
    const cache = ctx.resources.cache(c.resource)
    const flag = errorFlagger(ctx, 'cache')
    const op = c.operator as (typeof OPERATORS)[number]

    const one = async (batch: Batch, i: number, msg: Message): Promise<void> => {
      let k: string, v: Uint8Array, t: string
      try {
        k = key.string(batch, i)
      } catch (err) {
        return flag(msg, `key interpolation error: ${errText(err)}`)
      }
      try {
        v = value.bytes(batch, i)
      } catch (err) {
        return flag(msg, `value interpolation error: ${errText(err)}`)
      }
      try {
        t = ttl.string(batch, i)
      } catch (err) {
        return flag(msg, `ttl interpolation error: ${errText(err)}`)
      }
      let ttlMs: number | undefined
      if (t !== '') {
        ttlMs = parseDuration(t)
        if (ttlMs === undefined) return flag(msg, `ttl must be a duration: time: invalid duration "${t}"`)
      }
      try {
        await apply(op, cache, k, v, ttlMs, msg)
      } catch (err) {
        flag(msg, isKeyExists(err) ? `key already exists: ${k}` : `operator failed for key '${k}': ${errText(err)}`)
      }
    }

    return {
      process: async (batch: Batch): Promise<Batch[]> => {
        for (let i = 0; i < batch.length; i++) await one(batch, i, batch[i]!)
        return [batch]
      },
      close: async () => {},
    }
  },
})

async function apply(op: (typeof OPERATORS)[number], cache: Cache, key: string, value: Uint8Array, ttlMs: number | undefined, msg: Message): Promise<void> {
  switch (op) {
    case 'set':
      return cache.set(key, value, ttlMs)
    case 'add':
      return cache.add(key, value, ttlMs)
    case 'delete':
      return cache.delete(key)
    case 'get': {
      const got = await cache.get(key)
      if (got === undefined) throw new Error(KEY_NOT_FOUND)
      msg.setBytes(got)
      return
    }
    case 'exists': {
      let found: boolean
      try {
        found = (await cache.get(key)) !== undefined
      } catch {
        found = false
      }
      msg.setStructured(found)
      return
    }
  }
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
