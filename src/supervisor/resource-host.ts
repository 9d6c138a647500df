/**
 * Resources shared by every stream (spec §10, issue 13): one instance per label for the whole host.
 * Caches, rate limits, inputs and outputs are built on the main thread and workers reach them over
 * the port (`rpc.call`): a cache written by one stream is read by another, a rate limit counts
 * every stream's accesses, an input resource hands each transaction to exactly one of the streams
 * reading it, and an output resource acks each write back to the stream that made it. Processor
 * resources hold no shared state, so each worker builds its own from the config sent with it (and
 * again when `resources.update` says it changed). `inproc` names are exchanges kept here too.
 */
import { weirError, WeirError, type ErrorData } from '../errors.js'
import type { ResourceConnections, ResourceMessage, RpcCall, RpcValue, WorkerInit } from '../protocol/messages.js'
import { decodeBatch, encodeBatch, exactBytes } from '../protocol/wire-batch.js'
import type { SpecLookup } from '../spec/index.js'
import type { Message } from '../message/message.js'
import type { Cache, Input, InstanceOf, Logger, MetricsView, Output, ReadResult, Resources, Transaction } from '../spec/index.js'
import { END_OF_INPUT } from '../spec/index.js'
import { ComponentBuilder, type BuiltComponent } from '../stream/build.js'
import type { StreamEnv } from '../stream/types.js'
import { SharedInput, type InputSource } from './shared-input.js'
import { SharedOutput, type OutputSink } from './shared-output.js'
import { TxExchange } from './tx-exchange.js'

import type { ResourceKind } from '../config/resource-kinds.js'

/** Kinds whose one instance lives here; the rest are configs built in each worker. */
type HostedKind = 'cache' | 'rate_limit'

interface Entry {
  kind: ResourceKind
  conf: unknown
}

/** Pushes one resource message to one worker. */
export type ResourcePush = (msg: ResourceMessage) => void

export class ResourceHost {
  #entries = new Map<string, Entry>()
  /** Built instances of caches and rate limits (spec §10.1: lazily constructed). */
  #built: { [K in HostedKind]: Map<string, Promise<InstanceOf<K>>> } = { cache: new Map(), rate_limit: new Map() }
  #inputs = new Map<string, SharedInput>()
  #outputs = new Map<string, SharedOutput>()
  #inproc = new Map<string, TxExchange>()
  /** Streams that used each label, to name them when the resource cannot be built. */
  #users = new Map<string, Set<string>>()
  #sessions = new Set<ResourceSession>()
  /** The connections last pushed, to push only changes (a link reports more often than it changes). */
  #pushedConnections = ''
  #registry: SpecLookup
  #logger: Logger
  #metrics: (path: string, label: string) => MetricsView
  #abort = new AbortController()
  #nextTx = 0
  /** What resources built here see: the same shared instances, called directly. */
  readonly local: Resources

  constructor(registry: SpecLookup, logger: Logger, metrics: (path: string, label: string) => MetricsView) {
    this.#registry = registry
    this.#logger = logger
    this.#metrics = metrics
    this.local = this.#localResources()
  }

  /** Declare resources from the root/resource files; labels are unique across all kinds. */
  declare(kind: ResourceKind, label: string, conf: unknown): ErrorData | undefined {
    const existing = this.#entries.get(label)
    if (existing && existing.kind !== kind) {
      return weirError('CONFIG_INVALID', `${kind} resource label '${label}' collides with a previously defined resource`).data
    }
    this.#entries.set(label, { kind, conf })
    return undefined
  }

  /**
   * Create or replace one resource (API `POST /resources/{type}/{id}`, resource files): the new one
   * is built first and a failure leaves the old in place; streams using it switch without a
   * restart (processor resources are rebuilt by each worker on its next batch).
   */
  async replace(kind: ResourceKind, label: string, conf: unknown): Promise<{ ok: true } | { ok: false; error: ErrorData }> {
    const existing = this.#entries.get(label)
    if (existing && existing.kind !== kind) {
      return { ok: false, error: weirError('RESOURCE_BUILD', `${kind} resource label '${label}' collides with a previously defined resource`).data }
    }
    try {
      switch (kind) {
        case 'cache':
        case 'rate_limit':
          await this.#rebuild(kind, label, conf)
          break
        case 'input': {
          const next = this.#build('input', label, conf).then((b) => ({ input: b.instance, processors: b.processors }))
          await next
          const prev = this.#sharedInput(label).setSource(next)
          void prev?.then(async (s) => {
            await s.input.close()
            await Promise.allSettled(s.processors.map((p) => p.close()))
          }).catch(() => undefined)
          break
        }
        case 'output': {
          const next = this.#build('output', label, conf).then((b) => ({ output: b.instance, processors: b.processors }))
          await next
          const prev = this.#sharedOutput(label).setSink(next)
          void prev?.then((s) => s.output.close()).catch(() => undefined)
          break
        }
        case 'processor':
          break
      }
    } catch (err) {
      return { ok: false, error: this.#buildError(err, label) }
    }
    this.#entries.set(label, { kind, conf })
    this.#pushUpdates()
    return { ok: true }
  }

  /** Drop a resource (its file no longer declares it); closes a built instance. */
  remove(label: string): void {
    const e = this.#entries.get(label)
    if (!e) return
    this.#entries.delete(label)
    if (e.kind === 'cache' || e.kind === 'rate_limit') {
      const b = this.#built[e.kind].get(label)
      this.#built[e.kind].delete(label)
      void b?.then((i) => i.close()).catch(() => undefined)
    } else if (e.kind === 'input') {
      void this.#inputs.get(label)?.close()
      this.#inputs.delete(label)
    } else if (e.kind === 'output') {
      void this.#outputs.get(label)?.close()
      this.#outputs.delete(label)
    }
    this.#pushUpdates()
    this.#pushConnections()
  }

  has(kind: ResourceKind, label: string): boolean {
    return this.#entries.get(label)?.kind === kind
  }

  /** Processor resource configs by label (built in each worker); inputs/outputs stay here. */
  componentConfigs(): WorkerInit['componentResources'] {
    const out: WorkerInit['componentResources'] = { processor: {}, input: {}, output: {} }
    for (const [label, e] of this.#entries) if (e.kind === 'processor') out.processor[label] = e.conf
    return out
  }

  sharedLabels(): WorkerInit['sharedResources'] {
    const out: WorkerInit['sharedResources'] = { cache: [], rate_limit: [], input: [], output: [] }
    for (const [label, e] of this.#entries) if (e.kind !== 'processor') out[e.kind].push(label)
    return out
  }

  /** Whether each input and output resource that has been used is connected. */
  connections(): ResourceConnections {
    const out: ResourceConnections = { input: {}, output: {} }
    for (const [label, s] of this.#inputs) out.input[label] = s.connected
    for (const [label, s] of this.#outputs) out.output[label] = s.connected
    return out
  }

  /** One worker's view: its calls, the transactions handed to it, and pushes of config changes. */
  session(stream: string): ResourceSession {
    const s = new ResourceSession(this, stream)
    this.#sessions.add(s)
    return s
  }

  /** @internal for sessions */
  dropSession(s: ResourceSession): void {
    this.#sessions.delete(s)
  }

  /** @internal for sessions */
  txId(): number {
    return ++this.#nextTx
  }

  /** Serve one call of stream `stream` (transactions are tracked by its session). */
  async serve(stream: string, call: Exclude<RpcCall, { kind: 'ack' }>, signal: AbortSignal): Promise<null | number | Uint8Array | ReadResult> {
    if (call.kind !== 'inproc') this.#use(call.name, stream)
    switch (call.kind) {
      case 'cache': {
        const cache = await this.#get('cache', call.name)
        switch (call.op) {
          case 'get':
            return (await cache.get(call.key)) ?? null
          case 'delete':
            await cache.delete(call.key)
            return null
          case 'set':
            await cache.set(call.key, call.value, call.ttlMs)
            return null
          case 'add':
            await cache.add(call.key, call.value, call.ttlMs)
            return null
        }
        break
      }
      case 'rate_limit':
        return (await this.#get('rate_limit', call.name)).access()
      case 'input':
        return this.#input(call.name).read(signal)
      case 'output':
        await this.#output(call.name).write(decodeBatch(call.batch), signal)
        return null
      case 'inproc':
        if (call.op === 'read') return this.#exchange(call.name).read(signal)
        await inprocWrite(this.#exchange(call.name), decodeBatch(call.batch), signal)
        return null
    }
  }

  /** Local access for main-thread users. */
  cache(label: string): Promise<Cache> {
    return this.#get('cache', label)
  }

  async close(): Promise<void> {
    this.#abort.abort()
    for (const x of this.#inproc.values()) x.end()
    await Promise.allSettled([
      ...[...this.#built.cache.values(), ...this.#built.rate_limit.values()].map(async (p) => (await p).close()),
      ...[...this.#inputs.values()].map((i) => i.close()),
      ...[...this.#outputs.values()].map((o) => o.close()),
    ])
  }

  #pushUpdates(): void {
    const update: ResourceMessage = { type: 'resources.update', componentResources: this.componentConfigs(), sharedResources: this.sharedLabels() }
    for (const s of this.#sessions) s.push(update)
  }

  #pushConnections(): void {
    const connections = this.connections()
    const key = JSON.stringify(connections)
    if (key === this.#pushedConnections) return
    this.#pushedConnections = key
    for (const s of this.#sessions) s.push({ type: 'resources.status', connections })
  }

  #use(label: string, stream: string): void {
    if (!stream) return
    let u = this.#users.get(label)
    if (!u) this.#users.set(label, (u = new Set()))
    u.add(stream)
  }

  #notFound(kind: ResourceKind, label: string): WeirError {
    const what = kind === 'rate_limit' ? 'rate limit' : kind
    return weirError('RESOURCE_NOT_FOUND', `${what} resource '${label}' was not found`)
  }

  async #rebuild<K extends HostedKind>(kind: K, label: string, conf: unknown): Promise<void> {
    const next = this.#build(kind, label, conf).then((b) => b.instance)
    await next
    const built: Map<string, Promise<InstanceOf<K>>> = this.#built[kind]
    const prev = built.get(label)
    built.set(label, next)
    void prev?.then((i) => i.close()).catch((e: unknown) => this.#logger.warn('closing the replaced resource failed', { label, error: String(e) }))
  }

  #get<K extends HostedKind>(kind: K, label: string): Promise<InstanceOf<K>> {
    const e = this.#entries.get(label)
    if (!e || e.kind !== kind) return Promise.reject(this.#notFound(kind, label))
    const built: Map<string, Promise<InstanceOf<K>>> = this.#built[kind]
    let p = built.get(label)
    if (!p) {
      p = this.#build(kind, label, e.conf).then((b) => b.instance)
      // A failed build is retried on the next use rather than cached forever.
      p.catch(() => built.get(label) === p && built.delete(label))
      built.set(label, p)
    }
    return p.catch((err: unknown) => Promise.reject(new WeirError(this.#buildError(err, label))))
  }

  #input(label: string): SharedInput {
    const e = this.#entries.get(label)
    if (!e || e.kind !== 'input') throw this.#notFound('input', label)
    return this.#sharedInput(label)
  }

  #output(label: string): SharedOutput {
    const e = this.#entries.get(label)
    if (!e || e.kind !== 'output') throw this.#notFound('output', label)
    return this.#sharedOutput(label)
  }

  /** The resource's config now (a rebuild after a failure uses the latest one). */
  #conf(label: string): unknown {
    return this.#entries.get(label)?.conf
  }

  #sharedInput(label: string): SharedInput {
    let s = this.#inputs.get(label)
    if (!s) {
      const build = (): Promise<InputSource> => this.#build('input', label, this.#conf(label)).then((b) => ({ input: b.instance, processors: b.processors }))
      s = new SharedInput(label, this.#logger.child({ label }), build, (err) => this.#buildError(err, label).message)
      s.watch(() => this.#pushConnections())
      this.#inputs.set(label, s)
    }
    return s
  }

  #sharedOutput(label: string): SharedOutput {
    let s = this.#outputs.get(label)
    if (!s) {
      const build = (): Promise<OutputSink> => this.#build('output', label, this.#conf(label)).then((b) => ({ output: b.instance, processors: b.processors }))
      s = new SharedOutput(label, this.#logger.child({ label }), build, (err) => this.#buildError(err, label).message)
      s.watch(() => this.#pushConnections())
      this.#outputs.set(label, s)
    }
    return s
  }

  #exchange(name: string): TxExchange {
    let x = this.#inproc.get(name)
    if (!x) this.#inproc.set(name, (x = new TxExchange()))
    return x
  }

  #build<K extends HostedKind | 'input' | 'output'>(kind: K, label: string, conf: unknown): Promise<BuiltComponent<K>> {
    const env: StreamEnv = {
      streamId: '',
      registry: this.#registry,
      endpoints: {
        register: () => {
          throw weirError('RESOURCE_BUILD', 'resources cannot register HTTP endpoints')
        },
      },
      resources: this.local,
      logger: this.#logger.child({ label }),
      metrics: (path) => this.#metrics(path, label),
      configDir: '',
      signal: this.#abort.signal,
    }
    const builder = new ComponentBuilder(env, this.#abort.signal)
    const labelled = conf && typeof conf === 'object' && !Array.isArray(conf) ? { ...conf, label } : conf
    return builder.build(kind, labelled, `${kind}_resources`)
  }

  #buildError(err: unknown, label: string): ErrorData {
    const base = err instanceof WeirError ? err.data : weirError('RESOURCE_BUILD', err instanceof Error ? err.message : String(err)).data
    const waiting = [...(this.#users.get(label) ?? [])].sort()
    if (waiting.length === 0) return base
    return { ...base, message: `${base.message} (streams waiting on resource '${label}': ${waiting.join(', ')})` }
  }

  /**
   * The connection of a shared input or output, for a main-thread component that holds it (a
   * resource nested in another). The shared one outlives its holder when the outer resource is
   * replaced, so closing the holder takes its callbacks off again: otherwise each replacement
   * left the old component reachable from the shared one's watchers.
   */
  #connectionOf(shared: () => SharedInput | SharedOutput): Pick<Input, 'connected' | 'watchConnection' | 'close'> {
    const unwatch: (() => void)[] = []
    return {
      connected: () => shared().connected,
      watchConnection: (fn) => {
        unwatch.push(shared().watch(fn))
      },
      close: async () => {
        for (const off of unwatch.splice(0)) off()
      },
    }
  }

  #localResources(): Resources {
    const has = (kind: ResourceKind) => (n: string) => this.has(kind, n)
    return {
      hasCache: has('cache'),
      hasRateLimit: has('rate_limit'),
      hasInput: has('input'),
      hasOutput: has('output'),
      cache: (name) => lazyCache(() => this.#get('cache', name)),
      rateLimit: (name) => ({ access: async () => (await this.#get('rate_limit', name)).access(), close: async () => {} }),
      input: (name) => ({ ...exchangeInput((signal) => this.#input(name).read(signal)), ...this.#connectionOf(() => this.#input(name)) }),
      output: (name) => ({ ...funcOutput((batch, signal) => this.#output(name).write(batch, signal)), ...this.#connectionOf(() => this.#output(name)) }),
      inprocInput: (name) => exchangeInput((signal) => this.#exchange(name).read(signal)),
      inprocOutput: (name) => funcOutput((batch, signal) => inprocWrite(this.#exchange(name), batch, signal)),
      componentConfig: (kind, name) => (this.has(kind, name) ? this.#entries.get(name)!.conf : undefined),
    }
  }
}

/**
 * A worker's side of the resource host: serves its calls, remembers the transactions handed to it
 * until they are acked, and nacks what is left when the worker goes away so another stream gets it.
 */
export class ResourceSession {
  readonly #host: ResourceHost
  readonly #stream: string
  readonly #txs = new Map<number, Transaction>()
  #push: ResourcePush | undefined
  /** The latest message of each type, kept until the worker is up. */
  #pending = new Map<ResourceMessage['type'], ResourceMessage>()
  #closed = false

  constructor(host: ResourceHost, stream: string) {
    this.#host = host
    this.#stream = stream
  }

  async call(call: RpcCall, signal: AbortSignal): Promise<RpcValue> {
    if (call.kind === 'ack') {
      const tx = this.#txs.get(call.tx)
      this.#txs.delete(call.tx)
      tx?.ack(call.error === undefined ? undefined : new Error(call.error))
      return null
    }
    const r = await this.#host.serve(this.#stream, call, signal)
    if (r === END_OF_INPUT) return null
    if (r === null || typeof r === 'number') return r
    if (r instanceof Uint8Array) return exactBytes(r)
    if (this.#closed) {
      r.ack(new Error('stream worker exited'))
      return null
    }
    const id = this.#host.txId()
    this.#txs.set(id, r)
    return { tx: id, batch: encodeBatch(r.batch).wire }
  }

  /** Where config and connection changes go once the worker is up; changes before that are kept for it. */
  attach(push: ResourcePush): void {
    this.#push = push
    for (const msg of this.#pending.values()) push(msg)
    this.#pending.clear()
  }

  push(msg: ResourceMessage): void {
    if (this.#push) this.#push(msg)
    else this.#pending.set(msg.type, msg)
  }

  /** The worker exited: unacked transactions go back (nack) so their source re-delivers them. */
  close(): void {
    this.#closed = true
    this.#host.dropSession(this)
    for (const tx of this.#txs.values()) tx.ack(new Error('stream worker exited before acknowledging'))
    this.#txs.clear()
  }
}

/** Offer `batch` to an inproc reader and wait for its ack (an unread offer is withdrawn on abort). */
function inprocWrite(x: TxExchange, batch: Message[], signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const tx: Transaction = {
      batch,
      ack: (err) => {
        signal.removeEventListener('abort', onAbort)
        if (err) reject(err)
        else resolve()
      },
    }
    const onAbort = (): void => {
      if (x.withdraw(tx)) reject(signal.reason instanceof Error ? signal.reason : new Error('write aborted'))
    }
    signal.addEventListener('abort', onAbort, { once: true })
    x.offer(tx)
  })
}

function exchangeInput(read: (signal: AbortSignal) => Promise<ReadResult>): Input {
  return { connect: async () => {}, read, close: async () => {}, connected: () => true }
}

function funcOutput(write: (batch: Message[], signal: AbortSignal) => Promise<void>): Output {
  return { connect: async () => {}, write, close: async () => {}, connected: () => true, maxInFlight: 64 }
}

function lazyCache(get: () => Promise<Cache>): Cache {
  return {
    get: async (k) => (await get()).get(k),
    set: async (k, v, ttl) => (await get()).set(k, v, ttl),
    add: async (k, v, ttl) => (await get()).add(k, v, ttl),
    delete: async (k) => (await get()).delete(k),
    close: async () => {},
  }
}

