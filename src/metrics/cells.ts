/**
 * Storage for one worker's series: a cell per series, grouped into Prometheus families. Updates
 * are plain field writes; sorting, quantiles and text happen only when someone reads.
 */

export type Kind = 'counter' | 'gauge' | 'timer'

/** go-metrics' default reservoir size, which the reference's stats percentiles come from. */
export const SAMPLE_SIZE = 1028

/** The latest observations of a timer, in nanoseconds. */
export interface Sample {
  ring: Float64Array
  len: number
  pos: number
  /** Sorted copy of the ring, dropped on every observation. */
  sorted: Float64Array | undefined
}

export interface Cell {
  /** `a="x",b="y"` with names sorted and values escaped; '' without labels (Prometheus only). */
  labelText: string
  /** Label values in name order joined by NUL: client_golang's series order within a family. */
  order: string
  /** Prometheus value of a counter or gauge. */
  value: number
  /** The stats value: an integer, float increments truncated one by one as the reference does. */
  local: number
  /** Timers: Prometheus sum (ns for summaries, seconds for histograms) and count. */
  sum: number
  count: number
  sample: Sample | undefined
  /** Histogram timers: observations per bucket (not cumulative). */
  buckets: Float64Array | undefined
}

export interface Family {
  name: string
  kind: Kind
  /** Label names as first registered: sorted static names, then vector names. */
  labelNames: string[]
  cells: Map<string, Cell>
  /** Cells in series order, rebuilt after a new series appears. */
  ordered: Cell[] | undefined
  /** Some series lack this worker's own `stream` value (the mapping changed it): they may collide with other workers' series. */
  shared: boolean
}

export function newCell(timer: boolean, bucketCount: number): Cell {
  return {
    labelText: '',
    order: '',
    value: 0,
    local: 0,
    sum: 0,
    count: 0,
    sample: timer ? { ring: new Float64Array(SAMPLE_SIZE), len: 0, pos: 0, sorted: undefined } : undefined,
    buckets: timer && bucketCount > 0 ? new Float64Array(bucketCount) : undefined,
  }
}

export function pushSample(s: Sample, ns: number): void {
  s.ring[s.pos] = ns
  s.pos = s.pos + 1 === SAMPLE_SIZE ? 0 : s.pos + 1
  if (s.len < SAMPLE_SIZE) s.len++
  s.sorted = undefined
}

/**
 * go-metrics' sample percentiles: linear interpolation at p·(n+1), clamped to the extremes;
 * `empty` when there is no observation (go-metrics says 0, client_golang's summary NaN).
 */
export function percentiles(s: Sample, ps: readonly number[], empty: number): number[] {
  const n = s.len
  if (n === 0) return ps.map(() => empty)
  const sorted = (s.sorted ??= Float64Array.from(s.ring.subarray(0, n)).sort())
  return ps.map((p) => {
    const pos = p * (n + 1)
    if (pos < 1) return sorted[0]!
    if (pos >= n) return sorted[n - 1]!
    const lower = sorted[Math.floor(pos) - 1]!
    const upper = sorted[Math.floor(pos)]!
    return lower + (pos - Math.floor(pos)) * (upper - lower)
  })
}
