/**
 * The status page's live view (`GET /ui/summaries`, server-sent events): once a second, every
 * stream's state, source, uptime, restarts, last error, and its message rates in and out and
 * errors. One poller serves every open page and runs only while one is open; rates come from the
 * difference of the stream's own counters (its `/stats`) between two polls.
 */
import type { Host } from '../supervisor/host.js'
import { formatGoDuration } from '../config/duration.js'
import type { SseHub, SseSink } from './sse.js'

const PERIOD_MS = 1000
/** A worker that does not answer its stats within this is shown without rates for that tick. */
const STATS_TIMEOUT_MS = 2000

export interface StreamSummary {
  id: string
  state: string
  source: string
  uptime: number
  uptime_str: string
  generation: number
  restarts: number
  last_error: unknown
  next_retry_at: string | null
  /** Totals since the worker started (null: it did not answer this tick). */
  received: number | null
  sent: number | null
  errors: number | null
  /** Per second over the last period (null on the first tick of a worker). */
  in_rate: number | null
  out_rate: number | null
  error_rate: number | null
  /** Tap points someone listens to now. */
  taps: string[]
  /** Tap points the stream has (`input`, `processor:N`, `output`). */
  tap_points: string[]
}

interface Totals {
  generation: number
  at: number
  received: number
  sent: number
  errors: number
}

export class SummaryFeed {
  readonly #host: Host
  readonly #sinks = new Set<SseSink>()
  readonly #previous = new Map<string, Totals>()
  #timer: NodeJS.Timeout | undefined
  #last: { at: string; streams: StreamSummary[] } | undefined
  #running = false

  constructor(host: Host) {
    this.#host = host
  }

  respond(hub: SseHub): Response {
    return hub.respond((sink) => {
      this.#sinks.add(sink)
      if (this.#last) sink.send('summary', this.#last)
      if (!this.#timer) {
        this.#timer = setInterval(() => void this.#tick(), PERIOD_MS)
        this.#timer.unref()
        void this.#tick()
      }
      return () => {
        this.#sinks.delete(sink)
        if (this.#sinks.size === 0) {
          clearInterval(this.#timer)
          this.#timer = undefined
          this.#previous.clear()
          this.#last = undefined
        }
      }
    })
  }

  /** One snapshot of every stream (also what a tick sends). */
  async snapshot(): Promise<{ at: string; streams: StreamSummary[] }> {
    const host = this.#host
    const ids = host.ids()
    const stats = await Promise.all(ids.map((id) => (host.serving(id) ? host.stats(id, STATS_TIMEOUT_MS) : Promise.resolve(undefined))))
    const now = Date.now()
    const streams: StreamSummary[] = []
    for (const [i, id] of ids.entries()) {
      const info = host.info(id)
      if (!info) continue
      const totals = stats[i] && Object.keys(stats[i]!).length ? totalsOf(stats[i]!, info.generation, now) : undefined
      const prev = this.#previous.get(id)
      const rate = (k: 'received' | 'sent' | 'errors'): number | null =>
        totals && prev && prev.generation === totals.generation && totals.at > prev.at && totals[k] >= prev[k] ? ((totals[k] - prev[k]) * 1000) / (totals.at - prev.at) : null
      streams.push({
        id,
        state: info.state,
        source: info.source,
        uptime: info.uptimeSeconds,
        uptime_str: formatGoDuration(Math.round(info.uptimeSeconds) * 1e9),
        generation: info.generation,
        restarts: info.restarts,
        last_error: info.lastError,
        next_retry_at: info.nextRetryAt,
        received: totals?.received ?? null,
        sent: totals?.sent ?? null,
        errors: totals?.errors ?? null,
        in_rate: rate('received'),
        out_rate: rate('sent'),
        error_rate: rate('errors'),
        taps: host.tapped(id),
        tap_points: host.tapPoints(id),
      })
      if (totals) this.#previous.set(id, totals)
    }
    for (const id of this.#previous.keys()) if (!host.has(id)) this.#previous.delete(id)
    return { at: new Date(now).toISOString(), streams }
  }

  async #tick(): Promise<void> {
    // A slow round (busy workers) is not overlapped by the next one.
    if (this.#running) return
    this.#running = true
    try {
      const snap = await this.snapshot()
      if (this.#sinks.size === 0) return
      this.#last = snap
      for (const s of this.#sinks) s.send('summary', snap)
    } finally {
      this.#running = false
    }
  }
}

/**
 * Counters of the stream's own top-level input and output (`/stats` keys are series with their
 * labels: `input_received{label="",path="root.input",stream="a"}`), errors of every component.
 */
function totalsOf(stats: Record<string, unknown>, generation: number, at: number): Totals {
  let received = 0
  let sent = 0
  let errors = 0
  for (const [key, v] of Object.entries(stats)) {
    if (typeof v !== 'number') continue
    const brace = key.indexOf('{')
    const name = brace === -1 ? key : key.slice(0, brace)
    if (name === 'input_received' && key.includes('path="root.input"')) received += v
    else if (name === 'output_sent' && key.includes('path="root.output"')) sent += v
    else if (name === 'output_error' || name === 'processor_error') errors += v
  }
  return { generation, at, received, sent, errors }
}
