// Shared resources from a stream: one cache get and one rate-limit access per message cross to the
// main thread (where the host-wide instance lives) and back. msg/s of generate -> [resource
// processor] -> drop against the same stream without it, interleaved rounds; the difference in
// time per message is the cost of one access in µs.
import { finishRate } from '../lib/weir.mjs'
import { median, fmt, pct } from '../lib/stats.mjs'
import { progress } from '../lib/progress.mjs'

const RESOURCES = `cache_resources:
  - label: c
    memory:
      init_values:
        k: cached value
rate_limit_resources:
  - label: rl
    local:
      count: 1000000000
      interval: 1s
`

const STEPS = {
  base: `    - mapping: 'root = content()'`,
  cache: `    - cache:
        resource: c
        operator: get
        key: k`,
  rateLimit: `    - rate_limit:
        resource: rl`,
}

const stream = (count, step) => `input:
  generate:
    interval: ""
    count: ${count}
    mapping: 'root = "m"'
pipeline:
  processors:
${step}
output:
  drop: {}
`

const LABELS = { base: 'no resource (mapping only)', cache: 'cache get per message', rateLimit: 'rate limit access per message' }

export const name = 'resources'
export const description = 'msg/s through a stream using a host-wide cache / rate limit vs one that does not; µs per access'

export async function run({ quick }) {
  const rounds = quick ? 2 : 5
  const count = quick ? 10_000 : 60_000
  const perRound = []
  for (let r = 0; r < rounds; r++) {
    const round = {}
    const order = Object.keys(LABELS).map((k, i, a) => a[(i + r) % a.length])
    for (const k of order) {
      progress(`round ${r + 1}/${rounds}: ${k}`)
      round[k] = await weirRun(count, STEPS[k])
    }
    perRound.push(round)
  }
  const rate = (k) => median(perRound.map((x) => x[k].rate))
  // Extra time per message over the base stream of the same round = one access's round trip.
  const micros = (k) => median(perRound.map((x) => (1 / x[k].rate - 1 / x.base.rate) * 1e6))
  const ratio = (k) => median(perRound.map((x) => x[k].rate / x.base.rate))
  const rows = Object.keys(LABELS).map((k) => [LABELS[k], fmt(rate(k)), pct(ratio(k)), k === 'base' ? '-' : micros(k).toFixed(1)])
  for (const k of ['cache', 'rateLimit']) {
    if (!(ratio(k) < 1)) throw new Error(`${k}: a stream with a resource access per message was not slower than one without (ratio ${ratio(k)}); the measurement is not telling them apart`)
  }
  const summary = ['cache', 'rateLimit'].map((k) => [`msg/s, ${LABELS[k]} vs none (µs/access ${micros(k).toFixed(1)})`, fmt(rate(k)), fmt(rate('base')), pct(ratio(k))])
  return {
    summary,
    title: `Host-wide resources from a stream, ${rounds} rounds of ${count} messages`,
    header: ['variant', 'msg/s', 'vs none', 'µs per access'],
    rows,
    data: { rounds: perRound, microsPerAccess: { cache: micros('cache'), rateLimit: micros('rateLimit') } },
  }
}

function weirRun(count, step) {
  return finishRate(count, { files: { 'res.yaml': RESOURCES, 'streams/s.yaml': stream(count, step) }, args: ['-r', '{dir}/res.yaml', '{dir}/streams'] })
}
