// HTTP through a stream: POST /bench/echo (http_server -> mapping -> sync_response) against a bare
// node:http echo and a plain Hono echo, interleaved in rounds; ratios are taken within each round.
// BENCH_HTTP_ROUNDS and BENCH_HTTP_SECONDS change the full run's 5 rounds of 8 s per server.
import { fileURLToPath } from 'node:url'
import { startProcess, stopProcess, loadgen } from '../lib/procs.mjs'
import { startWeir, until, cpuMsOf } from '../lib/weir.mjs'
import { median, fmt, pct } from '../lib/stats.mjs'
import { progress } from '../lib/progress.mjs'

const STREAM = `input:
  http_server:
    path: /echo
pipeline:
  processors:
    - mapping: root = this
output:
  sync_response: {}
`
// The same endpoint with no processor: what the stream's own path costs, apart from the mapping's
// JSON parse and serialise (which the hop's echo worker does not do).
const BARE_STREAM = `input:
  http_server:
    path: /echo
output:
  sync_response: {}
`

const LABELS = {
  node: 'bare node:http echo',
  hop: 'node:http + one worker hop',
  hopJson: 'node:http + worker hop + root = this by hand (JSON parse, sorted serialise)',
  hono: 'plain Hono echo',
  weir: 'weir stream (http_server -> mapping -> sync_response)',
  weirBare: 'weir stream, no processor (http_server -> sync_response)',
}

export const name = 'http'
export const description = 'HTTP through a stream vs bare node:http and plain Hono echo servers'

export async function run({ quick }) {
  const rounds = quick ? 2 : Number(process.env.BENCH_HTTP_ROUNDS ?? 5)
  const seconds = quick ? 2 : Number(process.env.BENCH_HTTP_SECONDS ?? 8)
  const connections = 50
  const servers = {}
  try {
    progress('starting servers')
    servers.node = await startProcess([fileURLToPath(new URL('../servers/node-echo.mjs', import.meta.url))], /LISTENING (\d+)/)
    servers.hop = await startProcess([fileURLToPath(new URL('../servers/node-hop-echo.mjs', import.meta.url))], /LISTENING (\d+)/)
    servers.hopJson = await startProcess([fileURLToPath(new URL('../servers/node-hop-echo.mjs', import.meta.url)), '--json'], /LISTENING (\d+)/)
    servers.hono = await startProcess([fileURLToPath(new URL('../servers/hono-echo.mjs', import.meta.url))], /LISTENING (\d+)/)
    const weir = await startWeir({ files: { 'bench.yaml': STREAM } })
    servers.weir = weir
    const weirUrl = `${weir.base}/bench/echo`
    await until('the bench stream to answer', async () => (await fetch(weirUrl, { method: 'POST', body: '{}' })).status === 200)
    const weirBare = await startWeir({ files: { 'bench.yaml': BARE_STREAM } })
    servers.weirBare = weirBare
    const weirBareUrl = `${weirBare.base}/bench/echo`
    await until('the bare bench stream to answer', async () => (await fetch(weirBareUrl, { method: 'POST', body: '{}' })).status === 200)
    const urls = {
      node: `http://127.0.0.1:${servers.node.match[1]}/echo`,
      hop: `http://127.0.0.1:${servers.hop.match[1]}/echo`,
      hopJson: `http://127.0.0.1:${servers.hopJson.match[1]}/echo`,
      hono: `http://127.0.0.1:${servers.hono.match[1]}/echo`,
      weir: weirUrl,
      weirBare: weirBareUrl,
    }
    progress('warm-up')
    for (const u of Object.values(urls)) await loadgen(u, quick ? 0.5 : 1, connections)
    const perRound = []
    for (let r = 0; r < rounds; r++) {
      const round = {}
      // Rotate the order each round so drift hits every variant alike.
      const order = Object.keys(urls).map((k, i, a) => a[(i + r) % a.length])
      for (const k of order) {
        progress(`round ${r + 1}/${rounds}: ${k}`)
        const pid = k.startsWith('weir') ? servers[k].pid : servers[k].proc.pid
        const cpu0 = cpuMsOf(pid)
        const res = await loadgen(urls[k], seconds, connections)
        // Server CPU (every thread) per request: steadier than req/s when other work shares the cores.
        res.cpuUsPerReq = ((cpuMsOf(pid) - cpu0) * 1000) / res.requests
        round[k] = res
      }
      perRound.push(round)
    }
    const ratio = (k, base = 'node') => median(perRound.map((x) => x[k].rps / x[base].rps))
    // The median and the spread of the per-round ratios: on a shared machine one round can lose
    // a third of its rate, and the spread says how far a run's median can be trusted.
    const ratioSpread = (k, base) => {
      const r = perRound.map((x) => x[k].rps / x[base].rps)
      return `${pct(median(r))} (rounds ${pct(Math.min(...r))}-${pct(Math.max(...r))})`
    }
    const rows = Object.keys(LABELS).map((k) => [
      LABELS[k],
      fmt(median(perRound.map((x) => x[k].rps))),
      pct(ratio(k)),
      median(perRound.map((x) => x[k].p99)).toFixed(2),
      median(perRound.map((x) => x[k].cpuUsPerReq)).toFixed(1),
      String(perRound.reduce((n, x) => n + x[k].errors + x[k].non2xx, 0)),
    ])
    const med = (k, f) => median(perRound.map((x) => f(x[k])))
    const cpuRatio = (k) => median(perRound.map((x) => x[k].cpuUsPerReq / x.node.cpuUsPerReq))
    const summary = [
      ['req/s, weir stream vs bare node:http (goal >= 75%)', fmt(med('weir', (x) => x.rps)), fmt(med('node', (x) => x.rps)), pct(ratio('weir'))],
      ['req/s, plain Hono vs bare node:http', fmt(med('hono', (x) => x.rps)), fmt(med('node', (x) => x.rps)), pct(ratio('hono'))],
      ['req/s, node:http + worker hop vs bare', fmt(med('hop', (x) => x.rps)), fmt(med('node', (x) => x.rps)), pct(ratio('hop'))],
      // Issue 14's goals: within 5 % of the design's floor, and never below plain Hono.
      ['req/s, weir stream vs node:http + worker hop (goal >= 95%)', fmt(med('weir', (x) => x.rps)), fmt(med('hop', (x) => x.rps)), ratioSpread('weir', 'hop')],
      ['req/s, weir stream vs plain Hono (goal >= 100%)', fmt(med('weir', (x) => x.rps)), fmt(med('hono', (x) => x.rps)), ratioSpread('weir', 'hono')],
      // Where the rest of the gap lies: the stream's path without the mapping against the same
      // floor, and the stream against a hop that does the mapping's JSON work by hand.
      ['req/s, weir stream without the mapping vs worker hop', fmt(med('weirBare', (x) => x.rps)), fmt(med('hop', (x) => x.rps)), ratioSpread('weirBare', 'hop')],
      ['req/s, weir stream vs worker hop + root = this by hand', fmt(med('weir', (x) => x.rps)), fmt(med('hopJson', (x) => x.rps)), ratioSpread('weir', 'hopJson')],
      ['p99 ms, weir stream vs bare node:http', med('weir', (x) => x.p99).toFixed(1), med('node', (x) => x.p99).toFixed(1), (med('weir', (x) => x.p99) / med('node', (x) => x.p99)).toFixed(2) + 'x'],
      ['server CPU µs/req, weir vs bare node:http', med('weir', (x) => x.cpuUsPerReq).toFixed(1), med('node', (x) => x.cpuUsPerReq).toFixed(1), cpuRatio('weir').toFixed(2) + 'x'],
    ]
    return {
      summary,
      title: `HTTP echo, ${connections} connections, ${rounds} rounds x ${seconds}s`,
      header: ['variant', 'req/s', 'vs node:http', 'p99 ms', 'server CPU µs/req', 'failed'],
      rows,
      data: {
        connections,
        seconds,
        rounds: perRound,
        ratios: { hop: ratio('hop'), hono: ratio('hono'), weir: ratio('weir'), hopJson: ratio('hopJson'), weirBare: ratio('weirBare'), weirVsHopJson: ratio('weir', 'hopJson'), weirVsHop: ratio('weir', 'hop'), weirVsHono: ratio('weir', 'hono'), weirBareVsHop: ratio('weirBare', 'hop') },
        cpuRatios: Object.fromEntries(['hop', 'hopJson', 'hono', 'weir', 'weirBare'].map((k) => [k, median(perRound.map((x) => x[k].cpuUsPerReq / x.node.cpuUsPerReq))])),
      },
    }
  } finally {
    for (const [k, s] of Object.entries(servers)) await (k.startsWith('weir') ? s.stop() : stopProcess(s))
  }
}
