#!/usr/bin/env node
// `npm run bench [-- <name>...] [--quick]`: runs the scenarios, prints a table per scenario and
// writes every per-round value to bench/results/<date>.json. Every figure is a ratio against a
// baseline measured in the same run.
import { readdirSync, mkdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem, platform, arch } from 'node:os'
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

const results = {
  date: new Date().toISOString(),
  node: process.version,
  machine: { platform: platform(), arch: arch(), cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryBytes: totalmem() },
  quick,
  scenarios: {},
}
let failed = false
for (const s of selected) {
  process.stderr.write(`\n== ${s.name}: ${s.description}${quick ? ' (quick)' : ''}\n`)
  const started = Date.now()
  try {
    const r = await s.run({ quick })
    printTable(r.title, r.header, r.rows)
    results.scenarios[s.name] = { seconds: (Date.now() - started) / 1000, table: { header: r.header, rows: r.rows }, data: r.data }
  } catch (err) {
    failed = true
    console.error(`scenario ${s.name} failed: ${err.stack ?? err}`)
    results.scenarios[s.name] = { error: String(err) }
  }
}
mkdirSync(join(here, 'results'), { recursive: true })
const out = join(here, 'results', `bench-${results.date.replace(/[:.]/g, '-')}.json`)
writeFileSync(out, JSON.stringify(results, null, 2))
console.log(`\nwrote ${out}`)
process.exit(failed ? 1 : 0)
