/**
 * Worker side of `/metrics`: the worker pushes its rendered exposition to the main thread when its
 * series change, at most once per `intervalMs`, so a scrape is served from the latest snapshot and
 * never waits on a worker (a busy one would answer late; 100 answers per scrape also cost the main
 * thread more than the merge itself).
 *
 *   update ─▶ (first since last render) schedule ─▶ render ─▶ text changed? ─▶ post snapshot
 *   every heapEveryMs with no snapshot: post heap figures alone, when they moved by HEAP_STEP
 *
 * An idle registry costs nothing; a busy one one render per interval. Freshness: a change reaches
 * the main thread within `intervalMs` plus one port hop while the worker's event loop turns.
 */
import { getHeapStatistics } from 'node:v8'
import type { MetricsSnapshot } from '../protocol/messages.js'
import type { WorkerMetrics } from './worker-metrics.js'

export interface PublisherOptions {
  /** Least time between two renders of a changing registry. */
  intervalMs: number
  /** Heap figures are refreshed at least this often, even when no series changes. */
  heapEveryMs: number
}

/** 500 ms keeps series within 1 s of the worker (documented in the README, Metrics). */
export const DEFAULT_PUBLISHING: PublisherOptions = { intervalMs: 500, heapEveryMs: 5000 }

/**
 * Heap figures that moved less than this since the last post are not posted again: an idle
 * stream's heap barely moves, and 1,000 idle streams posting every 5 s woke the main thread 200
 * times a second for nothing (`weir_stream_heap_used_bytes` is a gauge; 256 KiB of drift is noise).
 */
const HEAP_STEP = 256 * 1024

export class MetricsPublisher {
  readonly #metrics: WorkerMetrics
  readonly #post: (s: MetricsSnapshot) => void
  readonly #opts: PublisherOptions
  #lastText: string | undefined
  #lastAt = 0
  #lastHeapUsed = -1
  #timer: NodeJS.Timeout | undefined
  #heapTimer: NodeJS.Timeout | undefined
  #stopped = false

  constructor(metrics: WorkerMetrics, post: (s: MetricsSnapshot) => void, opts: PublisherOptions = DEFAULT_PUBLISHING) {
    this.#metrics = metrics
    this.#post = post
    this.#opts = opts
  }

  /** Publishes the current series now, then on every change. */
  start(): void {
    this.#metrics.onChange(this.#schedule)
    this.#publish()
    this.#heapTimer = setInterval(this.#heapTick, this.#opts.heapEveryMs)
    this.#heapTimer.unref()
  }

  /** Publishes pending changes now (before the worker reports it stopped) and stops. */
  stop(): void {
    if (this.#stopped) return
    if (this.#metrics.changed) this.#publish()
    this.#stopped = true
    clearTimeout(this.#timer)
    clearInterval(this.#heapTimer)
    this.#metrics.onChange(() => {})
  }

  #schedule = (): void => {
    if (this.#timer || this.#stopped) return
    const wait = Math.max(0, this.#lastAt + this.#opts.intervalMs - performance.now())
    this.#timer = setTimeout(this.#fire, wait)
    this.#timer.unref()
  }

  #fire = (): void => {
    this.#timer = undefined
    this.#publish()
  }

  #heapTick = (): void => {
    if (this.#timer || performance.now() - this.#lastAt < this.#opts.heapEveryMs) return
    const h = heap()
    if (Math.abs(h.heapUsed - this.#lastHeapUsed) < HEAP_STEP) return
    this.#lastAt = performance.now()
    this.#post(this.#heapPosted(h))
  }

  /** The current series now (an explicit request; also resets the interval). */
  snapshot(): MetricsSnapshot {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#lastAt = performance.now()
    const { text, shared, index } = this.#metrics.exposition()
    const h = this.#heapPosted(heap())
    if (text === this.#lastText) return h
    this.#lastText = text
    return shared.length ? { text, index, shared, ...h } : { text, index, ...h }
  }

  #heapPosted(h: MetricsSnapshot): MetricsSnapshot {
    this.#lastHeapUsed = h.heapUsed
    return h
  }

  #publish(): void {
    this.#post(this.snapshot())
  }
}

function heap(): MetricsSnapshot {
  const h = getHeapStatistics()
  return { heapUsed: h.used_heap_size, heapLimit: h.heap_size_limit }
}
