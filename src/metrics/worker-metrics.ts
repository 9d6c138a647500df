/**
 * One stream worker's metrics (spec streams-mode §9): every series carries `label`, `path` and
 * `stream`, passes once through `metrics.mapping` when it is registered, and is readable both as
 * Prometheus text and as the flat `/streams/{id}/stats` object (§6.9).
 *
 * Like the reference, each registration feeds two sinks: the Prometheus exporter (which rejects
 * invalid names and label-set mismatches, logging them) and the local stats registry (which keeps
 * everything, integers only). Both usually share one cell per series.
 *
 * Hot path: a component binds its series once (`view.counter('x')`); an update is then one or two
 * field writes, or one write into a fixed sample ring for timers. Quantiles, label rendering and
 * formatting happen only when someone scrapes.
 */
import { Registry } from 'prom-client'
import { compileMapping, type Mapping } from '../bloblang/index.js'
import { Message } from '../message/message.js'
import type { Logger, MetricsView } from '../spec/index.js'
import type { MetricsSettings } from '../protocol/messages.js'
import { newCell, percentiles, pushSample, type Cell, type Family, type Kind } from './cells.js'
import { escapeLabelValue, isValidLabelName, isValidMetricName, statsKeyOf } from '../util/go-format.js'
import { HELP, promType, renderFamilies, type TimerShape } from './prom-text.js'

/** client_golang's `DefBuckets` (seconds), used when `histogram_buckets` is empty. */
const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
const DEFAULT_QUANTILES = [0.5, 0.9, 0.99]
const STATS_PERCENTILES = [0.5, 0.9, 0.99]

/** The local (stats) cell and the Prometheus cell of one series; often the same object. */
interface Pair {
  a: Cell
  b: Cell | undefined
  /** The registry's change flag, raised by every update. */
  d: Changes
}

/**
 * Whether any series changed since the last exposition. Only the first update after a render
 * calls `notify` (a flag test per update otherwise), so a publisher can wake up on change instead
 * of polling idle registries.
 */
interface Changes {
  dirty: boolean
  notify: (() => void) | undefined
}

interface Binding {
  fixed: Pair | undefined
  get: (values: readonly string[]) => Pair
}

/** What a worker answers to a scrape. */
export interface Exposition {
  text: string
  /** Families whose series may collide with other workers' (see `Family.shared`). */
  shared: string[]
  /** Where the text's family blocks are (block-index.ts). */
  index: number[]
}

const NOOP_COUNTER = { inc: (): void => {} }
const NOOP_GAUGE = { set: (): void => {} }
const NOOP_TIMER = { observe: (): void => {} }

export class WorkerMetrics {
  /** prom-client registry holding every exported family (its `get()` gives prom-client's JSON view). */
  readonly registry = new Registry()
  readonly #stream: string
  readonly #shape: TimerShape
  readonly #mapping: Mapping | undefined
  readonly #logger: Logger | undefined
  readonly #families = new Map<string, Family>()
  #names: string[] | undefined
  /** Stats cells by kind class (`c` counters and gauges, `t` timers) + flat key. */
  readonly #local = new Map<string, Cell>()
  readonly #started = process.hrtime.bigint()
  readonly #changes: Changes = { dirty: false, notify: undefined }

  /** Throws a WeirError (BLOBLANG_PARSE) when `settings.mapping` does not compile. */
  constructor(streamId: string, settings: MetricsSettings, logger?: Logger) {
    this.#stream = streamId
    this.#logger = logger
    this.#mapping = settings.mapping.trim() !== '' ? compileMapping(settings.mapping) : undefined
    const buckets = [...new Set(settings.histogramBuckets.filter((b) => Number.isFinite(b)))].sort((x, y) => x - y)
    const quantiles = [...new Set(settings.summaryQuantiles.map((q) => q.quantile))].sort((x, y) => x - y)
    this.#shape = {
      histogram: settings.useHistogramTiming,
      buckets: buckets.length ? buckets : DEFAULT_BUCKETS,
      quantiles: quantiles.length ? quantiles : DEFAULT_QUANTILES,
    }
  }

  /** Metric handles for one component: `label`, `path` and `stream` are bound here. */
  view(path: string, label: string): MetricsView {
    const statics: Record<string, string> = { label, path, stream: this.#stream }
    const shape = this.#shape
    return {
      counter: (name, labelNames = []) => {
        const h = this.#bind('counter', name, statics, labelNames)
        if (!h) return NOOP_COUNTER
        const fixed = h.fixed
        return { inc: fixed ? (n = 1) => incr(fixed, n) : (n = 1, values: string[] = []) => incr(h.get(values), n) }
      },
      gauge: (name, labelNames = []) => {
        const h = this.#bind('gauge', name, statics, labelNames)
        if (!h) return NOOP_GAUGE
        const fixed = h.fixed
        return { set: fixed ? (v: number) => set(fixed, v) : (v: number, values: string[] = []) => set(h.get(values), v) }
      },
      timer: (name, labelNames = []) => {
        const h = this.#bind('timer', name, statics, labelNames)
        if (!h) return NOOP_TIMER
        const fixed = h.fixed
        const buckets = shape.histogram ? shape.buckets : undefined
        return {
          observe: fixed ? (ns: number) => observe(fixed, ns, buckets) : (ns: number, values: string[] = []) => observe(h.get(values), ns, buckets),
        }
      },
    }
  }

  /** The flat object of spec §6.9: counters and gauges as integers, timers as p50/p90/p99 in ns. */
  stats(): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    for (const [key, cell] of this.#local) {
      if (key.charCodeAt(0) === 116 /* t */) {
        const [p50, p90, p99] = percentiles(cell.sample!, STATS_PERCENTILES, 0)
        out[key.slice(1)] = { p50, p90, p99 }
      } else {
        out[key.slice(1)] = cell.local
      }
    }
    out.uptime_ns = Number(process.hrtime.bigint() - this.#started)
    return out
  }

  /**
   * `fn` runs (synchronously, inside the update) on the first change after each `exposition()`;
   * it should only schedule work.
   */
  onChange(fn: () => void): void {
    this.#changes.notify = fn
  }

  /** Some series changed (or appeared) since the last `exposition()`. */
  get changed(): boolean {
    return this.#changes.dirty
  }

  /** Text plus the families the main thread must merge series by series. */
  exposition(): Exposition {
    this.#changes.dirty = false
    const names = (this.#names ??= [...this.#families.keys()].sort())
    const shared: string[] = []
    for (const n of names) if (this.#families.get(n)!.shared) shared.push(n)
    const index: number[] = []
    return { text: renderFamilies(this.#families, names, this.#shape, index), shared, index }
  }

  #bind(kind: Kind, rawName: string, statics: Record<string, string>, vectorNames: readonly string[]): Binding | undefined {
    const mapped = this.#applyMapping(rawName, statics)
    if (!mapped) return undefined
    const staticNames = Object.keys(mapped.labels).sort()
    const staticValues = staticNames.map((n) => mapped.labels[n]!)
    const names = [...staticNames, ...vectorNames]
    const fam = this.#family(kind, mapped.name, names)
    const pairFor = (values: readonly string[]): Pair => {
      const all = [...staticValues]
      for (let i = 0; i < vectorNames.length; i++) all.push(values[i] ?? '')
      const a = this.#localCell(kind, mapped.name, names, all)
      touch(this.#changes)
      return { a, b: fam ? this.#promCell(fam, names, all, a) : undefined, d: this.#changes }
    }
    if (vectorNames.length === 0) return { fixed: pairFor([]), get: () => pairFor([]) }
    const cache = new Map<string, Pair>()
    return {
      fixed: undefined,
      get: (values) => {
        const k = values.join('\u0000')
        let p = cache.get(k)
        if (!p) cache.set(k, (p = pairFor(values)))
        return p
      },
    }
  }

  /** The Prometheus family for a registration, or undefined (logged) when the exporter rejects it. */
  #family(kind: Kind, name: string, labelNames: string[]): Family | undefined {
    if (!isValidMetricName(name)) {
      this.#logger?.error(`Ignoring metric '${name}' due to invalid name`)
      return undefined
    }
    const fam = this.#families.get(name)
    if (fam) {
      if (fam.kind !== kind) {
        this.#logger?.error(`Metric '${name}' is already registered as a ${fam.kind}, skipping the ${kind}`)
        return undefined
      }
      // Like the reference only the count is compared: same-sized label sets share the family's names.
      if (fam.labelNames.length !== labelNames.length) {
        this.#logger?.error(`Metrics label mismatch ${fam.labelNames.length} versus ${labelNames.length} [${labelNames.join(' ')}] for name '${name}', skipping metric`)
        return undefined
      }
      return fam
    }
    const bad = this.#badLabel(kind, labelNames)
    if (bad !== undefined) {
      this.#logger?.error(`Ignoring metric '${name}' due to invalid label name '${bad}'`)
      return undefined
    }
    const created: Family = { name, kind, labelNames, cells: new Map(), ordered: undefined, shared: false }
    this.#families.set(name, created)
    this.#names = undefined
    this.#register(created)
    return created
  }

  #badLabel(kind: Kind, labelNames: readonly string[]): string | undefined {
    const seen = new Set<string>()
    const reserved = kind !== 'timer' ? '' : this.#shape.histogram ? 'le' : 'quantile'
    for (const n of labelNames) {
      if (!isValidLabelName(n) || n === reserved || seen.has(n)) return n
      seen.add(n)
    }
    return undefined
  }

  #localCell(kind: Kind, name: string, labelNames: readonly string[], values: readonly string[]): Cell {
    const tags: Record<string, string> = {}
    for (let i = 0; i < labelNames.length; i++) tags[labelNames[i]!] = values[i]!
    const key = (kind === 'timer' ? 't' : 'c') + statsKey(name, tags)
    let cell = this.#local.get(key)
    if (!cell) {
      cell = newCell(kind === 'timer', kind === 'timer' && this.#shape.histogram ? this.#shape.buckets.length : 0)
      this.#local.set(key, cell)
    }
    return cell
  }

  #promCell(fam: Family, labelNames: readonly string[], values: readonly string[], local: Cell): Cell {
    const pairs = fam.labelNames.map((n, i): [string, string] => [n, values[i] ?? ''])
    pairs.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    const labelText = pairs.map(([n, v]) => `${n}="${escapeLabelValue(v)}"`).join(',')
    const existing = fam.cells.get(labelText)
    if (existing) return existing
    const sameNames = labelNames.every((n, i) => n === fam.labelNames[i])
    const cell = sameNames ? local : newCell(fam.kind === 'timer', fam.kind === 'timer' && this.#shape.histogram ? this.#shape.buckets.length : 0)
    cell.labelText = labelText
    cell.order = pairs.map((p) => p[1]).join('\u0000')
    fam.cells.set(labelText, cell)
    fam.ordered = undefined
    if (!pairs.some(([n, v]) => n === 'stream' && v === this.#stream)) fam.shared = true
    return cell
  }

  /** `metrics.mapping` (spec §9.4): rename, relabel or drop (undefined) one registration. */
  #applyMapping(name: string, labels: Record<string, string>): { name: string; labels: Record<string, string> } | undefined {
    if (!this.#mapping) return { name, labels }
    const msg = Message.fromValue(name, new Map(Object.entries(labels)))
    let out: Message | undefined
    try {
      out = this.#mapping.execMapping([msg], 0)
    } catch (err) {
      // The reference keeps the name but drops every label when the mapping fails.
      this.#logger?.error(`Failed to apply path mapping on '${name}': ${err instanceof Error ? err.message : String(err)}`)
      return { name, labels: {} }
    }
    if (!out) {
      this.#logger?.trace(`Deleting metrics path: ${name}`)
      return undefined
    }
    let newName: string
    if (out.hasStructured()) {
      const v = out.structured()
      if (typeof v !== 'string') {
        this.#logger?.error(`Path mapping returned invalid result, expected string, found ${goTypeName(v)}`)
        return { name, labels }
      }
      newName = v
    } else {
      newName = out.text()
    }
    const newLabels: Record<string, string> = {}
    for (const k of out.metadata.keys()) newLabels[k] = out.metaString(k) ?? ''
    this.#logger?.trace(newName === name ? `Metrics path '${name}' registered unchanged.` : `Updated metrics path '${name}' to: ${newName}`)
    return { name: newName, labels: newLabels }
  }

  #register(fam: Family): void {
    const shape = this.#shape
    const type = promType(fam.kind, shape.histogram)
    const get = async (): Promise<{ name: string; help: string; type: string; values: PromValue[]; aggregator: string }> => ({
      name: fam.name,
      help: HELP[fam.kind],
      type,
      values: promValues(fam, shape),
      aggregator: 'sum',
    })
    // A duck-typed metric: prom-client's Registry only needs `name` and `get()`.
    const metric = { name: fam.name, help: HELP[fam.kind], type, get, reset: () => {}, aggregator: 'sum' }
    this.registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0])
  }
}

function touch(c: Changes): void {
  c.dirty = true
  c.notify?.()
}

function incr(p: Pair, n: number): void {
  p.a.local += Math.trunc(n)
  if (p.b) p.b.value += n
  if (!p.d.dirty) touch(p.d)
}

function set(p: Pair, v: number): void {
  p.a.local = Math.trunc(v)
  if (p.b) p.b.value = v
  if (!p.d.dirty) touch(p.d)
}

function observe(p: Pair, ns: number, buckets: readonly number[] | undefined): void {
  if (!p.d.dirty) touch(p.d)
  pushSample(p.a.sample!, ns)
  const b = p.b
  if (!b) return
  b.count++
  if (buckets) {
    // Histograms are exposed in seconds (spec §9.1); the stats sample stays in nanoseconds.
    const secs = ns / 1e9
    b.sum += secs
    for (let i = 0; i < buckets.length; i++) {
      if (secs <= buckets[i]!) {
        b.buckets![i]!++
        break
      }
    }
  } else {
    b.sum += ns
    if (b !== p.a) pushSample(b.sample!, ns)
  }
}

/** prom-client value row (the shape its Registry formats). */
interface PromValue {
  labels: Record<string, string | number>
  value: number
  metricName?: string
}

function promValues(fam: Family, shape: TimerShape): PromValue[] {
  const values: PromValue[] = []
  for (const c of fam.cells.values()) {
    const labels = labelsOf(fam, c)
    if (fam.kind !== 'timer') {
      values.push({ labels, value: c.value })
      continue
    }
    if (shape.histogram) {
      let cum = 0
      shape.buckets.forEach((le, i) => {
        cum += c.buckets![i]!
        values.push({ metricName: `${fam.name}_bucket`, labels: { ...labels, le }, value: cum })
      })
      values.push({ metricName: `${fam.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: c.count })
    } else {
      const ps = percentiles(c.sample!, shape.quantiles, NaN)
      shape.quantiles.forEach((quantile, i) => values.push({ labels: { ...labels, quantile }, value: ps[i]! }))
    }
    values.push({ metricName: `${fam.name}_sum`, labels, value: c.sum })
    values.push({ metricName: `${fam.name}_count`, labels, value: c.count })
  }
  return values
}

/** Labels back from a cell's order key (values in sorted-name order). */
function labelsOf(fam: Family, c: Cell): Record<string, string> {
  const names = [...fam.labelNames].sort()
  const values = c.order.split('\u0000')
  const out: Record<string, string> = {}
  names.forEach((n, i) => (out[n] = values[i] ?? ''))
  return out
}

function goTypeName(v: unknown): string {
  if (v === null) return '<nil>'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64'
  if (typeof v === 'boolean') return 'bool'
  if (Array.isArray(v)) return '[]interface {}'
  if (v instanceof Uint8Array) return '[]uint8'
  return typeof v === 'object' ? 'map[string]interface {}' : typeof v
}

/** The reference's flat stats key: `name{a="x",b="y"}` (see `statsKeyOf`). */
export function statsKey(name: string, labels: Record<string, string>): string {
  return statsKeyOf(name, Object.entries(labels))
}
