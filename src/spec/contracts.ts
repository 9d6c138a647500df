/**
 * Runtime contracts between the stream engine and components (inputs, processors, outputs,
 * buffers, caches, rate limits). Components never see threads or ports: the worker supplies a
 * context whose HTTP registry, resources and metrics are already wired.
 */
import type { Batch, Message } from '../message/message.js'
import type { ComponentKind, InstanceOf } from './component.js'
import type { Logger } from '../util/logger.js'

export type { Logger }
import type { HttpResponse } from '../http/index.js'

/** A batch with its acknowledgement. `ack` is called exactly once: `undefined` = success. */
export interface Transaction {
  batch: Batch
  ack(err?: Error): void
}

/** Returned by `Input.read` when the input has no more data (the stream then finishes). */
export const END_OF_INPUT: unique symbol = Symbol('end-of-input')
export type ReadResult = Transaction | typeof END_OF_INPUT

export interface Input {
  /** Resolves once reads can start; throwing means "not connected", retried with back-off. */
  connect(signal: AbortSignal): Promise<void>
  /** Next transaction; resolves END_OF_INPUT when exhausted. Rejects on `signal` abort. */
  read(signal: AbortSignal): Promise<ReadResult>
  /** Stop taking new data (soft stop). In-flight transactions still get their acks. */
  close(): Promise<void>
  /** Whether the input is connected, for `/ready`. */
  connected(): boolean
  /**
   * The engine re-emits nacked batches ahead of new data until they are acked (spec §13.2,
   * `auto_replay_nacks`). Absent = false.
   */
  readonly replayNacks?: boolean
  /**
   * For inputs that are handed data (http_server): when everything after the input is synchronous,
   * the engine offers a lane that runs a transaction through the rest of the stream within the
   * call, instead of the input waiting to be read (see stream/stream.ts).
   */
  useDirectLane?(lane: DirectLane): void
  /** Whether the engine emits `input_connection_*` for this input (absent = true; `http_server` has none). */
  readonly connectionMetrics?: boolean
  /**
   * For inputs whose client reconnects on its own (NATS): calls `onChange` whenever `connected()`
   * may have changed, so the stream's reported status (`/ready`, state) follows an outage that no
   * read or connect call saw.
   */
  watchConnection?(onChange: () => void): void
}

/**
 * Runs `tx` through the pipeline and output of a stream before returning; `tx.ack` has then been
 * called. false: the lane is closed for now (paused, stopping) and the input must use `read`.
 */
export type DirectLane = (tx: Transaction) => boolean

export interface Processor {
  /**
   * Process one batch. Returns zero or more batches (empty = all filtered, acked upstream).
   * Processors never reject: failures flag messages (`msg.error`) and pass them on.
   */
  process(batch: Batch): Promise<Batch[]> | Batch[]
  close(): Promise<void>
  /** `process` always returns its batches directly, never a promise. */
  readonly synchronous?: boolean
}

export interface Output {
  connect(signal: AbortSignal): Promise<void>
  /** Write one batch; resolving = acknowledged, throwing = nack with that error. */
  write(batch: Batch, signal: AbortSignal): Promise<void>
  /** `write` done synchronously (throwing = nack), for outputs that never wait. */
  writeSync?(batch: Batch): void
  close(): Promise<void>
  connected(): boolean
  /** Concurrent writes allowed (`max_in_flight`, 1 for stdout/file). */
  readonly maxInFlight: number
  /** As `Input.watchConnection`: `onChange` whenever `connected()` may have changed. */
  watchConnection?(onChange: () => void): void
  /**
   * Upstream closed: no write will follow the ones already started. Outputs that hold writes back
   * (a `batching` policy) flush now so the stream can drain.
   */
  endOfInput?(): void
}

/** A buffer sits between input and pipeline; it may ack before delivery (spec §13.6). */
export interface Buffer {
  write(tx: Transaction, signal: AbortSignal): Promise<void>
  read(signal: AbortSignal): Promise<ReadResult>
  /** No more writes: reads drain what is left, then END_OF_INPUT. */
  endOfInput(): void
  close(): Promise<void>
}

export interface Cache {
  get(key: string): Promise<Uint8Array | undefined>
  set(key: string, value: Uint8Array, ttlMs?: number): Promise<void>
  /** Fails with a duplicate error when the key exists. */
  add(key: string, value: Uint8Array, ttlMs?: number): Promise<void>
  delete(key: string): Promise<void>
  close(): Promise<void>
}

export interface RateLimit {
  /** 0 = go ahead, otherwise milliseconds to wait before trying again. */
  access(): Promise<number>
  close(): Promise<void>
}

/** Splits a byte stream into batches (`lines`, `to_the_end`, ...), for `stdin` and `file`. */
export interface Scanner {
  /** One reader per source (a file, stdin); the source is consumed lazily. */
  open(source: AsyncIterable<Uint8Array>): ScannerReader
  close(): Promise<void>
}

export interface ScannerReader {
  /** Next batch, or undefined once the source is exhausted. Rejects on a read or size error. */
  next(): Promise<Batch | undefined>
}

export type ComponentInstance = Input | Processor | Output | Buffer | Cache | RateLimit | Scanner

/** An HTTP request handed to a stream endpoint (already read in full, body transferred). */
export interface EndpointRequest {
  method: string
  /** URL path as received (including any stream prefix). */
  path: string
  /** Raw query string without `?`. */
  query: string
  /** Headers as received, flat: name, value, name, value... (names as sent, repeats kept). */
  rawHeaders: string[]
  body: Uint8Array
  remoteAddress: string
  /** Path parameters from `{name}` templates. */
  params: Record<string, string>
}

/** A complete response; its headers are the one handler-side shape (`HeaderPairs`, src/http). */
export type EndpointResponse = HttpResponse

/** May answer within the call (a response) or later (a promise). */
export type EndpointHandler = (req: EndpointRequest, signal: AbortSignal) => EndpointResponse | Promise<EndpointResponse>

/** Registry of HTTP endpoints on the shared server (paths are prefixed by the host, not here). */
export interface EndpointRegistry {
  register(path: string, description: string, handler: EndpointHandler): void
}


/** Metric handles a component uses; label values (`label`, `path`, `stream`) are bound already. */
export interface MetricsView {
  counter(name: string, labelNames?: string[]): { inc(n?: number, labelValues?: string[]): void }
  gauge(name: string, labelNames?: string[]): { set(v: number, labelValues?: string[]): void }
  /** Timer in nanoseconds (names end `_ns`). */
  timer(name: string, labelNames?: string[]): { observe(ns: number, labelValues?: string[]): void }
}

export interface Resources {
  cache(name: string): Cache
  rateLimit(name: string): RateLimit
  hasCache(name: string): boolean
  hasRateLimit(name: string): boolean
  hasInput(name: string): boolean
  hasOutput(name: string): boolean
  /**
   * A reader of the host-wide input resource `name`: every stream reading it competes, so each
   * transaction reaches one of them.
   */
  input(name: string): Input
  /** A writer to the host-wide output resource `name`; each write is acked back to its caller. */
  output(name: string): Output
  /** A reader of the host-wide `inproc` exchange `name` (competing with other readers). */
  inprocInput(name: string): Input
  /** A writer to the `inproc` exchange `name`: a write resolves once a reader acked it. */
  inprocOutput(name: string): Output
  /**
   * Config of a processor resource, to be built locally by the caller. The same object is returned
   * until the resource is replaced, so a changed identity means "rebuild".
   */
  componentConfig(kind: 'input' | 'processor' | 'output', name: string): unknown | undefined
}

export interface ComponentContext {
  /** Stream id ('' for resources built at the root). */
  stream: string
  /** Metrics path of this component, e.g. `root.pipeline.processors.0`. */
  path: string
  label: string
  logger: Logger
  metrics: MetricsView
  resources: Resources
  endpoints: EndpointRegistry
  /** Directory of the config file, for `import`/`from` in Bloblang ('' for API streams). */
  configDir: string
  /** Build a nested component (brokers, switch cases, try/catch children). */
  build<K extends ComponentKind>(kind: K, conf: unknown, path: string): Promise<InstanceOf<K>>
  /** Aborted when the stream is stopping. */
  signal: AbortSignal
}

export type { Batch, Message }
