import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WorkerMetrics, statsKey } from '../../src/metrics/worker-metrics.js'

const SETTINGS = {
  mapping: '',
  useHistogramTiming: false,
  histogramBuckets: [],
  summaryQuantiles: [
    { quantile: 0.5, error: 0.05 },
    { quantile: 0.9, error: 0.01 },
    { quantile: 0.99, error: 0.001 },
  ],
}

test('stats are flat with sorted, quoted labels; timers give p50/p90/p99 in ns', () => {
  const m = new WorkerMetrics('foo', SETTINGS)
  const v = m.view('root.input', '')
  v.counter('input_received').inc(3)
  v.counter('input_received').inc()
  for (const ns of [100, 200, 300, 400]) v.timer('input_latency_ns').observe(ns)
  m.view('root.cache_resources', 'c"x').counter('cache_success', ['operation']).inc(2, ['get'])
  const s = m.stats()
  assert.equal(s['input_received{label="",path="root.input",stream="foo"}'], 4)
  assert.deepEqual(s['input_latency_ns{label="",path="root.input",stream="foo"}'], { p50: 250, p90: 400, p99: 400 })
  assert.equal(s['cache_success{label="c\\"x",operation="get",path="root.cache_resources",stream="foo"}'], 2)
  assert.equal(typeof s.uptime_ns, 'number')
  assert.equal(statsKey('x', {}), 'x')
  assert.equal(statsKey('x', { b: 'é', a: '\n' }), 'x{a="\\n",b="\\u00e9"}')
})

test('prometheus text has HELP/TYPE, sorted labels and summary quantiles', async () => {
  const m = new WorkerMetrics('foo', SETTINGS)
  const v = m.view('root.output', 'out')
  v.counter('output_sent').inc(2)
  v.gauge('some_gauge').set(7)
  v.timer('output_latency_ns').observe(1000)
  const text = m.exposition().text
  assert.equal(
    text,
    [
      '# HELP output_latency_ns Benthos Timing metric',
      '# TYPE output_latency_ns summary',
      'output_latency_ns{label="out",path="root.output",stream="foo",quantile="0.5"} 1000',
      'output_latency_ns{label="out",path="root.output",stream="foo",quantile="0.9"} 1000',
      'output_latency_ns{label="out",path="root.output",stream="foo",quantile="0.99"} 1000',
      'output_latency_ns_sum{label="out",path="root.output",stream="foo"} 1000',
      'output_latency_ns_count{label="out",path="root.output",stream="foo"} 1',
      '# HELP output_sent Benthos Counter metric',
      '# TYPE output_sent counter',
      'output_sent{label="out",path="root.output",stream="foo"} 2',
      '# HELP some_gauge Benthos Gauge metric',
      '# TYPE some_gauge gauge',
      'some_gauge{label="out",path="root.output",stream="foo"} 7',
      '',
    ].join('\n'),
  )
})

test('histogram timing exposes seconds buckets', async () => {
  const m = new WorkerMetrics('foo', { ...SETTINGS, useHistogramTiming: true, histogramBuckets: [0.001, 1] })
  m.view('root.output', '').timer('output_latency_ns').observe(2_000_000)
  const text = m.exposition().text
  assert.match(text, /# TYPE output_latency_ns histogram\n/)
  assert.match(text, /output_latency_ns_bucket\{label="",path="root.output",stream="foo",le="0.001"\} 0\n/)
  assert.match(text, /output_latency_ns_bucket\{label="",path="root.output",stream="foo",le="1"\} 1\n/)
  assert.match(text, /output_latency_ns_bucket\{label="",path="root.output",stream="foo",le="\+Inf"\} 1\n/)
  assert.match(text, /output_latency_ns_sum\{label="",path="root.output",stream="foo"\} 0.002\n/)
})

test('metrics.mapping renames, relabels and drops series once per registration', () => {
  const m = new WorkerMetrics('foo', {
    ...SETTINGS,
    mapping: `meta path = deleted()
root = if this == "dropped_metric" { deleted() } else { this.replace_all("input_", "source_") }`,
  })
  const v = m.view('root.input', '')
  v.counter('input_received').inc(5)
  v.counter('dropped_metric').inc(5)
  assert.deepEqual(
    Object.entries(m.stats()).filter(([k]) => k !== 'uptime_ns'),
    [['source_received{label="",stream="foo"}', 5]],
  )
})
