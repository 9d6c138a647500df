// Many streams: a host with 1, 10, 50 and 100 idle streams (50 only in full runs; any sizes with
// BENCH_STREAMS_SETS) against the same
// host with none: start time (spawn to every stream created), RSS per stream, and the wall time of
// a GET /metrics scrape. Full runs add a host of 1,000 idle streams, whose API (GET /ping,
// GET /streams) is timed while they start and after. Then core scaling: two busy streams in one
// host against one, in steady state (msg/s over a window after a warm-up, from the streams' own
// counters), beside what two bare threads doing JSON work get against one in the same run: the
// ceiling this machine's cores allow at that moment (other tenants, turbo, shared caches).
// The main-thread cost of a scrape has its own scenario (metrics.mjs); this one measures from outside.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { setTimeout as delay } from 'node:timers/promises'
import { Worker } from 'node:worker_threads'
import { join } from 'node:path'
import { startWeir, rssOf, MAIN, assertBuilt } from '../lib/weir.mjs'
import { startProcess, stopProcess } from '../lib/procs.mjs'
import { median, percentile, fmt } from '../lib/stats.mjs'
import { progress } from '../lib/progress.mjs'

const IDLE = `input:
  generate:
    interval: 1h
    mapping: 'root = {"n": counter()}'
pipeline:
  processors:
    - mapping: root = this
output:
  drop: {}
`

const BUSY = `input:
  generate:
    interval: ""
    mapping: 'root = {"id": counter(), "name": "ada lovelace", "score": 41}'
pipeline:
  processors:
    - mapping: |
        root.id = this.id
        root.name = this.name.uppercase()
        root.score = this.score + 1
output:
  drop: {}
`

export const name = 'streams'
export const description = 'Idle streams: start time, RSS per stream, /metrics scrape time; two busy streams vs one (core scaling)'

export async function run({ quick }) {
  // Starting 50 or 100 workers takes tens of seconds on a busy 2-core machine: full runs only.
  // BENCH_STREAMS_SETS=0,100,1000 chooses the host sizes (0, the baseline, is always measured).
  const chosen = process.env.BENCH_STREAMS_SETS?.split(',').map(Number).filter((n) => n > 0)
  const sets = chosen?.length ? [0, ...chosen] : quick ? [0, 1, 10, 100] : [0, 1, 10, 50, 100]
  const scrapes = quick ? 5 : 15
  const idle = {}
  for (const n of sets) idle[n] = await idleHost(n, scrapes)
  const base = idle[0]
  const rows = sets.map((n) => {
    const r = idle[n]
    return [
      n === 0 ? 'no streams (baseline)' : `${n} idle stream${n === 1 ? '' : 's'}`,
      (r.startMs / 1000).toFixed(2),
      (r.rss / 2 ** 20).toFixed(0),
      n === 0 ? '-' : ((r.rss - base.rss) / n / 2 ** 20).toFixed(1),
      r.scrapeMs.toFixed(1),
      (r.scrapeBytes / 1024).toFixed(1),
    ]
  })

  // 1,000 idle streams: a minute or more on a busy 2-core machine, full runs only.
  const crowd = quick ? undefined : await crowdedHost(1000)
  if (crowd) {
    const perStream = (crowd.rss - base.rss) / crowd.streams / 2 ** 20
    rows.push([`${crowd.streams} idle streams`, (crowd.startMs / 1000).toFixed(2), (crowd.rss / 2 ** 20).toFixed(0), perStream.toFixed(1), crowd.scrapeMs.toFixed(1), (crowd.scrapeBytes / 1024).toFixed(1)])
  }

  // Warm-up then window per host: JIT, first GCs and the start of the other stream stay out of it.
  const rounds = quick ? 2 : 4
  const warmMs = 1500
  const windowMs = quick ? 2000 : 4000
  const scaling = []
  for (let r = 0; r < rounds; r++) {
    const round = {}
    for (const k of r % 2 ? ['two', 'one', 'bare'] : ['bare', 'one', 'two']) {
      progress(`core scaling round ${r + 1}/${rounds}: ${k === 'bare' ? 'bare threads, one then two' : `${k} busy stream${k === 'one' ? '' : 's'}`}`)
      if (k === 'bare') round.bare = { one: await bareThreads(1, warmMs, windowMs), two: await bareThreads(2, warmMs, windowMs) }
      else round[k] = await busyHost(k === 'one' ? 1 : 2, warmMs, windowMs)
    }
    scaling.push(round)
  }
  const one = median(scaling.map((x) => x.one.rate))
  const two = median(scaling.map((x) => x.two.rate))
  const factor = median(scaling.map((x) => x.two.rate / x.one.rate))
  const ceiling = median(scaling.map((x) => x.bare.two / x.bare.one))
  rows.push([`1 busy stream: ${fmt(one)} msg/s`, '-', '-', '-', '-', '-'])
  rows.push([`2 busy streams: ${fmt(two)} msg/s (x${factor.toFixed(2)}; bare threads x${ceiling.toFixed(2)})`, '-', '-', '-', '-', '-'])
  const summary = sets
    .filter((n) => n > 0)
    .flatMap((n) => [
      [`${n} idle: start s vs empty host`, (idle[n].startMs / 1000).toFixed(2), (base.startMs / 1000).toFixed(2), (idle[n].startMs / base.startMs).toFixed(1) + 'x'],
      [`${n} idle: RSS MiB vs empty host (${((idle[n].rss - base.rss) / n / 2 ** 20).toFixed(1)} MiB/stream)`, (idle[n].rss / 2 ** 20).toFixed(0), (base.rss / 2 ** 20).toFixed(0), (idle[n].rss / base.rss).toFixed(1) + 'x'],
      [`${n} idle: /metrics scrape ms vs empty host`, idle[n].scrapeMs.toFixed(1), base.scrapeMs.toFixed(1), (idle[n].scrapeMs / base.scrapeMs).toFixed(1) + 'x'],
    ])
  if (crowd) {
    const n = crowd.streams
    const l = crowd.latency
    summary.push([`${n} idle: start s vs empty host`, (crowd.startMs / 1000).toFixed(2), (base.startMs / 1000).toFixed(2), (crowd.startMs / base.startMs).toFixed(1) + 'x'])
    summary.push([`${n} idle: RSS MiB vs empty host (${((crowd.rss - base.rss) / n / 2 ** 20).toFixed(1)} MiB/stream)`, (crowd.rss / 2 ** 20).toFixed(0), (base.rss / 2 ** 20).toFixed(0), (crowd.rss / base.rss).toFixed(1) + 'x'])
    for (const [what, during, after] of [['GET /ping', l.pingDuring, l.pingAfter], ['GET /streams', l.streamsDuring, l.streamsAfter]]) {
      summary.push([`${n} idle: ${what} p50 ms while starting vs after (${during.length} asks; max ${fmt(Math.max(...during))} ms)`, fmt(median(during)), fmt(median(after)), (median(during) / median(after)).toFixed(1) + 'x'])
      summary.push([`${n} idle: ${what} p99 ms while starting vs after`, fmt(percentile(during, 99)), fmt(percentile(after, 99)), (percentile(during, 99) / percentile(after, 99)).toFixed(1) + 'x'])
    }
    summary.push([`${n} idle: /metrics scrape ms vs empty host`, crowd.scrapeMs.toFixed(1), base.scrapeMs.toFixed(1), (crowd.scrapeMs / base.scrapeMs).toFixed(1) + 'x'])
  }
  summary.push(['msg/s, 2 busy streams vs 1 (ideal 2x on 2 cores)', fmt(two), fmt(one), factor.toFixed(2) + 'x'])
  summary.push(['2 busy streams vs 1, against 2 bare JSON threads vs 1 (the machine\'s ceiling now)', factor.toFixed(2) + 'x', ceiling.toFixed(2) + 'x', (factor / ceiling).toFixed(2)])
  return {
    summary,
    title: `Many streams (start, RSS, median of ${scrapes} /metrics scrapes) and core scaling (${rounds} rounds)`,
    header: ['host', 'start s', 'RSS MiB', 'MiB/stream', 'scrape ms', 'scrape KiB'],
    rows,
    data: { idle, ...(crowd ? { crowd } : {}), scaling: { warmMs, windowMs, rounds: scaling, one, two, factor, ceiling } },
  }
}

async function idleHost(n, scrapes) {
  progress(`${n} idle streams: starting`)
  const files = {}
  for (let i = 0; i < n; i++) files[`s${String(i).padStart(3, '0')}.yaml`] = IDLE
  const w = await startWeir({ files, args: ['{dir}'], timeoutMs: Math.max(300_000, n * 1000) })
  try {
    const times = []
    let bytes = 0
    for (let i = 0; i < scrapes + 1; i++) {
      const t0 = performance.now()
      const r = await fetch(`${w.base}/metrics`)
      const text = await r.text()
      if (r.status !== 200) throw new Error(`/metrics answered ${r.status}`)
      // The first scrape warms up the exporter; it is not counted.
      if (i > 0) times.push(performance.now() - t0)
      bytes = text.length
    }
    return { streams: n, startMs: w.startMs, rss: rssOf(w.pid), scrapeMs: median(times), scrapeBytes: bytes, scrapes: times }
  } finally {
    await w.stop()
  }
}

/**
 * `n` streams generating without end: msg/s of all of them over `windowMs` after `warmMs`, from
 * each stream's `output_sent` as its worker counts it (GET /streams/{id}/stats asks the worker;
 * /metrics would serve a snapshot up to half a second old).
 */
async function busyHost(n, warmMs, windowMs) {
  const files = {}
  for (let i = 0; i < n; i++) files[`busy${i}.yaml`] = BUSY
  const w = await startWeir({ files })
  const sent = async () => {
    let total = 0
    for (let i = 0; i < n; i++) {
      const r = await fetch(`${w.base}/streams/busy${i}/stats`)
      const stats = await r.json()
      const key = Object.keys(stats).find((k) => k.startsWith('output_sent{'))
      if (r.status !== 200 || key === undefined) throw new Error(`stats of busy${i}: ${r.status} without output_sent`)
      total += stats[key]
    }
    return total
  }
  try {
    await delay(warmMs)
    const [a, t0] = [await sent(), performance.now()]
    await delay(windowMs)
    const [b, t1] = [await sent(), performance.now()]
    const seconds = (t1 - t0) / 1000
    return { streams: n, messages: b - a, seconds, rate: (b - a) / seconds }
  } finally {
    await w.stop()
  }
}

// A bare thread's work: parse, change and serialise a small JSON document, as a busy stream does.
const BARE_THREAD = `
const { parentPort, workerData: { warmMs, windowMs } } = require('node:worker_threads')
const text = '{"id":1,"name":"ada lovelace","score":41}'
let n = 0
const work = () => { const o = JSON.parse(text); o.id = n; o.name = o.name.toUpperCase(); o.score++; return JSON.stringify(o).length }
const t0 = performance.now()
while (performance.now() - t0 < warmMs) for (let i = 0; i < 100; i++) work()
const t1 = performance.now()
while (performance.now() - t1 < windowMs) for (let i = 0; i < 100; i++) { work(); n++ }
parentPort.postMessage(n / ((performance.now() - t1) / 1000))
`

/** Operations per second of `n` bare threads running BARE_THREAD together. */
async function bareThreads(n, warmMs, windowMs) {
  const rates = await Promise.all(
    Array.from({ length: n }, () => {
      const t = new Worker(BARE_THREAD, { eval: true, workerData: { warmMs, windowMs } })
      return new Promise((resolve, reject) => {
        t.once('message', resolve)
        t.once('error', reject)
      }).finally(() => t.terminate())
    }),
  )
  return rates.reduce((a, b) => a + b, 0)
}

/**
 * `n` idle streams in one host, its API asked from the moment it listens: GET /ping and
 * GET /streams one after the other while the streams start (until the "Launching" line, which the
 * CLI prints once every stream was created), then 20 more of each after, and a /metrics scrape.
 */
export async function crowdedHost(n) {
  assertBuilt()
  progress(`${n} idle streams: starting, asking the API meanwhile`)
  const dir = mkdtempSync(join(tmpdir(), 'weir-bench-'))
  for (let i = 0; i < n; i++) writeFileSync(join(dir, `s${String(i).padStart(4, '0')}.yaml`), IDLE)
  const t0 = performance.now()
  let p
  try {
    p = await startProcess([MAIN, 'streams', '--log.level', 'info', '--set', 'http.address=127.0.0.1:0', dir], /Listening for HTTP requests at: http:\/\/127\.0\.0\.1:(\d+)/, { timeoutMs: 120_000, cwd: dir })
  } catch (err) {
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
  try {
    const base = `http://127.0.0.1:${p.match[1]}`
    let launchedAt
    const launched = new Promise((resolve, reject) => {
      const check = () => {
        if (!/Launching weir/.test(p.output())) return
        launchedAt ??= performance.now()
        resolve()
      }
      p.proc.stdout.on('data', check)
      p.proc.stderr.on('data', check)
      p.proc.once('exit', (code) => reject(new Error(`weir exited with ${code} while ${n} streams started`)))
      setTimeout(() => reject(new Error(`${n} streams did not start within 900 s`)), 900_000).unref()
      check()
    })
    let done = false
    void launched.then(() => (done = true), () => (done = true))
    const pingDuring = []
    const streamsDuring = []
    while (!done) {
      pingDuring.push(await timed(`${base}/ping`))
      if (done) break
      streamsDuring.push(await timed(`${base}/streams`))
    }
    await launched
    const startMs = launchedAt - t0
    progress(`${n} idle streams: started in ${(startMs / 1000).toFixed(1)} s; asking again`)
    const pingAfter = []
    const streamsAfter = []
    let states = {}
    for (let i = 0; i < 20; i++) {
      pingAfter.push(await timed(`${base}/ping`))
      streamsAfter.push(
        await timed(`${base}/streams`, (text) => {
          states = {}
          for (const s of Object.values(JSON.parse(text))) states[s.state] = (states[s.state] ?? 0) + 1
        }),
      )
    }
    // A stream that failed to start (say, its start timed out) would make the figures meaningless.
    if (states.running !== n) throw new Error(`GET /streams: ${JSON.stringify(states)}, expected ${n} running`)
    let scrapeBytes = 0
    const scrapes = []
    for (let i = 0; i < 4; i++) {
      const ms = await timed(`${base}/metrics`, (text) => (scrapeBytes = text.length))
      if (i > 0) scrapes.push(ms)
    }
    return { streams: n, startMs, rss: rssOf(p.proc.pid), scrapeMs: median(scrapes), scrapeBytes, latency: { pingDuring, streamsDuring, pingAfter, streamsAfter } }
  } finally {
    await stopProcess(p)
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Milliseconds one GET takes, body read; `onBody` sees the body. Throws on a non-200 answer. */
async function timed(url, onBody) {
  const t0 = performance.now()
  const r = await fetch(url)
  const text = await r.text()
  const ms = performance.now() - t0
  if (r.status !== 200) throw new Error(`GET ${url} answered ${r.status}`)
  onBody?.(text)
  return ms
}
