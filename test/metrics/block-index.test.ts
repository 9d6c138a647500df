/**
 * The block offsets a worker sends with its exposition must cut the text exactly as the main
 * thread's scan would: the merge trusts them blindly.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { blocksAt } from '../../src/metrics/block-index.js'
import { splitExposition } from '../../src/metrics/merge.js'
import { WorkerMetrics } from '../../src/metrics/worker-metrics.js'
import type { MetricsSettings } from '../../src/protocol/messages.js'

const SETTINGS: MetricsSettings = { mapping: '', useHistogramTiming: false, histogramBuckets: [], summaryQuantiles: [] }

function populated(settings: MetricsSettings, stream = 'foo'): WorkerMetrics {
  const m = new WorkerMetrics(stream, settings)
  const input = m.view('root.input', 'in')
  input.counter('input_received').inc(1_500_000)
  input.timer('input_latency_ns').observe(1_250_000)
  input.timer('input_latency_ns').observe(3)
  const cache = m.view('root.cache_resources', 'c')
  cache.counter('cache_success', ['operation']).inc(2, ['get'])
  cache.counter('cache_success', ['operation']).inc(1, ['add'])
  // Escaped and non-Latin-1 label values: offsets count UTF-16 units, as the main thread slices.
  cache.gauge('cache_items', ['key']).set(0.25, ['a"b\\c\nd é 🚀'])
  // A registered family without series renders no block.
  m.view('root.output', '').timer('output_latency_ns', ['never'])
  m.view('root.output', '').counter('output_sent').inc(7)
  return m
}

const cases: [string, WorkerMetrics][] = [
  ['summaries', populated(SETTINGS)],
  ['histograms', populated({ ...SETTINGS, useHistogramTiming: true, histogramBuckets: [0.001, 1] })],
  ['renamed and shared by metrics.mapping', populated({ ...SETTINGS, mapping: 'meta stream = deleted()\nroot = this.replace_all("input_", "source_")' })],
  ['an empty registry', new WorkerMetrics('foo', SETTINGS)],
]

for (const [name, m] of cases) {
  test(`the offsets cut the text as splitExposition does: ${name}`, () => {
    const { text, index } = m.exposition()
    assert.deepEqual(blocksAt(text, index), splitExposition(text))
  })
}

test('the offsets follow the text when series are added', () => {
  const m = populated(SETTINGS)
  m.exposition()
  m.view('root.pipeline.processors.0', 'p').counter('processor_received').inc(1)
  const { text, index } = m.exposition()
  const blocks = blocksAt(text, index)
  assert.deepEqual(blocks, splitExposition(text))
  assert.ok(blocks.some((b) => b.name === 'processor_received'))
})

test('one block written by hand', () => {
  assert.deepEqual(blocksAt('# HELP a h\n# TYPE a counter\na 1\n', [0, 8, 11, 28]), [{ name: 'a', help: 'h', type: 'counter', samples: 'a 1\n' }])
})
