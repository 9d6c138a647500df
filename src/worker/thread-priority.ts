/**
 * Stream worker threads run at a lower CPU priority than the main thread, which serves every
 * HTTP request, the API and `/metrics`: with more busy workers than cores, an equal share left the
 * main thread waiting hundreds of milliseconds for a core (bench `metrics`, busy workers). Linux
 * schedules threads individually, so a thread can lower its own priority (raise its nice value)
 * without privileges; elsewhere this does nothing. Workers share one nice value, so among
 * themselves they still split the cores evenly.
 */
import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'

/** Lowers the calling thread's priority to `nice` (1..19); false when not possible here. */
export function lowerThreadPriority(nice: number): boolean {
  if (!(nice > 0) || process.platform !== 'linux') return false
  try {
    // `/proc/thread-self` links to `<pid>/task/<tid>`; setpriority(2) on a tid applies to that thread only.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop())
    if (!Number.isInteger(tid) || tid <= 0) return false
    setPriority(tid, Math.min(19, Math.trunc(nice)))
    return true
  } catch {
    return false
  }
}

/**
 * Nice value of stream and pipeline threads when WEIR_WORKER_NICE is unset: 0, their priority is
 * left alone. At 10 by default two busy streams reached 0.9x one stream's msg/s instead of 1.3-1.4x
 * on a machine shared with other processes (bench `streams`), so lowering stays opt-in (README, Metrics).
 */
export const DEFAULT_WORKER_NICE = 0

/** WEIR_WORKER_NICE as a nice value: unset, empty or not a number: the default; 0 leaves threads at the main thread's priority. */
export function workerNice(setting: string | undefined = process.env.WEIR_WORKER_NICE): number {
  if (setting === undefined || setting.trim() === '') return DEFAULT_WORKER_NICE
  const n = Number(setting)
  return Number.isFinite(n) ? n : DEFAULT_WORKER_NICE
}
