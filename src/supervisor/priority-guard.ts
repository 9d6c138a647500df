/**
 * Keeps the main thread, which serves every HTTP request, the API and `/metrics`, responsive when
 * busy stream threads outnumber the cores. Every second it reads how long the main thread waited
 * for a core; past STARVED_MS two seconds running (one such second happens as streams start) it
 * asks each stream thread whose loop was busy at least BUSY_SHARE of that second to lower its own
 * priority (nice `nice`). Threads that idle keep theirs, so a light
 * stream's latency is untouched; the busy ones still split the cores evenly among themselves.
 *
 * One-way: Linux lets a thread raise its nice value but not lower it again without privilege, so a
 * lowered thread stays lowered until the stream restarts. The cost: a lowered thread also yields to
 * other processes of the same session or cgroup (README, Metrics). `WEIR_WORKER_NICE` replaces
 * this with a fixed value for every thread, or 0 for none.
 */
import type { Logger } from '../spec/index.js'
import { RunQueueWait } from './run-queue-wait.js'

/** Run-queue wait per second that counts as starved: 100 busy streams on 2 cores made it hundreds of ms, 6 made 30-50 ms. */
export const STARVED_MS = 100
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

/** Which of `workers` to lower, given how long the main thread waited in the last two windows. */
export function threadsToLower(waitedMs: readonly [number, number], shares: ReadonlyMap<GuardedWorker, number>): GuardedWorker[] {
  if (waitedMs[0] < STARVED_MS || waitedMs[1] < STARVED_MS) return []
  return [...shares].filter(([, share]) => share >= BUSY_SHARE).map(([w]) => w)
}

export class PriorityGuard {
  readonly #wait = new RunQueueWait()
  readonly #timer: NodeJS.Timeout | undefined
  #waitedBefore = 0

  constructor(nice: number, workers: () => Iterable<GuardedWorker>, logger: Logger, everyMs = 1000) {
    if (!(nice > 0) || this.#wait.sampleMs() === undefined) return
    this.#timer = setInterval(() => {
      const waited = this.#wait.sampleMs() ?? 0
      // Every worker's share is read each tick so its window is always the last one.
      const shares = new Map<GuardedWorker, number>()
      for (const w of workers()) shares.set(w, w.busyShare())
      const lowered = threadsToLower([this.#waitedBefore, waited], shares).filter((w) => w.lowerPriority(nice))
      this.#waitedBefore = waited
      if (lowered.length === 0) return
      logger.info(
        `the main thread waited ${Math.round(waited)}ms for a core in the last ${everyMs}ms; lowering the CPU priority of busy stream threads (nice ${nice}): ${lowered
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
