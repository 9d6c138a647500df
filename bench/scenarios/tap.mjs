// The live tap's cost: pipeline msg/s (generate without interval -> 2 mappings -> drop) of a stream
// nobody ever tapped, one tapped and released again (its slots back to off), and one with a tap
// client reading `processor:0` throughout. Each variant is a fresh Weir process; rate = input
// messages counted by the stream's own /stats over a window. Interleaved rounds; ratios against the
// never-tapped stream of the same round. `WEIR_BENCH_BEFORE=/path/to/dist/src/main.js` adds a
// build without taps (a checkout before them), never tapped: the price of the slot reads themselves.
import { startWeir, until } from '../lib/weir.mjs'
import { median, fmt, pct } from '../lib/stats.mjs'
import { progress } from '../lib/progress.mjs'

const STREAM = `input:
  generate:
    interval: ""
    mapping: 'root = {"id": counter(), "name": "ada lovelace", "score": 41}'
pipeline:
  processors:
    - mapping: 'root = this.merge({"name": this.name.uppercase()})'
    - mapping: 'root.score = this.score + 1'
output:
  drop: {}
`

const LABELS = {
  never: 'never tapped',
  released: 'tapped on every point, then released',
  tapped: 'tap client on processor:0 (50 events/s)',
  before: 'build without taps (WEIR_BENCH_BEFORE)',
}

export const name = 'tap'
export const description = 'pipeline msg/s with a tap client, after one left, and never tapped'

export async function run({ quick }) {
  const rounds = quick ? 2 : 4
  const windowMs = quick ? 2000 : 4000
  const before = process.env.WEIR_BENCH_BEFORE
  const keys = Object.keys(LABELS).filter((k) => k !== 'before' || before)
  const perRound = []
  for (let r = 0; r < rounds; r++) {
    const round = {}
    for (const k of keys.map((_, i, a) => a[(i + r) % a.length])) {
      progress(`round ${r + 1}/${rounds}: ${k}`)
      round[k] = await measure(k, windowMs, k === 'before' ? before : undefined)
    }
    perRound.push(round)
  }
  const ratio = (k) => median(perRound.map((x) => x[k] / x.never))
  const rate = (k) => fmt(median(perRound.map((x) => x[k])))
  return {
    title: `Tap cost, ${rounds} rounds, ${windowMs / 1000}s windows (generate -> 2 mappings -> drop)`,
    header: ['variant', 'msg/s', 'vs never tapped'],
    rows: keys.map((k) => [LABELS[k], rate(k), pct(ratio(k))]),
    summary: keys.filter((k) => k !== 'never').map((k) => [`msg/s, ${LABELS[k]} vs never tapped`, rate(k), rate('never'), pct(ratio(k))]),
    data: { rounds: perRound, windowMs },
  }
}

async function measure(kind, windowMs, main) {
  const w = await startWeir({ files: { 'gen.yaml': STREAM }, ...(main ? { main } : {}) })
  const taps = []
  try {
    const received = async () => {
      const stats = await (await fetch(`${w.base}/streams/gen/stats`)).json()
      let n = 0
      for (const [k, v] of Object.entries(stats)) if (k.startsWith('input_received{') && k.includes('path="root.input"')) n += v
      return { n, at: performance.now(), taps: stats.taps ?? [] }
    }
    await until('the stream to run', async () => (await received()).n > 0, 60000)
    if (kind === 'released') {
      for (const p of ['input', 'processor:0', 'processor:1', 'output']) taps.push(await openTap(w.base, p))
      await new Promise((r) => setTimeout(r, 1000))
      for (const t of taps.splice(0)) t.abort()
      await until('the worker to stop sampling', async () => (await received()).taps.length === 0, 60000)
    }
    if (kind === 'tapped') {
      taps.push(await openTap(w.base, 'processor:0'))
      await until('the worker to sample', async () => (await received()).taps.length === 1, 60000)
    }
    // Warm-up: the JIT settles before the window opens.
    await new Promise((r) => setTimeout(r, 1000))
    const a = await received()
    await new Promise((r) => setTimeout(r, windowMs))
    const b = await received()
    return ((b.n - a.n) * 1000) / (b.at - a.at)
  } finally {
    for (const t of taps) t.abort()
    await w.stop()
  }
}

/** Opens a tap and reads (and drops) its events until aborted. */
async function openTap(base, point) {
  const abort = new AbortController()
  const res = await fetch(`${base}/streams/gen/tap?point=${point}&rate=50`, { signal: abort.signal })
  if (res.status !== 200) throw new Error(`tap ${point}: ${res.status} ${await res.text()}`)
  void (async () => {
    try {
      for await (const _ of res.body) {
        /* drained */
      }
    } catch {
      /* aborted */
    }
  })()
  return abort
}
