// HTTP through a stream: POST /bench/echo (http_server -> mapping -> sync_response) against a bare
// node:http echo and a plain Hono echo, interleaved in rounds; ratios are taken within each round.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startProcess, stopProcess, loadgen } from '../lib/procs.mjs'
import { median, fmt, pct } from '../lib/stats.mjs'
import { progress } from '../lib/progress.mjs'

const MAIN = fileURLToPath(new URL('../../dist/src/main.js', import.meta.url))
const STREAM = `input:
  http_server:
    path: /echo
pipeline:
  processors:
    - mapping: root = this
output:
  sync_response: {}
`

export const name = 'http'
export const description = 'HTTP through a stream vs bare node:http and plain Hono echo servers'

export async function run({ quick }) {
  const rounds = quick ? 2 : 5
  const seconds = quick ? 3 : 8
  const connections = 50
  const dir = mkdtempSync(join(tmpdir(), 'weir-bench-'))
  writeFileSync(join(dir, 'bench.yaml'), STREAM)
  const servers = {}
  try {
    progress('starting servers')
    servers.node = await startProcess([fileURLToPath(new URL('../servers/node-echo.mjs', import.meta.url))], /LISTENING (\d+)/)
    servers.hono = await startProcess([fileURLToPath(new URL('../servers/hono-echo.mjs', import.meta.url))], /LISTENING (\d+)/)
    servers.weir = await startProcess(
      [MAIN, 'streams', '--log.level', 'warn', '--set', 'http.address=127.0.0.1:0', join(dir, 'bench.yaml')],
      /Listening for HTTP requests at: http:\/\/127\.0\.0\.1:(\d+)/,
      { env: {} },
    )
    // The logger may print before the stream is ready: wait until it answers.
    const weirUrl = `http://127.0.0.1:${servers.weir.match[1]}/bench/echo`
    for (let i = 0; i < 200; i++) {
      const r = await fetch(weirUrl, { method: 'POST', body: '{}' }).catch(() => undefined)
      if (r?.status === 200) break
      await new Promise((r) => setTimeout(r, 50))
    }
    const urls = {
      node: `http://127.0.0.1:${servers.node.match[1]}/echo`,
      hono: `http://127.0.0.1:${servers.hono.match[1]}/echo`,
      weir: weirUrl,
    }
    progress('warm-up')
    for (const u of Object.values(urls)) await loadgen(u, 1, connections)
    const perRound = []
    for (let r = 0; r < rounds; r++) {
      const round = {}
      // Rotate the order each round so drift hits every variant alike.
      const order = Object.keys(urls).map((k, i, a) => a[(i + r) % a.length])
      for (const k of order) {
        progress(`round ${r + 1}/${rounds}: ${k}`)
        round[k] = await loadgen(urls[k], seconds, connections)
      }
      perRound.push(round)
    }
    const ratio = (k) => median(perRound.map((x) => x[k].rps / x.node.rps))
    const rows = ['node', 'hono', 'weir'].map((k) => [
      k === 'node' ? 'bare node:http echo' : k === 'hono' ? 'plain Hono echo' : 'weir stream (http_server -> mapping -> sync_response)',
      fmt(median(perRound.map((x) => x[k].rps))),
      pct(ratio(k)),
      median(perRound.map((x) => x[k].p99)).toFixed(2),
      String(perRound.reduce((n, x) => n + x[k].errors + x[k].non2xx, 0)),
    ])
    return {
      title: `HTTP echo, ${connections} connections, ${rounds} rounds x ${seconds}s`,
      header: ['variant', 'req/s', 'vs node:http', 'p99 ms', 'failed'],
      rows,
      data: { rounds: perRound, ratios: { hono: ratio('hono'), weir: ratio('weir') } },
    }
  } finally {
    for (const s of Object.values(servers)) await stopProcess(s)
    rmSync(dir, { recursive: true, force: true })
  }
}
