/**
 * The `logger` metrics exporter (spec §9.5, the reference's `metrics_logger.go`): no endpoint;
 * every `push_interval` (when set) and once at shutdown, every series of every stream is logged at
 * INFO: counters and gauges as "Counter metric" (`name`, `value`, labels as fields), timers as
 * "Timing metric" (`p50`, `p90`, `p99` in nanoseconds).
 *
 * Series live in the stream workers, so each publish asks every worker for its flat stats (as
 * `json_api` does), bounded by a deadline. With `flush_metrics` the reference resets its counters
 * after each publish; workers are not reset from here, so numeric series are logged as the change
 * since the previous publish instead, which is what a reset counter reads (gauges read the same
 * way; timer percentiles stay lifetime ones).
 */
import type { Logger } from '../util/logger.js'
import type { StreamTable } from './exporter.js'

export interface LoggerExporterOptions {
  /** Undefined: only the final publish at close. */
  intervalMs: number | undefined
  flush: boolean
  rootStats: () => Record<string, unknown>
  scrapeDeadlineMs: number
  logger: Logger
}

export interface LoggerExporter {
  /** Stops the timer and publishes one last time. */
  close(): Promise<void>
}

export function startLoggerExporter(table: StreamTable, opts: LoggerExporterOptions): LoggerExporter {
  const last = new Map<string, number>()
  let running: Promise<void> = Promise.resolve()
  const publish = (): Promise<void> => (running = running.then(() => publishOnce(table, opts, last)).catch((err: unknown) => opts.logger.error(`failed to publish metrics: ${String(err)}`)))
  const timer = opts.intervalMs !== undefined && opts.intervalMs > 0 ? setInterval(() => void publish(), opts.intervalMs) : undefined
  timer?.unref()
  let closed: Promise<void> | undefined
  return {
    close: () => {
      if (timer) clearInterval(timer)
      return (closed ??= publish())
    },
  }
}

async function publishOnce(table: StreamTable, opts: LoggerExporterOptions, last: Map<string, number>): Promise<void> {
  const all: Record<string, unknown> = { ...opts.rootStats() }
  const replies = await Promise.all(table.scrapeTargets().map((t) => t.stats?.(opts.scrapeDeadlineMs)))
  for (const r of replies) if (r) Object.assign(all, r)
  delete all.uptime_ns
  for (const key of Object.keys(all).sort()) {
    const v = all[key]
    const { name, labels } = parseStatsKey(key)
    if (typeof v === 'number') {
      let value = v
      if (opts.flush) {
        value = v - (last.get(key) ?? 0)
        last.set(key, v)
      }
      opts.logger.info('Counter metric', { name, value, ...labels })
    } else if (v && typeof v === 'object') {
      const t = v as { p50?: unknown; p90?: unknown; p99?: unknown }
      opts.logger.info('Timing metric', { name, p50: t.p50, p90: t.p90, p99: t.p99, ...labels })
    }
  }
}

/** `name{a="x",b="y"}` back into its parts (the reference's `ReverseLabelledPath`). */
export function parseStatsKey(key: string): { name: string; labels: Record<string, string> } {
  const brace = key.indexOf('{')
  if (brace < 0 || !key.endsWith('}')) return { name: key, labels: {} }
  const labels: Record<string, string> = {}
  const re = /([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g
  for (const m of key.slice(brace + 1, -1).matchAll(re)) {
    labels[m[1]!] = unquote(m[2]!)
  }
  return { name: key.slice(0, brace), labels }
}

const SIMPLE: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' }

/** The body of a Go ASCII-quoted string literal (what `statsKeyOf` writes) back to its text. */
function unquote(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, e: string) => {
    if (e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16))
    return SIMPLE[e] ?? e
  })
}
