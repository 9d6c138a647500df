/**
 * Weir's own per-stream series (beyond the reference, documented in the README): worker health the
 * main thread knows or learns in the same scrape. Every series carries `stream`.
 */
import { escapeLabelValue, goFloat, statsKeyOf } from '../util/go-format.js'
import type { Block } from './merge.js'

export interface StreamFacts {
  id: string
  state: string
  /** A worker serves the stream now (running or paused). */
  up: boolean
  restarts: number
  /** Worker event-loop utilisation since the previous scrape (undefined without a worker). */
  elu: number | undefined
  /** From the worker's latest snapshot (undefined without one). */
  heapUsed: number | undefined
  heapLimit: number | undefined
  /** json_api only (Prometheus scrapes never wait): the worker did not answer within the deadline. */
  timedOut?: boolean
}

interface Gauge {
  name: string
  type: 'gauge' | 'counter'
  help: string
  /** Extra labels after `stream`, and the value; undefined = no series for this stream. */
  of: (f: StreamFacts) => { labels?: [string, string][]; value: number } | undefined
}

export const STREAM_GAUGES: readonly Gauge[] = [
  {
    name: 'weir_stream_event_loop_utilization',
    type: 'gauge',
    help: 'Share of time (0..1) the stream worker event loop was busy since the previous scrape.',
    of: (f) => (f.elu === undefined ? undefined : { value: Math.round(f.elu * 10000) / 10000 }),
  },
  {
    name: 'weir_stream_heap_limit_bytes',
    type: 'gauge',
    help: 'V8 heap size limit of the stream worker.',
    of: (f) => (f.heapLimit === undefined ? undefined : { value: f.heapLimit }),
  },
  {
    name: 'weir_stream_heap_used_bytes',
    type: 'gauge',
    help: 'V8 heap used by the stream worker.',
    of: (f) => (f.heapUsed === undefined ? undefined : { value: f.heapUsed }),
  },
  {
    name: 'weir_stream_restarts_total',
    type: 'counter',
    help: 'Times the stream worker was restarted after a crash.',
    of: (f) => ({ value: f.restarts }),
  },
  {
    name: 'weir_stream_scrape_timeout',
    type: 'gauge',
    help: '1 when the stream worker did not answer this json_api scrape within the deadline (its series are missing).',
    of: (f) => (f.timedOut === undefined ? undefined : { value: f.timedOut ? 1 : 0 }),
  },
  {
    name: 'weir_stream_state',
    type: 'gauge',
    help: 'Always 1; the state label is the stream lifecycle state.',
    of: (f) => ({ labels: [['state', f.state]], value: 1 }),
  },
  {
    name: 'weir_stream_up',
    type: 'gauge',
    help: '1 while a worker serves the stream (running or paused), 0 while it is starting, failed, restarting or finished.',
    of: (f) => ({ value: f.up ? 1 : 0 }),
  },
]

/**
 * The series as family blocks, in name order (STREAM_GAUGES is sorted): built as blocks, since
 * rendering them as one text only for the merge to cut it up again cost each scrape a scan of it.
 */
export function streamGaugeBlocks(facts: readonly StreamFacts[]): Block[] {
  const streams = facts.map((f) => `{stream="${escapeLabelValue(f.id)}"`)
  const blocks: Block[] = []
  for (const g of STREAM_GAUGES) {
    let body = ''
    for (let i = 0; i < facts.length; i++) {
      const s = g.of(facts[i]!)
      if (!s) continue
      let labels = streams[i]!
      for (const [k, v] of s.labels ?? []) labels += `,${k}="${escapeLabelValue(v)}"`
      body += `${g.name}${labels}} ${goFloat(s.value)}\n`
    }
    if (body) blocks.push({ name: g.name, help: g.help, type: g.type, samples: body })
  }
  return blocks
}

/** The same series as flat `json_api` keys. */
export function streamGaugesFlat(facts: readonly StreamFacts[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const g of STREAM_GAUGES) {
    for (const f of facts) {
      const s = g.of(f)
      if (s) out[statsKeyOf(g.name, [['stream', f.id], ...(s.labels ?? [])])] = s.value
    }
  }
  return out
}
