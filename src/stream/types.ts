/** What a stream needs from its host, and what the host gets back. */
import type { SpecLookup } from '../spec/index.js'
import type { EndpointRegistry, Logger, MetricsView, Resources } from '../spec/index.js'
import type { ConnectionStatus, PipelinePoolInit } from '../protocol/messages.js'
import type { TapBoard } from './taps.js'

export interface StreamEnv {
  streamId: string
  registry: SpecLookup
  endpoints: EndpointRegistry
  resources: Resources
  /** Base logger (already carrying `stream`); components get children with `label` and `path`. */
  logger: Logger
  /** Metric handles bound to one component's metrics path and label. */
  metrics: (path: string, label: string) => MetricsView
  configDir: string
  /** Aborting it asks the input to stop reading (same as the first step of `stop`). */
  signal: AbortSignal
  /** Start with the input paused (nothing is read until `resume`). */
  paused?: boolean
  /**
   * What a `pipeline.threads` pool thread needs to build the processors again (absent: the pipeline
   * always runs on the stream's own thread).
   */
  pool?: Omit<PipelinePoolInit, 'streamId' | 'processors' | 'configDir'>
  /** Called with the new statuses whenever the input or output connects or loses its connection. */
  onStatus?: (statuses: ConnectionStatus[]) => void
}

export interface StopOutcome {
  graceful: boolean
  /** Metrics path of the layer still holding messages when a stop was forced. */
  heldBy?: string
  /** Transactions read and never acknowledged (lost or to be redelivered by the source). */
  inFlight: number
}

export interface StreamHandle {
  /** Connection status of the input and output (paths without `root.`, spec §6.12). */
  statuses(): ConnectionStatus[]
  /** Resolves when the input ended on its own and everything drained (never on `stop`). */
  readonly finished: Promise<void>
  /**
   * Graceful stop within `deadlineMs` (¾ of it when above 1 s, spec §11.3), then forced. Idempotent:
   * later calls share the first outcome.
   */
  stop(deadlineMs: number, onForcing?: (held: { heldBy: string; inFlight: number }) => void): Promise<StopOutcome>
  pause(): void
  resume(): void
  stats(): Record<string, unknown>
  /** Tap points of this stream, off until the worker turns one on. */
  readonly taps: TapBoard
}
