/**
 * The supervisor: owns the stream table, spawns one worker per stream, swaps workers atomically on
 * update, restarts crashed ones with back-off, and keeps the shared routes in step. It is closed:
 * records and worker handles never leave it; the API, the metrics exporter, the memory watch and
 * the watcher use the methods and queries below. Returns typed outcomes; only `api/` turns them
 * into status codes.
 */
import { posix } from 'node:path'
import type { Writable } from 'node:stream'
import { weirError, type ErrorData } from '../errors.js'
import type { ConnectionStatus, LiveRequest, LoggerSettings, MetricsSettings, RpcCall, WorkerInit } from '../protocol/messages.js'
import type { Logger } from '../spec/index.js'
import { StreamWorker, type HttpForward, type HttpReply, type LiveHandle, type LiveKind, type LiveSink, type StopOutcome, type TapListener, type WorkerSeries } from './stream-worker.js'
import { backoffDelay, type BackoffPolicy } from './backoff.js'
import { StreamRecord, toLastError, type LastError } from './stream-record.js'
import type { StreamState } from './stream-state.js'
import { StreamRoutes, type RouteSink } from './stream-routes.js'
import type { ResourceHost } from './resource-host.js'
import type { TemplateSource } from '../config/template.js'
import type { StreamStore } from './state-store.js'
import { PriorityGuard, type GuardedWorker } from './priority-guard.js'

export interface HostSettings {
  prefixEndpoints: boolean
  /** `http.root_path`: every endpoint is mirrored below it. */
  rootPath: string
  logger: LoggerSettings
  metrics: MetricsSettings
  /** `-t` template files, compiled again in every worker. */
  templates: readonly TemplateSource[]
  /** Default heap ceiling per stream worker in MB (0 = V8 default). */
  heapLimitMb: number
  /** Deadline for stops without `?timeout=` (API, watcher). */
  defaultStopTimeoutMs: number
  startTimeoutMs: number
  backoff: BackoffPolicy
  /** A worker whose event loop does not answer a ping for this long is killed and restarted (0 = off). */
  heartbeatTimeoutMs: number
  /** Where API streams and paused flags are persisted (`--state-dir`); absent = nowhere. */
  store?: StreamStore
  /** Nice value for busy stream threads when the main thread starves (priority-guard.ts); absent or 0 = off. */
  autoNice?: number
}

export const DEFAULT_STOP_TIMEOUT_MS = 30_000

/** Weir-only stream field for a per-stream heap ceiling; cannot clash with Benthos fields. */
export const HEAP_LIMIT_FIELD = 'x_weir_heap_limit_mb'

export interface StreamSpec {
  config: Record<string, unknown>
  text?: string
  /** `api` or a file path. */
  source: string
  /** Directory for Bloblang imports ('' = cwd). */
  configDir?: string
  /** Start paused (restored from the state directory). */
  paused?: boolean
}

/** Answer of `tap`: a way to leave, or why there is nothing to listen to. */
export type TapOutcome =
  | { ok: true; leave: () => void }
  | { ok: false; reason: 'not_found'; points?: undefined }
  | { ok: false; reason: 'unavailable'; points?: undefined }
  | { ok: false; reason: 'bad_point'; points: string[] }

export type { TapListener } from './stream-worker.js'

export type Outcome = { ok: true } | { ok: false; reason: 'not_found' | 'exists' | 'build' | 'closed'; errors: ErrorData[] }

export type { StreamState } from './stream-state.js'

export interface StreamInfo {
  id: string
  active: boolean
  uptimeSeconds: number
  state: StreamState
  source: string
  generation: number
  restarts: number
  lastError: LastError | null
  nextRetryAt: string | null
  config: Record<string, unknown>
}

/** Whether a request for one of the stream's endpoints can be forwarded now. */
export type Gate = 'open' | 'paused' | 'unavailable'

/** Answer of a readiness route (`/<id>/ready`). */
export type Readiness =
  /** The route is a placeholder left by a deleted stream. */
  | { live: false }
  | { live: true; statuses: readonly ConnectionStatus[]; terminated: boolean }

/** One stream as a metrics scrape sees it (see `metrics/exporter.ts`). */
export interface ScrapeTarget {
  readonly id: string
  /** Asks go to the worker that served the stream when the targets were taken; absent when none did. */
  /** The series the worker wrote last (undefined before its first); never waits on the worker. */
  readonly metrics: (() => WorkerSeries | undefined) | undefined
  /** Asks the worker for its series now (final push and file output at shutdown). */
  readonly refreshMetrics: ((timeoutMs: number) => Promise<WorkerSeries | undefined>) | undefined
  readonly stats: ((timeoutMs: number) => Promise<Record<string, unknown> | undefined>) | undefined
  /** The stream as it is now; undefined once it is deleted. */
  now(): ScrapeFacts | undefined
}

export interface ScrapeFacts {
  state: StreamState
  restarts: number
  /** A worker is there and the stream has not ended (finished streams keep their idle worker). */
  up: boolean
  /** The worker asked is still the stream's worker (not replaced, crashed or stopped since). */
  current: boolean
  /** Event-loop utilisation of the current worker since the previous scrape. */
  elu: number | undefined
}

export interface StreamMemory {
  id: string
  heapUsed: number
  external: number
}

const STOPPED: StopOutcome = { graceful: true, inFlight: 0, forced: false }
const GONE: Readiness = { live: false }

export class Host {
  readonly settings: HostSettings
  readonly resources: ResourceHost
  readonly logger: Logger
  readonly #routes: StreamRoutes
  #streams = new Map<string, StreamRecord>()
  #closed = false
  /** Serialises mutations per id so two PUTs cannot interleave their swaps. */
  #locks = new Map<string, Promise<unknown>>()

  #heartbeat: NodeJS.Timeout | undefined
  readonly #priorityGuard: PriorityGuard | undefined

  constructor(settings: HostSettings, resources: ResourceHost, logger: Logger, routes: RouteSink) {
    this.settings = settings
    this.resources = resources
    this.logger = logger
    this.#routes = new StreamRoutes(routes, settings)
    if (settings.heartbeatTimeoutMs > 0) {
      const every = Math.max(100, Math.min(1000, settings.heartbeatTimeoutMs / 4))
      this.#heartbeat = setInterval(() => this.#checkHeartbeats(), every)
      this.#heartbeat.unref()
    }
    if (settings.autoNice) this.#priorityGuard = new PriorityGuard(settings.autoNice, () => this.#guardedWorkers(), logger)
  }

  *#guardedWorkers(): Iterable<GuardedWorker> {
    for (const rec of this.#streams.values()) {
      const w = rec.worker
      if (w && rec.state === 'running') yield { id: rec.id, busyShare: () => w.busyShare(), lowerPriority: (nice) => w.lowerPriority(nice) }
    }
  }

  /**
   * Finds workers whose event loop stays blocked past the timeout (a spinning mapping, a
   * synchronous loop in a component) and terminates them, which goes through crash recovery. A
   * loop that waited for events, posted a message or wrote to its metrics buffer since the last
   * check was not blocked then and is not asked (StreamWorker.provedAliveSinceLastCheck): pinging
   * every worker woke every idle thread each second (1,000 idle streams: 1,000 round trips a
   * second, and during a mass start the main thread's largest cost), and every busy one's pong
   * woke the main thread.
   */
  #checkHeartbeats(): void {
    const timeout = this.settings.heartbeatTimeoutMs
    for (const rec of this.#streams.values()) {
      const w = rec.worker
      if (!w || w.pinging || w.provedAliveSinceLastCheck()) continue
      w.pinging = true
      void w.ping(timeout).then(
        (alive) => {
          w.pinging = false
          if (alive || w.exited || rec.worker !== w) return
          this.logger.error(`stream worker did not answer a heartbeat within ${timeout}ms; terminating it`, { stream: rec.id })
          void w.kill({ code: 'STREAM_CRASHED', stream: rec.id, message: `worker event loop blocked for more than ${timeout}ms (heartbeat timeout)` })
        },
        // Exited meanwhile: its exit already went through crash recovery or a stop.
        () => (w.pinging = false),
      )
    }
  }

  // ── queries ────────────────────────────────────────────────────────────────────────────────

  get size(): number {
    return this.#streams.size
  }

  ids(): string[] {
    return [...this.#streams.keys()].sort()
  }

  has(id: string): boolean {
    return this.#streams.has(id)
  }

  /** A worker serves the stream now (false while it is failed, restarting or not there). */
  serving(id: string): boolean {
    return this.#streams.get(id)?.worker !== undefined
  }

  info(id: string): StreamInfo | undefined {
    const r = this.#streams.get(id)
    if (!r) return undefined
    const end = r.finishedAt ?? Date.now()
    return {
      id,
      active: r.state !== 'finished' && r.state !== 'failed',
      uptimeSeconds: Math.max(0, end - r.createdAt) / 1000,
      state: r.state,
      source: r.source,
      generation: r.generation,
      restarts: r.restarts,
      lastError: r.lastError,
      nextRetryAt: r.nextRetryAt ? new Date(r.nextRetryAt).toISOString() : null,
      config: r.config,
    }
  }

  /** The stream's own counters (`/streams/{id}/stats`); undefined when there is no such stream. */
  async stats(id: string, timeoutMs = 5000): Promise<Record<string, unknown> | undefined> {
    const rec = this.#streams.get(id)
    if (!rec) return undefined
    const stats = rec.worker ? await rec.worker.stats(timeoutMs).catch(() => undefined) : undefined
    return stats ?? {}
  }

  /** Streams still running whose inputs or outputs are not all connected (for `/ready`). */
  notReady(): string[] {
    const out: string[] = []
    for (const r of this.#streams.values()) {
      if (r.state === 'finished') continue
      const w = r.worker
      if (!w || w.statuses.length === 0 || !w.statuses.every((s) => s.connected)) out.push(r.id)
    }
    return out.sort()
  }

  /** The readiness route at `pathname`, answered from the connection statuses the worker reported. */
  readinessAt(pathname: string): Readiness | undefined {
    const route = this.#routes.readinessAt(pathname)
    if (!route) return undefined
    if (!route.live) return GONE
    const rec = this.#streams.get(route.stream)
    const w = rec?.worker
    return { live: true, statuses: w?.statuses ?? [], terminated: !w || rec!.state === 'finished' }
  }

  /** path → description of every stream route (for `/endpoints`). */
  endpoints(): Map<string, string> {
    return this.#routes.descriptions()
  }

  /** Checked before a request body is read, so a paused or absent stream costs no read. */
  gate(id: string): Gate {
    const rec = this.#streams.get(id)
    if (!rec?.worker) return 'unavailable'
    return rec.paused ? 'paused' : 'open'
  }

  /** Hand one request to the stream's worker; false when no worker serves it (nothing was sent). */
  forward(id: string, req: HttpForward, reply: (r: HttpReply) => void): boolean {
    const w = this.#streams.get(id)?.worker
    if (!w) return false
    w.request(req, reply)
    return true
  }

  /** The kind of live endpoint (streamed response, WebSocket) `endpoint` of stream `id` is, when a worker serves it. */
  liveKind(id: string, endpoint: string): LiveKind | undefined {
    return this.#streams.get(id)?.worker?.liveKind(endpoint)
  }

  /** Opens a live connection on the worker serving `id`; undefined when none serves it or it is paused. */
  openLive(id: string, kind: LiveKind, endpoint: string, request: LiveRequest, sink: LiveSink): LiveHandle | undefined {
    const rec = this.#streams.get(id)
    if (!rec?.worker || rec.paused) return undefined
    return rec.worker.openLive(kind, endpoint, request, sink)
  }

  /**
   * Listen at a tap point of the worker serving `id` now. A later worker (restart, update) is not
   * followed: the listener gets `end` when this one goes, and the client asks again.
   */
  tap(id: string, point: string, listener: TapListener): TapOutcome {
    const rec = this.#streams.get(id)
    if (!rec) return { ok: false, reason: 'not_found' }
    const w = rec.worker
    if (!w) return { ok: false, reason: 'unavailable' }
    if (!w.tapPoints.includes(point)) return { ok: false, reason: 'bad_point', points: [...w.tapPoints] }
    const leave = w.tap(point, listener)
    return leave ? { ok: true, leave } : { ok: false, reason: 'unavailable' }
  }

  /** Points the stream's current worker can tap (none without a worker). */
  tapPoints(id: string): string[] {
    return [...(this.#streams.get(id)?.worker?.tapPoints ?? [])]
  }

  /** Points the stream's current worker samples for tap clients (main thread's view). */
  tapped(id: string): string[] {
    return this.#streams.get(id)?.worker?.tappedPoints ?? []
  }

  /** One target per stream for a metrics scrape, bound to the worker serving it now. */
  scrapeTargets(): ScrapeTarget[] {
    const out: ScrapeTarget[] = []
    for (const id of this.ids()) {
      const w = this.#streams.get(id)!.worker
      out.push({
        id,
        metrics: w && (() => w.metricsSnapshot),
        refreshMetrics: w && ((t) => w.refreshMetrics(t)),
        stats: w && ((t) => w.stats(t)),
        now: () => {
          const rec = this.#streams.get(id)
          if (!rec) return undefined
          const cur = rec.worker
          return {
            state: rec.state,
            restarts: rec.restarts,
            up: cur !== undefined && (rec.state === 'running' || rec.state === 'paused'),
            current: w !== undefined && cur === w,
            elu: cur ? utilization(cur) : undefined,
          }
        },
      })
    }
    return out
  }

  /** Every serving worker's own heap and off-heap bytes, largest first; silent workers are left out. */
  async memoryUsage(timeoutMs: number): Promise<StreamMemory[]> {
    const asks = [...this.#streams.values()].map(async (rec) => {
      const m = await rec.worker?.memory(timeoutMs).catch(() => undefined)
      return m ? { id: rec.id, heapUsed: m.heapUsed, external: m.external } : undefined
    })
    const all = (await Promise.all(asks)).filter((m): m is StreamMemory => m !== undefined)
    return all.sort((a, b) => b.heapUsed + b.external - (a.heapUsed + a.external))
  }

  // ── commands ───────────────────────────────────────────────────────────────────────────────

  /**
   * Kill the stream's worker now; it goes through crash recovery with `reason` as its last error
   * (back-off, then a restart). False when no worker serves the stream.
   */
  async restartWorker(id: string, reason: ErrorData): Promise<boolean> {
    const w = this.#streams.get(id)?.worker
    if (!w) return false
    await w.kill(reason)
    return true
  }

  /** Create a new stream; fails when the id exists. */
  create(id: string, spec: StreamSpec): Promise<Outcome> {
    return this.#locked(id, async () => {
      if (this.#closed) return { ok: false, reason: 'closed', errors: [weirError('STREAM_BUILD', 'host is shutting down').data] }
      if (this.#streams.has(id)) return { ok: false, reason: 'exists', errors: [weirError('STREAM_EXISTS', 'Stream already exists', { stream: id }).data] }
      const rec = new StreamRecord(id, spec)
      this.#streams.set(id, rec)
      const res = await this.#spawn(rec, spec)
      if (!res.ok) {
        this.#streams.delete(id)
        return { ok: false, reason: 'build', errors: res.errors }
      }
      this.#install(rec, res.worker)
      this.#persist(rec)
      return { ok: true }
    })
  }

  /**
   * Create a stream that failed before it could be built (bad file): it is listed as `failed`
   * with its error so the failure is visible, and a later good version replaces it. A stream a
   * worker still serves keeps serving and only shows the error.
   */
  recordFailure(id: string, spec: StreamSpec, errors: ErrorData[]): void {
    const rec = this.#streams.get(id) ?? new StreamRecord(id, spec)
    if (!rec.worker) {
      this.#move(rec, 'failed')
      rec.config = spec.config
      rec.text = spec.text
    }
    rec.lastError = toLastError(errors[0] ?? weirError('STREAM_BUILD', 'unknown failure').data)
    this.#streams.set(id, rec)
  }

  /** Forget a recorded failure (the file went back to the running content). */
  clearError(id: string): void {
    const rec = this.#streams.get(id)
    if (rec?.worker) rec.lastError = null
  }

  /**
   * Replace a stream's config. The new worker is built while the old one serves; routes switch in
   * one step when it is ready, then the old one drains. If the new one fails the old keeps running.
   * A stream holding an exclusive resource (its own port) falls back to stop-then-start and is
   * restored from the old config if the new one fails. Failures are returned, not logged: the
   * caller reports them once.
   */
  update(id: string, spec: StreamSpec, stopTimeoutMs = this.settings.defaultStopTimeoutMs): Promise<Outcome> {
    return this.#locked(id, async () => {
      const rec = this.#streams.get(id)
      if (!rec) return notFound(id)
      const old = rec.worker
      const oldSpec: StreamSpec = { config: rec.config, source: rec.source, ...(rec.text !== undefined ? { text: rec.text } : {}) }
      let res = await this.#spawn(rec, spec)
      if (!res.ok && old && holdsAddress(res.errors)) {
        this.logger.info('new config needs a resource the running stream holds; stopping it first', { stream: id })
        this.#move(rec, 'stopping')
        await this.#retire(rec, old, stopTimeoutMs)
        res = await this.#spawn(rec, spec)
        if (!res.ok) {
          const restored = await this.#spawn(rec, oldSpec)
          if (restored.ok) this.#install(rec, restored.worker)
          else {
            rec.worker = undefined
            this.#move(rec, 'failed')
          }
          rec.lastError = toLastError(res.errors[0]!)
          return { ok: false, reason: 'build', errors: res.errors }
        }
        this.#adopt(rec, spec)
        this.#install(rec, res.worker)
        this.#persist(rec)
        return { ok: true }
      }
      if (!res.ok) {
        rec.lastError = toLastError(res.errors[0]!)
        if (!old) this.#move(rec, 'failed')
        return { ok: false, reason: 'build', errors: res.errors }
      }
      this.#adopt(rec, spec)
      this.#install(rec, res.worker)
      this.#persist(rec)
      if (old) await this.#retire(rec, old, stopTimeoutMs)
      return { ok: true }
    })
  }

  /**
   * An operator's restart: a fresh worker from the stream's current config replaces the running
   * one as an update does (the old one serves until the new one is ready); a failed, restarting or
   * crash-looping stream is started now instead of at its next retry. Counted in `restarts`.
   */
  async restart(id: string, stopTimeoutMs = this.settings.defaultStopTimeoutMs): Promise<Outcome> {
    const rec = this.#streams.get(id)
    if (!rec) return notFound(id)
    const spec: StreamSpec = { config: rec.config, source: rec.source, ...(rec.text !== undefined ? { text: rec.text } : {}) }
    const out = await this.update(id, spec, stopTimeoutMs)
    if (out.ok) {
      const now = this.#streams.get(id)
      if (now) now.restarts += 1
    }
    return out
  }

  /** Stop and remove. A stop past its deadline still removes the stream (forced). */
  delete(id: string, stopTimeoutMs = this.settings.defaultStopTimeoutMs): Promise<Outcome & { stop?: StopOutcome }> {
    return this.#locked(id, async () => {
      const rec = this.#streams.get(id)
      if (!rec) return notFound(id)
      this.#move(rec, 'stopping')
      clearTimeout(rec.retryTimer)
      const w = rec.worker
      rec.worker = undefined
      this.#routes.withdraw(id, rec.routes)
      this.#streams.delete(id)
      // Shutdown stops every stream too, but what was persisted must come back on the next start.
      if (!this.#closed) this.settings.store?.remove(id)
      const stop = w ? await w.stop(stopTimeoutMs) : STOPPED
      this.#reportForcedStop('stream did not drain within its deadline and was terminated', id, stop, stopTimeoutMs)
      return { ok: true, stop }
    })
  }

  pause(id: string): Outcome {
    const rec = this.#streams.get(id)
    if (!rec) return notFound(id)
    rec.paused = true
    rec.worker?.pause()
    if (rec.state === 'running') this.#move(rec, 'paused')
    this.#persist(rec)
    return { ok: true }
  }

  resume(id: string): Outcome {
    const rec = this.#streams.get(id)
    if (!rec) return notFound(id)
    rec.paused = false
    rec.worker?.resume()
    if (rec.state === 'paused') this.#move(rec, 'running')
    this.#persist(rec)
    return { ok: true }
  }

  /** Stop every stream in parallel within `timeoutMs`; true when all drained gracefully. */
  async close(timeoutMs: number): Promise<{ failed: string[] }> {
    this.#closed = true
    clearInterval(this.#heartbeat)
    this.#priorityGuard?.close()
    const ids = [...this.#streams.keys()]
    const results = await Promise.all(ids.map(async (id) => ({ id, r: await this.delete(id, timeoutMs) })))
    return { failed: results.filter(({ r }) => r.ok && r.stop && (r.stop.forced || !r.stop.graceful)).map(({ id }) => id) }
  }

  // ── machinery ──────────────────────────────────────────────────────────────────────────────

  /**
   * The one place a stream's state changes. A refused move is a supervisor bug: it is logged with
   * its code and the state stays as it was, rather than taking the process down from a callback.
   */
  #move(rec: StreamRecord, to: StreamState): void {
    const refused = rec.moveTo(to)
    if (refused) this.logger.error(refused.message, { stream: rec.id, code: refused.code })
  }

  /** API streams are saved whole; a file stream only needs its paused flag remembered. */
  #persist(rec: StreamRecord): void {
    const store = this.settings.store
    if (!store) return
    if (rec.source === 'api') store.save({ id: rec.id, source: 'api', config: rec.config, paused: rec.paused })
    else if (rec.paused) store.save({ id: rec.id, source: rec.source, paused: true })
    else store.remove(rec.id)
  }

  #adopt(rec: StreamRecord, spec: StreamSpec): void {
    rec.config = spec.config
    rec.text = spec.text
    rec.source = spec.source
  }

  #spawn(rec: StreamRecord, spec: StreamSpec): ReturnType<typeof StreamWorker.spawn> {
    const init: WorkerInit = {
      streamId: rec.id,
      config: spec.config,
      ...(spec.text !== undefined ? { sourceText: spec.text } : {}),
      file: spec.source === 'api' ? '' : spec.source,
      configDir: spec.configDir ?? (spec.source === 'api' ? '' : posix.dirname(spec.source)),
      componentResources: this.resources.componentConfigs(),
      sharedResources: this.resources.sharedLabels(),
      resourceConnections: this.resources.connections(),
      logger: this.settings.logger,
      metrics: this.settings.metrics,
      templates: [...this.settings.templates],
      paused: rec.paused,
    }
    // Calls, transactions handed to this worker and resource changes go through its session.
    const session = this.resources.session(rec.id)
    const heap = heapLimitOf(spec.config) ?? this.settings.heapLimitMb
    // Callbacks can only fire after spawn settled, by which time `ref.worker` is set.
    const ref: { worker?: StreamWorker } = {}
    return StreamWorker.spawn(
      init,
      {
        onFinished: () => this.#onFinished(rec.id, ref.worker),
        onCrash: (e) => this.#onCrash(rec.id, ref.worker, e),
        onStatus: () => {},
        onRpc: (call: RpcCall, signal: AbortSignal) => session.call(call, signal),
        onExit: () => session.close(),
      },
      { startTimeoutMs: this.settings.startTimeoutMs, stdin: readsStdin(spec.config), ...(heap > 0 ? { heapLimitMb: heap } : {}) },
    ).then((r) => {
      if (r.ok) {
        ref.worker = r.worker
        session.attach((u) => r.worker.pushResources(u))
      }
      return r
    })
  }

  /**
   * Make `w` the stream's worker and point its routes at it in one step. False when `w` already
   * died: Node drains a thread's port as it exits, so its `ready` can be read in the same turn as
   * its exit, whose crash report then found no installed worker to match; it is retried instead.
   */
  #install(rec: StreamRecord, w: StreamWorker): boolean {
    if (w.exited) {
      this.#retryLater(rec, w.exitError ?? { code: 'STREAM_CRASHED', stream: rec.id, message: 'worker exited' }, true)
      return false
    }
    rec.worker = w
    if (w.stdin) pipeStdin(w.stdin)
    // A PUT that fixes a crash-looping stream supersedes its pending retry.
    clearTimeout(rec.retryTimer)
    rec.retryTimer = undefined
    rec.nextRetryAt = undefined
    rec.generation += 1
    this.#move(rec, rec.paused ? 'paused' : 'running')
    rec.finishedAt = undefined
    rec.lastError = null
    rec.createdAt = Date.now()
    rec.routes = this.#routes.publish(rec.id, w.endpoints, rec.routes)
    return true
  }

  async #retire(rec: StreamRecord, old: StreamWorker, timeoutMs: number): Promise<void> {
    // Routes already point at the new worker: let the old one answer what it was handed while it
    // still runs normally, so a reload refuses no request; then drain and stop it.
    const started = Date.now()
    let timer: NodeJS.Timeout | undefined
    await Promise.race([old.httpIdle(), new Promise<void>((r) => (timer = setTimeout(r, timeoutMs / 2)))])
    clearTimeout(timer)
    const stop = await old.stop(Math.max(0, timeoutMs - (Date.now() - started)))
    this.#reportForcedStop('previous worker did not drain within its deadline and was terminated', rec.id, stop, timeoutMs)
  }

  /** Names what held the drain and how much was in flight, so a forced stop is never silent. */
  #reportForcedStop(msg: string, id: string, stop: StopOutcome, timeoutMs: number): void {
    if (stop.graceful && !stop.forced) return
    this.logger.warn(msg, { stream: id, held_by: stop.heldBy ?? 'unknown', in_flight: stop.inFlight, timeout_ms: timeoutMs })
  }

  #onFinished(id: string, w: StreamWorker | undefined): void {
    const rec = this.#streams.get(id)
    // A worker being stopped for a stop-first update may still report its input's end.
    if (!rec || rec.worker !== w || rec.state === 'stopping') return
    this.#move(rec, 'finished')
    rec.finishedAt = Date.now()
    this.logger.info('stream finished', { stream: id })
  }

  #onCrash(id: string, w: StreamWorker | undefined, error: ErrorData): void {
    const rec = this.#streams.get(id)
    // A worker that never became ready (its build failed) is not restarted: only a running one is.
    if (!rec || !w || rec.worker !== w) return
    this.#retryLater(rec, error)
  }

  /**
   * The stream's worker died, or (`restartFailed`) a restart's new one did before it was ready:
   * back off, then `#restart`. A failed restart always lengthens the streak.
   */
  #retryLater(rec: StreamRecord, error: ErrorData, restartFailed = false): void {
    const id = rec.id
    const policy = this.settings.backoff
    const stableFor = Date.now() - rec.createdAt
    rec.crashStreak = !restartFailed && stableFor >= policy.stableMs ? 1 : rec.crashStreak + 1
    rec.lastError = toLastError(error)
    rec.worker = undefined
    const delay = backoffDelay(policy, rec.crashStreak)
    rec.nextRetryAt = Date.now() + delay
    this.#move(rec, rec.crashStreak >= policy.loopThreshold ? 'crash_looping' : 'restarting')
    this.logger.error('stream worker crashed; restarting', { stream: id, error: error.message, retry_in_ms: delay, crashes: rec.crashStreak })
    rec.retryTimer = setTimeout(() => void this.#restart(id), delay)
    rec.retryTimer.unref()
  }

  #restart(id: string): Promise<unknown> {
    return this.#locked(id, async () => {
      const rec = this.#streams.get(id)
      if (!rec || rec.worker || this.#closed) return
      rec.nextRetryAt = undefined
      const res = await this.#spawn(rec, { config: rec.config, source: rec.source, ...(rec.text !== undefined ? { text: rec.text } : {}) })
      if (!this.#streams.has(id)) {
        if (res.ok) await res.worker.stop(1000)
        return
      }
      rec.restarts += 1
      if (res.ok) {
        const lastError = rec.lastError
        if (this.#install(rec, res.worker)) rec.lastError = lastError
        return
      }
      // A restart whose worker dies before it is ready (a crash at once, which can beat its ready
      // under load) is one more crash: without this the stream sat in `restarting` for good.
      this.#retryLater(rec, res.errors[0]!, true)
    })
  }

  #locked<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#locks.get(id) ?? Promise.resolve()
    const next = prev.then(fn, fn)
    const tail = next.catch(() => undefined)
    this.#locks.set(id, tail)
    void tail.then(() => {
      if (this.#locks.get(id) === tail) this.#locks.delete(id)
    })
    return next
  }
}

function notFound(id: string): Outcome & { ok: false } {
  return { ok: false, reason: 'not_found', errors: [weirError('STREAM_NOT_FOUND', 'Stream not found', { stream: id }).data] }
}

function utilization(w: StreamWorker): number | undefined {
  try {
    return w.eventLoopUtilization()
  } catch {
    // A worker that exited between the table read and now has no loop to measure.
    return undefined
  }
}

/** The default input is `stdin` (spec §3.3), so a stream without an input reads it too. */
function readsStdin(config: Record<string, unknown>): boolean {
  const input = config.input
  if (input === undefined || input === null) return true
  if (typeof input !== 'object') return false
  const i = input as Record<string, unknown>
  return 'stdin' in i || i.type === 'stdin'
}

/**
 * The process has one stdin: the newest worker that reads it gets it (a replaced worker hands it
 * over). Several streams reading stdin at once is not meaningful and the last one wins.
 */
let stdinTarget: Writable | undefined
function pipeStdin(target: Writable): void {
  if (stdinTarget) process.stdin.unpipe(stdinTarget)
  stdinTarget = target
  process.stdin.pipe(target)
}

function heapLimitOf(config: Record<string, unknown>): number | undefined {
  const v = config[HEAP_LIMIT_FIELD]
  return typeof v === 'number' && v > 0 ? v : undefined
}

/** The new worker could not bind an address the running one holds: stop the old one first. */
function holdsAddress(errors: ErrorData[]): boolean {
  return errors.some((e) => e.code === 'HTTP_ADDRESS_IN_USE')
}
