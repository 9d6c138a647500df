/**
 * The reference's cache metrics around any cache: `cache_success`, `cache_error`,
 * `cache_not_found`, `cache_duplicate` and `cache_latency_ns`, each by `operation`.
 */
import type { Cache, ComponentContext } from '../../spec/index.js'
import { isKeyExists } from './cache-errors.js'

export function meteredCache(inner: Cache, ctx: ComponentContext): Cache {
  const m = ctx.metrics
  const success = m.counter('cache_success', ['operation'])
  const error = m.counter('cache_error', ['operation'])
  const notFound = m.counter('cache_not_found', ['operation'])
  const duplicate = m.counter('cache_duplicate', ['operation'])
  const latency = m.timer('cache_latency_ns', ['operation'])
  const timed = async <T>(op: string, fn: () => Promise<T>): Promise<T> => {
    const started = performance.now()
    try {
      const v = await fn()
      if (op === 'get' && v === undefined) notFound.inc(1, [op])
      else success.inc(1, [op])
      return v
    } catch (err) {
      if (isKeyExists(err)) duplicate.inc(1, [op])
      else error.inc(1, [op])
      throw err
    } finally {
      latency.observe(Math.round((performance.now() - started) * 1e6), [op])
    }
  }
  return {
    get: (k) => timed('get', () => inner.get(k)),
    set: (k, v, ttl) => timed('set', () => inner.set(k, v, ttl)),
    add: (k, v, ttl) => timed('add', () => inner.add(k, v, ttl)),
    delete: (k) => timed('delete', () => inner.delete(k)),
    close: () => inner.close(),
  }
}
