/**
 * The stream lifecycle as data: which state may follow which. The supervisor moves a stream only
 * through `nextState`, so a transition the table does not list is refused instead of silently
 * written.
 *
 *   starting ──ready──▶ running ◀──pause/resume──▶ paused
 *      │ build error      │ input ends    │
 *      ▼                  ▼               ▼
 *   failed ◀──┐        finished      (crash) restarting ──▶ crash_looping
 *             └── a new config that fails, with no worker left to keep serving
 *
 *   any state that has or had a worker ──new config ready──▶ running | paused
 *   any state ──delete / stop-first update──▶ stopping ──▶ (removed) | running | paused | failed
 */
import { weirError, type WeirError } from '../errors.js'

export type StreamState = 'starting' | 'running' | 'paused' | 'finished' | 'failed' | 'restarting' | 'crash_looping' | 'stopping'

export const STREAM_STATES: readonly StreamState[] = ['starting', 'running', 'paused', 'finished', 'failed', 'restarting', 'crash_looping', 'stopping']

/** A worker is installed (first start, update, restart): running, or paused when the stream is. */
const INSTALLED: readonly StreamState[] = ['running', 'paused']
/** A worker died: retried with back-off, `crash_looping` once the streak passes the threshold. */
const CRASHED: readonly StreamState[] = ['restarting', 'crash_looping']

/**
 * Legal transitions. Self-loops are listed where they happen: an update installs a new worker
 * into a running stream, a failed retry of a restarting one schedules the next.
 */
export const TRANSITIONS: Readonly<Record<StreamState, readonly StreamState[]>> = {
  // A first worker can die right after its ready, before it was installed (host #install).
  starting: [...INSTALLED, 'failed', ...CRASHED, 'stopping'],
  running: [...INSTALLED, 'finished', ...CRASHED, 'stopping'],
  paused: [...INSTALLED, 'finished', ...CRASHED, 'stopping'],
  finished: [...INSTALLED, ...CRASHED, 'stopping'],
  failed: [...INSTALLED, 'failed', ...CRASHED, 'stopping'],
  restarting: [...INSTALLED, 'failed', ...CRASHED, 'stopping'],
  crash_looping: [...INSTALLED, 'failed', ...CRASHED, 'stopping'],
  // A stop-first update stops the old worker, then installs the new one, restores the old config,
  // or fails when neither starts.
  stopping: [...INSTALLED, 'failed', ...CRASHED],
}

/**
 * The state that follows `from` when moving to `to`, or a `STREAM_STATE` error when the table does
 * not allow it.
 *
 * @example nextState('a', 'paused', 'running') // 'running'
 */
export function nextState(stream: string, from: StreamState, to: StreamState): StreamState | WeirError {
  if (TRANSITIONS[from].includes(to)) return to
  return weirError('STREAM_STATE', `stream state cannot change from ${from} to ${to}`, { stream })
}
