// The metrics scenario's baseline: a prom-client registry mirroring a Weir exposition (same
// families, label sets and values), and the CPU time of the calling thread.
import { existsSync, readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import promClient from 'prom-client'

/** Observations per summary series, as the idle streams' message count. */
export const MESSAGES = 300

const SCHEDSTAT = '/proc/thread-self/schedstat'
const haveSchedstat = existsSync(SCHEDSTAT)

/** CPU time of the calling thread in ns (Linux); event-loop active time elsewhere. */
export function threadCpuNs() {
  if (haveSchedstat) return Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0])
  return performance.eventLoopUtilization().active * 1e6
}

/** A prom-client registry with the same families, label sets and values as a Weir exposition. */
export function mirror(text) {
  const registry = new promClient.Registry()
  const families = new Map()
  let current
  for (const line of text.split('\n')) {
    if (!line) continue
    const type = /^# TYPE (\S+) (\S+)$/.exec(line)
    if (type) {
      current = { type: type[2], series: new Map() }
      families.set(type[1], current)
      continue
    }
    if (line.startsWith('#')) continue
    const m = /^([^{ ]+)(?:\{(.*)\})? (\S+)$/.exec(line)
    const labels = {}
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) if (k !== 'quantile') labels[k] = v
    const key = JSON.stringify(labels)
    const s = current.series.get(key) ?? { labels, value: 0, count: 0, sum: 0 }
    current.series.set(key, s)
    if (m[1].endsWith('_count')) s.count = Number(m[3])
    else if (m[1].endsWith('_sum')) s.sum = Number(m[3])
    else s.value = Number(m[3])
  }
  for (const [name, f] of families) {
    const first = [...f.series.values()][0]
    const labelNames = Object.keys(first?.labels ?? {})
    const opts = { name, help: 'mirror', labelNames, registers: [registry] }
    if (f.type === 'summary') {
      const m = new promClient.Summary({ ...opts, percentiles: [0.5, 0.9, 0.99] })
      for (const s of f.series.values()) {
        const mean = s.count ? s.sum / s.count : 0
        if (s.count === 0) m.labels(s.labels)
        for (let i = 0; i < Math.min(s.count, MESSAGES); i++) m.observe(s.labels, mean * (0.5 + (i % 10) / 10))
      }
    } else {
      const m = f.type === 'counter' ? new promClient.Counter(opts) : new promClient.Gauge(opts)
      for (const s of f.series.values()) {
        if (f.type === 'counter') m.inc(s.labels, s.value)
        else m.set(s.labels, s.value)
      }
    }
  }
  return registry
}
