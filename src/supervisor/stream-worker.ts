/**
 * The main thread's handle on one stream worker thread: spawn and handshake, HTTP requests batched
 * across the port, stats/metrics requests, stop with a deadline, and exit detection.
 *
 *   spawn ──init──▶ worker ──ready|failed──▶ (settled)
 *   http.frame ▶ … ◀ http.frame      stats/metrics/ping ▶ ◀ replies
 *   ◀ metrics.buffer (then metrics snapshots through shared memory, no message each)
 *   stop ▶ ◀ stopped (or terminate() at the deadline)
 */
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { Writable } from 'node:stream'
import { WeirError, toErrorData, weirError, type ErrorData } from '../errors.js'
import {
  assertNever,
  type ConnectionStatus,
  type EndpointInfo,
  type LiveRequest,
  type MainToWorker,
  type RpcCall,
  type RpcValue,
  type TapEvent,
  type WorkerInit,
  type WorkerToMain,
} from '../protocol/messages.js'
import { FrameWriter, readResponses, type FrameRequest, type FrameResponse } from '../protocol/http-frames.js'
import { SnapshotReader, type PackedSnapshot } from '../protocol/snapshot-buffer.js'
import { SlotTable } from '../util/slot-table.js'
import { Semaphore } from '../util/semaphore.js'
import { responseHead, type HttpResponse } from '../http/index.js'
import { EXTRA_COMPONENTS_ENV } from '../components/extra.js'

/** One request for a stream endpoint, as the proxy read it. */
export type HttpForward = Omit<FrameRequest, 'id'>
export type HttpReply = FrameResponse

export type LiveKind = 'stream' | 'socket'

/** A cumulative event-loop reading of a worker (idle and active time since its loop started). */
type Elu = ReturnType<Worker['performance']['eventLoopUtilization']>

/** A worker's latest series (see `metricsSnapshot`). */
export interface WorkerSeries {
  /** The same object while the worker wrote no new snapshot (metrics/block-index.ts reads it). */
  readonly snapshot: PackedSnapshot
  readonly heapUsed: number
  readonly heapLimit: number
}

/** The client side of a live connection, fed by the worker (proxy-live.ts writes it out). */
export interface LiveSink {
  head(status: number, headers: [string, string][]): void
  data(data: Uint8Array | string, binary: boolean): void
  close(code?: number, reason?: string): void
}

/** One client of a tap point (api/tap.ts); `end` comes once, when the worker goes. */
export interface TapListener {
  events(events: readonly TapEvent[]): void
  end(reason: string): void
}

/** The worker side of a live connection, as the main thread drives it. */
export interface LiveHandle {
  send(data: Uint8Array | string, binary: boolean): void
  close(code?: number, reason?: string): void
}

/**
 * How many threads may be starting at once. A start is nearly all CPU (module evaluation, the
 * stream's build), so more at once than there are cores only makes all of them and the main thread
 * slower: 1,000 streams started together kept the API from answering for minutes on 2 cores. The
 * start timeout runs from when a thread gets its slot.
 */
const startSlots = new Semaphore(Math.max(2, availableParallelism()))

// CommonJS (scripts/bundle-workers.mjs): an ES module entry costs every thread the ES loader's set-up.
const BOOT_URL = new URL('../../workers/boot.cjs', import.meta.url)
const MODULES_URL = new URL('../../workers/stream.js', import.meta.url)
let bundled: boolean | undefined

/**
 * The bundled entry (one script with V8's code cache) starts a thread in a fraction of the time the
 * compiled modules take. Extra components (`WEIR_EXTRA_COMPONENTS`, tests) import the compiled
 * modules themselves, so with them the thread must run on those same modules; a build without the
 * bundle (tsc alone) runs on them too. Asked per spawn: tests set the variable after importing this.
 */
function workerUrl(): URL {
  if (process.env[EXTRA_COMPONENTS_ENV]) return MODULES_URL
  bundled ??= existsSync(new URL('../../workers/stream.bundle.cjs', import.meta.url)) && existsSync(BOOT_URL)
  return bundled ? BOOT_URL : MODULES_URL
}

/**
 * WEIR_WORKER_YOUNG_MB caps a stream thread's young generation. V8 grows a thread's semi-spaces
 * during its start-up allocations and an idle stream then keeps those pages: 3 MiB (1 MiB
 * semi-spaces) saved ~2 MiB of resident memory per idle stream with the larger worker bundle of
 * earlier rounds (20 streams: 395 -> 357 MiB) and nothing measurable since the bundle shrank (100
 * streams: 1,309 MiB at the default, 1,315-1,325 capped), while two busy streams scaled worse with
 * it on a shared machine (bench `streams`), so it is opt-in: unset or 0 leaves V8's default.
 */
const DEFAULT_YOUNG_GENERATION_MB = 0

function youngGeneration(): { maxYoungGenerationSizeMb?: number } {
  const setting = process.env.WEIR_WORKER_YOUNG_MB
  const mb = setting === undefined || setting.trim() === '' || !Number.isFinite(Number(setting)) ? DEFAULT_YOUNG_GENERATION_MB : Number(setting)
  return mb > 0 ? { maxYoungGenerationSizeMb: mb } : {}
}

export interface StopOutcome {
  graceful: boolean
  heldBy?: string
  inFlight: number
  /** true when the worker had to be terminated. */
  forced: boolean
}

export interface WorkerEvents {
  /** The input ran dry and the stream drained (finished on its own). */
  onFinished(): void
  /** The thread died without being asked to stop (crash, OOM, process.exit). */
  onCrash(error: ErrorData): void
  onStatus(statuses: ConnectionStatus[]): void
  onRpc(call: RpcCall, signal: AbortSignal): Promise<RpcValue>
  /** The thread is gone (after a stop, a crash or a failed start). */
  onExit?(): void
}

export type SpawnResult = { ok: true; worker: StreamWorker } | { ok: false; errors: ErrorData[] }

export interface SpawnOptions {
  heapLimitMb?: number
  /** Give up on a worker that neither reports ready nor failed within this time. */
  startTimeoutMs: number
  /** The stream reads stdin: the supervisor pipes the process's stdin into this worker. */
  stdin?: boolean
}

export class StreamWorker {
  readonly init: WorkerInit
  endpoints: EndpointInfo[] = []
  statuses: ConnectionStatus[] = []
  /** Points this worker can tap (from its `ready`). */
  tapPoints: string[] = []
  /** A heartbeat ping is outstanding (the supervisor sends one at a time). */
  pinging = false
  #worker: Worker
  #events: WorkerEvents
  /** Replies awaited, by request id (the handle). */
  #pendingHttp = new SlotTable<(r: HttpReply) => void>()
  #outbox = new FrameWriter()
  #outboxIds: number[] = []
  #flushScheduled = false
  /** Asks awaiting a reply; settled with an error when the thread exits first. */
  #replies = new SlotTable<(reply: WorkerToMain | WeirError) => void>()
  #stopping: Promise<StopOutcome> | undefined
  #onStopped: ((m: Extract<WorkerToMain, { type: 'stopped' }>) => void) | undefined
  #forcing: { heldBy: string; inFlight: number } | undefined
  #exited = false
  #exitWaiters: (() => void)[] = []
  #settle: ((r: SpawnResult) => void) | undefined

  private constructor(init: WorkerInit, events: WorkerEvents, opts: SpawnOptions) {
    this.init = init
    this.#events = events
    this.#worker = new Worker(workerUrl(), {
      workerData: init,
      resourceLimits: { ...youngGeneration(), ...(opts.heapLimitMb ? { maxOldGenerationSizeMb: opts.heapLimitMb } : {}) },
      stdout: false,
      stderr: false,
      // A worker's process.stdin ends at once unless the thread gets a stdin stream of its own.
      stdin: opts.stdin ?? false,
    })
    this.#worker.on('message', (m: WorkerToMain) => {
      this.#messagesIn++
      this.#onMessage(m)
    })
    this.#worker.on('error', (err) => this.#onError(err))
    this.#worker.on('exit', (code) => this.#onExit(code))
  }

  /** Spawn a worker and wait until it reports ready (components built and started) or failed. */
  static async spawn(init: WorkerInit, events: WorkerEvents, opts: SpawnOptions): Promise<SpawnResult> {
    await startSlots.acquire()
    return new Promise<SpawnResult>((resolve) => {
      let w: StreamWorker
      try {
        w = new StreamWorker(init, events, opts)
      } catch (err) {
        // A thread Node refused to create (resource limits, a missing entry) must give its start
        // slot back: kept, every later spawn would wait for it.
        startSlots.release()
        resolve({ ok: false, errors: [{ code: 'STREAM_BUILD', stream: init.streamId, message: `could not start a worker thread: ${err instanceof Error ? err.message : String(err)}` }] })
        return
      }
      const timer = setTimeout(() => {
        void w.terminate()
        settle({ ok: false, errors: [{ code: 'STREAM_BUILD', stream: init.streamId, message: `stream did not become ready within ${opts.startTimeoutMs}ms` }] })
      }, opts.startTimeoutMs)
      const settle = (r: SpawnResult): void => {
        clearTimeout(timer)
        if (w.#settle) {
          w.#settle = undefined
          startSlots.release()
          resolve(r)
        }
      }
      w.#settle = settle
    })
  }

  get threadId(): number {
    return this.#worker.threadId
  }

  /** The worker's stdin (only for workers spawned with `stdin: true`). */
  get stdin(): Writable | null {
    return this.#worker.stdin
  }

  get exited(): boolean {
    return this.#exited
  }

  /** Why the thread ended; set once it has exited. */
  get exitError(): ErrorData | undefined {
    return this.#exitError
  }

  #exitError: ErrorData | undefined

  /**
   * Forward one HTTP request; `reply` gets exactly one response. Requests queued in the same loop
   * turn share one packed frame (one postMessage). The body is copied into the frame when it is
   * sent, so it may be a view the caller does not own.
   */
  request(req: HttpForward, reply: (r: HttpReply) => void): void {
    if (this.#exited) return reply(unavailable(0))
    const id = this.#pendingHttp.add(reply)
    this.#outbox.request(id, req)
    this.#outboxIds.push(id)
    if (!this.#flushScheduled) {
      this.#flushScheduled = true
      setImmediate(this.#flush)
    }
  }

  #flush = (): void => {
    this.#flushScheduled = false
    if (this.#outbox.count === 0) return
    const ids = this.#outboxIds
    this.#outboxIds = []
    const { frame, transfer } = this.#outbox.take()
    try {
      this.#worker.postMessage({ type: 'http.frame', frame } satisfies MainToWorker, transfer)
    } catch {
      for (const id of ids) this.#resolveHttp(unavailable(id))
    }
  }

  /** The kind of live endpoint `endpoint` is (undefined: a plain request/response endpoint). */
  liveKind(endpoint: string): LiveKind | undefined {
    for (const e of this.endpoints) if (e.path === endpoint) return e.live
    return undefined
  }

  /**
   * Opens a live connection (streamed response or WebSocket) to `endpoint` in the worker; `sink`
   * gets what the worker sends, in order, ending with exactly one `close`.
   */
  openLive(kind: LiveKind, endpoint: string, request: LiveRequest, sink: LiveSink): LiveHandle {
    const id = ++this.#liveSeq
    if (this.#exited) {
      queueMicrotask(() => sink.close(1001, 'stream stopped'))
      return { send: () => {}, close: () => {} }
    }
    this.#live.set(id, sink)
    this.#post({ type: 'live.open', id, kind, endpoint, request })
    return {
      send: (data, binary) => {
        if (!this.#live.has(id)) return
        if (typeof data === 'string') return this.#post({ type: 'live.data', id, data, binary })
        const copy = ownedCopy(data)
        this.#postTransfer({ type: 'live.data', id, data: copy, binary }, [copy])
      },
      close: (code, reason) => {
        if (!this.#live.delete(id)) return
        this.#post({ type: 'live.close', id, ...(code !== undefined ? { code } : {}), ...(reason !== undefined ? { reason } : {}) })
      },
    }
  }

  #live = new Map<number, LiveSink>()
  #liveSeq = 0

  /**
   * Listen at a tap point. Every listener of a point shares one subscription in the worker: the
   * first turns the point on, the last one to leave turns it off. Returns the way to leave, or
   * undefined when the point does not exist or the worker is gone.
   */
  tap(point: string, listener: TapListener): (() => void) | undefined {
    if (this.#exited || !this.tapPoints.includes(point)) return undefined
    let set = this.#taps.get(point)
    if (!set) {
      set = new Set()
      this.#taps.set(point, set)
      this.#post({ type: 'tap.start', point })
    }
    set.add(listener)
    return () => {
      const cur = this.#taps.get(point)
      if (!cur?.delete(listener) || cur.size > 0) return
      this.#taps.delete(point)
      this.#post({ type: 'tap.stop', point })
    }
  }

  /** Points with at least one listener on this side (the worker's own view is in its stats). */
  get tappedPoints(): string[] {
    return [...this.#taps.keys()]
  }

  #taps = new Map<string, Set<TapListener>>()

  #postTransfer(msg: MainToWorker, transfer: ArrayBuffer[]): void {
    if (this.#exited) return
    try {
      this.#worker.postMessage(msg, transfer)
    } catch {
      /* the exit handler settles everything pending */
    }
  }

  /**
   * The asks below resolve with undefined when the worker does not answer in time and reject with
   * `STREAM_WORKER_EXITED` when it exits first (or had already exited).
   */
  stats(timeoutMs = 5000): Promise<Record<string, unknown> | undefined> {
    return this.#ask<Extract<WorkerToMain, { type: 'stats.response' }>>((id) => ({ type: 'stats.request', id }), timeoutMs).then((m) => m?.stats)
  }

  /**
   * The series the worker wrote last (on change, at most every 500 ms: see
   * metrics/publisher.ts), read from the buffer it shares; undefined before its first snapshot.
   */
  get metricsSnapshot(): WorkerSeries | undefined {
    const snapshot = this.#snapshots?.read()
    return snapshot && { snapshot, ...this.#snapshots!.heap() }
  }

  /** Asks for a snapshot now; undefined when the worker does not answer in time. */
  refreshMetrics(timeoutMs: number): Promise<WorkerSeries | undefined> {
    return this.#ask((id) => ({ type: 'metrics.request', id }), timeoutMs).then((m) => (m ? this.metricsSnapshot : undefined))
  }

  /** The worker's snapshot buffer, replaced when it announces a bigger one. */
  #snapshots: SnapshotReader | undefined

  /**
   * Whether the thread's event loop showed since the previous call that it is not blocked: it
   * waited for events (libuv keeps the loop's idle time, a wait in progress included, and the
   * main thread reads it without waking the thread), its code posted a message, or it wrote
   * metrics or heap figures to its snapshot buffer (a busy stream does twice a second; a busy
   * loop that yields with setImmediate never waits, so its idle time stands still). The
   * supervisor pings only a loop that did none of these: every ping of a busy thread is a pong
   * that wakes the main thread, and with many threads each wake-up costs more (libuv walks every
   * worker's async handles on each one).
   */
  provedAliveSinceLastCheck(): boolean {
    if (this.#exited) return false
    const idle = this.#worker.performance.eventLoopUtilization().idle
    const messages = this.#messagesIn
    const beat = this.#snapshots?.beat()
    const alive = idle > this.#checkedIdleMs || messages !== this.#checkedMessages || beat !== this.#checkedBeat
    this.#checkedIdleMs = idle
    this.#checkedMessages = messages
    this.#checkedBeat = beat
    return alive
  }

  /** Messages received from the thread so far, and the figures at the last liveness check. */
  #messagesIn = 0
  #checkedMessages = 0
  #checkedIdleMs = 0
  #checkedBeat: number | undefined

  /** Share of time the loop was busy since the previous call (0..1; the priority guard's window). */
  busyShare(): number {
    if (this.#exited) return 0
    const prev = this.#lastGuardElu
    const { now, share } = this.#utilizationSince(prev)
    this.#lastGuardElu = now
    return prev ? share : 0
  }

  #lastGuardElu: Elu | undefined
  #priorityLowered = false

  /** Asks the thread to lower its CPU priority (once); false when it already was or is gone. */
  lowerPriority(nice: number): boolean {
    if (this.#exited || this.#priorityLowered) return false
    this.#priorityLowered = true
    this.#post({ type: 'priority', nice })
    return true
  }

  ping(timeoutMs: number): Promise<boolean> {
    return this.#ask((id) => ({ type: 'ping', id }), timeoutMs).then((m) => m !== undefined)
  }

  /** The thread's heap and off-heap bytes; undefined when it does not answer in time. */
  memory(timeoutMs: number): Promise<{ heapUsed: number; external: number } | undefined> {
    return this.#ask<Extract<WorkerToMain, { type: 'memory.response' }>>((id) => ({ type: 'memory.request', id }), timeoutMs).then((m) =>
      m && m.type === 'memory.response' ? { heapUsed: m.heapUsed, external: m.external } : undefined,
    )
  }

  /** Event-loop utilisation of the worker since the previous call (0..1). */
  eventLoopUtilization(): number {
    const { now, share } = this.#utilizationSince(this.#lastElu)
    this.#lastElu = now
    return share
  }

  #lastElu: Elu | undefined

  /** The loop's busy share since `prev` (since it started, without one), and the reading taken now. */
  #utilizationSince(prev: Elu | undefined): { now: Elu; share: number } {
    const now = this.#worker.performance.eventLoopUtilization()
    const delta = prev ? this.#worker.performance.eventLoopUtilization(now, prev) : now
    // The delta of two cross-thread readings can land a hair outside 0..1 (seen: -0.0001).
    return { now, share: Math.min(1, Math.max(0, delta.utilization)) }
  }

  pause(): void {
    this.#post({ type: 'pause' })
  }

  resume(): void {
    this.#post({ type: 'resume' })
  }

  /**
   * Graceful stop within `deadlineMs`, then terminate. Idempotent: later calls share the first
   * stop. Always resolves.
   */
  stop(deadlineMs: number): Promise<StopOutcome> {
    if (this.#stopping) return this.#stopping
    this.#stopping = new Promise<StopOutcome>((resolve) => {
      if (this.#exited) return resolve({ graceful: true, inFlight: 0, forced: false })
      let done = false
      const finish = (o: StopOutcome): void => {
        if (done) return
        done = true
        clearTimeout(timer)
        resolve(o)
      }
      // The worker's own drain gets most of the budget; the rest covers the reply and terminate().
      const graceMs = Math.max(deadlineMs - Math.min(250, deadlineMs / 4), 0)
      // terminate() fires the exit waiters before its promise settles: they must report the real
      // outcome, not a clean exit.
      let outcome: StopOutcome | undefined
      const timer = setTimeout(() => {
        const held = this.#forcing
        outcome = { graceful: false, inFlight: held?.inFlight ?? -1, forced: true, heldBy: held?.heldBy ?? 'deadline' }
        void this.terminate().then(() => finish(outcome!))
      }, deadlineMs)
      this.#onStopped = (m) => {
        outcome = { graceful: m.graceful, inFlight: m.inFlight, forced: false, ...(m.heldBy ? { heldBy: m.heldBy } : {}) }
        void this.terminate().then(() => finish(outcome!))
      }
      this.#exitWaiters.push(() => finish(outcome ?? { graceful: true, inFlight: 0, forced: false }))
      // Requests queued for this turn must reach the worker before the stop does.
      this.#flush()
      this.#post({ type: 'stop', deadlineMs: graceMs })
    })
    return this.#stopping
  }

  /** Kill the thread now (1-3 ms even for a spinning worker). */
  async terminate(): Promise<void> {
    if (this.#exited) return
    await this.#worker.terminate()
  }

  /** Kill an unhealthy worker; it is reported as a crash with `error` so it gets restarted. */
  async kill(error: ErrorData): Promise<void> {
    this.#crashError = error
    await this.terminate()
  }

  #ask<R extends WorkerToMain>(make: (id: number) => MainToWorker, timeoutMs: number): Promise<R | undefined> {
    if (this.#exited) return Promise.reject(this.#exitedError())
    return new Promise<R | undefined>((resolve, reject) => {
      const id = this.#replies.add((m) => {
        clearTimeout(timer)
        if (m instanceof Error) reject(m)
        else resolve(m as R)
      })
      const timer = setTimeout(() => {
        this.#replies.delete(id)
        resolve(undefined)
      }, timeoutMs)
      this.#post(make(id))
    })
  }

  /** Tell the worker its processor resources or resource labels changed, or a resource's connection. */
  pushResources(msg: Extract<MainToWorker, { type: 'resources.update' | 'resources.status' }>): void {
    this.#post(msg)
  }

  #rpcCalls = new Map<number, AbortController>()

  #post(msg: MainToWorker, transfer: ArrayBuffer[] = []): void {
    if (this.#exited) return
    try {
      this.#worker.postMessage(msg, transfer)
    } catch {
      /* the exit handler settles everything pending */
    }
  }

  #resolveHttp = (r: HttpReply): void => {
    const f = this.#pendingHttp.take(r.id)
    if (f) {
      f(r)
      if (this.#pendingHttp.size === 0 && this.#idleWaiters.length) {
        const w = this.#idleWaiters
        this.#idleWaiters = []
        for (const x of w) x()
      }
    }
  }

  #idleWaiters: (() => void)[] = []

  /**
   * Resolves once every HTTP request forwarded so far has its response. After a route switch no
   * new requests arrive, so this is how a retiring worker finishes what it was handed.
   */
  httpIdle(): Promise<void> {
    if (this.#pendingHttp.size === 0) return Promise.resolve()
    return new Promise((r) => this.#idleWaiters.push(r))
  }

  #onMessage(m: WorkerToMain): void {
    switch (m.type) {
      case 'ready':
        this.endpoints = m.endpoints
        this.statuses = m.statuses
        this.tapPoints = m.taps
        this.#settle?.({ ok: true, worker: this })
        return
      case 'failed':
        this.#settle?.({ ok: false, errors: m.errors })
        void this.terminate()
        return
      case 'http.frame':
        try {
          readResponses(m.frame, this.#resolveHttp)
        } catch (err) {
          // A worker that garbles the protocol cannot be trusted with more requests: it is ended and
          // handled as a crash (pending requests get 503, the supervisor restarts the stream).
          this.#crashError = { ...toErrorData(err), code: 'STREAM_CRASHED', stream: this.init.streamId }
          void this.terminate()
        }
        return
      case 'status':
        this.statuses = m.statuses
        this.#events.onStatus(m.statuses)
        return
      case 'finished':
        this.#events.onFinished()
        return
      case 'stop.forcing':
        this.#forcing = { heldBy: m.heldBy, inFlight: m.inFlight }
        return
      case 'stopped':
        this.#onStopped?.(m)
        return
      case 'rpc.call': {
        // Reads of shared inputs wait for data; the worker cancels them when its stream stops.
        const abort = new AbortController()
        this.#rpcCalls.set(m.id, abort)
        this.#events.onRpc(m.call, abort.signal).then(
          (value) => {
            this.#rpcCalls.delete(m.id)
            const transfer = value !== null && typeof value === 'object' && 'batch' in value ? [value.batch.data] : []
            this.#post({ type: 'rpc.reply', id: m.id, ok: true, value }, transfer)
          },
          (err: unknown) => {
            this.#rpcCalls.delete(m.id)
            this.#post({ type: 'rpc.reply', id: m.id, ok: false, error: rpcError(err) })
          },
        )
        return
      }
      case 'rpc.cancel':
        this.#rpcCalls.get(m.id)?.abort()
        this.#rpcCalls.delete(m.id)
        return
      case 'metrics.buffer':
        this.#snapshots = new SnapshotReader(m.buffer)
        return
      case 'metrics.response':
      case 'stats.response':
      case 'memory.response':
      case 'pong': {
        this.#replies.take(m.id)?.(m)
        return
      }
      case 'fatal':
        this.#crashError = m.error
        return
      case 'live.head':
        this.#live.get(m.id)?.head(m.status, m.headers)
        return
      case 'live.data':
        this.#live.get(m.id)?.data(typeof m.data === 'string' ? m.data : new Uint8Array(m.data), m.binary)
        return
      case 'live.close': {
        const sink = this.#live.get(m.id)
        this.#live.delete(m.id)
        sink?.close(m.code, m.reason)
        return
      }
      case 'tap.events':
        for (const l of this.#taps.get(m.point) ?? []) l.events(m.events)
        return
      default:
        assertNever(m)
    }
  }

  #crashError: ErrorData | undefined

  #exitedError(): WeirError {
    return weirError('STREAM_WORKER_EXITED', 'stream worker exited before answering', { stream: this.init.streamId })
  }

  #onError(err: Error): void {
    const oom = (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
    this.#crashError = {
      code: oom ? 'STREAM_MEMORY' : 'STREAM_CRASHED',
      stream: this.init.streamId,
      message: oom ? `worker ran out of memory: ${err.message}` : `worker crashed: ${err.message}`,
    }
  }

  #onExit(code: number): void {
    this.#exited = true
    const live = [...this.#live.values()]
    this.#live.clear()
    for (const sink of live) sink.close(1001, 'stream stopped')
    const tapped = [...this.#taps.values()]
    this.#taps.clear()
    for (const set of tapped) for (const l of set) l.end('stream worker stopped')
    for (const a of this.#rpcCalls.values()) a.abort()
    this.#rpcCalls.clear()
    this.#events.onExit?.()
    for (const id of this.#pendingHttp.handles()) this.#resolveHttp(unavailable(id))
    const gone = this.#exitedError()
    for (const f of this.#replies.drain()) f(gone)
    const error = this.#crashError ?? { code: 'STREAM_CRASHED' as const, stream: this.init.streamId, message: `worker exited with code ${code}` }
    this.#exitError = error
    if (this.#settle) {
      this.#settle({ ok: false, errors: [error] })
    } else if (!this.#stopping) {
      this.#events.onCrash(error)
    }
    for (const w of this.#exitWaiters) w()
  }
}

/** Errors keep their code and location across the port; anything else becomes INTERNAL. */
function rpcError(err: unknown): ErrorData {
  if (err instanceof WeirError) return err.data
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) }
}

function unavailable(id: number): HttpReply {
  const res: HttpResponse = { status: 503, headers: [['Content-Type', 'text/plain; charset=utf-8']], body: 'Service unavailable' }
  return { id, status: res.status, headers: responseHead(res), body: res.body }
}

/** A fresh ArrayBuffer holding `data` (a Buffer may be a view into a shared pool: never transfer that). */
function ownedCopy(data: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(data.byteLength)
  copy.set(data)
  return copy.buffer
}
