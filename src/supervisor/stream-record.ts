/**
 * What the supervisor knows about one stream id: its config, where it came from, the worker
 * serving it now, and its lifecycle state.
 *
 *   starting ──ready──▶ running ──input ends──▶ finished
 *      │                  │  ▲ pause/resume ▼
 *      │ build error      │  paused
 *      ▼                  │ crash
 *   failed            restarting ──▶ running | crash_looping (still retrying)
 *                         (any) ──delete──▶ stopping ──▶ (removed)
 */
import type { ErrorData } from '../errors.js'
import type { StreamWorker } from './stream-worker.js'

export type StreamState = 'starting' | 'running' | 'paused' | 'finished' | 'failed' | 'restarting' | 'crash_looping' | 'stopping'

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

export interface StreamRecord {
  id: string
  /** Raw submitted config (after env interpolation where it applies, no defaults). */
  config: Record<string, unknown>
  /** YAML/JSON text the config came from, for error locations. */
  text: string | undefined
  /** `api` or the file path. */
  source: string
  state: StreamState
  worker: StreamWorker | undefined
  /** Wall-clock ms of (re)creation; uptime counts from here. */
  createdAt: number
  /** Set when the stream finished on its own: uptime freezes. */
  finishedAt: number | undefined
  generation: number
  lastError: LastError | null
  restarts: number
  /** Consecutive crashes without a stable period in between. */
  crashStreak: number
  nextRetryAt: number | undefined
  retryTimer: NodeJS.Timeout | undefined
  paused: boolean
  /** Full paths (prefix and root_path included) this stream registered. */
  routes: Set<string>
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
