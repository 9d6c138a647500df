/**
 * Metrics and logs end to end (spec §9, §6.9, §14): the real CLI, real workers, traffic over real
 * HTTP on 127.0.0.1, then `/metrics` parsed strictly and compared value by value.
 */
import { test } from 'node:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import assert from 'node:assert/strict'
import { startHost, type RunningHost } from '../helpers/cli-host.js'
import { EXTRA_COMPONENTS_ENV } from '../../src/components/registry.js'
import { EXTRA_COMPONENTS_FILE } from '../fixtures/extra-components.js'
import { byStream, parseExposition, valueOf, type Exposition } from './exposition.js'

const ECHO = (mapping: string): string => `input:
  http_server:
    path: /post
pipeline:
  processors:
    - mapping: '${mapping}'
output:
  sync_response: {}
`
const FAILING = ECHO('root = if this.fail == true { throw("boom") } else { this }')
const PLAIN = ECHO('root = this')
// Each request spins the worker's event loop for an hour (x_weir_fault, a test component).
const SPIN = `input:
  http_server:
    path: /post
pipeline:
  processors:
    - x_weir_fault: { mode: block, duration: 1h }
output:
  sync_response: {}
`

const COUNTERS = ['input_received', 'processor_received', 'processor_batch_received', 'processor_sent', 'processor_batch_sent', 'processor_error', 'output_sent', 'output_batch_sent', 'output_error']

async function scrape(h: RunningHost): Promise<Exposition> {
  const r = await h.text('/metrics')
  assert.equal(r.status, 200)
  assert.equal(r.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8')
  return parseExposition(r.body)
}

async function post(h: RunningHost, path: string, body: unknown): Promise<void> {
  const r = await h.text(path, { method: 'POST', body: JSON.stringify(body) })
  assert.equal(r.status, 200, `${path}: ${r.body}`)
}

/** Counters of one stream, flattened: `input_received` from root.input, `processor_*` from processor 0, `output_*` from root.output. */
function counters(e: Exposition, stream: string): Record<string, number | undefined> {
  const out: Record<string, number | undefined> = {}
  for (const name of COUNTERS) {
    const path = name.startsWith('input') ? 'root.input' : name.startsWith('processor') ? 'root.pipeline.processors.0' : 'root.output'
    out[name] = valueOf(e, name, { label: '', path, stream })
  }
  for (const [t, path] of [
    ['input_latency_ns', 'root.input'],
    ['processor_latency_ns', 'root.pipeline.processors.0'],
    ['output_latency_ns', 'root.output'],
  ] as const) {
    out[`${t}_count`] = valueOf(e, `${t}_count`, { label: '', path, stream })
  }
  return out
}

const expected = (n: number, errors: number): Record<string, number> => ({
  input_received: n,
  processor_received: n,
  processor_batch_received: n,
  processor_sent: n,
  processor_batch_sent: n,
  processor_error: errors,
  output_sent: n,
  output_batch_sent: n,
  output_error: 0,
  input_latency_ns_count: n,
  processor_latency_ns_count: n,
  output_latency_ns_count: n,
})

test('two streams: exact counters per stream, a valid exposition, the same numbers in stats; delete and replace drop series at once', async (t) => {
  const h = await startHost(t, { files: { 'alpha.yaml': FAILING, 'beta.yaml': PLAIN } })
  await h.until('both streams to run', async () => (await h.json<Record<string, { state: string }>>('/streams')).body.beta?.state === 'running' && (await h.text('/alpha/post', { method: 'POST', body: '{"i":0}' })).status === 200)
  // alpha: one request above, four more of which two fail; beta: three.
  for (const body of [{ i: 1 }, { fail: true }, { i: 2 }, { fail: true }]) await post(h, '/alpha/post', body)
  for (let i = 0; i < 3; i++) await post(h, '/beta/post', { i })

  // Acks (and so input latencies) may land just after the responses: wait for the last ones.
  const e = await h.until('latencies of every message', async () => {
    const x = await scrape(h)
    return counters(x, 'alpha').input_latency_ns_count === 5 && counters(x, 'beta').input_latency_ns_count === 3 ? x : undefined
  })
  assert.deepEqual(counters(e, 'alpha'), expected(5, 2))
  assert.deepEqual(counters(e, 'beta'), expected(3, 0))
  assert.deepEqual(byStream(e, ['output_connection_up', 'output_connection_lost', 'output_connection_failed'], 'root.output'), {
    alpha: { output_connection_up: 1, output_connection_lost: 0, output_connection_failed: 0 },
    beta: { output_connection_up: 1, output_connection_lost: 0, output_connection_failed: 0 },
  })
  // Every Benthos series carries label, path and stream; the families have the reference's help and type.
  for (const s of e.samples.filter((x) => !x.name.startsWith('weir_'))) assert.deepEqual(Object.keys(s.labels).filter((k) => k !== 'quantile').sort(), ['label', 'path', 'stream'], s.name)
  assert.deepEqual([e.families.get('input_received')!.help, e.families.get('input_received')!.type], ['Benthos Counter metric', 'counter'])
  assert.deepEqual([e.families.get('output_latency_ns')!.help, e.families.get('output_latency_ns')!.type], ['Benthos Timing metric', 'summary'])
  assert.deepEqual(
    e.families.get('input_latency_ns')!.samples.filter((s) => s.labels.stream === 'beta' && s.labels.quantile).map((s) => s.labels.quantile),
    ['0.5', '0.9', '0.99'],
  )

  // Weir's own per-stream series.
  for (const id of ['alpha', 'beta']) {
    assert.equal(valueOf(e, 'weir_stream_up', { stream: id }), 1)
    assert.equal(valueOf(e, 'weir_stream_state', { stream: id, state: 'running' }), 1)
    assert.equal(valueOf(e, 'weir_stream_restarts_total', { stream: id }), 0)
    const used = valueOf(e, 'weir_stream_heap_used_bytes', { stream: id })!
    const limit = valueOf(e, 'weir_stream_heap_limit_bytes', { stream: id })!
    assert.ok(used > 1e6 && used < limit, `heap ${used} of ${limit}`)
    const elu = valueOf(e, 'weir_stream_event_loop_utilization', { stream: id })!
    assert.ok(elu >= 0 && elu <= 1, `elu ${elu}`)
  }

  // /streams/{id}/stats: the same numbers in the reference's flat shape.
  const stats = (await h.json<Record<string, unknown>>('/streams/alpha/stats')).body
  const key = (name: string, path: string): string => `${name}{label="",path="${path}",stream="alpha"}`
  assert.equal(stats[key('input_received', 'root.input')], 5)
  assert.equal(stats[key('processor_error', 'root.pipeline.processors.0')], 2)
  assert.equal(stats[key('output_sent', 'root.output')], 5)
  assert.deepEqual(Object.keys(stats[key('output_latency_ns', 'root.output')] as object), ['p50', 'p90', 'p99'])
  assert.ok(!Object.keys(stats).some((k) => k.includes('stream="beta"')))
  assert.equal(typeof stats.uptime_ns, 'number')

  // Deleting a stream removes every series it had from the very next scrape.
  assert.equal((await h.text('/streams/alpha', { method: 'DELETE' })).status, 200)
  const afterDelete = await scrape(h)
  assert.deepEqual(afterDelete.samples.filter((s) => s.labels.stream === 'alpha'), [])
  assert.deepEqual(counters(afterDelete, 'beta'), expected(3, 0))

  // Replacing one starts its series again from a new, empty registry.
  assert.equal((await h.text('/streams/beta', { method: 'PUT', body: PLAIN })).status, 200)
  const afterReplace = await scrape(h)
  assert.deepEqual(counters(afterReplace, 'beta'), { ...expected(0, 0) })
  assert.equal(valueOf(afterReplace, 'weir_stream_state', { stream: 'beta', state: 'running' }), 1)
})

test('root config: metrics.mapping renames, relabels and drops; use_histogram_timing gives second buckets', async (t) => {
  const root = `metrics:
  mapping: |
    meta path = deleted()
    root = if this == "output_latency_ns" { deleted() } else { this.replace_all("input_", "source_") }
  prometheus:
    use_histogram_timing: true
    histogram_buckets: [ 10, 0.5 ]
`
  const gen = `input:
  generate:
    count: 4
    interval: ""
    mapping: 'root = {"n": counter()}'
pipeline:
  processors:
    - mutation: 'root.even = this.n % 2 == 0'
output:
  drop: {}
`
  const h = await startHost(t, { files: { 'root.yaml': root, 'streams/gen.yaml': gen }, args: ['-o', '{dir}/root.yaml', '{dir}/streams'] })
  const e = await h.until('the four messages', async () => {
    const x = await scrape(h)
    return valueOf(x, 'processor_latency_ns_count', { label: '', stream: 'gen' }) === 4 ? x : undefined
  })
  assert.equal(valueOf(e, 'source_received', { label: '', stream: 'gen' }), 4)
  assert.equal(valueOf(e, 'output_sent', { label: '', stream: 'gen' }), 4)
  assert.ok(!e.families.has('input_received') && !e.families.has('output_latency_ns'))
  assert.equal(e.families.get('processor_latency_ns')!.type, 'histogram')
  assert.deepEqual(
    e.families.get('processor_latency_ns')!.samples.map((s) => [s.name, s.labels.le ?? '', s.name === 'processor_latency_ns_sum' ? 'sum' : s.value]),
    [
      ['processor_latency_ns_bucket', '0.5', 4],
      ['processor_latency_ns_bucket', '10', 4],
      ['processor_latency_ns_bucket', '+Inf', 4],
      ['processor_latency_ns_sum', '', 'sum'],
      ['processor_latency_ns_count', '', 4],
    ],
  )
  const stats = (await h.json<Record<string, unknown>>('/streams/gen/stats')).body
  assert.equal(stats['source_received{label="",stream="gen"}'], 4)
  assert.ok(!('output_latency_ns{label="",stream="gen"}' in stats))
})

test('json_api exporter and JSON logs: flat /metrics and /stats, component lines carry stream, path and label', async (t) => {
  const root = `metrics:
  json_api: {}
logger:
  level: INFO
  format: json
  add_timestamp: false
  static_fields:
    '@service': weir-test
`
  const stream = `input:
  http_server:
    path: /post
pipeline:
  processors:
    - label: shout
      log:
        message: 'got \${! content() }'
output:
  sync_response: {}
`
  const h = await startHost(t, { files: { 'root.yaml': root, 'streams/logs.yaml': stream }, args: ['-o', '{dir}/root.yaml', '{dir}/streams'] })
  await h.until('the stream to answer', async () => (await h.text('/logs/post', { method: 'POST', body: 'hi' })).status === 200)
  await post(h, '/logs/post', 'again')
  const flat = await h.until('both messages counted', async () => {
    const r = await h.json<Record<string, unknown>>('/metrics')
    return r.body['output_sent{label="",path="root.output",stream="logs"}'] === 2 && r.body['input_latency_ns{label="",path="root.input",stream="logs"}'] ? r : undefined
  })
  assert.equal(flat.status, 200)
  assert.equal(flat.body['input_received{label="",path="root.input",stream="logs"}'], 2)
  assert.equal(flat.body['processor_received{label="shout",path="root.pipeline.processors.0",stream="logs"}'], 2)
  assert.deepEqual(Object.keys(flat.body['input_latency_ns{label="",path="root.input",stream="logs"}'] as object), ['p50', 'p90', 'p99'])
  assert.equal(flat.body['weir_stream_up{stream="logs"}'], 1)
  assert.ok(!('uptime_ns' in flat.body))
  const stats = await h.text('/stats')
  assert.equal(stats.headers.get('content-type'), 'application/json')
  assert.equal((JSON.parse(stats.body) as Record<string, unknown>)['output_sent{label="",path="root.output",stream="logs"}'], 2)

  const lines = await h.until('the log processor lines', () => {
    const l = h.stdout().split('\n').filter((x) => x.includes('"custom_source"'))
    return l.length === 2 ? l : undefined
  })
  assert.deepEqual(
    lines.map((l) => JSON.parse(l) as unknown),
    ['hi', '"again"'].map((m) => ({ '@service': 'weir-test', custom_source: true, label: 'shout', level: 'info', msg: `got ${m}`, path: 'root.pipeline.processors.0', stream: 'logs' })),
  )
  assert.equal(lines[0], '{"@service":"weir-test","custom_source":true,"label":"shout","level":"info","msg":"got hi","path":"root.pipeline.processors.0","stream":"logs"}')
})

test('a worker spinning in a busy loop holds up no scrape: its last series stay, the other streams stay current', async (t) => {
  const h = await startHost(t, {
    files: { 'calm.yaml': PLAIN, 'spin.yaml': SPIN },
    // No heartbeat: the spinning worker must stay for the whole test.
    args: ['--heartbeat-timeout', '0', '{dir}'],
    env: { [EXTRA_COMPONENTS_ENV]: EXTRA_COMPONENTS_FILE },
  })
  await h.until('both streams to serve', async () => (await h.text('/calm/ready')).status === 200 && (await h.text('/spin/ready')).status === 200)
  const abort = new AbortController()
  t.after(() => abort.abort())
  void fetch(`${h.base}/spin/post`, { method: 'POST', body: '{}', signal: abort.signal }).catch(() => undefined)
  // Its event loop is taken once the worker reports (from outside the thread) a fully busy loop.
  await h.until('the spin worker to block', async () => (valueOf(await scrape(h), 'weir_stream_event_loop_utilization', { stream: 'spin' }) ?? 0) > 0.9)

  for (let i = 0; i < 3; i++) await post(h, '/calm/post', { i })
  const e = await h.until('calm counters while spin spins', async () => {
    const x = await scrape(h)
    return counters(x, 'calm').output_sent === 3 ? x : undefined
  })
  assert.equal(counters(e, 'calm').input_received, 3)
  // The blocked worker's series are its last snapshot, not absent.
  assert.equal(typeof valueOf(e, 'input_received', { label: '', path: 'root.input', stream: 'spin' }), 'number')
  assert.equal(valueOf(e, 'weir_stream_up', { stream: 'spin' }), 1)
  assert.deepEqual(e.comments, [])
})

test('a stream with thousands of series outgrows its first snapshot buffer: every series is scraped, non-ASCII labels intact; deleted, all of them go', async (t) => {
  const many = `input:
  generate:
    count: 3000
    interval: ""
    mapping: 'root = {"n": counter()}'
pipeline:
  processors:
    - metric:
        type: gauge
        name: item_seen
        labels:
          item: 'é-\${! this.n }-🚀'
        value: '\${! this.n }'
output:
  drop: {}
`
  const h = await startHost(t, { files: { 'many.yaml': many, 'calm.yaml': PLAIN } })
  const e = await h.until('all 3000 series', async () => {
    const x = await scrape(h)
    return x.families.get('item_seen')?.samples.length === 3000 ? x : undefined
  })
  assert.equal(valueOf(e, 'item_seen', { item: 'é-1234-🚀', label: '', path: 'root.pipeline.processors.0', stream: 'many' }), 1234)
  assert.equal(valueOf(e, 'output_sent', { label: '', path: 'root.output', stream: 'many' }), 3000)
  assert.equal(valueOf(e, 'input_received', { label: '', path: 'root.input', stream: 'calm' }), 0)
  assert.equal((await h.text('/streams/many', { method: 'DELETE' })).status, 200)
  const after = await scrape(h)
  assert.deepEqual(after.samples.filter((s) => s.labels.stream === 'many'), [])
  assert.equal(after.families.has('item_seen'), false)
  assert.equal(valueOf(after, 'input_received', { label: '', path: 'root.input', stream: 'calm' }), 0)
})

test('file_output_path at shutdown: each worker writes its latest series when asked, non-ASCII labels intact in the file', async (t) => {
  const root = `metrics:
  prometheus:
    file_output_path: metrics.txt
`
  const stream = `input:
  http_server:
    path: /post
pipeline:
  processors:
    - metric:
        type: counter
        name: seen
        labels:
          who: '\${! content() }'
output:
  sync_response: {}
`
  const h = await startHost(t, { files: { 'root.yaml': root, 'streams/names.yaml': stream }, args: ['-o', '{dir}/root.yaml', '{dir}/streams'] })
  await h.until('the stream to answer', async () => (await h.text('/names/ready')).status === 200)
  for (const who of ['zoë', '流', '🚀', '流']) await post(h, '/names/post', who)
  assert.equal(await h.stop(), 0)
  const e = parseExposition(readFileSync(join(h.dir, 'metrics.txt'), 'utf8'))
  // post() sends JSON, so each label value is a quoted string (escaped quotes in the text, too).
  const seen = (who: string): number | undefined => valueOf(e, 'seen', { label: '', path: 'root.pipeline.processors.0', stream: 'names', who: JSON.stringify(who) })
  assert.deepEqual([seen('zoë'), seen('流'), seen('🚀')], [1, 2, 1])
  assert.equal(valueOf(e, 'input_received', { label: '', path: 'root.input', stream: 'names' }), 4)
})
