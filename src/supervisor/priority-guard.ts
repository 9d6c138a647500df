/**
 * Keeps the main thread, which serves every HTTP request, the API and `/metrics`, responsive when
 * busy stream threads outnumber the cores. Every second it reads how long the main thread waited
 * for a core, in all and per wake-up; when it starved (see `starved`) two seconds running (one such
 * second happens as streams start) it asks each stream thread whose loop was busy at least
 * BUSY_SHARE of both those seconds to lower its own priority (nice `nice`). Threads that idle keep
 * theirs, so a light stream's latency is untouched; the busy ones still split the cores evenly
 * among themselves. Both seconds, because a stream that has just started runs its first message
 * through code not compiled yet, which on a saturated machine keeps its loop busy for most of one
 * second: of 100 idle streams starting together, a dozen or so were lowered for good.
 *
 * One-way: Linux lets a thread raise its nice value but not lower it again without privilege, so a
 * lowered thread stays lowered until the stream restarts. The cost: a lowered thread also yields to
 * other processes of the same session or cgroup (README, Metrics). `WEIR_WORKER_NICE` replaces
 * this with a fixed value for every thread, or 0 for none.
 */
import type { Logger } from '../spec/index.js'
import { RunQueueWait, type WaitSample } from './run-queue-wait.js'

/** Run-queue wait per second that counts as starved: 100 busy streams on 2 cores made it hundreds of ms, 6 made 30-50 ms. */
export const STARVED_MS = 100
/**
 * Mean wait per wake-up that counts as starved whatever the total: a main thread that seldom
 * wakes (workers share their metrics through memory, not messages) waited 14-34 ms for a core at
 * each wake-up among 100 busy streams on 2 cores, yet under 100 ms a second in all; each of those
 * waits delays a request or a scrape.
 */
export const STARVED_PER_WAKE_MS = 8

/** Whether a window shows the main thread starved: long waits in all, or at each wake-up. */
export function starved(w: WaitSample): boolean {
  return w.waitedMs >= STARVED_MS || (w.slices > 0 && w.waitedMs / w.slices >= STARVED_PER_WAKE_MS)
}
/** A thread busy for at least this share of the window is one of the hogs. */
export const BUSY_SHARE = 0.5

/** What the guard needs of a stream's worker. */
export interface GuardedWorker {
  readonly id: string
  /** Share of time its loop was busy since the previous call (0..1). */
  busyShare(): number
  /** Asks the thread to lower its priority; false when it already was (or is gone). */
  lowerPriority(nice: number): boolean
}

/**
 * Which of `workers` to lower, given how the main thread waited in the last two windows and each
 * thread's busy share in those same windows (undefined for the earlier one: it was not running yet).
 */
export function threadsToLower(
  windows: readonly [WaitSample, WaitSample],
  shares: ReadonlyMap<GuardedWorker, readonly [number | undefined, number]>,
): GuardedWorker[] {
  if (!starved(windows[0]) || !starved(windows[1])) return []
  return [...shares].filter(([, [before, now]]) => before !== undefined && before >= BUSY_SHARE && now >= BUSY_SHARE).map(([w]) => w)
}

export class PriorityGuard {
  readonly #wait = new RunQueueWait()
  readonly #timer: NodeJS.Timeout | undefined
  #before: WaitSample = { waitedMs: 0, slices: 0 }
  /** Each worker's busy share in the previous window, by stream id. */
  #sharesBefore = new Map<string, number>()

  constructor(nice: number, workers: () => Iterable<GuardedWorker>, logger: Logger, everyMs = 1000) {
    if (!(nice > 0) || this.#wait.sample() === undefined) return
    this.#timer = setInterval(() => {
      const waited = this.#wait.sample() ?? { waitedMs: 0, slices: 0 }
      // Every worker's share is read each tick so its window is always the last one.
      const shares = new Map<GuardedWorker, readonly [number | undefined, number]>()
      const sharesNow = new Map<string, number>()
      for (const w of workers()) {
        const share = w.busyShare()
        shares.set(w, [this.#sharesBefore.get(w.id), share])
        sharesNow.set(w.id, share)
      }
      const lowered = threadsToLower([this.#before, waited], shares).filter((w) => w.lowerPriority(nice))
      this.#before = waited
      this.#sharesBefore = sharesNow
      if (lowered.length === 0) return
      logger.info(
        `the main thread waited ${Math.round(waited.waitedMs)}ms for a core in the last ${everyMs}ms (${waited.slices} wake-ups); lowering the CPU priority of busy stream threads (nice ${nice}): ${lowered
          .map((w) => w.id)
          .sort()
          .join(', ')}`,
      )
    }, everyMs)
    this.#timer.unref()
  }

  close(): void {
    clearInterval(this.#timer)
  }
}
