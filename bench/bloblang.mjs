#!/usr/bin/env node
// Bloblang micro-benchmark: the same transforms as a compiled mapping and as hand-written JS,
// measured in interleaved rounds on the same inputs. Each side does the full message round trip a
// processor does (bytes in → parse → transform → serialise → bytes out). The ratio is
// js_time / bloblang_time (1.0 = as fast as hand-written JS; the goal is ≥ 0.5).
//
//   node bench/bloblang.mjs [--quick]      (after `npx tsc -p tsconfig.json`)
// Also exports `run({ quick })` for bench/run.mjs-style runners.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { median } from './lib/stats.mjs'
import { printTable } from './lib/table.mjs'

const here = fileURLToPath(new URL('.', import.meta.url))
export const name = 'bloblang'
export const description = 'Bloblang mappings vs hand-written JS (field moves, arithmetic, string methods, map_each)'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

function makeDoc(i) {
  return {
    id: `evt-${i}`,
    type: i % 3 === 0 ? 'order' : 'refund',
    user: { name: `  Ada Lovelace ${i}  `, email: `ada${i}@example.com`, age: 30 + (i % 40) },
    title: `The Quick Brown Fox ${i}`,
    price: 10.5 + (i % 7),
    qty: 1 + (i % 5),
    tax: 0.2,
    tags: ['a', 'b', `t${i % 10}`],
    items: Array.from({ length: 12 }, (_, k) => ({ sku: `sku-${k}`, price: 1.25 * (k + 1), qty: k % 4 })),
  }
}

const transforms = [
  {
    name: 'field moves',
    mapping: 'root.id = this.id\nroot.kind = this.type\nroot.name = this.user.name\nroot.email = this.user.email\nroot.tags = this.tags',
    js: (d) => ({ email: d.user.email, id: d.id, kind: d.type, name: d.user.name, tags: d.tags }),
  },
  {
    name: 'arithmetic',
    mapping: 'root.id = this.id\nroot.total = this.price * this.qty * (1 + this.tax)\nroot.half = this.qty / 2\nroot.older = this.user.age + 10 > 50',
    js: (d) => ({ half: d.qty / 2, id: d.id, older: d.user.age + 10 > 50, total: d.price * d.qty * (1 + d.tax) }),
  },
  {
    name: 'string methods',
    mapping:
      'root.id = this.id\nroot.name = this.user.name.trim().uppercase()\nroot.slug = this.title.lowercase().replace_all(" ", "-")\nroot.domain = this.user.email.split("@").index(1)',
    js: (d) => ({
      domain: d.user.email.split('@')[1],
      id: d.id,
      name: d.user.name.trim().toUpperCase(),
      slug: d.title.toLowerCase().replaceAll(' ', '-'),
    }),
  },
  {
    name: 'map_each',
    mapping: 'root.id = this.id\nroot.items = this.items.map_each(i -> {"sku": i.sku, "cost": i.price * i.qty})',
    js: (d) => ({ id: d.id, items: d.items.map((i) => ({ cost: i.price * i.qty, sku: i.sku })) }),
  },
]

function timeIt(fn, inputs, iterations) {
  const start = process.hrtime.bigint()
  let sink = 0
  for (let i = 0; i < iterations; i++) sink += fn(inputs[i % inputs.length]).length
  const ns = Number(process.hrtime.bigint() - start)
  if (sink < 0) console.log(sink)
  return ns / iterations
}

export async function run({ quick = false } = {}) {
  const entry = pathToFileURL(join(here, '..', 'dist', 'src', 'index.js')).href
  const { compileMapping, Message } = await import(entry)
  const inputs = Array.from({ length: 64 }, (_, i) => encoder.encode(JSON.stringify(makeDoc(i))))
  const rounds = quick ? 3 : 7
  const iterations = quick ? 2000 : 10000

  const sides = transforms.map((t) => {
    const mapping = compileMapping(t.mapping)
    const blobl = (bytes) => mapping.execMapping([new Message(bytes)], 0).bytes()
    const js = (bytes) => encoder.encode(JSON.stringify(t.js(JSON.parse(decoder.decode(bytes)))))
    // Both sides must agree on the output before being timed.
    for (const b of inputs.slice(0, 4)) {
      const x = JSON.parse(decoder.decode(blobl(b)))
      const y = JSON.parse(decoder.decode(js(b)))
      if (JSON.stringify(x) !== JSON.stringify(y)) throw new Error(`${t.name}: outputs differ\n${JSON.stringify(x)}\n${JSON.stringify(y)}`)
    }
    return { name: t.name, blobl, js, blNs: [], jsNs: [], ratios: [] }
  })

  for (const s of sides) {
    timeIt(s.blobl, inputs, iterations / 4)
    timeIt(s.js, inputs, iterations / 4)
  }
  // Short paired chunks (alternating which side goes first) so that load changes on a shared
  // machine hit both sides alike; each pair gives one ratio and the table shows their median.
  const chunk = Math.max(200, Math.floor(iterations / 10))
  for (let r = 0; r < rounds; r++) {
    for (const s of sides) {
      for (let k = 0; k < iterations / chunk; k++) {
        let bl, js
        if ((r + k) % 2 === 0) {
          bl = timeIt(s.blobl, inputs, chunk)
          js = timeIt(s.js, inputs, chunk)
        } else {
          js = timeIt(s.js, inputs, chunk)
          bl = timeIt(s.blobl, inputs, chunk)
        }
        s.blNs.push(bl)
        s.jsNs.push(js)
        s.ratios.push(js / bl)
      }
    }
  }

  const rows = sides.map((s) => {
    const bl = median(s.blNs)
    const js = median(s.jsNs)
    return [s.name, (bl / 1000).toFixed(2), (js / 1000).toFixed(2), median(s.ratios).toFixed(2)]
  })
  const data = Object.fromEntries(
    sides.map((s) => [s.name, { bloblangNsPerOp: s.blNs, jsNsPerOp: s.jsNs, pairedRatios: s.ratios, ratio: median(s.ratios) }]),
  )
  return {
    title: `Bloblang vs hand-written JS (${rounds} rounds × ${iterations} messages in paired chunks of ${chunk}; ratio = median js/bloblang per pair, goal ≥ 0.5)`,
    header: ['transform', 'bloblang µs/msg', 'js µs/msg', 'ratio'],
    rows,
    data,
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.argv.includes('--quick')
  const r = await run({ quick })
  printTable(r.title, r.header, r.rows)
  const date = new Date().toISOString()
  mkdirSync(join(here, 'results'), { recursive: true })
  const out = join(here, 'results', `bloblang-${date.replace(/[:.]/g, '-')}.json`)
  writeFileSync(out, JSON.stringify({ date, node: process.version, quick, ...r }, null, 2))
  console.log(`\nwrote ${out}`)
}
