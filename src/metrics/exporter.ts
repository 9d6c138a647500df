/**
 * `/metrics` and `/stats` on the shared server (spec §9.5). Each worker writes its own rendered
 * series (already carrying `stream`) to memory it shares with the main thread when they change
 * (publisher.ts, protocol/snapshot-buffer.ts), and a Prometheus scrape merges the latest snapshots
 * without asking any worker: a busy or blocked worker cannot delay it, and the main thread's cost
 * is the merge alone. Series are at most about 1 s old while a worker's event loop turns; a
 * blocked worker's last series stay until it recovers or is restarted (`--heartbeat-timeout`).
 *
 * Streams come from the supervisor's table at scrape time, so a deleted or replaced stream's
 * series are gone from the next scrape. `json_api` and `/stats` still ask every worker for its
 * flat stats, with a deadline.
 */
import type { MetricsEndpoint } from '../api/health.js'
import { stableStringify } from '../api/http-errors.js'
import type { PackedSnapshot } from '../protocol/snapshot-buffer.js'
import type { Logger } from '../spec/index.js'
import { SnapshotCutter } from './block-index.js'
import { blocksPart, mergeParts, textPart, type BytePart, type MergeIssue } from './merge.js'
import { processMetrics } from './process-metrics.js'
import { startPusher, writeTextFile, type Pusher, type PushSettings } from './push.js'
import { streamGaugeBlocks, streamGaugesFlat, type StreamFacts } from './stream-gauges.js'

export type ExporterKind = 'prometheus' | 'json_api' | 'none'

/** A worker's latest series as its snapshot buffer holds them. */
export interface WorkerExposition {
  /** The same object while the worker wrote nothing new. */
  snapshot: PackedSnapshot
  heapUsed: number
  heapLimit: number
}

/**
 * One stream as the supervisor hands it to a scrape (Host's `ScrapeTarget` satisfies it), bound
 * to the worker that served the stream when the targets were taken.
 */
export interface ScrapeTarget {
  readonly id: string
  /** The worker's latest written series (undefined before its first). Absent when no worker served the stream. */
  readonly metrics: (() => WorkerExposition | undefined) | undefined
  /** Asks the worker to write its series now; resolves undefined past the deadline, rejects when it exits first. */
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
  /** Main-thread series (resources, `stream=""`): `WorkerMetrics.exposition()` of its registry. */
  root: () => { text: string; index: readonly number[]; shared: readonly string[] }
  rootStats: () => Record<string, unknown>
  /** `add_process_metrics` / `add_go_metrics` (prometheus only). */
  processMetrics?: boolean
  runtimeMetrics?: boolean
  push?: PushSettings
  fileOutputPath?: string
  logger?: Logger
}

export interface MetricsExporter extends MetricsEndpoint {
  /** The merged Prometheus exposition as UTF-8 (what `/metrics`, pushes and the output file carry). */
  exposition(): Promise<Buffer<ArrayBuffer>>
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
  const cutters = new Cutters()
  const exposition = (): Promise<Buffer<ArrayBuffer>> => promExposition(table, opts, extra, reported, cutters)
  const pusher: Pusher | undefined = opts.kind === 'prometheus' && opts.push?.url ? startPusher(opts.push, exposition, opts.logger) : undefined
  const refresh = async (): Promise<void> => {
    await Promise.all(table.scrapeTargets().map((t) => t.refreshMetrics?.(opts.scrapeDeadlineMs).catch(() => undefined)))
  }
  return {
    render: async () => {
      if (opts.kind === 'json_api') return { body: stableStringify(await jsonStats(table, opts)), contentType: 'application/json' }
      return { body: await exposition(), contentType: PROM_TYPE }
    },
    exposition,
    close: async () => {
      if (opts.kind !== 'prometheus') return
      const file = opts.fileOutputPath
      // The last push and the file carry every change, not the latest snapshots.
      if (pusher || file) await refresh()
      await Promise.all([
        pusher?.close(),
        file
          ? exposition().then(
              (bytes) => writeTextFile(file, bytes),
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

/** A cutter per stream (it keeps the stream's decoded families table), forgotten with the stream. */
class Cutters {
  #byStream = new Map<string, SnapshotCutter>()

  part(id: string, snapshot: PackedSnapshot, seen: Set<string>): BytePart {
    seen.add(id)
    let cutter = this.#byStream.get(id)
    // A replaced stream's new worker writes a table of its own: the cutter notices it differs.
    if (!cutter) this.#byStream.set(id, (cutter = new SnapshotCutter()))
    return cutter.cut(snapshot)
  }

  /** Forgets streams the last scrape did not see (deleted ones). */
  prune(seen: Set<string>): void {
    if (this.#byStream.size === seen.size) return
    for (const id of this.#byStream.keys()) if (!seen.has(id)) this.#byStream.delete(id)
  }
}

async function promExposition(table: StreamTable, opts: ExporterOptions, extra: (() => Promise<string>) | undefined, reported: Set<string>, cutters: Cutters): Promise<Buffer<ArrayBuffer>> {
  const root = opts.root()
  const parts: BytePart[] = [textPart(root.text, root.shared, root.index)]
  const extraText = extra ? await extra() : undefined
  const facts: StreamFacts[] = []
  const seen = new Set<string>()
  for (const target of table.scrapeTargets()) {
    const now = target.now()
    if (!now) continue
    const r = now.current ? target.metrics?.() : undefined
    if (r) parts.push(cutters.part(target.id, r.snapshot, seen))
    facts.push({ id: target.id, state: now.state, up: now.up, restarts: now.restarts, elu: now.elu, heapUsed: r?.heapUsed, heapLimit: r?.heapLimit })
  }
  cutters.prune(seen)
  parts.push(blocksPart(streamGaugeBlocks(facts)))
  if (extraText) parts.push(textPart(extraText))
  const issues: MergeIssue[] = []
  const out = mergeParts(parts, issues)
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
