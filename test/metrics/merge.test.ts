/**
 * The main-thread merge: one valid exposition out of many sources, built from their bytes, and
 * byte for byte what the string merge it replaced produced (string-merge.ts is that merge).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { mergeParts, textPart, type BytePart, type MergeIssue } from '../../src/metrics/merge.js'
import { goFloat, goQuoteAscii } from '../../src/util/go-format.js'
import { WorkerMetrics } from '../../src/metrics/worker-metrics.js'
import { parseExposition } from './exposition.js'
import { mergeExpositions, type ExpositionPart } from './string-merge.js'
import { throughBuffer } from './through-buffer.js'
import { fuzzParams } from '../fuzz/settings.js'
import { labelValue, registries } from './arbitraries.js'

const SETTINGS = { mapping: '', useHistogramTiming: false, histogramBuckets: [], summaryQuantiles: [] }
const UTF8 = new TextDecoder()

function worker(id: string, received: number, mapping = ''): WorkerMetrics {
  const m = new WorkerMetrics(id, { ...SETTINGS, mapping })
  const v = m.view('root.input', '')
  v.counter('input_received').inc(received)
  v.timer('input_latency_ns').observe(1000 * received)
  m.view('root.output', '').counter('output_sent').inc(received)
  return m
}

const part = (p: ExpositionPart | string): BytePart => (typeof p === 'string' ? textPart(p) : textPart(p.text, p.shared, p.index))

/** Text parts merged by the byte merge, as text. */
function merged(parts: readonly (ExpositionPart | string)[], issues?: MergeIssue[]): string {
  return UTF8.decode(mergeParts(parts.map(part), issues))
}

test('families are merged under one HELP/TYPE, sorted by name, parts kept in order', () => {
  const a = worker('a', 2).exposition()
  const b = worker('b', 3).exposition()
  const out = merged([a, b])
  const e = parseExposition(out)
  assert.deepEqual([...e.families.keys()], ['input_latency_ns', 'input_received', 'output_sent'])
  assert.deepEqual(
    e.families.get('input_received')!.samples.map((s) => [s.labels.stream, s.value]),
    [
      ['a', 2],
      ['b', 3],
    ],
  )
  assert.equal(e.families.get('input_latency_ns')!.samples.length, 10)
  assert.equal(out.match(/# TYPE input_received counter/g)!.length, 1)
})

test('a family typed differently by another part is dropped from that part and reported', () => {
  const issues: MergeIssue[] = []
  const out = merged(
    [
      '# HELP x Benthos Counter metric\n# TYPE x counter\nx{stream="a"} 1\n',
      '# HELP x Benthos Gauge metric\n# TYPE x gauge\nx{stream="b"} 2\n# HELP y Benthos Gauge metric\n# TYPE y gauge\ny{stream="b"} 3\n',
    ],
    issues,
  )
  assert.equal(out, '# HELP x Benthos Counter metric\n# TYPE x counter\nx{stream="a"} 1\n# HELP y Benthos Gauge metric\n# TYPE y gauge\ny{stream="b"} 3\n')
  assert.deepEqual(issues, [{ family: 'x', type: 'counter', dropped: 'gauge' }])
})

test('shared families are merged series by series: counters add, gauges keep the last, quantiles the largest', () => {
  const mapping = 'meta stream = deleted()'
  const parts = [worker('a', 2, mapping).exposition(), worker('b', 3, mapping).exposition()]
  assert.deepEqual(parts[0]!.shared, ['input_latency_ns', 'input_received', 'output_sent'])
  const e = parseExposition(UTF8.decode(mergeParts(parts.map((p) => throughBuffer(p).part()))))
  assert.deepEqual(
    e.samples.map((s) => [s.name, s.labels.quantile ?? '', s.value]),
    [
      ['input_latency_ns', '0.5', 3000],
      ['input_latency_ns', '0.9', 3000],
      ['input_latency_ns', '0.99', 3000],
      ['input_latency_ns_sum', '', 5000],
      ['input_latency_ns_count', '', 2],
      ['input_received', '', 5],
      ['output_sent', '', 5],
    ],
  )
  const gauges = merged([
    { text: '# TYPE g gauge\ng{a="1"} 4\n', shared: ['g'] },
    { text: '# TYPE g gauge\ng{a="1"} 9\ng{a="2"} 1\n' },
  ])
  assert.equal(gauges, '# TYPE g gauge\ng{a="1"} 9\ng{a="2"} 1\n')
})

test('prom-client style text (blank lines between families) and bare samples merge too', () => {
  const out = merged([
    '# HELP p_total help\n# TYPE p_total counter\np_total 1\n\n# HELP q gauge help\n# TYPE q gauge\nq 2\n',
    'z_untyped 3\n# a comment\n',
  ])
  assert.equal(out, '# HELP p_total help\n# TYPE p_total counter\np_total 1\n# HELP q gauge help\n# TYPE q gauge\nq 2\nz_untyped 3\n')
  parseExposition(out)
})

test('empty parts and empty families leave nothing behind', () => {
  assert.equal(merged(['', { text: '' }, '# HELP e nothing\n# TYPE e counter\n']), '')
})

test('Go float formatting (expfmt.writeFloat) and ASCII quoting', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [1, '1'],
    [-1, '-1'],
    [0.5, '0.5'],
    [123456, '123456'],
    [999999.5, '999999.5'],
    [1e6, '1e+06'],
    [1234567, '1.234567e+06'],
    [4345298944, '4.345298944e+09'],
    [0.0001, '0.0001'],
    [0.00001234, '1.234e-05'],
    [1e21, '1e+21'],
    [1.5e-300, '1.5e-300'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [-2.5e7, '-2.5e+07'],
    // Edges of the plain range, on both sides of each bound.
    [999999.9999999999, '999999.9999999999'],
    [-999999.9999999999, '-999999.9999999999'],
    [1000000.0000000001, '1.0000000000000001e+06'],
    [0.00009999999999999999, '9.999999999999999e-05'],
    [-0.0001, '-0.0001'],
    [0.00010000000000000002, '0.00010000000000000002'],
    [-0, '-0'],
  ]
  for (const [v, s] of cases) assert.equal(goFloat(v), s, String(v))
  assert.equal(goQuoteAscii('a"\\\n\t\x01\x7fé😀'), '"a\\"\\\\\\n\\t\\x01\\x7f\\u00e9\\U0001f600"')
})

test('a part cut once merges the same into any number of merges', () => {
  const a = throughBuffer(worker('a', 2).exposition()).part()
  const b = throughBuffer(worker('b', 3).exposition()).part()
  const samples = (i: number): string => UTF8.decode(a.bytes.subarray(a.offsets[2 * i + 1], i + 1 < a.blocks.length ? a.offsets[2 * i + 2] : a.bytes.length))
  assert.deepEqual(
    a.blocks.map((x, i) => [x.name, x.type, samples(i).split('\n').length - 1]),
    [
      ['input_latency_ns', 'summary', 5],
      ['input_received', 'counter', 1],
      ['output_sent', 'counter', 1],
    ],
  )
  const once = mergeParts([a, b])
  assert.deepEqual(mergeParts([a, b]), once)
})

// ── byte merge = string merge ────────────────────────────────────────────────────────────────

const NAMES = ['a', 'b_total', 'c', 'input_received', 'zz']
const TYPES = ['counter', 'gauge', 'summary', 'histogram', 'untyped']
const value = fc.oneof(fc.integer({ min: -5, max: 1e7 }).map(String), fc.double({ noNaN: false }).map(goFloat))
const sampleLine = fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom('', '_sum', '_count'), fc.constantFrom('k', 'quantile', 'le'), labelValue, value).map(([n, suffix, k, v, x]) => `${n}${suffix}{${k}="${v.replace(/[\\"\n]/g, '_')}"} ${x}\n`)
/** One family block as a text would hold it: HELP and TYPE each optional, zero or more samples. */
const block = fc
  .tuple(fc.constantFrom(...NAMES), fc.option(fc.string({ unit: 'grapheme', maxLength: 12 }).map((h) => h.replace(/\n/g, ' '))), fc.option(fc.constantFrom(...TYPES)), fc.array(sampleLine, { maxLength: 4 }))
  .map(([n, help, type, samples]) => (help !== null ? `# HELP ${n} ${help}\n` : '') + (type !== null ? `# TYPE ${n} ${type}\n` : '') + samples.join(''))
const text = fc.tuple(fc.array(block, { maxLength: 5 }), fc.constantFrom('', '\n', 'bare_sample 1\n', '# a comment\n')).map(([blocks, extra]) => extra + blocks.join(extra === '\n' ? '\n' : ''))
const textPartArb = fc.record({ text, shared: fc.subarray(NAMES) })

test('byte merge = string merge: random texts (missing HELP/TYPE, empty blocks, type conflicts, shared families, non-ASCII)', () => {
  fc.assert(
    fc.property(fc.array(textPartArb, { maxLength: 5 }), (parts) => {
      const oldIssues: MergeIssue[] = []
      const newIssues: MergeIssue[] = []
      const expected = Buffer.from(mergeExpositions(parts, oldIssues))
      assert.deepEqual(mergeParts(parts.map(part), newIssues), expected)
      assert.deepEqual(newIssues, oldIssues)
    }),
    fuzzParams(300),
  )
})

test('byte merge = string merge: random worker registries read back through their snapshot buffers', () => {
  const ids = ['a', 'ü-strom', '流', 'd']
  fc.assert(
    fc.property(registries(ids), (workers) => {
      const expositions = workers.map((w) => w.exposition())
      const oldIssues: MergeIssue[] = []
      const newIssues: MergeIssue[] = []
      const expected = Buffer.from(mergeExpositions(expositions, oldIssues))
      assert.deepEqual(mergeParts(expositions.map((e) => throughBuffer(e).part()), newIssues), expected)
      assert.deepEqual(newIssues, oldIssues)
    }),
    fuzzParams(150),
  )
})
