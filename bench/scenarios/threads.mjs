// pipeline.threads: msg/s of one stream with a CPU-bound mapping (a loop of string work per
// message) run with `threads: 1` (the stream's own thread) against `threads: 2` (a piscina pool of
// two threads), and the same for a light mapping, where the pool's copying costs more than it buys.
// Interleaved rounds; the ratio is threads 2 over threads 1 of the same round.
import { finishRate } from '../lib/weir.mjs'
import { median, fmt, pct } from '../lib/stats.mjs'
import { progress } from '../lib/progress.mjs'

const HEAVY = `root.id = this.id
        root.h = range(0, 400).fold("", t -> (t.tally + t.value.string()).hash("sha256").encode("hex").slice(0, 16))`
const LIGHT = `root.id = this.id
        root.name = this.name.uppercase()`

const stream = (count, threads, mapping) => `input:
  generate:
    interval: ""
    count: ${count}
    batch_size: 16
    mapping: 'root = {"id": counter(), "name": "ada lovelace"}'
pipeline:
  threads: ${threads}
  processors:
    - mapping: |
        ${mapping}
output:
  drop: {}
`

export const name = 'threads'
export const description = 'pipeline.threads 1 vs 2 (piscina pool) on a CPU-bound and a light mapping'

export async function run({ quick }) {
  const rounds = quick ? 2 : 4
  const counts = quick ? { heavy: 4_000, light: 60_000 } : { heavy: 20_000, light: 300_000 }
  const perRound = []
  for (let r = 0; r < rounds; r++) {
    const round = {}
    const order = r % 2 === 0 ? [1, 2] : [2, 1]
    for (const kind of ['heavy', 'light']) {
      for (const threads of order) {
        progress(`round ${r + 1}/${rounds}: ${kind} mapping, threads ${threads}`)
        round[`${kind}${threads}`] = await weirRun(counts[kind], threads, kind === 'heavy' ? HEAVY : LIGHT)
      }
    }
    perRound.push(round)
  }
  const rate = (k) => median(perRound.map((x) => x[k].rate))
  const ratio = (kind) => median(perRound.map((x) => x[`${kind}2`].rate / x[`${kind}1`].rate))
  const rows = [
    ['CPU-bound mapping, threads 1', fmt(rate('heavy1')), '-'],
    ['CPU-bound mapping, threads 2 (pool)', fmt(rate('heavy2')), pct(ratio('heavy'))],
    ['light mapping, threads 1', fmt(rate('light1')), '-'],
    ['light mapping, threads 2 (pool)', fmt(rate('light2')), pct(ratio('light'))],
  ]
  return {
    title: `pipeline.threads, ${rounds} rounds, batches of 16`,
    header: ['variant', 'msg/s', 'vs threads 1'],
    rows,
    summary: [
      ['msg/s, CPU-bound mapping, threads 2 vs 1', fmt(rate('heavy2')), fmt(rate('heavy1')), pct(ratio('heavy'))],
      ['msg/s, light mapping, threads 2 vs 1', fmt(rate('light2')), fmt(rate('light1')), pct(ratio('light'))],
    ],
    data: { rounds: perRound },
  }
}

function weirRun(count, threads, mapping) {
  return finishRate(count, { files: { 'gen.yaml': stream(count, threads, mapping) } })
}
