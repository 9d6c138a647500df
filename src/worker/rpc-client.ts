/**
 * Worker side of shared resources: caches, rate limits, input and output resources and inproc
 * exchanges live on the main thread, so their methods here are calls over the port matched by id.
 * Batches cross packed in one transferred buffer (protocol/wire-batch.ts). Input and output
 * resources report the connection the main thread last told (`resources.status`).
 */
import { WeirError, weirError } from '../errors.js'
import type { Batch, Cache, Input, Output, RateLimit, ReadResult, Resources } from '../spec/index.js'
import { END_OF_INPUT } from '../spec/index.js'
import type { MainToWorker, ResourceConnections, ResourceMessage, RpcCall, RpcValue, WireTx, WorkerInit, WorkerToMain } from '../protocol/messages.js'
import { decodeBatch, encodeBatch, exactBytes } from '../protocol/wire-batch.js'
import { SlotTable } from '../util/slot-table.js'
import { abortError } from '../util/channel.js'
import { once } from '../util/ack.js'
import { ConnectionWatchers } from '../util/connection-watch.js'

export class RpcClient {
  /** Calls awaiting their reply, by call id (the handle). */
  #pending = new SlotTable<{ resolve: (v: RpcValue) => void; reject: (e: Error) => void }>()
  #post: (msg: WorkerToMain, transfer?: ArrayBuffer[]) => void

  constructor(post: (msg: WorkerToMain, transfer?: ArrayBuffer[]) => void) {
    this.#post = post
  }

  /**
   * One call; with `signal`, an abort rejects at once and tells the main thread, and a value that
   * still arrives goes to `late` (a transaction read for nobody is nacked so another reader gets it).
   */
  call(call: RpcCall, opts: { transfer?: ArrayBuffer[]; signal?: AbortSignal; late?: (v: RpcValue) => void } = {}): Promise<RpcValue> {
    const { signal } = opts
    if (signal?.aborted) return Promise.reject(abortError(signal))
    return new Promise((resolve, reject) => {
      let abandoned = false
      const onAbort = (): void => {
        abandoned = true
        this.#post({ type: 'rpc.cancel', id })
        reject(abortError(signal!))
      }
      const id = this.#pending.add({
        resolve: (v) => {
          signal?.removeEventListener('abort', onAbort)
          if (abandoned) opts.late?.(v)
          else resolve(v)
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort)
          if (!abandoned) reject(e)
        },
      })
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#post({ type: 'rpc.call', id, call }, opts.transfer)
    })
  }

  reply(msg: Extract<MainToWorker, { type: 'rpc.reply' }>): void {
    const p = this.#pending.take(msg.id)
    if (!p) return
    if (msg.ok) p.resolve(msg.value)
    else p.reject(new WeirError(msg.error))
  }
}

/** The `Resources` a worker's components see; `update` applies a `resources.update` or `resources.status`. */
export function workerResources(rpc: RpcClient, init: WorkerInit): Resources & { update(msg: ResourceMessage): void } {
  let shared = init.sharedResources
  let components = init.componentResources
  const links = new ResourceLinks(init.resourceConnections)
  const check = (kind: keyof WorkerInit['sharedResources'], what: string, name: string): void => {
    if (!shared[kind].includes(name)) throw weirError('RESOURCE_NOT_FOUND', `${what} resource '${name}' was not found`)
  }
  return {
    update: (msg) => {
      if (msg.type === 'resources.status') return links.set(msg.connections)
      shared = msg.sharedResources
      components = msg.componentResources
    },
    hasCache: (n) => shared.cache.includes(n),
    hasRateLimit: (n) => shared.rate_limit.includes(n),
    hasInput: (n) => shared.input.includes(n),
    hasOutput: (n) => shared.output.includes(n),
    cache(name: string): Cache {
      check('cache', 'cache', name)
      const ttl = (ttlMs: number | undefined): { ttlMs?: number } => (ttlMs !== undefined ? { ttlMs } : {})
      return {
        get: async (key) => {
          const v = await rpc.call({ kind: 'cache', name, op: 'get', key })
          return v instanceof Uint8Array ? v : undefined
        },
        set: async (key, value, ttlMs) => void (await rpc.call({ kind: 'cache', name, op: 'set', key, value: exactBytes(value), ...ttl(ttlMs) })),
        add: async (key, value, ttlMs) => void (await rpc.call({ kind: 'cache', name, op: 'add', key, value: exactBytes(value), ...ttl(ttlMs) })),
        delete: async (key) => void (await rpc.call({ kind: 'cache', name, op: 'delete', key })),
        close: async () => {},
      }
    },
    rateLimit(name: string): RateLimit {
      check('rate_limit', 'rate limit', name)
      return {
        access: async () => {
          const v = await rpc.call({ kind: 'rate_limit', name, op: 'access' })
          return typeof v === 'number' ? v : 0
        },
        close: async () => {},
      }
    },
    input(name: string): Input {
      check('input', 'input', name)
      return { ...remoteInput(rpc, 'input', name), ...links.of('input', name) }
    },
    output(name: string): Output {
      check('output', 'output', name)
      return { ...remoteOutput(rpc, 'output', name), ...links.of('output', name) }
    },
    inprocInput: (name) => remoteInput(rpc, 'inproc', name),
    inprocOutput: (name) => remoteOutput(rpc, 'inproc', name),
    componentConfig: (kind, name) => components[kind][name],
  }
}

/** The connections of input and output resources as last told, and the proxies watching each. */
class ResourceLinks {
  #now: ResourceConnections
  /** Per `kind:name`, the watchers of each open proxy (a closed one is dropped: wrappers rebuild children). */
  readonly #watching = new Map<string, Set<ConnectionWatchers>>()

  constructor(initial: ResourceConnections | undefined) {
    this.#now = initial ?? { input: {}, output: {} }
  }

  /** `connected`, `watchConnection` and `close` for one proxy of the resource `name` of `kind`. */
  of(kind: keyof ResourceConnections, name: string): Pick<Input, 'connected' | 'watchConnection' | 'close'> {
    const key = `${kind}:${name}`
    const mine = new ConnectionWatchers()
    return {
      connected: () => this.#now[kind][name] ?? true,
      watchConnection: (fn) => {
        mine.add(fn)
        let set = this.#watching.get(key)
        if (!set) this.#watching.set(key, (set = new Set()))
        set.add(mine)
      },
      close: async () => {
        const set = this.#watching.get(key)
        set?.delete(mine)
        if (set?.size === 0) this.#watching.delete(key)
      },
    }
  }

  set(next: ResourceConnections): void {
    const before = this.#now
    this.#now = next
    for (const kind of ['input', 'output'] as const) {
      for (const name of new Set([...Object.keys(before[kind]), ...Object.keys(next[kind])])) {
        if ((before[kind][name] ?? true) === (next[kind][name] ?? true)) continue
        for (const w of this.#watching.get(`${kind}:${name}`) ?? []) w.notify()
      }
    }
  }
}

function isTx(v: RpcValue): v is WireTx {
  return v !== null && typeof v === 'object' && !(v instanceof Uint8Array)
}

function remoteInput(rpc: RpcClient, kind: 'input' | 'inproc', name: string): Input {
  const ack = (tx: number, err?: Error): void =>
    void rpc.call({ kind: 'ack', tx, ...(err ? { error: err.message } : {}) }).catch(() => undefined)
  return {
    connect: async () => {},
    connected: () => true,
    close: async () => {},
    read: async (signal): Promise<ReadResult> => {
      const v = await rpc.call({ kind, name, op: 'read' }, { signal, late: (late) => isTx(late) && ack(late.tx, new Error('reader stopped')) })
      if (!isTx(v)) return END_OF_INPUT
      return { batch: decodeBatch(v.batch), ack: once((err) => ack(v.tx, err)) }
    },
  }
}

function remoteOutput(rpc: RpcClient, kind: 'output' | 'inproc', name: string): Output {
  return {
    connect: async () => {},
    connected: () => true,
    close: async () => {},
    maxInFlight: 64,
    write: async (batch: Batch, signal) => {
      const { wire, transfer } = encodeBatch(batch)
      await rpc.call({ kind, name, op: 'write', batch: wire }, { transfer, signal })
    },
  }
}
