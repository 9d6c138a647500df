/**
 * The host-level memory ceiling (`--rss-limit-mb`, `weir.rss_limit_mb`). V8's per-worker heap
 * limit does not cover Buffers and ArrayBuffers (spec/node-limits.md: 1 GiB of Buffers fit in a
 * 64 MB-limited worker), so the process RSS is sampled; above the limit every worker reports its
 * own heap and off-heap bytes, the stream using the most is named in the log and, when it holds a
 * real share of the limit, restarted through crash recovery (`last_error.code` STREAM_MEMORY).
 *
 *   sample RSS ─≤ limit─▶ wait
 *        │ > limit
 *        ▼
 *   ask workers ─▶ biggest ≥ limit/4 ─▶ log + restart it ─▶ cool down (RSS takes time to fall)
 *                      └─ otherwise ─▶ log a warning naming it (at most once a minute)
 */
import type { Logger } from '../spec/index.js'
import type { Host, StreamMemory } from './host.js'

export interface MemoryWatchOptions {
  limitMb: number
  /** Sampling period (default 1 s). */
  intervalMs?: number
  /** Process RSS in bytes; injectable for tests. */
  rss?: () => number
}

export type { StreamMemory } from './host.js'

const MB = 1024 * 1024
const ASK_TIMEOUT_MS = 1000
const WARN_EVERY_MS = 60_000

export class MemoryWatch {
  readonly #host: Host
  readonly #logger: Logger
  readonly #limit: number
  readonly #interval: number
  readonly #rss: () => number
  readonly #timer: NodeJS.Timeout
  #checking = false
  #coolUntil = 0
  #lastWarn = 0

  constructor(host: Host, opts: MemoryWatchOptions, logger: Logger) {
    this.#host = host
    this.#logger = logger
    this.#limit = opts.limitMb * MB
    this.#interval = opts.intervalMs ?? 1000
    this.#rss = opts.rss ?? (() => process.memoryUsage.rss())
    this.#timer = setInterval(() => void this.check(), this.#interval)
    this.#timer.unref()
  }

  close(): void {
    clearInterval(this.#timer)
  }

  /** One sample; resolves with the stream it restarted, if any. */
  async check(): Promise<string | undefined> {
    if (this.#checking || Date.now() < this.#coolUntil) return undefined
    const rss = this.#rss()
    if (rss <= this.#limit) return undefined
    this.#checking = true
    try {
      const top = (await this.usage())[0]
      const fields = { rss_mb: mb(rss), limit_mb: mb(this.#limit) }
      if (!top) return undefined
      const usage = { heap_mb: mb(top.heapUsed), off_heap_mb: mb(top.external) }
      if (top.heapUsed + top.external < this.#limit / 4) {
        if (Date.now() - this.#lastWarn >= WARN_EVERY_MS) {
          this.#lastWarn = Date.now()
          this.#logger.warn(`process memory is above the host limit; stream '${top.id}' uses the most but no stream holds a large share of it`, { stream: top.id, ...fields, ...usage })
        }
        return undefined
      }
      if (!this.#host.serving(top.id)) return undefined
      this.#logger.error(`process memory is above the host limit; restarting stream '${top.id}', which uses the most`, { stream: top.id, ...fields, ...usage })
      this.#coolUntil = Date.now() + Math.max(3 * this.#interval, 3000)
      const restarted = await this.#host.restartWorker(top.id, {
        code: 'STREAM_MEMORY',
        stream: top.id,
        message: `stopped because the process used ${mb(rss)} MB, above the host limit of ${mb(this.#limit)} MB, and this stream used the most (${usage.heap_mb} MB heap, ${usage.off_heap_mb} MB off-heap)`,
      })
      return restarted ? top.id : undefined
    } finally {
      this.#checking = false
    }
  }

  /** Every live worker's own memory, largest first; workers that do not answer are left out. */
  usage(): Promise<StreamMemory[]> {
    return this.#host.memoryUsage(ASK_TIMEOUT_MS)
  }
}

function mb(bytes: number): number {
  return Math.round(bytes / MB)
}
