/**
 * Every message exchanged between the main thread and a stream worker. Nothing else crosses the
 * port: both sides switch on `type` and end with `assertNever`, so a new message breaks the build
 * until it is handled.
 *
 * Ordering: the worker sends exactly one of `ready` | `failed` after `init` (`ready` after the
 * first `metrics.buffer`, so a stream's series are readable as soon as it is); then any number of
 * `http.frame`, `status`, `rpc.*`, `*.response`; then `finished` (input exhausted) and/or `stopped`
 * (answer to `stop`). HTTP: every request in an `http.frame` gets exactly one response in a later
 * `http.frame`. Resources: every `rpc.call` gets one `rpc.reply` unless the worker sent
 * `rpc.cancel` for it first (a reply may still cross the cancel: a transaction in it is nacked
 * back); a transaction in a reply is answered by exactly one `{ kind: 'ack' }` call, or nacked by
 * the main thread when the worker exits. `resources.update` and `resources.status` may come at any
 * time after `ready`.
 * Taps: `tap.events` for a point come only between its `tap.start` and `tap.stop` (one subscription
 * per point, however many clients the main thread serves from it).
 */
import type { ErrorData } from '../errors.js'
import type { LoggerSettings } from '../util/logger.js'
import type { Value } from '../value/value-types.js'

export type { LoggerSettings }

/** Passed as `workerData` when the worker is spawned. */
export interface WorkerInit {
  streamId: string
  /** Stream config as a plain object (after env interpolation, without defaults). */
  config: Record<string, unknown>
  /** Original YAML text when known, so build errors can be located (line/col). */
  sourceText?: string
  /** File the stream came from ('' for API streams). */
  file: string
  /** Directory for Bloblang `import`/`from` ('' = process cwd). */
  configDir: string
  /** Processor/input/output resource configs by label (built locally in the worker). */
  componentResources: { processor: Record<string, unknown>; input: Record<string, unknown>; output: Record<string, unknown> }
  /** Labels of the resources hosted by the main thread (caches, rate limits, inputs, outputs). */
  sharedResources: { cache: string[]; rate_limit: string[]; input: string[]; output: string[] }
  /** Connection of the input and output resources as the worker starts (`resources.status` follows; absent: none known yet). */
  resourceConnections?: ResourceConnections
  logger: LoggerSettings
  metrics: MetricsSettings
  /** `-t` template files (path and text); the worker compiles them into its registry. */
  templates: { file: string; text: string }[]
  /** Start paused (consume nothing until `resume`). */
  paused: boolean
}


/**
 * Whether each input and output resource (by label) is connected, for the streams reading or
 * writing it to report. A label not listed has not tried to connect yet and counts as connected.
 */
export interface ResourceConnections {
  input: Record<string, boolean>
  output: Record<string, boolean>
}

export interface MetricsSettings {
  /** Bloblang source of `metrics.mapping` ('' = none). */
  mapping: string
  useHistogramTiming: boolean
  histogramBuckets: number[]
  summaryQuantiles: { quantile: number; error: number }[]
}

/** An endpoint the stream registered on the shared server (path before prefixing). */
export interface EndpointInfo {
  path: string
  description: string
  /** A long-lived endpoint: a streamed response or a WebSocket, relayed as `live.*` messages. */
  live?: 'stream' | 'socket'
}

/** The request that opened a live connection (no body). */
export interface LiveRequest {
  method: string
  path: string
  query: string
  rawHeaders: string[]
  remoteAddress: string
  params: Record<string, string>
}

/**
 * One live connection, by `id` (chosen by the main thread):
 *
 *   main  live.open ─▶ worker
 *   main ◀─ live.head  (stream: the response head; socket: 101 accepts, anything else refuses
 *                       with that response, its body in live.data, then live.close)
 *   main ◀─▶ live.data (stream: body chunks to the client; socket: messages both ways)
 *   main ◀─▶ live.close (either side, once; after it nothing more for this id)
 */
export type LiveData = { id: number; data: ArrayBuffer | string; binary: boolean }

export interface ConnectionStatus {
  label: string
  path: string
  connected: boolean
  error?: string
}

/**
 * One entry of a packed HTTP frame (layout in http-frames.ts); null stands for the string at the
 * same place in the frame's previous entry.
 */
export type HttpField = string | number | ArrayBuffer | null

/**
 * The HTTP requests or responses of one loop turn, packed (http-frames.ts): cheaper to clone than
 * one object per request.
 */
export interface HttpFrame {
  /** Entries (requests or responses) in `fields`: a frame cut short is refused, not half-read. */
  count: number
  fields: HttpField[]
  /** Small bodies back to back; transferred. */
  bodies: ArrayBuffer
}

export type MainToWorker =
  | { type: 'http.frame'; frame: HttpFrame }
  | { type: 'stop'; deadlineMs: number }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stats.request'; id: number }
  /** Write a snapshot now (answered by a `metrics.response` once the buffer holds it). */
  | { type: 'metrics.request'; id: number }
  | { type: 'rpc.reply'; id: number; ok: true; value: RpcValue }
  | { type: 'rpc.reply'; id: number; ok: false; error: ErrorData }
  | { type: 'ping'; id: number }
  /** Lower the thread's CPU priority to this nice value (supervisor/priority-guard.ts). */
  | { type: 'priority'; nice: number }
  | { type: 'memory.request'; id: number }
  | { type: 'live.open'; id: number; kind: 'stream' | 'socket'; endpoint: string; request: LiveRequest }
  | ({ type: 'live.data' } & LiveData)
  | { type: 'live.close'; id: number; code?: number; reason?: string }
  /** Processor/input/output resource configs changed (`POST /resources`, resource files). */
  | { type: 'resources.update'; componentResources: WorkerInit['componentResources']; sharedResources: WorkerInit['sharedResources'] }
  /** An input or output resource connected or lost its connection: every label's state. */
  | { type: 'resources.status'; connections: ResourceConnections }
  /** Someone listens at a tap point (one of `ready.taps`): sample it until `tap.stop`. */
  | { type: 'tap.start'; point: string }
  /** The last listener of the point left: back to one slot read per batch. */
  | { type: 'tap.stop'; point: string }

/**
 * A batch crossing the port: every content back to back in one transferred buffer, metadata and
 * error flags beside it (structured clone copies them; they are small next to the contents).
 */

/** What the main thread tells workers of its resources: changed configs and labels, connection changes. */
export type ResourceMessage = Extract<MainToWorker, { type: 'resources.update' | 'resources.status' }>

export interface WireBatch {
  data: ArrayBuffer
  sizes: number[]
  /** Metadata entries per message (null = none). */
  meta: ([string, Value][] | null)[]
  errors: ({ message: string; sourceName?: string; sourceLabel?: string; sourcePath?: string } | null)[]
}

/** A transaction handed to one worker; it answers with `{ kind: 'ack', tx }` exactly once. */
export interface WireTx {
  tx: number
  batch: WireBatch
}

/**
 * Resource calls a worker makes to the main thread. Shared inputs (`input` resources, `inproc`
 * readers) answer `read` with a WireTx or null (end of input); `write`s resolve once the host-wide
 * output (or the inproc reader) acked, and fail with its nack.
 */
export type RpcCall =
  | { kind: 'cache'; name: string; op: 'get' | 'delete'; key: string }
  | { kind: 'cache'; name: string; op: 'set' | 'add'; key: string; value: Uint8Array; ttlMs?: number }
  | { kind: 'rate_limit'; name: string; op: 'access' }
  | { kind: 'input' | 'inproc'; name: string; op: 'read' }
  | { kind: 'output' | 'inproc'; name: string; op: 'write'; batch: WireBatch }
  | { kind: 'ack'; tx: number; error?: string }

/** What an rpc call answers: cache values, rate-limit waits, transactions; null = nothing. */
export type RpcValue = null | number | Uint8Array | WireTx

export type WorkerToMain =
  /** `taps`: the points `tap.start` accepts (`input`, `processor:N`, `output`). */
  | { type: 'ready'; endpoints: EndpointInfo[]; statuses: ConnectionStatus[]; taps: string[] }
  | { type: 'failed'; errors: ErrorData[] }
  | { type: 'http.frame'; frame: HttpFrame }
  | { type: 'status'; statuses: ConnectionStatus[] }
  | { type: 'finished' }
  /**
   * The graceful drain ran out and the stream is being forced: what held it, sent ahead of
   * `stopped` so the main thread can name it even when its own deadline fires first.
   */
  | { type: 'stop.forcing'; heldBy: string; inFlight: number }
  | { type: 'stopped'; graceful: boolean; heldBy?: string; inFlight: number }
  | { type: 'rpc.call'; id: number; call: RpcCall }
  /** The caller gave up on call `id` (its read was aborted); a late transaction is handed on. */
  | { type: 'rpc.cancel'; id: number }
  | { type: 'stats.response'; id: number; stats: Record<string, unknown> }
  /**
   * The buffer the worker writes its metrics snapshots to (snapshot-buffer.ts): sent once before
   * `ready`, and again whenever its series outgrow it; the main thread reads the latest one.
   */
  | { type: 'metrics.buffer'; buffer: SharedArrayBuffer }
  /** The snapshot buffer now holds the series as of the `metrics.request` with this id. */
  | { type: 'metrics.response'; id: number }
  | { type: 'pong'; id: number }
  /** This thread's own memory: V8 heap and off-heap (Buffers, ArrayBuffers) bytes. */
  | { type: 'memory.response'; id: number; heapUsed: number; external: number; arrayBuffers: number }
  | { type: 'fatal'; error: ErrorData }
  | { type: 'live.head'; id: number; status: number; headers: [string, string][] }
  | ({ type: 'live.data' } & LiveData)
  | { type: 'live.close'; id: number; code?: number; reason?: string }
  /** Samples taken at a tapped point since the previous batch of them (at most ~10 posts/s). */
  | { type: 'tap.events'; point: string; events: TapEvent[] }

/** One message seen at a tap point, bounded (content cut at the worker's limit). */
export interface TapEvent {
  /** Wall-clock ms when it passed. */
  at: number
  /** Content as UTF-8 text (invalid bytes replaced), cut to the limit when `truncated`. */
  content: string
  /** Full content size in bytes. */
  bytes: number
  truncated: boolean
  metadata: Record<string, string>
  /** The message carries an error flag (a processor failed it). */
  error?: string
  /** Messages that passed unsampled (rate limit) just before this one. */
  skipped?: number
}

export function assertNever(x: never): never {
  throw new Error(`unhandled protocol message: ${JSON.stringify(x)}`)
}

/** What a pool thread is started with (piscina `workerData`). */
export interface PipelinePoolInit {
  streamId: string
  /** Raw `pipeline.processors` configs, built again in every pool thread. */
  processors: unknown[]
  configDir: string
  templates: { file: string; text: string }[]
  /** Processor resource configs by label (`resource` processors build them locally). */
  processorResources: Record<string, unknown>
  logger: LoggerSettings
}

/** One metric update made inside a pool thread, replayed on the stream's own registry. */
export interface MetricDelta {
  kind: 'counter' | 'gauge' | 'timer'
  path: string
  label: string
  name: string
  labelNames: string[]
  labelValues: string[] | undefined
  value: number
}

/** One batch for a pool thread (wire-batch.ts packing). */
export interface PipelineTask {
  batch: WireBatch
}

export type PipelineResult = { ok: true; batches: WireBatch[]; metrics: MetricDelta[] } | { ok: false; error: ErrorData; metrics: MetricDelta[] }
