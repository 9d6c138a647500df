/**
 * Renders a worker's families in the Prometheus text format exactly as client_golang does for the
 * reference: families sorted by name, series sorted by label values, HELP then TYPE, no blank
 * lines, Go number formatting, `quantile`/`le` after the series' own labels.
 */
import { percentiles, type Cell, type Family } from './cells.js'
import { escapeHelp, goFloat } from '../util/go-format.js'

export const HELP = {
  counter: 'Benthos Counter metric',
  gauge: 'Benthos Gauge metric',
  timer: 'Benthos Timing metric',
} as const

export interface TimerShape {
  /** true: histogram in seconds; false: summary in nanoseconds. */
  histogram: boolean
  /** Upper bounds in seconds, ascending, finite. */
  buckets: readonly number[]
  /** Summary quantiles, ascending. */
  quantiles: readonly number[]
}

export function promType(kind: Family['kind'], histogram: boolean): string {
  return kind === 'timer' ? (histogram ? 'histogram' : 'summary') : kind
}

/**
 * Families with at least one series; `names` must be sorted. `index` receives where each family
 * block starts (block-index.ts), so the main thread need not scan the text for them.
 */
export function renderFamilies(families: ReadonlyMap<string, Family>, names: readonly string[], shape: TimerShape, index?: number[]): string {
  let out = ''
  const quantileLabels = shape.quantiles.map((q) => `quantile="${goFloat(q)}"`)
  const bucketLabels = shape.buckets.map((b) => `le="${goFloat(b)}"`)
  for (const name of names) {
    const fam = families.get(name)!
    if (fam.cells.size === 0) continue
    const start = out.length
    out += `# HELP ${name} ${escapeHelp(HELP[fam.kind])}\n`
    const typeAt = out.length
    out += `# TYPE ${name} ${promType(fam.kind, shape.histogram)}\n`
    index?.push(start, start + 7 + name.length, typeAt, out.length)
    const cells = (fam.ordered ??= [...fam.cells.values()].sort(bySeriesOrder))
    for (const c of cells) {
      const braces = c.labelText ? `{${c.labelText}}` : ''
      if (fam.kind !== 'timer') {
        out += `${name}${braces} ${goFloat(c.value)}\n`
        continue
      }
      const open = c.labelText ? `{${c.labelText},` : '{'
      if (shape.histogram) {
        let cumulative = 0
        for (let i = 0; i < bucketLabels.length; i++) {
          cumulative += c.buckets![i]!
          out += `${name}_bucket${open}${bucketLabels[i]}} ${goFloat(cumulative)}\n`
        }
        out += `${name}_bucket${open}le="+Inf"} ${goFloat(c.count)}\n`
      } else {
        const values = percentiles(c.sample!, shape.quantiles, NaN)
        for (let i = 0; i < quantileLabels.length; i++) out += `${name}${open}${quantileLabels[i]}} ${goFloat(values[i]!)}\n`
      }
      out += `${name}_sum${braces} ${goFloat(c.sum)}\n${name}_count${braces} ${goFloat(c.count)}\n`
    }
  }
  return out
}

function bySeriesOrder(a: Cell, b: Cell): number {
  return a.order < b.order ? -1 : a.order > b.order ? 1 : 0
}
