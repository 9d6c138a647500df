/**
 * Worker side of shared resources: caches and rate limits live on the main thread, so their
 * methods here are calls over the port matched by id.
 */
import { WeirError, weirError, type ErrorData } from '../errors.js'
import type { Cache, RateLimit, Resources } from '../spec/index.js'
import type { MainToWorker, RpcCall, WorkerInit, WorkerToMain } from '../protocol/messages.js'
import { SlotTable } from '../util/slot-table.js'

export class RpcClient {
  /** Calls awaiting their reply, by call id (the handle). */
  #pending = new SlotTable<{ resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  #post: (msg: WorkerToMain) => void

  constructor(post: (msg: WorkerToMain) => void) {
    this.#post = post
  }

  call(call: RpcCall): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = this.#pending.add({ resolve, reject })
      this.#post({ type: 'rpc.call', id, call })
    })
  }

  reply(msg: Extract<MainToWorker, { type: 'rpc.reply' }>): void {
    const p = this.#pending.take(msg.id)
    if (!p) return
    if (msg.ok) p.resolve(msg.value)
    else p.reject(new WeirError(msg.error as ErrorData))
  }
}

/** The `Resources` a worker's components see. */
export function workerResources(rpc: RpcClient, init: WorkerInit): Resources {
  const caches = new Set(init.sharedResources.cache)
  const limits = new Set(init.sharedResources.rate_limit)
  return {
    hasCache: (n) => caches.has(n),
    hasRateLimit: (n) => limits.has(n),
    cache(name: string): Cache {
      if (!caches.has(name)) throw weirError('RESOURCE_NOT_FOUND', `cache resource '${name}' was not found`)
      return {
        get: async (key) => {
          const v = (await rpc.call({ kind: 'cache', name, op: 'get', key })) as Uint8Array | null
          return v ?? undefined
        },
        set: async (key, value, ttlMs) => void (await rpc.call({ kind: 'cache', name, op: 'set', key, value, ...(ttlMs !== undefined ? { ttlMs } : {}) })),
        add: async (key, value, ttlMs) => void (await rpc.call({ kind: 'cache', name, op: 'add', key, value, ...(ttlMs !== undefined ? { ttlMs } : {}) })),
        delete: async (key) => void (await rpc.call({ kind: 'cache', name, op: 'delete', key })),
        close: async () => {},
      }
    },
    rateLimit(name: string): RateLimit {
      if (!limits.has(name)) throw weirError('RESOURCE_NOT_FOUND', `rate limit resource '${name}' was not found`)
      return {
        access: async () => (await rpc.call({ kind: 'rate_limit', name, op: 'access' })) as number,
        close: async () => {},
      }
    },
    componentConfig: (kind, name) => init.componentResources[kind][name],
  }
}
