// Main-thread cost of one GET /metrics with 10, 50 and 100 streams (one worker each), idle and
// with every worker busy, against one prom-client registry holding the same series and served by
// bare node:http in a process of its own (bench/servers/prom-mirror.mjs, which times its own
// thread): served from the host's main thread, its garbage (megabytes per scrape) was collected
// there too, and with 100 busy workers a Weir scrape measured 7-12 ms of CPU instead of 2.9. The
// HTTP client runs in a worker thread so only the server's side of a Weir scrape lands on the
// main thread. Cost = main-thread CPU time (/proc/thread-self/schedstat, ns;
// immune to the scheduler on a busy machine) and event-loop active time; both are taken around one
// complete scrape. A last table times the exporter alone on synthetic snapshots of 100 and 1,000
// streams (starting 1,000 workers is a scenario of its own), unchanged between scrapes and all new.
//
// BENCH_METRICS_STREAMS=10,50,100 and BENCH_METRICS_BUSY=100 choose the sets; BENCH_WEIR_DIST
// points at another build's dist/ with the same exporter API (snapshot buffers, byte merge); builds
// from before it are measured with the bench of their own checkout.
import { fork } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { median, percentile, pct } from '../lib/stats.mjs'
import { progress } from '../lib/progress.mjs'
import { MESSAGES, threadCpuNs } from '../lib/prom-mirror.mjs'

const DIST = process.env.BENCH_WEIR_DIST ? pathToFileURL(process.env.BENCH_WEIR_DIST.replace(/\/?$/, '/')).href : new URL('../../dist/', import.meta.url).href
const dist = (p) => new URL(`src/${p}`, DIST).href
const { Host } = await import(dist('supervisor/host.js'))
const { ResourceHost } = await import(dist('supervisor/resource-host.js'))
const { defaultRegistry } = await import(dist('components/registry.js'))
const { createApiApp, startServer } = await import(dist('api/server.js'))
const { RouteTable } = await import(dist('api/route-table.js'))
const { createConfigService } = await import(dist('api/config-service.js'))
const { createMetricsEndpoint } = await import(dist('metrics/exporter.js'))
const { WorkerMetrics } = await import(dist('metrics/worker-metrics.js'))
const { SnapshotReader, SnapshotWriter } = await import(dist('protocol/snapshot-buffer.js'))
const { packExposition, SnapshotCutter } = await import(dist('metrics/block-index.js'))
const { mergeParts } = await import(dist('metrics/merge.js'))
const { silentLogger } = await import(dist('util/logger.js'))
const { DEFAULT_BACKOFF } = await import(dist('supervisor/backoff.js'))
// The CLI's priority guard (builds before it had none: off there).
const { autoWorkerNice } = await import(dist('worker/thread-priority.js'))

export const name = 'metrics'
export const description = 'Main-thread time of one /metrics scrape (10, 50, and in full runs 100 streams; idle and busy workers) vs one prom-client registry with the same series'

const METRICS = { mapping: '', useHistogramTiming: false, histogramBuckets: [], summaryQuantiles: [] }

// A typical small stream: every family the engine emits for input, three processors and output.
// Busy: the same stream generating without end, so every worker runs flat out and its series change all the time.
const streamConfig = (busy) => ({
  input: { generate: { count: busy ? 0 : MESSAGES, interval: '', mapping: 'root = {"n": counter()}' } },
  pipeline: { processors: [{ mapping: 'root = this' }, { mutation: 'root.even = this.n % 2 == 0' }, { noop: {} }] },
  output: { drop: {} },
})

const list = (env, dflt) => (process.env[env] ? process.env[env].split(',').map(Number).filter((n) => n > 0) : dflt)

export async function run({ quick }) {
  const rounds = quick ? 15 : 50
  // 100 streams only in full runs: starting 100 workers takes a while on a small machine.
  // Busy sets run once per worker nice value (WEIR_WORKER_NICE; BENCH_METRICS_NICE=0,10,19 chooses):
  // 'default' leaves the variable unset (the host's default: the priority guard lowers busy threads
  // once the main thread starves), 0 turns lowering off explicitly.
  const nices = process.env.BENCH_METRICS_NICE ? process.env.BENCH_METRICS_NICE.split(',') : ['default', '19']
  const sets = [
    ...list('BENCH_METRICS_STREAMS', quick ? [10, 50] : [10, 50, 100]).map((n) => ({ n, busy: false, nice: 'default' })),
    ...list('BENCH_METRICS_BUSY', quick ? [50] : [100]).flatMap((n) => nices.map((nice) => ({ n, busy: true, nice }))),
  ]
  const keyOf = (set) => `${set.n}${set.busy ? ` busy nice ${set.nice}` : ''}`
  const nameOf = (set) => `${set.n} streams${set.busy ? `, busy, workers nice ${set.nice}` : ''}`
  const results = {}
  const rows = []
  for (const set of sets) {
    // Workers read it when they start (they get a copy of process.env).
    if (set.nice !== 'default') process.env.WEIR_WORKER_NICE = set.nice
    else delete process.env.WEIR_WORKER_NICE
    const r = (results[keyOf(set)] = await measureWith(set.n, rounds, set.busy))
    delete process.env.WEIR_WORKER_NICE
    rows.push([
      nameOf(set),
      String(r.samples),
      r.baseline.cpu.toFixed(2),
      r.weir.cpu.toFixed(2),
      pct(r.weir.cpu / r.baseline.cpu),
      r.weir.cpuP90.toFixed(2),
      r.weir.elu.toFixed(2),
      r.weir.wall.toFixed(1),
      r.weir.wallP90.toFixed(1),
      r.merge.toFixed(2),
      r.background === undefined ? '-' : r.background.toFixed(1),
    ])
  }
  progress('synthetic snapshots: exporter only')
  const synthetic = await syntheticScrapes(quick ? [100, 1000] : [100, 1000])
  for (const x of synthetic) rows.push([`${x.n} streams, synthetic (exporter only${x.changed ? ', every snapshot new' : ''})`, String(x.samples), '-', x.cpu.toFixed(2), '-', x.cpuP90.toFixed(2), '-', '-', '-', '-', '-'])
  const summary = sets.map((set) => {
    const r = results[keyOf(set)]
    return [`/metrics main-thread CPU ms, ${nameOf(set)} vs prom-client, same series (wall ${r.weir.wall.toFixed(1)} ms)`, r.weir.cpu.toFixed(2), r.baseline.cpu.toFixed(2), pct(r.weir.cpu / r.baseline.cpu)]
  })
  return {
    summary,
    title: `GET /metrics main-thread cost, median of ${rounds} interleaved rounds (ms; background: main-thread CPU ms per second between scrapes)`,
    header: ['set', 'samples', 'prom-client cpu', 'weir cpu', 'vs prom-client', 'weir cpu p90', 'weir loop active', 'weir wall', 'weir wall p90', 'merge only', 'background'],
    rows,
    data: { ...results, synthetic },
  }
}

async function measureWith(n, rounds, busy) {
  const label = `${n} streams${busy ? ' (busy)' : ''}`
  progress(`${label}: starting workers`)
  const rootMetrics = new WorkerMetrics('', METRICS, silentLogger)
  const routes = new RouteTable()
  const host = newHost(rootMetrics, routes)
  const endpoint = createMetricsEndpoint(host, {
    kind: 'prometheus',
    scrapeDeadlineMs: 10_000,
    root: () => rootMetrics.exposition(),
    rootStats: () => rootMetrics.stats(),
  })
  const app = createApiApp(host, createConfigService(defaultRegistry(), () => undefined), { noApi: false, info: { version: 'bench', built: '' }, metrics: endpoint })
  const weir = await startServer(host, routes, app, { address: '127.0.0.1:0', maxBodyBytes: 1 << 20 })
  let baselineServer
  const client = new Worker(CLIENT, { eval: true })
  try {
    const ids = Array.from({ length: n }, (_, i) => `stream_${String(i).padStart(3, '0')}`)
    // Busy streams start paused, so that starting the last worker does not compete with the first ones.
    for (const id of ids) {
      const out = await host.create(id, { config: streamConfig(busy), source: 'api', paused: busy })
      if (!out.ok) throw new Error(`stream ${id} failed: ${JSON.stringify(out.errors)}`)
    }
    if (busy) for (const id of ids) host.resume(id)
    const settled = busy ? 'running' : 'finished'
    await until(() => ids.every((id) => host.info(id)?.state === settled), 300_000, `streams to be ${settled}`)

    const weirUrl = `http://${weir.address}/metrics`
    // Workers publish at most every 500 ms: wait until every stream's counters show (all of them when idle).
    // Every timer must have observations too: the prom-client mirror leaves empty summaries out.
    const seen = (t, id) => (busy ? t.includes(`input_received{label="",path="root.input",stream="${id}"}`) : t.includes(`input_received{label="",path="root.input",stream="${id}"} ${MESSAGES}\n`))
    const weirText = await untilAsync(
      async () => {
        const t = await fetchIn(client, weirUrl, true)
        return ids.every((id) => seen(t, id)) && !/_count\{[^}]*\} 0\n/.test(t) ? t : undefined
      },
      60_000,
      'every stream in /metrics',
    )
    if (process.env.BENCH_DUMP) (await import("node:fs")).writeFileSync(process.env.BENCH_DUMP, weirText)
    baselineServer = await startMirror(weirText)
    const baselineText = baselineServer.text
    const baseUrl = `http://127.0.0.1:${baselineServer.port}/metrics`
    const samples = sampleLines(weirText)
    const baselineSamples = sampleLines(baselineText)
    // Both sides must serve the same series, and they must be two different renderings.
    if (samples !== baselineSamples) throw new Error(`baseline has ${baselineSamples} samples, weir ${samples}`)
    if (weirText === baselineText) throw new Error('baseline and weir bodies are identical: measuring the same thing twice?')

    const merge = await mergeOnly(host)
    progress(`${label}: warm-up`)
    for (let i = 0; i < 5; i++) {
      await scrape(client, weirUrl)
      await scrapeMirror(client, baseUrl, baselineServer)
    }
    const weirRuns = []
    const baseRuns = []
    for (let r = 0; r < rounds; r++) {
      if (r % 10 === 0) progress(`${label}: round ${r + 1}/${rounds}`)
      // Random order per round so drift hits both sides alike.
      if (Math.random() < 0.5) {
        weirRuns.push(await scrape(client, weirUrl))
        baseRuns.push(await scrapeMirror(client, baseUrl, baselineServer))
      } else {
        baseRuns.push(await scrapeMirror(client, baseUrl, baselineServer))
        weirRuns.push(await scrape(client, weirUrl))
      }
    }
    // What the main thread spends with no scrape at all (busy workers pushing their snapshots).
    const c0 = threadCpuNs()
    const t0 = performance.now()
    await new Promise((r) => setTimeout(r, 2000))
    const background = (threadCpuNs() - c0) / 1e6 / ((performance.now() - t0) / 1000)
    const sum = (runs) => ({
      cpu: median(runs.map((x) => x.cpu)),
      cpuP90: percentile(runs.map((x) => x.cpu), 90),
      elu: median(runs.map((x) => x.elu)),
      wall: median(runs.map((x) => x.wall)),
      wallP90: percentile(runs.map((x) => x.wall), 90),
    })
    return { streams: n, busy, samples, bytes: weirText.length, weir: sum(weirRuns), baseline: sum(baseRuns), merge, background, runs: { weir: weirRuns, baseline: baseRuns } }
  } finally {
    progress(`${label}: stopping`)
    await client.terminate()
    baselineServer?.close()
    await host.close(5000)
    await weir.close()
  }
}

/**
 * The exporter alone (merge and render, no HTTP) over `n` synthetic streams, each a registry with
 * one real stream's families under its own `stream` label, written to its own snapshot buffer as a
 * worker writes it: what a scrape of 1,000 streams costs the main thread, without starting 1,000
 * workers. Twice: snapshots unchanged since the previous scrape, and every one new (busy workers:
 * each is copied out of its buffer and cut again; writing them is not timed).
 */
async function syntheticScrapes(counts) {
  const register = (m) => {
    // The families a stream of streamConfig() registers, with some values.
    for (const [path, names] of [
      ['root.input', ['input_received', 'input_connection_up', 'input_connection_failed', 'input_connection_lost']],
      ['root.pipeline.processors.0', ['processor_received', 'processor_batch_received', 'processor_sent', 'processor_batch_sent', 'processor_error']],
      ['root.pipeline.processors.1', ['processor_received', 'processor_batch_received', 'processor_sent', 'processor_batch_sent', 'processor_error']],
      ['root.pipeline.processors.2', ['processor_received', 'processor_batch_received', 'processor_sent', 'processor_batch_sent', 'processor_error']],
      ['root.output', ['output_sent', 'output_batch_sent', 'output_error', 'output_connection_up', 'output_connection_failed', 'output_connection_lost']],
    ]) {
      const v = m.view(path, '')
      for (const name of names) v.counter(name).inc(MESSAGES)
      const t = v.timer(path.startsWith('root.input') ? 'input_latency_ns' : path.startsWith('root.output') ? 'output_latency_ns' : 'processor_latency_ns')
      for (let i = 0; i < MESSAGES; i++) t.observe(1000 + i)
    }
    return m
  }
  const out = []
  for (const changed of [false, true]) {
    for (const n of counts) {
      const streams = Array.from({ length: n }, (_, i) => {
        const id = `stream_${String(i).padStart(4, '0')}`
        const s = { id, reader: undefined }
        const writer = new SnapshotWriter((b) => (s.reader = new SnapshotReader(b)))
        const packed = packExposition(register(new WorkerMetrics(id, METRICS, silentLogger)).exposition())
        s.write = () => writer.write(packed.text, packed.offsets, packed.table)
        writer.heap(5e6, 4e9)
        s.write()
        return s
      })
      const targets = streams.map((s) => ({
        id: s.id,
        metrics: () => ({ snapshot: s.reader.read(), ...s.reader.heap() }),
        refreshMetrics: undefined,
        stats: async () => ({}),
        now: () => ({ state: 'running', restarts: 0, up: true, current: true, elu: 0.01 }),
      }))
      const root = new WorkerMetrics('', METRICS, silentLogger)
      const ep = createMetricsEndpoint({ scrapeTargets: () => targets }, { kind: 'prometheus', scrapeDeadlineMs: 10_000, root: () => root.exposition(), rootStats: () => root.stats() })
      const body = await ep.exposition()
      const renew = () => {
        if (changed) for (const s of streams) s.write()
      }
      for (let i = 0; i < 30; i++) {
        renew()
        await ep.exposition()
      }
      const times = []
      // Pure CPU on this thread: timed on the wall clock like mergeOnly (the median drops preempted runs).
      for (let i = 0; i < 40; i++) {
        renew()
        const t0 = performance.now()
        await ep.exposition()
        times.push(performance.now() - t0)
      }
      const text = body.toString()
      out.push({ n, changed, samples: sampleLines(text), bytes: body.length, cpu: median(times), cpuP90: percentile(times, 90) })
    }
  }
  return out
}

function newHost(rootMetrics, routes) {
  const logger = silentLogger
  const resources = new ResourceHost(defaultRegistry(), logger, (path, label) => rootMetrics.view(path, label))
  return new Host(
    {
      prefixEndpoints: true,
      rootPath: '',
      logger: { level: 'ERROR', format: 'logfmt', addTimestamp: false, staticFields: {}, levelName: 'level', timestampName: 'time', messageName: 'msg' },
      metrics: METRICS,
      templates: [],
      heapLimitMb: 0,
      defaultStopTimeoutMs: 5000,
      startTimeoutMs: 120_000,
      backoff: DEFAULT_BACKOFF,
      heartbeatTimeoutMs: 0,
      autoNice: autoWorkerNice?.() ?? 0,
    },
    resources,
    logger,
    routes,
  )
}

// The merge alone, on the snapshots the workers wrote last, already copied out of their shared
// buffers (a part is a view of its snapshot, so cutting one that changed costs nothing): the byte
// ranges of every block gathered by family and copied into one body. Not the root registry or the
// stream gauges.
async function mergeOnly(host) {
  const snapshots = host.scrapeTargets().map((t) => t.metrics().snapshot)
  const cutters = snapshots.map(() => new SnapshotCutter())
  const merge = () => mergeParts(snapshots.map((s, i) => cutters[i].cut(s)))
  for (let i = 0; i < 20; i++) merge()
  // Pure CPU with no context switch: schedstat is only brought up to date at scheduler events,
  // so this one is timed on the wall clock (the median drops preempted runs).
  const times = []
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now()
    merge()
    times.push(performance.now() - t0)
  }
  return median(times)
}

async function scrape(client, url) {
  const c0 = threadCpuNs()
  const e0 = performance.eventLoopUtilization()
  const t0 = performance.now()
  await fetchIn(client, url, false)
  const wall = performance.now() - t0
  const elu = performance.eventLoopUtilization(e0).active
  return { cpu: (threadCpuNs() - c0) / 1e6, elu, wall }
}

const CLIENT = `
const { parentPort } = require('node:worker_threads')
// A kept-alive socket the server closed while every core was taken can be picked for the next
// scrape before this thread saw the close: that one attempt is retried on a new connection, as a
// scraper's next interval would be.
const stale = (err) => /other side closed|ECONNRESET|socket hang up/.test(String(err) + String(err.cause))
parentPort.on('message', async ({ url, body }) => {
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await fetch(url)
      const t = await r.text()
      parentPort.postMessage({ status: r.status, body: body ? t : undefined })
      return
    } catch (err) {
      if (attempt < 3 && stale(err)) continue
      parentPort.postMessage({ error: String(err) + (err.cause ? ': ' + String(err.cause) : '') })
      return
    }
  }
})
`

function fetchIn(client, url, body) {
  return new Promise((resolve, reject) => {
    client.once('message', (m) => (m.error || m.status !== 200 ? reject(new Error(m.error ?? `status ${m.status}`)) : resolve(m.body)))
    client.postMessage({ url, body })
  })
}

const MIRROR = fileURLToPath(new URL('../servers/prom-mirror.mjs', import.meta.url))

/**
 * The baseline server in its own process, serving a prom-client registry that mirrors `text`:
 * resolves with its port, its rendering of the registry, `last()` (its own thread's CPU and loop
 * time for the latest request) and `close()`.
 */
function startMirror(text) {
  return new Promise((resolve, reject) => {
    const child = fork(MIRROR, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    const waiting = []
    child.on('message', (m) => {
      if (m.type === 'listening') resolve({ port: m.port, text: m.text, last, close: () => child.kill() })
      else if (m.type === 'cost') waiting.shift()?.(m)
    })
    child.once('error', reject)
    child.once('exit', (code) => code && reject(new Error(`prom-mirror exited with ${code}`)))
    const last = () => new Promise((r) => (waiting.push(r), child.send({ type: 'last' })))
    child.send({ type: 'serve', text })
  })
}

/** A baseline scrape: wall time from here, CPU and loop time as the mirror's thread measured them. */
async function scrapeMirror(client, url, mirror) {
  const t0 = performance.now()
  await fetchIn(client, url, false)
  const wall = performance.now() - t0
  const { cpu, elu } = await mirror.last()
  return { cpu, elu, wall }
}

async function untilAsync(fn, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

async function until(fn, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

function sampleLines(text) {
  return text.split('\n').filter((l) => l && !l.startsWith('#')).length
}
