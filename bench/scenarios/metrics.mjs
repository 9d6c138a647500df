// Main-thread cost of one GET /metrics with 10 and 50 streams (one worker each), against one
// prom-client registry holding the same series and served by bare node:http in the same process.
// The HTTP client runs in a worker thread so only the server's side lands on the main thread.
// Cost = main-thread CPU time (/proc/thread-self/schedstat, ns; immune to the scheduler on a busy
// machine) and event-loop active time; both are taken around one complete scrape.
import { readFileSync, existsSync } from 'node:fs'
import { createServer } from 'node:http'
import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import promClient from 'prom-client'
import { median, percentile, pct } from '../lib/stats.mjs'
import { progress } from '../lib/progress.mjs'

const dist = (p) => new URL(`../../dist/src/${p}`, import.meta.url).href
const { Host } = await import(dist('supervisor/host.js'))
const { ResourceHost } = await import(dist('supervisor/resource-host.js'))
const { defaultRegistry } = await import(dist('components/registry.js'))
const { createApiApp, startServer } = await import(dist('api/server.js'))
const { RouteTable } = await import(dist('api/route-table.js'))
const { createConfigService } = await import(dist('api/config-service.js'))
const { createMetricsEndpoint } = await import(dist('metrics/exporter.js'))
const { WorkerMetrics } = await import(dist('metrics/worker-metrics.js'))
const { silentLogger } = await import(dist('util/logger.js'))
const { DEFAULT_BACKOFF } = await import(dist('supervisor/backoff.js'))

export const name = 'metrics'
export const description = 'Main-thread time of one /metrics scrape (10, 50, and in full runs 100 streams) vs one prom-client registry with the same series'

const MESSAGES = 300
const METRICS = { mapping: '', useHistogramTiming: false, histogramBuckets: [], summaryQuantiles: [] }

// A typical small stream: every family the engine emits for input, three processors and output.
const streamConfig = () => ({
  input: { generate: { count: MESSAGES, interval: '', mapping: 'root = {"n": counter()}' } },
  pipeline: { processors: [{ mapping: 'root = this' }, { mutation: 'root.even = this.n % 2 == 0' }, { noop: {} }] },
  output: { drop: {} },
})

export async function run({ quick }) {
  const rounds = quick ? 15 : 50
  // 100 streams only in full runs: starting 100 workers takes a while on a small machine.
  const sets = quick ? [10, 50] : [10, 50, 100]
  const results = {}
  for (const n of sets) results[n] = await measureWith(n, rounds)
  const rows = []
  for (const n of sets) {
    const r = results[n]
    rows.push([
      `${n} streams`,
      String(r.samples),
      r.baseline.cpu.toFixed(2),
      r.weir.cpu.toFixed(2),
      pct(r.weir.cpu / r.baseline.cpu),
      r.weir.cpuP90.toFixed(2),
      r.weir.elu.toFixed(2),
      r.weir.wall.toFixed(1),
      r.merge.toFixed(2),
    ])
  }
  return {
    title: `GET /metrics main-thread cost, median of ${rounds} interleaved rounds (ms)`,
    header: ['set', 'samples', 'prom-client cpu', 'weir cpu', 'vs prom-client', 'weir cpu p90', 'weir loop active', 'weir wall', 'merge only'],
    rows,
    data: results,
  }
}

async function measureWith(n, rounds) {
  progress(`${n} streams: starting workers`)
  const rootMetrics = new WorkerMetrics('', METRICS, silentLogger)
  const routes = new RouteTable()
  const host = newHost(rootMetrics, routes)
  const endpoint = createMetricsEndpoint(host, {
    kind: 'prometheus',
    scrapeDeadlineMs: 10_000,
    rootText: () => rootMetrics.text(),
    rootStats: () => rootMetrics.stats(),
    rootShared: () => rootMetrics.exposition().shared,
  })
  const app = createApiApp(host, createConfigService(defaultRegistry(), () => undefined), { noApi: false, info: { version: 'bench', built: '' }, metrics: endpoint })
  const weir = await startServer(host, routes, app, { address: '127.0.0.1:0', maxBodyBytes: 1 << 20 })
  let baselineServer
  const client = new Worker(CLIENT, { eval: true })
  try {
    const ids = Array.from({ length: n }, (_, i) => `stream_${String(i).padStart(3, '0')}`)
    for (const id of ids) {
      const out = await host.create(id, { config: streamConfig(), source: 'api' })
      if (!out.ok) throw new Error(`stream ${id} failed: ${JSON.stringify(out.errors)}`)
    }
    await until(() => ids.every((id) => host.info(id)?.state === 'finished'), 120_000, 'streams to process their messages')

    const weirUrl = `http://${weir.address}/metrics`
    const weirText = await fetchIn(client, weirUrl, true)
    const registry = mirror(weirText)
    const baselineText = await registry.metrics()
    baselineServer = await listen(async (_req, res) => {
      const body = await registry.metrics()
      res.writeHead(200, { 'Content-Type': registry.contentType })
      res.end(body)
    })
    const baseUrl = `http://127.0.0.1:${baselineServer.address().port}/metrics`
    const samples = sampleLines(weirText)
    const baselineSamples = sampleLines(baselineText)
    // Both sides must serve the same series, and they must be two different renderings.
    if (samples !== baselineSamples) throw new Error(`baseline has ${baselineSamples} samples, weir ${samples}`)
    if (weirText === baselineText) throw new Error('baseline and weir bodies are identical: measuring the same thing twice?')

    const merge = await mergeOnly(host)
    progress(`${n} streams: warm-up`)
    for (let i = 0; i < 5; i++) {
      await scrape(client, weirUrl)
      await scrape(client, baseUrl)
    }
    const weirRuns = []
    const baseRuns = []
    for (let r = 0; r < rounds; r++) {
      if (r % 10 === 0) progress(`${n} streams: round ${r + 1}/${rounds}`)
      // Random order per round so drift hits both sides alike.
      if (Math.random() < 0.5) {
        weirRuns.push(await scrape(client, weirUrl))
        baseRuns.push(await scrape(client, baseUrl))
      } else {
        baseRuns.push(await scrape(client, baseUrl))
        weirRuns.push(await scrape(client, weirUrl))
      }
    }
    const sum = (runs) => ({
      cpu: median(runs.map((x) => x.cpu)),
      cpuP90: percentile(runs.map((x) => x.cpu), 90),
      elu: median(runs.map((x) => x.elu)),
      wall: median(runs.map((x) => x.wall)),
    })
    return { streams: n, samples, bytes: weirText.length, weir: sum(weirRuns), baseline: sum(baseRuns), merge, runs: { weir: weirRuns, baseline: baseRuns } }
  } finally {
    progress(`${n} streams: stopping`)
    await client.terminate()
    baselineServer?.close()
    await host.close(5000)
    await weir.close()
  }
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
      heapLimitMb: 0,
      defaultStopTimeoutMs: 5000,
      startTimeoutMs: 120_000,
      backoff: DEFAULT_BACKOFF,
      heartbeatTimeoutMs: 0,
    },
    resources,
    logger,
    routes,
  )
}

// The merge alone, on texts already collected: the part of a scrape Weir itself controls.
async function mergeOnly(host) {
  const { mergeExpositions } = await import(dist('metrics/merge.js'))
  const parts = []
  for (const t of host.scrapeTargets()) {
    const r = await t.metrics(10_000)
    parts.push({ text: r.text, shared: r.shared })
  }
  for (let i = 0; i < 20; i++) mergeExpositions(parts)
  // Pure CPU with no context switch: schedstat is only brought up to date at scheduler events,
  // so this one is timed on the wall clock (the median drops preempted runs).
  const times = []
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now()
    mergeExpositions(parts)
    times.push(performance.now() - t0)
  }
  return median(times)
}

const SCHEDSTAT = '/proc/thread-self/schedstat'
const haveSchedstat = existsSync(SCHEDSTAT)

/** CPU time of the calling thread in ns (Linux); event-loop active time elsewhere. */
function threadCpuNs() {
  if (haveSchedstat) return Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0])
  return performance.eventLoopUtilization().active * 1e6
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
parentPort.on('message', async ({ url, body }) => {
  try {
    const r = await fetch(url)
    const t = await r.text()
    parentPort.postMessage({ status: r.status, body: body ? t : undefined })
  } catch (err) {
    parentPort.postMessage({ error: String(err) })
  }
})
`

function fetchIn(client, url, body) {
  return new Promise((resolve, reject) => {
    client.once('message', (m) => (m.error || m.status !== 200 ? reject(new Error(m.error ?? `status ${m.status}`)) : resolve(m.body)))
    client.postMessage({ url, body })
  })
}

function listen(handler) {
  return new Promise((resolve) => {
    const s = createServer((req, res) => void handler(req, res))
    s.listen(0, '127.0.0.1', () => resolve(s))
  })
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

/** A prom-client registry with the same families, label sets and values as a Weir exposition. */
function mirror(text) {
  const registry = new promClient.Registry()
  const families = new Map()
  let current
  for (const line of text.split('\n')) {
    if (!line) continue
    const type = /^# TYPE (\S+) (\S+)$/.exec(line)
    if (type) {
      current = { type: type[2], series: new Map() }
      families.set(type[1], current)
      continue
    }
    if (line.startsWith('#')) continue
    const m = /^([^{ ]+)(?:\{(.*)\})? (\S+)$/.exec(line)
    const labels = {}
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) if (k !== 'quantile') labels[k] = v
    const key = JSON.stringify(labels)
    const s = current.series.get(key) ?? { labels, value: 0, count: 0, sum: 0 }
    current.series.set(key, s)
    if (m[1].endsWith('_count')) s.count = Number(m[3])
    else if (m[1].endsWith('_sum')) s.sum = Number(m[3])
    else s.value = Number(m[3])
  }
  for (const [name, f] of families) {
    const first = [...f.series.values()][0]
    const labelNames = Object.keys(first?.labels ?? {})
    const opts = { name, help: 'mirror', labelNames, registers: [registry] }
    if (f.type === 'summary') {
      const m = new promClient.Summary({ ...opts, percentiles: [0.5, 0.9, 0.99] })
      for (const s of f.series.values()) {
        const mean = s.count ? s.sum / s.count : 0
        if (s.count === 0) m.labels(s.labels)
        for (let i = 0; i < Math.min(s.count, MESSAGES); i++) m.observe(s.labels, mean * (0.5 + (i % 10) / 10))
      }
    } else {
      const m = f.type === 'counter' ? new promClient.Counter(opts) : new promClient.Gauge(opts)
      for (const s of f.series.values()) {
        if (f.type === 'counter') m.inc(s.labels, s.value)
        else m.set(s.labels, s.value)
      }
    }
  }
  return registry
}
