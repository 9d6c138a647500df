/**
 * `/metrics` and `/stats` on the shared server (spec §9.5). Each worker pushes its own rendered
 * series (already carrying `stream`) when they change (publisher.ts), and a Prometheus scrape
 * merges the latest snapshots without asking any worker: a busy or blocked worker cannot delay
 * it, and the main thread's cost is the merge alone. Series are at most about 1 s old while a
 * worker's event loop turns; a blocked worker's last series stay until it recovers or is
 * restarted (`--heartbeat-timeout`).
 *
 * Streams come from the supervisor's table at scrape time, so a deleted or replaced stream's
 * series are gone from the next scrape. `json_api` and `/stats` still ask every worker for its
 * flat stats, with a deadline.
 */
import type { MetricsEndpoint } from '../api/health.js'
import { stableStringify } from '../api/http-errors.js'
import type { Logger } from '../spec/index.js'
import { blocksAt } from './block-index.js'
import { mergeSplit, splitExposition, type Block, type MergeIssue, type SplitPart } from './merge.js'
import { processMetrics } from './process-metrics.js'
import { startPusher, writeTextFile, type Pusher, type PushSettings } from './push.js'
import { streamGaugeBlocks, streamGaugesFlat, type StreamFacts } from './stream-gauges.js'

export type ExporterKind = 'prometheus' | 'json_api' | 'none'

export interface WorkerExposition {
  text: string
  heapUsed: number
  heapLimit: number
  shared?: readonly string[] | undefined
  /** Where the text's family blocks are (block-index.ts); absent: the text is scanned for them. */
  index?: readonly number[] | undefined
}

/**
 * One stream as the supervisor hands it to a scrape (Host's `ScrapeTarget` satisfies it), bound
 * to the worker that served the stream when the targets were taken.
 */
export interface ScrapeTarget {
  readonly id: string
  /** The worker's latest pushed series. Absent when no worker served the stream. */
  readonly metrics: (() => WorkerExposition | undefined) | undefined
  /** Asks the worker to push its series now; resolves undefined past the deadline, rejects when it exits first. */
  readonly refreshMetrics: ((timeoutMs: number) => Promise<WorkerExposition | undefined>) | undefined
  readonly stats: ((timeoutMs: number) => Promise<Record<string, unknown> | undefined>) | undefined
  /** The stream now; undefined once deleted. `current`: the worker asked still serves it. */
  now(): { state: string; restarts: number; up: boolean; current: boolean; elu: number | undefined } | undefined
}

/** What a scrape needs from the supervisor (Host satisfies it). */
export interface StreamTable {
  scrapeTargets(): ScrapeTarget[]
}

export interface ExporterOptions {
  kind: ExporterKind
  /** Per-worker answer deadline for `json_api` and for the final refresh at close. */
  scrapeDeadlineMs: number
  /** Main-thread series (resources, `stream=""`), rendered as text. */
  rootText: () => Promise<string>
  rootStats: () => Record<string, unknown>
  /** Families of the main-thread registry that may coincide with a worker's series. */
  rootShared?: () => readonly string[]
  /** `add_process_metrics` / `add_go_metrics` (prometheus only). */
  processMetrics?: boolean
  runtimeMetrics?: boolean
  push?: PushSettings
  fileOutputPath?: string
  logger?: Logger
}

export interface MetricsExporter extends MetricsEndpoint {
  /** The merged Prometheus exposition (what `/metrics`, pushes and the output file carry). */
  prometheusText(): Promise<string>
  /**
   * Final push and `file_output_path`. Call it before the streams stop: their series leave with
   * their workers.
   */
  close(): Promise<void>
}

const PROM_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

/** Undefined for `none`: the server then answers 404 on `/metrics` and `/stats`. */
export function createMetricsEndpoint(table: StreamTable, opts: ExporterOptions): MetricsExporter | undefined {
  if (opts.kind === 'none') return undefined
  const extra = opts.kind === 'prometheus' ? processMetrics({ process: !!opts.processMetrics, runtime: !!opts.runtimeMetrics }) : undefined
  const reported = new Set<string>()
  const splits = new SplitCache()
  const prometheusText = (): Promise<string> => promText(table, opts, extra, reported, splits)
  const pusher: Pusher | undefined = opts.kind === 'prometheus' && opts.push?.url ? startPusher(opts.push, prometheusText, opts.logger) : undefined
  const refresh = async (): Promise<void> => {
    await Promise.all(table.scrapeTargets().map((t) => t.refreshMetrics?.(opts.scrapeDeadlineMs).catch(() => undefined)))
  }
  return {
    render: async () => {
      if (opts.kind === 'json_api') return { body: stableStringify(await jsonStats(table, opts)), contentType: 'application/json' }
      return { body: await prometheusText(), contentType: PROM_TYPE }
    },
    prometheusText,
    close: async () => {
      if (opts.kind !== 'prometheus') return
      const file = opts.fileOutputPath
      // The last push and the file carry every change, not the latest snapshots.
      if (pusher || file) await refresh()
      await Promise.all([
        pusher?.close(),
        file
          ? prometheusText().then(
              (text) => writeTextFile(file, text),
              (err: unknown) => opts.logger?.error(`failed to write metrics to ${file}: ${String(err)}`),
            )
          : undefined,
      ])
    },
  }
}

interface Answer<T> {
  target: ScrapeTarget
  reply: T | undefined
}

/** Ask every stream's worker at once; each answer is bounded by the deadline. */
async function askAll<T>(table: StreamTable, ask: (t: ScrapeTarget) => Promise<T | undefined> | undefined): Promise<Answer<T>[]> {
  const targets = table.scrapeTargets()
  // A worker that exits mid-scrape rejects its pending asks: that is no answer, not a failed scrape.
  const replies = await Promise.all(targets.map((t) => ask(t)?.catch(() => undefined)))
  return targets.map((target, i) => ({ target, reply: replies[i] }))
}

/**
 * Each stream's snapshot cut into family blocks, kept while its text stays the same: with 1,000
 * streams, cutting every text again on each scrape cost more than the merge itself.
 */
class SplitCache {
  #byStream = new Map<string, { text: string; blocks: Block[] }>()

  blocks(id: string, text: string, index: readonly number[] | undefined, seen: Set<string>): Block[] {
    seen.add(id)
    const hit = this.#byStream.get(id)
    // Strings compare by pointer first: an unchanged snapshot is the very same string.
    if (hit && hit.text === text) return hit.blocks
    const blocks = index ? blocksAt(text, index) : splitExposition(text)
    this.#byStream.set(id, { text, blocks })
    return blocks
  }

  /** Forgets streams the last scrape did not see (deleted ones). */
  prune(seen: Set<string>): void {
    if (this.#byStream.size === seen.size) return
    for (const id of this.#byStream.keys()) if (!seen.has(id)) this.#byStream.delete(id)
  }
}

async function promText(table: StreamTable, opts: ExporterOptions, extra: (() => Promise<string>) | undefined, reported: Set<string>, splits: SplitCache): Promise<string> {
  const [rootText, extraText] = await Promise.all([opts.rootText(), extra?.()])
  const parts: SplitPart[] = [{ blocks: splitExposition(rootText), shared: opts.rootShared?.() ?? [] }]
  const facts: StreamFacts[] = []
  const seen = new Set<string>()
  for (const target of table.scrapeTargets()) {
    const now = target.now()
    if (!now) continue
    const r = now.current ? target.metrics?.() : undefined
    if (r) parts.push({ blocks: splits.blocks(target.id, r.text, r.index, seen), shared: r.shared })
    facts.push({ id: target.id, state: now.state, up: now.up, restarts: now.restarts, elu: now.elu, heapUsed: r?.heapUsed, heapLimit: r?.heapLimit })
  }
  splits.prune(seen)
  parts.push({ blocks: streamGaugeBlocks(facts) })
  if (extraText) parts.push({ blocks: splitExposition(extraText) })
  const issues: MergeIssue[] = []
  const out = mergeSplit(parts, issues)
  for (const i of issues) {
    if (reported.has(i.family)) continue
    reported.add(i.family)
    opts.logger?.error(`metric ${i.family} is a ${i.type} in one stream and a ${i.dropped} in another; the ${i.dropped} series are left out`)
  }
  return out
}

/** `json_api`: one flat object like the reference's (no uptime), plus Weir's per-stream gauges. */
async function jsonStats(table: StreamTable, opts: ExporterOptions): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = withoutUptime(opts.rootStats())
  const answers = await askAll(table, (t) => t.stats?.(opts.scrapeDeadlineMs))
  const facts: StreamFacts[] = []
  for (const { target, reply } of answers) {
    const now = target.now()
    if (!now) continue
    if (now.current && reply) Object.assign(out, withoutUptime(reply))
    facts.push({ id: target.id, state: now.state, up: now.up, restarts: now.restarts, elu: now.elu, heapUsed: undefined, heapLimit: undefined, timedOut: now.current && !reply })
  }
  return Object.assign(out, streamGaugesFlat(facts))
}

function withoutUptime(stats: Record<string, unknown>): Record<string, unknown> {
  const { uptime_ns: _uptime, ...rest } = stats
  return rest
}
