/**
 * `/metrics` and `/stats` on the shared server. Each worker renders its own registry (its series
 * already carry `stream`); a scrape asks every live worker in parallel with a deadline, so one slow
 * stream cannot block the event loop or the scrape, and says which streams did not answer.
 */
import type { Host } from '../supervisor/host.js'
import type { MetricsEndpoint } from '../api/health.js'
import { mergeExpositions } from './merge.js'
import { stableStringify } from '../api/http-errors.js'

export type ExporterKind = 'prometheus' | 'json_api' | 'none'

export interface ExporterOptions {
  kind: ExporterKind
  /** Per-worker answer deadline for one scrape. */
  scrapeDeadlineMs: number
  /** Main-thread series (resources, `stream=""`), rendered as text. */
  rootText: () => Promise<string>
  rootStats: () => Record<string, unknown>
}

const PROM_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

export function createMetricsEndpoint(host: Host, opts: ExporterOptions): MetricsEndpoint | undefined {
  if (opts.kind === 'none') return undefined
  return {
    render: async () => {
      if (opts.kind === 'json_api') return { body: stableStringify(await jsonStats(host, opts)), contentType: 'application/json' }
      return { body: await promText(host, opts), contentType: PROM_TYPE }
    },
  }
}

async function promText(host: Host, opts: ExporterOptions): Promise<string> {
  const ids = host.ids()
  const answers = await Promise.all(
    ids.map(async (id) => {
      const w = host.record(id)?.worker
      return { id, r: w ? await w.metrics(opts.scrapeDeadlineMs) : undefined, w }
    }),
  )
  const texts: string[] = [await opts.rootText()]
  let own = ''
  const late: string[] = []
  for (const { id, r, w } of answers) {
    const rec = host.record(id)
    if (!rec) continue
    const label = `stream="${escapeLabel(id)}"`
    if (r) {
      if (r.text.length) texts.push(r.text)
      own += `weir_stream_heap_used_bytes{${label}} ${r.heapUsed}\n`
      own += `weir_stream_heap_limit_bytes{${label}} ${r.heapLimit}\n`
    } else if (w) {
      late.push(id)
    }
    if (w) own += `weir_stream_event_loop_utilization{${label}} ${round(w.eventLoopUtilization())}\n`
    own += `weir_stream_restarts_total{${label}} ${rec.restarts}\n`
    own += `weir_stream_up{${label},state="${rec.state}"} ${rec.worker ? 1 : 0}\n`
    own += `weir_stream_scrape_timeout{${label}} ${r || !w ? 0 : 1}\n`
  }
  let out = mergeExpositions(texts)
  if (own) out += groupOwn(own)
  if (late.length) out += `# weir: streams ${late.join(', ')} did not answer within ${opts.scrapeDeadlineMs}ms\n`
  return out
}

const OWN_FAMILIES: [string, string, string][] = [
  ['weir_stream_heap_used_bytes', 'gauge', 'V8 heap used by the stream worker.'],
  ['weir_stream_heap_limit_bytes', 'gauge', 'V8 heap limit of the stream worker.'],
  ['weir_stream_event_loop_utilization', 'gauge', 'Share of time the worker event loop was busy since the previous scrape.'],
  ['weir_stream_restarts_total', 'counter', 'Times the stream worker was restarted after a crash.'],
  ['weir_stream_up', 'gauge', '1 when a worker serves the stream; the state label names its lifecycle state.'],
  ['weir_stream_scrape_timeout', 'gauge', '1 when the worker did not answer this scrape in time.'],
]

/** Regroup our own per-stream lines family by family, with HELP and TYPE. */
function groupOwn(lines: string): string {
  const byFamily = new Map<string, string[]>()
  for (const l of lines.split('\n')) {
    if (!l) continue
    const name = l.slice(0, l.indexOf('{'))
    let arr = byFamily.get(name)
    if (!arr) byFamily.set(name, (arr = []))
    arr.push(l)
  }
  let out = ''
  for (const [name, type, help] of OWN_FAMILIES) {
    const arr = byFamily.get(name)
    if (!arr) continue
    out += `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${arr.join('\n')}\n`
  }
  return out
}

async function jsonStats(host: Host, opts: ExporterOptions): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { ...opts.rootStats() }
  await Promise.all(
    host.ids().map(async (id) => {
      const s = await host.record(id)?.worker?.stats(opts.scrapeDeadlineMs)
      if (s) Object.assign(out, s)
    }),
  )
  return out
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
}

function round(n: number): number {
  return Math.round(n * 10000) / 10000
}
