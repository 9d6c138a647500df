/**
 * `nats_kv` cache (the reference's `cache_kv.go`): get/set/add/delete on a NATS KV bucket, which
 * must exist. As in the reference, TTLs are ignored (a bucket has one `max_age` for all keys, set
 * where the bucket is created); `add` is a KV create, failing with the duplicate error when the
 * key holds a value. As a cache resource it lives on the main thread, so every stream using it
 * shares one connection.
 */
import { defineComponent, f, type Cache } from '../../spec/index.js'
import { KEY_EXISTS } from '../shared/cache-errors.js'
import { meteredCache } from '../shared/metered-cache.js'
import { connectionHeadFields, connectionTailFields } from './connection.js'
import { bucketField, KvHandle, kvSettings } from './kv.js'

export default defineComponent({
  kind: 'cache',
  name: 'nats_kv',
  status: 'stable',
  summary: 'Cache key/values in a NATS key-value bucket.',
  config: f.object('', [...connectionHeadFields, bucketField, ...connectionTailFields]),
  build: (c, ctx): Cache => {
    const handle = new KvHandle(kvSettings(c, ctx), ctx)
    const inner: Cache = {
      async get(key) {
        const e = await (await handle.open()).get(key)
        return e && e.operation === 'PUT' ? e.value : undefined
      },
      async set(key, value) {
        await (await handle.open()).put(key, value)
      },
      async add(key, value) {
        const kv = await handle.open()
        try {
          await kv.create(key, value)
        } catch (err) {
          // A create refused because the key holds a value is the cache's duplicate error.
          const cur = await kv.get(key).catch(() => null)
          if (cur && cur.operation === 'PUT') throw new Error(KEY_EXISTS)
          throw err
        }
      },
      async delete(key) {
        await (await handle.open()).delete(key)
      },
      close: () => handle.close(),
    }
    return meteredCache(inner, ctx)
  },
})
