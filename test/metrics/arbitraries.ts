/**
 * Random registries for the byte-merge properties: families that collide across streams (also in
 * type), vector labels with non-ASCII and non-BMP values, mappings that make families shared.
 */
import fc from 'fast-check'
import { WorkerMetrics } from '../../src/metrics/worker-metrics.js'
import type { MetricsSettings } from '../../src/protocol/messages.js'

/** Well-formed strings only: a lone surrogate cannot survive UTF-8 (it becomes U+FFFD). */
export const labelValue = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 6 }), fc.constantFrom('é', '🚀', 'ü-流', 'a\\"b\nc', ''))

const registration = fc.record({
  kind: fc.constantFrom('counter', 'gauge', 'timer'),
  name: fc.constantFrom('input_received', 'x', 'y_total', 'latency', 'output_sent'),
  labels: fc.constantFrom<string[]>([], ['k'], ['k', 'j']),
  values: fc.array(labelValue, { minLength: 2, maxLength: 2 }),
  n: fc.oneof(fc.integer({ min: 0, max: 1e9 }), fc.double({ min: -1e9, max: 1e9, noNaN: true })),
})

const MAPPINGS = ['', 'meta stream = deleted()', 'root = this.replace_all("x", "y_total")', 'meta path = deleted()\nmeta stream = "shared"']

/** One registry per id, with the same timer shape (a host-wide setting) and a mapping each. */
export function registries(ids: readonly string[]): fc.Arbitrary<WorkerMetrics[]> {
  return fc.boolean().chain((histogram) =>
    fc.tuple(
      ...ids.map((id) =>
        fc.tuple(fc.constantFrom(...MAPPINGS), fc.array(registration, { maxLength: 8 })).map(([mapping, regs]) => {
          const settings: MetricsSettings = { mapping, useHistogramTiming: histogram, histogramBuckets: [], summaryQuantiles: [] }
          const m = new WorkerMetrics(id, settings)
          const v = m.view('root.pipeline.processors.0', 'p')
          for (const r of regs) {
            const values = r.labels.map((_, i) => r.values[i]!)
            if (r.kind === 'counter') v.counter(r.name, r.labels).inc(Math.abs(r.n), values)
            else if (r.kind === 'gauge') v.gauge(r.name, r.labels).set(r.n, values)
            else v.timer(r.name, r.labels).observe(Math.abs(r.n), values)
          }
          return m
        }),
      ),
    ),
  )
}
