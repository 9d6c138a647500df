#!/usr/bin/env node
// Cost of the shared server's route lookup (RouteTable.match, src/http's Router) per request, for
// an exact path, a `{name}` template and a miss, with 40 exact routes and one template registered
// as 20 streams would. The proxy runs it for every request, so an exact path must stay one Map
// lookup that allocates nothing: the tool counts the scavenges seen during the exact-path loop
// (0 means no per-match allocation). Build first (`npm run build`), then:
//   node bench/tools/route-match.mjs [matches=5000000]
import { PerformanceObserver, constants } from 'node:perf_hooks'
import { pathToFileURL, fileURLToPath } from 'node:url'
import { join } from 'node:path'

const dist = (p) => pathToFileURL(join(fileURLToPath(new URL('../../dist', import.meta.url)), p)).href
const { RouteTable } = await import(dist('src/api/route-table.js'))

const n = Number(process.argv[2] ?? 5_000_000)
const table = new RouteTable()
for (let i = 0; i < 20; i++) {
  table.set(`/s${i}/post`, { stream: `s${i}`, endpoint: '/post', description: '', live: true })
  table.set(`/s${i}/ready`, { stream: `s${i}`, endpoint: '/ready', description: '', live: true })
}
table.set('/t/items/{id}', { stream: 't', endpoint: '/items/{id}', description: '', live: true })

let scavenges = 0
const gc = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges++
})

const rows = []
for (const [name, path] of [['exact', '/s7/post'], ['template', '/t/items/42'], ['miss', '/streams/x']]) {
  for (let i = 0; i < 200_000; i++) table.match(path)
  if (name === 'exact') gc.observe({ entryTypes: ['gc'] })
  let hits = 0
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < n; i++) if (table.match(path) !== undefined) hits++
  const ns = Number(process.hrtime.bigint() - t0) / n
  // gc entries are delivered later, on a timer: let them in before reading the count.
  await new Promise((r) => setTimeout(r, 100))
  if (name === 'exact') gc.disconnect()
  rows.push({ path: name, 'ns/match': ns.toFixed(1), hit: hits === n, ...(name === 'exact' ? { scavenges } : {}) })
}
console.table(rows)
