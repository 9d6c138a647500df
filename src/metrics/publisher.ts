/**
 * Worker side of `/metrics`: the worker writes its rendered exposition to the buffer it shares
 * with the main thread (protocol/snapshot-buffer.ts) when its series change, at most once per
 * `intervalMs`, so a scrape is served from the latest snapshot and never waits on a worker (a busy
 * one would answer late; 100 answers per scrape also cost the main thread more than the merge).
 *
 *   update ─▶ (first since last render) schedule ─▶ render ─▶ text changed? ─▶ write snapshot
 *   every heapEveryMs: write the heap figures
 *
 * Nothing here wakes the main thread: only a new buffer is posted (the first, and a bigger one
 * when the series outgrow it). An idle registry costs nothing; a busy one one render per interval.
 * Freshness: a change is readable within `intervalMs` while the worker's event loop turns. Every
 * write bumps the buffer's beat, which the supervisor's heartbeat takes as proof that the loop
 * turns (a busy worker is then never pinged).
 */
import { getHeapStatistics } from 'node:v8'
import { SnapshotWriter } from '../protocol/snapshot-buffer.js'
import { packExposition } from './block-index.js'
import type { WorkerMetrics } from './worker-metrics.js'

export interface PublisherOptions {
  /** Least time between two renders of a changing registry. */
  intervalMs: number
  /** Heap figures are refreshed at least this often, even when no series changes. */
  heapEveryMs: number
}

/** 500 ms keeps series within 1 s of the worker (documented in the README, Metrics). */
export const DEFAULT_PUBLISHING: PublisherOptions = { intervalMs: 500, heapEveryMs: 5000 }

export class MetricsPublisher {
  readonly #metrics: WorkerMetrics
  readonly #writer: SnapshotWriter
  readonly #opts: PublisherOptions
  #lastText: string | undefined
  #lastAt = 0
  #timer: NodeJS.Timeout | undefined
  #heapTimer: NodeJS.Timeout | undefined
  #stopped = false

  /** `announce` posts a new snapshot buffer to the main thread (`metrics.buffer`). */
  constructor(metrics: WorkerMetrics, announce: (buffer: SharedArrayBuffer) => void, opts: PublisherOptions = DEFAULT_PUBLISHING) {
    this.#metrics = metrics
    this.#writer = new SnapshotWriter(announce)
    this.#opts = opts
  }

  /** Publishes the current series now (announcing the buffer), then on every change. */
  start(): void {
    this.#metrics.onChange(this.#schedule)
    this.publish()
    this.#heapTimer = setInterval(this.#heapTick, this.#opts.heapEveryMs)
    this.#heapTimer.unref()
  }

  /** Publishes pending changes now (before the worker reports it stopped) and stops. */
  stop(): void {
    if (this.#stopped) return
    if (this.#metrics.changed) this.publish()
    this.#stopped = true
    clearTimeout(this.#timer)
    clearInterval(this.#heapTimer)
    this.#metrics.onChange(() => {})
  }

  /** Writes the current series now (also on an explicit request; resets the interval). */
  publish(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#lastAt = performance.now()
    const e = this.#metrics.exposition()
    // Heap first: a first or bigger buffer is announced with them already in it.
    this.#writeHeap()
    if (e.text === this.#lastText) return
    this.#lastText = e.text
    const p = packExposition(e)
    this.#writer.write(p.text, p.offsets, p.table)
  }

  #schedule = (): void => {
    if (this.#timer || this.#stopped) return
    const wait = Math.max(0, this.#lastAt + this.#opts.intervalMs - performance.now())
    this.#timer = setTimeout(this.#fire, wait)
    this.#timer.unref()
  }

  #fire = (): void => {
    this.#timer = undefined
    this.publish()
  }

  #heapTick = (): void => {
    if (this.#timer || performance.now() - this.#lastAt < this.#opts.heapEveryMs) return
    this.#writeHeap()
  }

  #writeHeap(): void {
    const h = getHeapStatistics()
    this.#writer.heap(h.used_heap_size, h.heap_size_limit)
  }
}
