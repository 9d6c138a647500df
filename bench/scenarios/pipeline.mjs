// Pipeline throughput: generate (no interval) -> mapping -> drop in a Weir stream, against the same
// transform hand-written in one thread, and with batches: the stream with `batch_size: 256`, the
// hand-written pipeline passing batches of 256 across a worker boundary. Interleaved rounds; ratios
// against the one-thread baseline of the same round.
import { fileURLToPath } from 'node:url'
import { spawn } from 'node:child_process'
import { finishRate } from '../lib/weir.mjs'
import { median, fmt, pct } from '../lib/stats.mjs'
import { progress } from '../lib/progress.mjs'

const BASELINE = fileURLToPath(new URL('../lib/handwritten-pipeline.mjs', import.meta.url))

const stream = (count, batchSize) => `input:
  generate:
    interval: ""
    count: ${count}
    batch_size: ${batchSize}
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

const LABELS = {
  hand: 'hand-written, one thread (JSON in/out)',
  handBatch: 'hand-written, batches of 256 to a worker',
  weir: 'weir stream, batch_size 1',
  weirBatch: 'weir stream, batch_size 256',
}

export const name = 'pipeline'
export const description = 'generate -> mapping -> drop msg/s vs the same transform hand-written'

export async function run({ quick }) {
  const rounds = quick ? 2 : 5
  const seconds = quick ? 1 : 4
  // Counts sized for a few seconds per run on a small machine; the rate, not the count, is compared.
  const counts = quick ? { weir: 100_000, weirBatch: 300_000 } : { weir: 600_000, weirBatch: 1_500_000 }
  const perRound = []
  for (let r = 0; r < rounds; r++) {
    const round = {}
    const order = Object.keys(LABELS).map((k, i, a) => a[(i + r) % a.length])
    for (const k of order) {
      progress(`round ${r + 1}/${rounds}: ${k}`)
      if (k === 'hand') round[k] = await handwritten(['one-thread', String(seconds)])
      else if (k === 'handBatch') round[k] = await handwritten(['two-threads', String(seconds), '256'])
      else round[k] = await weirRun(counts[k], k === 'weirBatch' ? 256 : 1)
    }
    perRound.push(round)
  }
  const ratio = (k) => median(perRound.map((x) => x[k].rate / x.hand.rate))
  const rows = Object.keys(LABELS).map((k) => [LABELS[k], fmt(median(perRound.map((x) => x[k].rate))), pct(ratio(k))])
  const rate = (k) => fmt(median(perRound.map((x) => x[k].rate)))
  const summary = ['weir', 'weirBatch', 'handBatch'].map((k) => [`msg/s, ${LABELS[k]} vs hand-written one thread`, rate(k), rate('hand'), pct(ratio(k))])
  return {
    summary,
    title: `Pipeline throughput, ${rounds} rounds (hand-written: ${seconds}s runs)`,
    header: ['variant', 'msg/s', 'vs one thread'],
    rows,
    data: { rounds: perRound, ratios: Object.fromEntries(Object.keys(LABELS).map((k) => [k, ratio(k)])) },
  }
}

/** Runs a stream that generates `count` messages; rate = count / (ready -> "stream finished"). */
function weirRun(count, batchSize) {
  return finishRate(count, { files: { 'gen.yaml': stream(count, batchSize) } })
}

function handwritten(args) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [BASELINE, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    proc.stdout.setEncoding('utf8').on('data', (d) => (out += d))
    proc.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`hand-written pipeline failed (${code})`))))
  })
}
