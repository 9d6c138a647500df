#!/usr/bin/env node
// `npm run bench [-- <name>...] [--quick]`: runs the scenarios, prints a table per scenario as it
// finishes and a summary of every ratio at the end, and writes the machine, Node version, date,
// per-round values and medians to bench/results/bench-<date>.json. Every ratio is against a
// baseline measured in the same run. A scenario returns { title, header, rows, data, summary? },
// summary being rows of [measure, value, baseline, ratio].
import { readdirSync, mkdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem, platform, arch, loadavg } from 'node:os'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { join } from 'node:path'
import { printTable } from './lib/table.mjs'

const here = fileURLToPath(new URL('.', import.meta.url))
const args = process.argv.slice(2)
const quick = args.includes('--quick')
const wanted = args.filter((a) => !a.startsWith('--'))

const files = readdirSync(join(here, 'scenarios')).filter((f) => f.endsWith('.mjs')).sort()
const scenarios = []
for (const f of files) scenarios.push(await import(pathToFileURL(join(here, 'scenarios', f)).href))
const selected = wanted.length ? scenarios.filter((s) => wanted.includes(s.name)) : scenarios
if (selected.length === 0) {
  console.error(`no scenario named ${wanted.join(', ')}; have: ${scenarios.map((s) => s.name).join(', ')}`)
  process.exit(2)
}

const started = Date.now()
const results = {
  date: new Date().toISOString(),
  node: process.version,
  machine: { platform: platform(), arch: arch(), cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryBytes: totalmem() },
  // Other work on the machine moves absolute numbers (ratios much less): recorded to judge a run.
  loadAverageAtStart: loadavg(),
  quick,
  scenarios: {},
}
let failed = false
const summary = []
for (const s of selected) {
  process.stderr.write(`\n== ${s.name}: ${s.description}${quick ? ' (quick)' : ''}\n`)
  const t0 = Date.now()
  try {
    const r = await s.run({ quick })
    printTable(r.title, r.header, r.rows)
    results.scenarios[s.name] = { seconds: (Date.now() - t0) / 1000, table: { header: r.header, rows: r.rows }, summary: r.summary, data: r.data }
    for (const row of r.summary ?? []) summary.push([s.name, ...row])
  } catch (err) {
    failed = true
    console.error(`scenario ${s.name} failed: ${err.stack ?? err}`)
    results.scenarios[s.name] = { error: String(err) }
    summary.push([s.name, 'FAILED', '-', '-', '-'])
  }
}
results.seconds = (Date.now() - started) / 1000
if (summary.length) {
  const m = results.machine
  printTable(
    `Summary: ${m.cpus} x ${m.cpuModel ?? 'cpu'}, ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB, Node ${results.node}, ${results.date}${quick ? ', --quick' : ''} (${results.seconds.toFixed(0)} s)`,
    ['scenario', 'measure', 'value', 'baseline', 'ratio'],
    summary,
    2,
  )
}
mkdirSync(join(here, 'results'), { recursive: true })
const out = join(here, 'results', `bench-${results.date.replace(/[:.]/g, '-')}.json`)
writeFileSync(out, JSON.stringify(results, null, 2))
console.log(`\nwrote ${out}`)
process.exit(failed ? 1 : 0)
