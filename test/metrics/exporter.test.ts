/**
 * The scrape itself, against an in-process stream table: snapshots served without asking workers,
 * streams that change between scrapes, json_api, Weir's gauges, push and file output. The
 * end-to-end file repeats the essentials through the real CLI.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createMetricsEndpoint, type StreamTable, type WorkerExposition } from '../../src/metrics/exporter.js'
import { WorkerMetrics } from '../../src/metrics/worker-metrics.js'
import { pushUrl } from '../../src/metrics/push.js'
import { tempDir } from '../helpers/cli-host.js'
import { parseExposition, valueOf } from './exposition.js'
import { throughBuffer, type Buffered } from './through-buffer.js'
import fc from 'fast-check'
import { silentLogger } from '../../src/util/logger.js'
import type { MergeIssue } from '../../src/metrics/merge.js'
import { fuzzParams } from '../fuzz/settings.js'
import { registries } from './arbitraries.js'
import { oldPromText } from './string-merge.js'

const SETTINGS = { mapping: '', useHistogramTiming: false, histogramBuckets: [], summaryQuantiles: [] }

interface ScrapedWorker {
  readonly snapshot: WorkerExposition | undefined
  refreshMetrics(timeoutMs: number): Promise<WorkerExposition | undefined>
  stats(timeoutMs: number): Promise<Record<string, unknown> | undefined>
  eventLoopUtilization(): number
}

interface FakeWorker extends ScrapedWorker {
  /** Counts one more message received (not yet published). */
  receive(): void
  /** Writes the current series, as the worker's publisher does on change. */
  publish(): void
  refreshCalls: number
}

/** A worker backed by a real registry; `hold` keeps its answers to asks back until released. */
function fakeWorker(id: string, received: number, hold?: Promise<void>): FakeWorker {
  const m = new WorkerMetrics(id, SETTINGS)
  const counter = m.view('root.input', '').counter('input_received')
  counter.inc(received)
  let buffer: Buffered | undefined
  const w: FakeWorker = {
    get snapshot() {
      return buffer && { snapshot: buffer.reader.read()!, ...buffer.reader.heap() }
    },
    refreshCalls: 0,
    receive: () => counter.inc(),
    publish: () => (buffer ? buffer.write(m.exposition()) : (buffer = throughBuffer(m.exposition(), { used: 1000 + received, limit: 4096 }))),
    refreshMetrics: async (timeoutMs) => {
      w.refreshCalls++
      let timer: NodeJS.Timeout | undefined
      const answer = (hold ?? Promise.resolve()).then(() => (w.publish(), w.snapshot))
      const late = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), timeoutMs)))
      return Promise.race([answer, late]).finally(() => clearTimeout(timer))
    },
    stats: async () => m.stats(),
    eventLoopUtilization: () => 0.25,
  }
  w.publish()
  return w
}

type Rec = { state: string; restarts: number; worker: ScrapedWorker | undefined }

/** The supervisor's scrape view over plain records, as `Host.scrapeTargets()` builds it. */
function table(recs: Record<string, Rec>): StreamTable & { recs: Record<string, Rec> } {
  return {
    recs,
    scrapeTargets: () =>
      Object.keys(recs)
        .sort()
        .map((id) => {
          const w = recs[id]!.worker
          return {
            id,
            metrics: w && (() => w.snapshot),
            refreshMetrics: w && ((ms: number) => w.refreshMetrics(ms)),
            stats: w && ((ms: number) => w.stats(ms)),
            now: () => {
              const r = recs[id]
              if (!r) return undefined
              const up = r.worker !== undefined && (r.state === 'running' || r.state === 'paused')
              return { state: r.state, restarts: r.restarts, up, current: w !== undefined && r.worker === w, elu: r.worker?.eventLoopUtilization() }
            },
          }
        }),
  }
}

const root = new WorkerMetrics('', SETTINGS)
const base = { root: () => root.exposition(), rootStats: () => root.stats() }
const text = (body: string | Uint8Array | undefined): string => (typeof body === 'string' ? body : new TextDecoder().decode(body))

test('a scrape serves each worker\'s latest snapshot and asks no worker, so one that never answers cannot hold it up', async () => {
  const never = new Promise<void>(() => {})
  const fast = fakeWorker('fast', 4)
  const stuck = fakeWorker('stuck', 9, never)
  const t = table({
    fast: { state: 'running', restarts: 0, worker: fast },
    stuck: { state: 'running', restarts: 2, worker: stuck },
  })
  const ep = createMetricsEndpoint(t, { ...base, kind: 'prometheus', scrapeDeadlineMs: 60_000 })!
  fast.receive()
  stuck.receive()
  const r = await ep.render('/metrics')
  assert.equal(r!.contentType, 'text/plain; version=0.0.4; charset=utf-8')
  const e = parseExposition(text(r!.body))
  // Changes not yet pushed are not there; nothing was asked.
  assert.equal(valueOf(e, 'input_received', { label: '', path: 'root.input', stream: 'fast' }), 4)
  assert.equal(valueOf(e, 'input_received', { label: '', path: 'root.input', stream: 'stuck' }), 9)
  assert.deepEqual([fast.refreshCalls, stuck.refreshCalls], [0, 0])
  assert.deepEqual(e.comments, [])
  assert.deepEqual(
    e.samples.filter((s) => s.name.startsWith('weir_')).map((s) => `${s.name}${JSON.stringify(s.labels)} ${s.value}`),
    [
      'weir_stream_event_loop_utilization{"stream":"fast"} 0.25',
      'weir_stream_event_loop_utilization{"stream":"stuck"} 0.25',
      'weir_stream_heap_limit_bytes{"stream":"fast"} 4096',
      'weir_stream_heap_limit_bytes{"stream":"stuck"} 4096',
      'weir_stream_heap_used_bytes{"stream":"fast"} 1004',
      'weir_stream_heap_used_bytes{"stream":"stuck"} 1009',
      'weir_stream_restarts_total{"stream":"fast"} 0',
      'weir_stream_restarts_total{"stream":"stuck"} 2',
      'weir_stream_state{"stream":"fast","state":"running"} 1',
      'weir_stream_state{"stream":"stuck","state":"running"} 1',
      'weir_stream_up{"stream":"fast"} 1',
      'weir_stream_up{"stream":"stuck"} 1',
    ],
  )
  // Once pushed, the next scrape has it.
  fast.publish()
  const next = parseExposition(text((await ep.render('/metrics'))!.body))
  assert.equal(valueOf(next, 'input_received', { label: '', path: 'root.input', stream: 'fast' }), 5)
})

test('a stream deleted or replaced contributes nothing stale to the next scrape', async () => {
  const old = fakeWorker('b', 5)
  const t = table({
    a: { state: 'running', restarts: 0, worker: fakeWorker('a', 1) },
    b: { state: 'running', restarts: 0, worker: old },
    c: { state: 'failed', restarts: 0, worker: undefined },
  })
  const ep = createMetricsEndpoint(t, { ...base, kind: 'prometheus', scrapeDeadlineMs: 10_000 })!
  const before = parseExposition(text((await ep.render('/metrics'))!.body))
  assert.equal(valueOf(before, 'input_received', { label: '', path: 'root.input', stream: 'a' }), 1)
  assert.equal(valueOf(before, 'input_received', { label: '', path: 'root.input', stream: 'b' }), 5)
  delete t.recs.a
  t.recs.b = { state: 'running', restarts: 0, worker: fakeWorker('b', 0) }
  const e = parseExposition(text((await ep.render('/metrics'))!.body))
  assert.ok(!e.samples.some((s) => s.labels.stream === 'a'))
  assert.equal(valueOf(e, 'input_received', { label: '', path: 'root.input', stream: 'b' }), 0)
  assert.equal(valueOf(e, 'weir_stream_up', { stream: 'c' }), 0)
  assert.equal(valueOf(e, 'weir_stream_state', { stream: 'c', state: 'failed' }), 1)
  assert.equal(e.families.has('weir_stream_scrape_timeout'), false)
})

test('json_api: one flat object without uptime, sorted keys, plus the weir gauges', async () => {
  const t = table({ a: { state: 'running', restarts: 1, worker: fakeWorker('a', 3) } })
  const r = await createMetricsEndpoint(t, { ...base, kind: 'json_api', scrapeDeadlineMs: 1000 })!.render('/stats')
  assert.equal(r!.contentType, 'application/json')
  assert.equal(
    r!.body,
    JSON.stringify({
      'input_received{label="",path="root.input",stream="a"}': 3,
      'weir_stream_event_loop_utilization{stream="a"}': 0.25,
      'weir_stream_restarts_total{stream="a"}': 1,
      'weir_stream_scrape_timeout{stream="a"}': 0,
      'weir_stream_state{state="running",stream="a"}': 1,
      'weir_stream_up{stream="a"}': 1,
    }),
  )
})

test('none has no endpoint', () => {
  assert.equal(createMetricsEndpoint(table({}), { ...base, kind: 'none', scrapeDeadlineMs: 1000 }), undefined)
})

test('add_process_metrics and add_go_metrics add unlabelled process_* and nodejs_* families', async () => {
  const t = table({ a: { state: 'running', restarts: 0, worker: fakeWorker('a', 1) } })
  const only = await createMetricsEndpoint(t, { ...base, kind: 'prometheus', scrapeDeadlineMs: 1000, processMetrics: true })!.exposition()
  const e = parseExposition(text(only))
  assert.ok(e.families.has('process_cpu_seconds_total') && e.families.has('process_resident_memory_bytes'))
  assert.ok(![...e.families.keys()].some((n) => n.startsWith('nodejs_')))
  const both = parseExposition(text(await createMetricsEndpoint(t, { ...base, kind: 'prometheus', scrapeDeadlineMs: 1000, processMetrics: true, runtimeMetrics: true })!.exposition()))
  assert.ok(both.families.has('nodejs_heap_size_used_bytes'))
})

test('push_url: PUT of the exposition on close (and on the interval), basic auth; file_output_path written', async (t) => {
  const pushes: { method: string; url: string; auth: string | undefined; type: string | undefined; body: string }[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => (body += d.toString()))
    req.on('end', () => {
      pushes.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, type: req.headers['content-type'], body })
      res.writeHead(200).end()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.after(() => server.close())
  const port = (server.address() as { port: number }).port
  const file = join(tempDir(t), 'metrics.txt')
  const worker = fakeWorker('a', 5)
  // Not pushed yet: the final push and the file ask the worker for its series first.
  worker.receive()
  const tbl = table({ a: { state: 'running', restarts: 0, worker } })
  const ep = createMetricsEndpoint(tbl, {
    ...base,
    kind: 'prometheus',
    scrapeDeadlineMs: 1000,
    push: { url: `127.0.0.1:${port}/`, job: 'weir job', intervalMs: 0, username: 'u', password: 'p' },
    fileOutputPath: file,
  })!
  await ep.close()
  assert.equal(pushes.length, 1)
  assert.deepEqual([pushes[0]!.method, pushes[0]!.url, pushes[0]!.auth, pushes[0]!.type], ['PUT', '/metrics/job/weir%20job', `Basic ${Buffer.from('u:p').toString('base64')}`, 'text/plain; version=0.0.4; charset=utf-8'])
  assert.equal(valueOf(parseExposition(pushes[0]!.body), 'input_received', { label: '', path: 'root.input', stream: 'a' }), 6)
  assert.equal(valueOf(parseExposition(readFileSync(file, 'utf8')), 'input_received', { label: '', path: 'root.input', stream: 'a' }), 6)
  assert.equal(worker.refreshCalls, 1)
  assert.equal(pushUrl('http://gw:9091', 'a/b'), 'http://gw:9091/metrics/job@base64/YS9i')
})

test('a scrape is byte for byte what the string exporter answered: root, random streams, one without a snapshot yet, gauges; conflicts logged once', async () => {
  const ids = ['a', 'ü-strom', '流', 'quiet']
  await fc.assert(
    fc.asyncProperty(registries(['', ...ids]), async ([rootRegistry, ...workers]) => {
      const buffers = workers.map((w, i) => (ids[i] === 'quiet' ? undefined : throughBuffer(w.exposition(), { used: 5e6 + i, limit: 4e9 })))
      const now = (i: number) => ({ state: 'running', restarts: i, up: true, current: true, elu: 0.125 * i })
      const logged: string[] = []
      const ep = createMetricsEndpoint(
        {
          scrapeTargets: () =>
            ids.map((id, i) => ({
              id,
              metrics: () => {
                const b = buffers[i]
                return b && { snapshot: b.reader.read()!, ...b.reader.heap() }
              },
              refreshMetrics: undefined,
              stats: undefined,
              now: () => now(i),
            })),
        },
        { kind: 'prometheus', scrapeDeadlineMs: 1000, root: () => rootRegistry!.exposition(), rootStats: () => ({}), logger: { ...silentLogger, error: (m: string) => void logged.push(m) } },
      )!
      const issues: MergeIssue[] = []
      const root = rootRegistry!.exposition()
      const expected = oldPromText(
        root,
        ids.map((id, i) => {
          const e = buffers[i] && workers[i]!.exposition()
          return { snapshot: e, facts: { id, ...now(i), heapUsed: e && 5e6 + i, heapLimit: e && 4e9 } }
        }),
        undefined,
        issues,
      )
      const body = await ep.exposition()
      assert.deepEqual(body, Buffer.from(expected))
      // Twice: unchanged snapshots are served from the blocks cut for the first scrape.
      assert.deepEqual(await ep.exposition(), body)
      assert.deepEqual(logged, [...new Set(issues.map((i) => i.family))].map((f) => issues.find((i) => i.family === f)!).map((i) => `metric ${i.family} is a ${i.type} in one stream and a ${i.dropped} in another; the ${i.dropped} series are left out`))
    }),
    fuzzParams(100),
  )
})
