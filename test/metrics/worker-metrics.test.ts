/**
 * One worker's registry: the reference's names, labels, types and formatting, metrics.mapping,
 * and what the exporter refuses while the stats still count it.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WorkerMetrics } from '../../src/metrics/worker-metrics.js'
import type { Logger } from '../../src/spec/index.js'
import type { MetricsSettings } from '../../src/protocol/messages.js'
import { parseExposition } from './exposition.js'

const SETTINGS: MetricsSettings = { mapping: '', useHistogramTiming: false, histogramBuckets: [], summaryQuantiles: [] }

function recordingLogger(lines: string[]): Logger {
  const log: Logger = {
    error: (m) => lines.push(`error: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    info: () => {},
    debug: () => {},
    trace: () => {},
    child: () => log,
  }
  return log
}

test('vector labels sort in with the static ones; quantile and le come last; Go number formatting', () => {
  const m = new WorkerMetrics('foo', SETTINGS)
  const v = m.view('root.cache_resources', 'c')
  v.counter('cache_success', ['operation']).inc(1_500_000, ['get'])
  v.counter('cache_success', ['operation']).inc(2, ['add'])
  v.timer('cache_latency_ns', ['operation']).observe(1_250_000, ['get'])
  m.view('root.input', '').timer('input_latency_ns')
  assert.equal(
    m.exposition().text,
    [
      '# HELP cache_latency_ns Benthos Timing metric',
      '# TYPE cache_latency_ns summary',
      'cache_latency_ns{label="c",operation="get",path="root.cache_resources",stream="foo",quantile="0.5"} 1.25e+06',
      'cache_latency_ns{label="c",operation="get",path="root.cache_resources",stream="foo",quantile="0.9"} 1.25e+06',
      'cache_latency_ns{label="c",operation="get",path="root.cache_resources",stream="foo",quantile="0.99"} 1.25e+06',
      'cache_latency_ns_sum{label="c",operation="get",path="root.cache_resources",stream="foo"} 1.25e+06',
      'cache_latency_ns_count{label="c",operation="get",path="root.cache_resources",stream="foo"} 1',
      '# HELP cache_success Benthos Counter metric',
      '# TYPE cache_success counter',
      'cache_success{label="c",operation="add",path="root.cache_resources",stream="foo"} 2',
      'cache_success{label="c",operation="get",path="root.cache_resources",stream="foo"} 1.5e+06',
      '# HELP input_latency_ns Benthos Timing metric',
      '# TYPE input_latency_ns summary',
      'input_latency_ns{label="",path="root.input",stream="foo",quantile="0.5"} NaN',
      'input_latency_ns{label="",path="root.input",stream="foo",quantile="0.9"} NaN',
      'input_latency_ns{label="",path="root.input",stream="foo",quantile="0.99"} NaN',
      'input_latency_ns_sum{label="",path="root.input",stream="foo"} 0',
      'input_latency_ns_count{label="",path="root.input",stream="foo"} 0',
      '',
    ].join('\n'),
  )
  parseExposition(m.exposition().text)
})

test('series of a family are ordered by label values, as client_golang gathers them', () => {
  const m = new WorkerMetrics('s', SETTINGS)
  m.view('root.pipeline.processors.1', '').counter('processor_received').inc()
  m.view('root.pipeline.processors.0', 'b').counter('processor_received').inc()
  m.view('root.pipeline.processors.0', 'a').counter('processor_received').inc()
  const lines = m.exposition().text.split('\n').filter((l) => l.startsWith('processor_received'))
  assert.deepEqual(lines, [
    'processor_received{label="",path="root.pipeline.processors.1",stream="s"} 1',
    'processor_received{label="a",path="root.pipeline.processors.0",stream="s"} 1',
    'processor_received{label="b",path="root.pipeline.processors.0",stream="s"} 1',
  ])
})

test('summary_quantiles_objectives choose the quantiles; values match the stats percentiles', () => {
  const m = new WorkerMetrics('foo', { ...SETTINGS, summaryQuantiles: [{ quantile: 0.75, error: 0.01 }, { quantile: 0.25, error: 0.01 }] })
  const t = m.view('root.output', '').timer('output_latency_ns')
  for (const ns of [100, 200, 300, 400]) t.observe(ns)
  const e = parseExposition(m.exposition().text)
  assert.deepEqual(
    e.samples.map((s) => [s.name, s.labels.quantile ?? '', s.value]),
    [
      ['output_latency_ns', '0.25', 125],
      ['output_latency_ns', '0.75', 375],
      ['output_latency_ns_sum', '', 1000],
      ['output_latency_ns_count', '', 4],
    ],
  )
  assert.deepEqual(m.stats()['output_latency_ns{label="",path="root.output",stream="foo"}'], { p50: 250, p90: 400, p99: 400 })
})

test('use_histogram_timing: seconds, cumulative buckets in order, +Inf; stats stay in ns', () => {
  const m = new WorkerMetrics('foo', { ...SETTINGS, useHistogramTiming: true, histogramBuckets: [1, 0.001, 0.01] })
  const t = m.view('root.output', '').timer('output_latency_ns')
  t.observe(500_000)
  t.observe(2_000_000)
  t.observe(3_000_000_000)
  assert.equal(
    m.exposition().text,
    [
      '# HELP output_latency_ns Benthos Timing metric',
      '# TYPE output_latency_ns histogram',
      'output_latency_ns_bucket{label="",path="root.output",stream="foo",le="0.001"} 1',
      'output_latency_ns_bucket{label="",path="root.output",stream="foo",le="0.01"} 2',
      'output_latency_ns_bucket{label="",path="root.output",stream="foo",le="1"} 2',
      'output_latency_ns_bucket{label="",path="root.output",stream="foo",le="+Inf"} 3',
      'output_latency_ns_sum{label="",path="root.output",stream="foo"} 3.0025',
      'output_latency_ns_count{label="",path="root.output",stream="foo"} 3',
      '',
    ].join('\n'),
  )
  assert.deepEqual(m.stats()['output_latency_ns{label="",path="root.output",stream="foo"}'], { p50: 2_000_000, p90: 3_000_000_000, p99: 3_000_000_000 })
})

test('default histogram buckets are client_golang DefBuckets', () => {
  const m = new WorkerMetrics('foo', { ...SETTINGS, useHistogramTiming: true })
  m.view('root.output', '').timer('output_latency_ns').observe(1)
  const les = parseExposition(m.exposition().text).samples.filter((s) => s.name === 'output_latency_ns_bucket').map((s) => s.labels.le)
  assert.deepEqual(les, ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'])
})

test('stats: flat keys, integers (float increments truncated one by one), counters and gauges share keys', () => {
  const m = new WorkerMetrics('foo', SETTINGS)
  const v = m.view('root.pipeline.processors.0', 'p')
  const c = v.counter('custom')
  c.inc(1.5)
  c.inc(1.5)
  v.gauge('level').set(7.9)
  const s = m.stats()
  assert.equal(s['custom{label="p",path="root.pipeline.processors.0",stream="foo"}'], 2)
  assert.equal(s['level{label="p",path="root.pipeline.processors.0",stream="foo"}'], 7)
  const e = parseExposition(m.exposition().text)
  assert.deepEqual(
    e.samples.map((x) => [x.name, x.value]),
    [
      ['custom', 3],
      ['level', 7.9],
    ],
  )
  assert.equal(typeof s.uptime_ns, 'number')
})

test('resources registered on the main thread carry stream=""', () => {
  const m = new WorkerMetrics('', SETTINGS)
  m.view('root.cache_resources', 'cache_a').counter('cache_success', ['operation']).inc(7, ['get'])
  assert.equal(m.exposition().text.split('\n')[2], 'cache_success{label="cache_a",operation="get",path="root.cache_resources",stream=""} 7')
  assert.deepEqual(m.exposition().shared, [])
})

test('metrics.mapping renames, relabels and drops once per registration (spec §9.4)', () => {
  const lines: string[] = []
  const m = new WorkerMetrics(
    'noisy',
    {
      ...SETTINGS,
      mapping: `meta path = deleted()
meta team = "a"
root = if this == "dropped_metric" { deleted() } else { this.replace_all("input_", "source_") }`,
    },
    recordingLogger(lines),
  )
  const v = m.view('root.input', '')
  v.counter('input_received').inc(5)
  v.counter('dropped_metric').inc(5)
  assert.deepEqual(
    Object.entries(m.stats()).filter(([k]) => k !== 'uptime_ns'),
    [['source_received{label="",stream="noisy",team="a"}', 5]],
  )
  assert.equal(m.exposition().text, '# HELP source_received Benthos Counter metric\n# TYPE source_received counter\nsource_received{label="",stream="noisy",team="a"} 5\n')
  assert.deepEqual(lines, [])
})

test('a failing mapping keeps the name and drops every label; a non-string result keeps both', () => {
  const lines: string[] = []
  const m = new WorkerMetrics('foo', { ...SETTINGS, mapping: 'root = if this == "a" { throw("nope") } else if this == "b" { 10 } else { this }' }, recordingLogger(lines))
  const v = m.view('root.input', 'in')
  v.counter('a').inc()
  v.counter('b').inc()
  assert.deepEqual(Object.keys(m.stats()).sort(), ['a', 'b{label="in",path="root.input",stream="foo"}', 'uptime_ns'])
  assert.equal(lines.length, 2)
  assert.match(lines[0]!, /^error: Failed to apply path mapping on 'a': .*nope/)
  assert.equal(lines[1], 'error: Path mapping returned invalid result, expected string, found int64')
})

test('the exporter skips invalid names and label-set mismatches (logged); stats keep them', () => {
  const lines: string[] = []
  const m = new WorkerMetrics('foo', SETTINGS, recordingLogger(lines))
  const v = m.view('root.output', '')
  v.counter('bad-name').inc(2)
  v.counter('dup').inc(1)
  v.counter('dup', ['extra']).inc(3, ['x'])
  v.gauge('dup').set(4)
  const e = parseExposition(m.exposition().text)
  assert.deepEqual(
    e.samples.map((s) => [s.name, s.value]),
    [['dup', 1]],
  )
  assert.deepEqual(lines, [
    "error: Ignoring metric 'bad-name' due to invalid name",
    "error: Metrics label mismatch 3 versus 4 [label path stream extra] for name 'dup', skipping metric",
    "error: Metric 'dup' is already registered as a counter, skipping the gauge",
  ])
  const s = m.stats()
  assert.equal(s['bad-name{label="",path="root.output",stream="foo"}'], 2)
  assert.equal(s['dup{extra="x",label="",path="root.output",stream="foo"}'], 3)
  // The gauge shares the counter's stats key, as in the reference's local registry.
  assert.equal(s['dup{label="",path="root.output",stream="foo"}'], 4)
})

test('two components whose series the mapping makes identical share one series', () => {
  const m = new WorkerMetrics('foo', { ...SETTINGS, mapping: 'meta path = deleted()' })
  m.view('root.pipeline.processors.0', '').counter('processor_received').inc(2)
  m.view('root.pipeline.processors.1', '').counter('processor_received').inc(3)
  assert.equal(m.exposition().text.split('\n')[2], 'processor_received{label="",stream="foo"} 5')
  assert.equal(m.stats()['processor_received{label="",stream="foo"}'], 5)
})

test('families whose series lose this stream label are reported as shared', () => {
  const m = new WorkerMetrics('foo', { ...SETTINGS, mapping: 'root = this\nif this == "input_received" { meta stream = deleted() }' })
  const v = m.view('root.input', '')
  v.counter('input_received').inc()
  v.counter('output_sent').inc()
  assert.deepEqual(m.exposition().shared, ['input_received'])
})

test('label values are escaped in the exposition and Go-quoted in stats keys', () => {
  const m = new WorkerMetrics('foo', SETTINGS)
  m.view('root.input', 'a"b\\c\nd é').counter('input_received').inc()
  assert.equal(m.exposition().text.split('\n')[2], 'input_received{label="a\\"b\\\\c\\nd é",path="root.input",stream="foo"} 1')
  assert.ok('input_received{label="a\\"b\\\\c\\nd \\u00e9",path="root.input",stream="foo"}' in m.stats())
})

test('updates after binding are plain writes: a million increments stay exact', () => {
  const m = new WorkerMetrics('foo', SETTINGS)
  const c = m.view('root.input', '').counter('input_received')
  for (let i = 0; i < 1_000_000; i++) c.inc()
  assert.equal(m.stats()['input_received{label="",path="root.input",stream="foo"}'], 1_000_000)
  assert.equal(m.exposition().text.split('\n')[2], 'input_received{label="",path="root.input",stream="foo"} 1e+06')
})
