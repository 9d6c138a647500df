// Churn without leaks (`npm run bench -- churn [--quick]`, CHURN_CYCLES=n to choose the count):
// create -> update -> delete cycles, first through the REST API, then through
// the watched directory (write, edit, delete a file), each stream with an HTTP endpoint, a mapping
// and its metrics. Prints the host's RSS every 100 cycles (every 25 with --quick) and the leak
// checks: RSS after the cycles against RSS after warm-up (the baseline of the same run), threads
// (/proc/<pid>/task), open fds (/proc/<pid>/fd), main-thread timers and handles (prom-client's
// nodejs_active_resources from /metrics), metric series left for deleted streams, and routes.
import { readdirSync, rmSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { startWeir, rssOf, until, tagged } from '../lib/weir.mjs'
import { progress } from '../lib/progress.mjs'

export const name = 'churn'
export const description = 'Create/update/delete cycles through the API and the watched directory: RSS curve, threads, fds, timers, stale metric series'

const BASE = `input:
  generate:
    interval: 1h
    mapping: 'root = "base"'
output:
  drop: {}
`


const MB = 2 ** 20
const mb = (b) => (b / MB).toFixed(1)

function count(dir) {
  try {
    return readdirSync(dir).length
  } catch {
    return NaN
  }
}

/** Main-thread resources by type (Timeout, TCPServerWrap, MessagePort...) from the host's /metrics. */
function activeResources(text) {
  const out = {}
  for (const m of text.matchAll(/^nodejs_active_resources\{type="([^"]+)"\} (\d+)/gm)) out[m[1]] = Number(m[2])
  return out
}

async function snapshot(w) {
  const metrics = await (await fetch(`${w.base}/metrics`)).text()
  const endpoints = await (await fetch(`${w.base}/endpoints`)).json().catch(() => ({}))
  const streams = await (await fetch(`${w.base}/streams`)).json().catch(() => ({}))
  return {
    rss: rssOf(w.pid),
    threads: count(`/proc/${w.pid}/task`),
    fds: count(`/proc/${w.pid}/fd`),
    resources: activeResources(metrics),
    heapUsed: Number(/^nodejs_heap_size_used_bytes (\S+)/m.exec(metrics)?.[1] ?? NaN),
    metricLines: metrics.split('\n').filter((l) => l && !l.startsWith('#')).length,
    metrics,
    routes: Object.keys(endpoints).length,
    streams: Object.keys(streams).length,
  }
}

/** Series still labelled with a churned stream id (prefix `prefix`) after every such stream is gone. */
function staleSeries(metrics, prefix) {
  return metrics.split('\n').filter((l) => !l.startsWith('#') && l.includes(`stream="${prefix}`)).length
}

async function call(w, method, path, body) {
  const r = await fetch(`${w.base}${path}`, { method, body })
  const text = await r.text()
  if (r.status !== 200) throw new Error(`${method} ${path} answered ${r.status}: ${text}`)
  return text
}

async function answers(w, id, tag) {
  const r = await fetch(`${w.base}/${id}/in`, { method: 'POST', body: 'x' })
  return r.status === 200 && (await r.text()) === `${tag}:x`
}

/** One API cycle: create, serve, update, serve the new config, delete. */
async function apiCycle(w, i) {
  const id = `api${i}`
  await call(w, 'POST', `/streams/${id}`, tagged('v1'))
  await until(`${id} v1 to serve`, () => answers(w, id, 'v1'), 60_000, 5)
  await call(w, 'PUT', `/streams/${id}`, tagged('v2'))
  await until(`${id} v2 to serve`, () => answers(w, id, 'v2'), 60_000, 5)
  await call(w, 'DELETE', `/streams/${id}`)
}

/** One directory cycle: write a file, edit it, delete it; each step waits for the host to follow. */
async function dirCycle(w, i) {
  const id = `dir${i}`
  const file = `streams/${id}.yaml`
  w.write(file, tagged('v1'))
  await until(`${id} v1 to serve`, () => answers(w, id, 'v1'), 60_000, 10)
  w.write(file, tagged('v2'))
  await until(`${id} v2 to serve`, () => answers(w, id, 'v2'), 60_000, 10)
  rmSync(join(w.dir, file))
  await until(`${id} to be removed`, async () => (await fetch(`${w.base}/streams/${id}`)).status === 404, 60_000, 10)
}

async function phase(w, label, cycles, every, cycle) {
  const curve = []
  const t0 = performance.now()
  const before = await snapshot(w)
  curve.push({ cycle: 0, rss: before.rss, heapUsed: before.heapUsed })
  for (let i = 1; i <= cycles; i++) {
    await cycle(w, i)
    if (i % every === 0) {
      const s = await snapshot(w)
      curve.push({ cycle: i, rss: s.rss, heapUsed: s.heapUsed })
      progress(`${label}: ${i}/${cycles} cycles, rss ${mb(s.rss)} MB, heap ${mb(s.heapUsed)} MB, ${((performance.now() - t0) / 1000).toFixed(0)} s`)
    }
  }
  // Workers end asynchronously after DELETE answers: give the host a moment to settle by polling
  // for the thread count to come back down, then take the final snapshot.
  await until('threads to settle', async () => count(`/proc/${w.pid}/task`) <= before.threads, 20_000, 100).catch(() => {})
  const after = await snapshot(w)
  return { curve, before, after, seconds: (performance.now() - t0) / 1000 }
}

export async function run({ quick }) {
  // CHURN_CYCLES overrides the count (a spawn-bound cycle takes seconds on a busy 2-core machine).
  const cycles = Number(process.env.CHURN_CYCLES) || (quick ? 100 : 1000)
  const every = cycles >= 1000 ? 100 : Math.max(1, Math.round(cycles / 10))
  const w = await startWeir({
    files: { 'streams/base.yaml': BASE },
    // process_* and nodejs_* families: heap used and the main thread's active timers and handles.
    args: ['--set', 'metrics.prometheus.add_process_metrics=true', '--set', 'metrics.prometheus.add_go_metrics=true', '-w', '{dir}/streams'],
  })
  mkdirSync(join(w.dir, 'streams'), { recursive: true })
  try {
    // The watcher is set up just after start-up: wait until it follows a file.
    progress('waiting for the watcher')
    await until(
      'the watcher to pick up a file',
      async () => {
        w.write('streams/probe.yaml', tagged('probe'))
        return answers(w, 'probe', 'probe')
      },
      60_000,
      200,
    )
    rmSync(join(w.dir, 'streams/probe.yaml'))
    await until('probe removed', async () => (await fetch(`${w.base}/streams/probe`)).status === 404, 60_000, 50)

    const results = {}
    for (const [label, fn] of [
      ['api', apiCycle],
      ['dir', dirCycle],
    ]) {
      progress(`${label}: ${cycles} create/update/delete cycles`)
      results[label] = await phase(w, label, cycles, every, fn)
    }

    const rows = []
    const summary = []
    for (const [label, r] of Object.entries(results)) {
      // Warm-up: the first sample after cycle 0 (JIT, pools, first worker spawns) is the baseline.
      const warm = r.curve[1] ?? r.curve[0]
      const last = r.curve[r.curve.length - 1]
      const peak = Math.max(...r.curve.slice(1).map((c) => c.rss))
      const prefix = label === 'api' ? 'api' : 'dir'
      const stale = staleSeries(r.after.metrics, prefix)
      const timersBefore = r.before.resources.Timeout ?? 0
      const timersAfter = r.after.resources.Timeout ?? 0
      rows.push(
        [`${label}: RSS after warm-up (cycle ${warm.cycle}) -> last (cycle ${last.cycle}) MB`, mb(warm.rss), mb(last.rss), `${((last.rss / warm.rss - 1) * 100).toFixed(1)}%`],
        [`${label}: RSS peak after warm-up MB`, mb(warm.rss), mb(peak), `${((peak / warm.rss - 1) * 100).toFixed(1)}%`],
        [`${label}: main heap used MB`, mb(warm.heapUsed), mb(last.heapUsed), `${((last.heapUsed / warm.heapUsed - 1) * 100).toFixed(1)}%`],
        [`${label}: threads (/proc/pid/task)`, r.before.threads, r.after.threads, String(r.after.threads - r.before.threads)],
        [`${label}: open fds (/proc/pid/fd)`, r.before.fds, r.after.fds, String(r.after.fds - r.before.fds)],
        [`${label}: main-thread timers`, timersBefore, timersAfter, String(timersAfter - timersBefore)],
        [`${label}: main-thread resources (all types)`, sum(r.before.resources), sum(r.after.resources), String(sum(r.after.resources) - sum(r.before.resources))],
        [`${label}: metric samples (all)`, r.before.metricLines, r.after.metricLines, String(r.after.metricLines - r.before.metricLines)],
        [`${label}: metric series of deleted streams`, 0, stale, String(stale)],
        [`${label}: streams listed`, r.before.streams, r.after.streams, String(r.after.streams - r.before.streams)],
        [`${label}: routes in /endpoints (stopped streams leave a placeholder, spec 7.3)`, r.before.routes, r.after.routes, String(r.after.routes - r.before.routes)],
      )
      summary.push(
        [`${label} churn: RSS MB after ${last.cycle} cycles vs after warm-up`, mb(last.rss), mb(warm.rss), `${(last.rss / warm.rss).toFixed(2)}x`],
        [`${label} churn: threads / fds left over`, `${r.after.threads - r.before.threads} / ${r.after.fds - r.before.fds}`, '0 / 0', '-'],
        [`${label} churn: stale metric series`, String(stale), '0', '-'],
      )
    }
    const curveHeader = ['cycle', ...Object.keys(results).map((l) => `${l} RSS MB`), ...Object.keys(results).map((l) => `${l} heap MB`)]
    const curveRows = results.api.curve.map((c, i) => [String(c.cycle), ...Object.values(results).map((r) => (r.curve[i] ? mb(r.curve[i].rss) : '-')), ...Object.values(results).map((r) => (r.curve[i] ? mb(r.curve[i].heapUsed) : '-'))])
    // The curve is the first table (printed here); the leak checks are the scenario's table.
    const { printTable } = await import('../lib/table.mjs')
    printTable(`Churn: host RSS every ${every} cycles (API phase first, then the directory phase on the same host)`, curveHeader, curveRows)
    return {
      summary,
      title: `Churn: ${cycles} create/update/delete cycles through the API (${results.api.seconds.toFixed(0)} s) and the watched directory (${results.dir.seconds.toFixed(0)} s)`,
      header: ['check', 'before / warm', 'after', 'change'],
      rows,
      data: Object.fromEntries(Object.entries(results).map(([l, r]) => [l, { seconds: r.seconds, curve: r.curve, before: strip(r.before), after: strip(r.after) }])),
    }
  } finally {
    await w.stop()
  }
}

function sum(o) {
  return Object.values(o).reduce((a, b) => a + b, 0)
}

function strip(s) {
  const { metrics, ...rest } = s
  return rest
}
