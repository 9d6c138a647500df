/**
 * Stream worker threads can run at a lower CPU priority than the main thread, which serves every
 * HTTP request, the API and `/metrics`: with more busy workers than cores, an equal share left the
 * main thread waiting hundreds of milliseconds for a core (bench `metrics`, busy workers). Linux
 * schedules threads individually, so a thread can lower its own priority (raise its nice value)
 * without privileges; elsewhere this does nothing. Lowered threads share one nice value, so among
 * themselves they still split the cores evenly. By default the supervisor lowers only busy threads,
 * and only when it starves (supervisor/priority-guard.ts); WEIR_WORKER_NICE fixes one value for all.
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
 * Nice value every stream and pipeline thread takes at ready when WEIR_WORKER_NICE is unset: 0,
 * none. A fixed value for all threads made two busy streams reach 0.9x one stream's msg/s instead
 * of 1.3-1.4x on a machine shared with other processes (bench `streams`, nice 10), so by default
 * only busy threads are lowered, and only when the main thread starves (see `autoWorkerNice`).
 */
export const DEFAULT_WORKER_NICE = 0

/** Nice value the supervisor's priority guard gives busy threads when the main thread starves. */
export const AUTO_WORKER_NICE = 19

/** The guard's nice value: AUTO_WORKER_NICE when WEIR_WORKER_NICE is unset (or not a number), else 0 (a fixed setting or 0 replaces it). */
export function autoWorkerNice(setting: string | undefined = process.env.WEIR_WORKER_NICE): number {
  return fixedNice(setting) === undefined ? AUTO_WORKER_NICE : 0
}

/** WEIR_WORKER_NICE as a nice value: unset, empty or not a number: the default; 0 leaves threads at the main thread's priority. */
export function workerNice(setting: string | undefined = process.env.WEIR_WORKER_NICE): number {
  return fixedNice(setting) ?? DEFAULT_WORKER_NICE
}

/** The number WEIR_WORKER_NICE sets; undefined when it is unset, empty or not a number. */
function fixedNice(setting: string | undefined): number | undefined {
  if (setting === undefined || setting.trim() === '') return undefined
  const n = Number(setting)
  return Number.isFinite(n) ? n : undefined
}
