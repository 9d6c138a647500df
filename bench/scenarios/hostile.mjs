// Hostile clients: what an oversized API body (80 MiB, declared and chunked) and a 10,000-deep
// YAML body cost the host, in answer time and resident memory, against a small valid POST in the
// same run. With WEIR_BENCH_BEFORE=path/to/other/dist/src/main.js the same requests run against
// that build too. Status 0 means the connection was reset before the client read the answer: Weir
// hangs up after a 413 with body bytes unread, and the kernel may then drop the answer.
import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import { startWeir } from '../lib/weir.mjs'
import { median } from '../lib/stats.mjs'
import { progress } from '../lib/progress.mjs'

export const name = 'hostile'
export const description = 'Answer time and RSS growth for an 80 MiB API body (declared, chunked) and 10,000-deep YAML, vs a small valid POST'

const SMALL = 'input:\n  generate:\n    interval: 1h\n    mapping: root = "x"\noutput:\n  drop: {}\n'
const DEEP = 'input:\n  generate:\n    mapping: root = 1\n    x:\n      ' + '- '.repeat(10_000) + 'x\noutput:\n  drop: {}\n'
const MIB = 1024 * 1024

function rssMiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) / 1024 : NaN
}

/** POST `total` bytes of `a` in 1 MiB chunks; resolves with [status, ms] once answered (or reset). */
function bigPost(base, path, total, declared) {
  return new Promise((resolve) => {
    const t0 = performance.now()
    const u = new URL(base + path)
    const req = request({ host: u.hostname, port: u.port, path, method: 'POST', headers: declared ? { 'content-length': String(total) } : { 'transfer-encoding': 'chunked' } })
    let done = false
    const finish = (status) => {
      if (done) return
      done = true
      resolve([status, performance.now() - t0])
      req.destroy()
    }
    req.on('response', (res) => {
      res.resume()
      res.on('end', () => finish(res.statusCode))
    })
    req.on('error', () => finish(0))
    const chunk = Buffer.alloc(MIB, 0x61)
    let sent = 0
    const pump = () => {
      while (!done && sent < total) {
        sent += MIB
        if (!req.write(chunk)) return req.once('drain', pump)
      }
      if (!done) req.end()
    }
    pump()
  })
}

async function timed(fn) {
  const t0 = performance.now()
  const status = await fn()
  return [status, performance.now() - t0]
}

async function measure(label, main, rounds) {
  const w = await startWeir({ args: [], ...(main ? { main } : {}) })
  try {
    const out = []
    const rss0 = rssMiB(w.pid)
    const small = []
    for (let i = 0; i < rounds; i++) {
      const [status, ms] = await timed(async () => (await fetch(`${w.base}/streams/s${i}`, { method: 'POST', body: SMALL })).status)
      if (status !== 200) throw new Error(`small POST answered ${status}`)
      small.push(ms)
      await fetch(`${w.base}/streams/s${i}`, { method: 'DELETE' })
    }
    out.push([`${label}: small valid POST (baseline)`, median(small), 200, rssMiB(w.pid) - rss0])
    for (const [what, declared] of [['80 MiB body, Content-Length', true], ['80 MiB body, chunked', false]]) {
      progress(`${label}: ${what}`)
      const [status, ms] = await bigPost(w.base, '/streams/big', 80 * MIB, declared)
      out.push([`${label}: ${what}`, ms, status, rssMiB(w.pid) - rss0])
    }
    progress(`${label}: 10,000-deep YAML`)
    const deep = []
    let deepStatus = 0
    for (let i = 0; i < rounds; i++) {
      const [status, ms] = await timed(async () => (await fetch(`${w.base}/streams/deep`, { method: 'POST', body: DEEP })).status)
      deep.push(ms)
      deepStatus = status
    }
    const alive = (await fetch(`${w.base}/ping`).catch(() => undefined))?.status === 200
    out.push([`${label}: 10,000-deep YAML body${alive ? '' : ' (host died)'}`, median(deep), deepStatus, alive ? rssMiB(w.pid) - rss0 : NaN])
    return out
  } finally {
    await w.stop()
  }
}

export async function run({ quick }) {
  const rounds = quick ? 3 : 10
  const rows = await measure('now', undefined, rounds)
  const before = process.env.WEIR_BENCH_BEFORE
  if (before) rows.push(...(await measure('before', before, rounds)))
  const base = rows[0][1]
  const summary = rows.slice(1).filter((r) => r[0].startsWith('now')).map((r) => [`${r[0].slice(5)} ms vs small POST`, r[1].toFixed(1), base.toFixed(1), (r[1] / base).toFixed(2) + 'x'])
  for (const r of rows.filter((x) => x[0].startsWith('now') && x[0].includes('80 MiB'))) summary.push([`${r[0].slice(5)}: RSS growth MiB`, r[3].toFixed(0), '-', '-'])
  return {
    title: `Hostile API bodies (${rounds} rounds for the small and deep bodies)`,
    header: ['request', 'ms', 'status', 'RSS growth MiB'],
    rows: rows.map((r) => [r[0], r[1].toFixed(1), String(r[2]), Number.isNaN(r[3]) ? '-' : r[3].toFixed(0)]),
    summary,
    data: { rows },
  }
}
