/**
 * What the supervisor knows about one stream id: its config, where it came from, the worker
 * serving it now, and its lifecycle state. Records never leave `src/supervisor/`: other modules
 * ask the supervisor's queries instead. The state moves only through `moveTo`, which follows the
 * table in `stream-state.ts`.
 */
import type { ErrorData, WeirError } from '../errors.js'
import type { StreamWorker } from './stream-worker.js'
import { nextState, type StreamState } from './stream-state.js'
import { publishState } from './channels.js'

export interface LastError {
  message: string
  code: string
  path: string | null
  line: number | null
  column: number | null
  at: string
  /** "did you mean `mapping`?" when the error is an unknown name close to a known one. */
  hint?: string
}

export class StreamRecord {
  readonly id: string
  /** Raw submitted config (after env interpolation where it applies, no defaults). */
  config: Record<string, unknown>
  /** YAML/JSON text the config came from, for error locations. */
  text: string | undefined
  /** `api` or the file path. */
  source: string
  worker: StreamWorker | undefined = undefined
  /** Wall-clock ms of (re)creation; uptime counts from here. */
  createdAt = Date.now()
  /** Set when the stream finished on its own: uptime freezes. */
  finishedAt: number | undefined = undefined
  generation = 0
  lastError: LastError | null = null
  restarts = 0
  /** Consecutive crashes without a stable period in between. */
  crashStreak = 0
  nextRetryAt: number | undefined = undefined
  retryTimer: NodeJS.Timeout | undefined = undefined
  paused: boolean
  /** Full paths (prefix and root_path included) this stream registered. */
  routes = new Set<string>()
  #state: StreamState = 'starting'

  constructor(id: string, spec: { config: Record<string, unknown>; text?: string; source: string; paused?: boolean }) {
    this.id = id
    this.config = spec.config
    this.text = spec.text
    this.source = spec.source
    this.paused = spec.paused ?? false
  }

  get state(): StreamState {
    return this.#state
  }

  /** Move to `to`; a move the state table does not allow is refused (returned) and changes nothing. */
  moveTo(to: StreamState): WeirError | undefined {
    const next = nextState(this.id, this.#state, to)
    if (typeof next !== 'string') return next
    const from = this.#state
    this.#state = next
    publishState({ stream: this.id, from, to: next })
    return undefined
  }
}

export function toLastError(e: ErrorData): LastError {
  return {
    message: e.message,
    code: e.code,
    path: e.path ?? null,
    line: e.line ?? null,
    column: e.col ?? null,
    at: new Date().toISOString(),
    ...(e.hint ? { hint: e.hint } : {}),
  }
}
