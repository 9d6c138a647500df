// NATS JetStream scale-out: msg/s through nats_jetstream -> mapping -> nats_jetstream with 1, 2 and
// 3 Weir hosts binding one durable pull consumer, against one nats-server on loopback, vs the same
// pipeline as a plain @nats-io client script in one process (same run, same server). Each variant
// gets fresh streams: the messages are published first into a holding stream, the hosts start and
// pull, then the consumer's stream starts sourcing the held messages (server-side copy), and the
// rate is messages over the time from that switch to the last output stored (server timestamp).
// The sourcing rate (switch to the last message copied) is printed too: a variant close to it is
// held back by the server, not by the pipeline. CPU seconds per 1000 messages of the host processes
// (all their threads) and of nats-server show where the work lands; on a machine with fewer cores
// than processes, more hosts cannot add throughput.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { connect } from '@nats-io/transport-node'
import { jetstream, jetstreamManager, AckPolicy } from '@nats-io/jetstream'
import { startWeir, until } from '../lib/weir.mjs'
import { startProcess, stopProcess } from '../lib/procs.mjs'
import { median, fmt, pct } from '../lib/stats.mjs'
import { progress } from '../lib/progress.mjs'
import { freePort, natsServerPath } from '../lib/nats-server.mjs'

export const name = 'nats'
export const description = 'msg/s nats_jetstream -> mapping -> nats_jetstream on 1, 2, 3 Weir hosts sharing one durable consumer vs a plain @nats-io script'

const CLIENT = fileURLToPath(new URL('../lib/nats-client-pipeline.mjs', import.meta.url))
const VARIANTS = ['client', 'weir1', 'weir2', 'weir3']
const LABELS = { client: 'plain @nats-io script, 1 process', weir1: 'Weir, 1 host', weir2: 'Weir, 2 hosts', weir3: 'Weir, 3 hosts' }

/** CPU seconds (user + system) a process used so far, from /proc (Linux; NaN elsewhere). */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return NaN
  }
}

const streamConfig = (url, stream, out) => `input:
  nats_jetstream:
    urls: [ ${url} ]
    stream: ${stream}
    durable: weir
    bind: true
pipeline:
  processors:
    - mapping: |
        root.id = this.id
        root.body = this.body.uppercase()
output:
  nats_jetstream:
    urls: [ ${url} ]
    subject: ${out}
`

export async function run({ quick }) {
  const bin = natsServerPath()
  const rounds = quick ? 1 : 3
  const count = quick ? 5_000 : 20_000
  const port = await freePort()
  const store = mkdtempSync(join(tmpdir(), 'weir-bench-nats-'))
  const server = spawn(bin, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', store], { stdio: 'ignore' })
  const url = `nats://127.0.0.1:${port}`
  let nc
  try {
    nc = await until('nats-server accepting', () => connect({ servers: url }), 30_000, 100)
    const jsm = await jetstreamManager(nc)
    const js = jetstream(nc)
    const perRound = []
    let seq = 0
    for (let r = 0; r < rounds; r++) {
      const round = {}
      const order = VARIANTS.map((_, i, a) => a[(i + r) % a.length])
      for (const v of order) {
        progress(`round ${r + 1}/${rounds}: ${LABELS[v]} (${count} messages)`)
        round[v] = await variant(v, ++seq, { url, jsm, js, count, serverPid: server.pid })
      }
      perRound.push(round)
    }
    const rate = (v) => median(perRound.map((x) => x[v].rate))
    const srcRate = (v) => median(perRound.map((x) => x[v].sourceRate))
    const ratio = (v) => median(perRound.map((x) => x[v].rate / x.client.rate))
    const cpu = (v, k) => median(perRound.map((x) => x[v].cpu[k])).toFixed(3)
    const rows = VARIANTS.map((v) => [
      LABELS[v],
      fmt(rate(v)),
      v === 'client' ? '-' : pct(ratio(v)),
      v.startsWith('weir') ? pct(median(perRound.map((x) => x[v].rate / x.weir1.rate))) : '-',
      fmt(srcRate(v)),
      cpu(v, 'hosts'),
      cpu(v, 'server'),
    ])
    const summary = ['weir1', 'weir2', 'weir3'].map((v) => [`msg/s, ${LABELS[v]} vs plain @nats-io script`, fmt(rate(v)), fmt(rate('client')), pct(ratio(v))])
    return {
      summary,
      title: `NATS JetStream in -> mapping -> out, one nats-server on loopback, ${rounds} round(s) of ${count} messages`,
      header: ['variant', 'msg/s', 'vs script', 'vs 1 host', 'server sourcing msg/s', 'CPU s/1k msg, hosts', 'CPU s/1k msg, server'],
      rows,
      data: { count, rounds: perRound },
    }
  } finally {
    await nc?.close().catch(() => {})
    server.kill('SIGTERM')
    await new Promise((r) => server.once('exit', r))
    rmSync(store, { recursive: true, force: true })
  }
}

async function variant(v, n, { url, jsm, js, count, serverPid }) {
  const pre = `PRE${n}`
  const stream = `IN${n}`
  const outStream = `OUT${n}`
  const outSubject = `out${n}.x`
  // The messages wait in PRE; IN (the consumer's stream) sources them only once every host pulls,
  // so all hosts start together and the publisher's speed is not measured.
  await jsm.streams.add({ name: pre, subjects: [`pre${n}.x`] })
  await jsm.streams.add({ name: stream, subjects: [`in${n}.x`] })
  await jsm.streams.add({ name: outStream, subjects: [outSubject] })
  await jsm.consumers.add(stream, { durable_name: 'weir', ack_policy: AckPolicy.Explicit, ack_wait: 30_000_000_000, max_ack_pending: 4096 })
  const body = JSON.stringify({ body: 'ada lovelace' })
  const window = []
  for (let i = 0; i < count; i++) {
    window.push(js.publish(`pre${n}.x`, `{"id":${i},${body.slice(1)}`))
    if (window.length >= 512) await Promise.all(window.splice(0))
  }
  await Promise.all(window)
  const hosts = v === 'client' ? 1 : Number(v.slice(4))
  const procs = []
  try {
    for (let i = 0; i < hosts; i++) {
      if (v === 'client') procs.push(await startProcess([CLIENT, url, stream, 'weir', outSubject], /ready/))
      else procs.push(await startWeir({ files: { 's.yaml': streamConfig(url, stream, outSubject) } }))
    }
    await until(`${hosts} consumer(s) pulling`, async () => (await jsm.consumers.info(stream, 'weir')).num_waiting >= hosts, 60_000, 50)
    const cfg = (await jsm.streams.info(stream)).config
    const pids = procs.map((p) => p.pid ?? p.proc.pid)
    const cpu0 = { server: cpuSeconds(serverPid), hosts: pids.reduce((a, pid) => a + cpuSeconds(pid), 0), self: process.cpuUsage() }
    const t0 = Date.now()
    await jsm.streams.update(stream, { ...cfg, sources: [{ name: pre }] })
    const sourced = await until('IN holding every message', async () => {
      const s = await jsm.streams.info(stream)
      return s.state.messages >= count ? s : undefined
    }, 600_000, 20)
    const info = await until('every message through', async () => {
      const s = await jsm.streams.info(outStream)
      return s.state.messages >= count ? s : undefined
    }, 600_000, 50)
    const self = process.cpuUsage(cpu0.self)
    // CPU per 1000 messages: which process the work lands on (the bench process only polls).
    const per1k = (sec) => (sec / count) * 1000
    const cpu = {
      server: per1k(cpuSeconds(serverPid) - cpu0.server),
      hosts: per1k(pids.reduce((a, pid) => a + cpuSeconds(pid), 0) - cpu0.hosts),
      bench: per1k((self.user + self.system) / 1e6),
    }
    const lastIn = await jsm.streams.getMessage(stream, { seq: sourced.state.last_seq })
    const last = await jsm.streams.getMessage(outStream, { seq: info.state.last_seq })
    const ms = Math.max(1, last.time.getTime() - t0)
    return { rate: (count / ms) * 1000, ms, sourceRate: (count / Math.max(1, lastIn.time.getTime() - t0)) * 1000, cpu }
  } finally {
    await Promise.all(procs.map((p) => (p.stop ? p.stop() : stopProcess(p))))
    for (const s of [pre, stream, outStream]) await jsm.streams.delete(s).catch(() => {})
  }
}
