#!/usr/bin/env node
// Bloblang micro-benchmark: the same transforms as a compiled mapping (generated JavaScript, the
// default, and the closure compiler, WEIR_BLOBLANG_CODEGEN=0) and as hand-written JS, measured in
// interleaved rounds on the same inputs. Every side does the full message round trip a processor
// does (bytes in → parse → transform → serialise → bytes out), so JSON parse and serialise costs
// count on both sides. The ratio is js_time / bloblang_time (1.0 = as fast as hand-written JS;
// the goal for generated code is a geometric mean ≥ 0.8, none below 0.6). Constructs that the
// code generator left to closures are listed per transform.
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
export const description = 'Bloblang mappings (generated code and closures) vs hand-written JS (field moves, arithmetic with if, string methods, filter + map_each)'

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
    name: 'arithmetic + if',
    mapping:
      'root.id = this.id\nroot.total = this.price * this.qty * (1 + this.tax)\nroot.half = this.qty / 2\nroot.older = this.user.age + 10 > 50\nroot.band = if this.qty > 2 { "bulk" } else { "single" }',
    js: (d) => ({ band: d.qty > 2 ? 'bulk' : 'single', half: d.qty / 2, id: d.id, older: d.user.age + 10 > 50, total: d.price * d.qty * (1 + d.tax) }),
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
    name: 'filter + map_each',
    mapping: 'root.id = this.id\nroot.items = this.items.filter(i -> i.qty > 0).map_each(i -> {"sku": i.sku, "cost": i.price * i.qty})',
    js: (d) => ({ id: d.id, items: d.items.filter((i) => i.qty > 0).map((i) => ({ cost: i.price * i.qty, sku: i.sku })) }),
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

function geomean(xs) {
  return Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length)
}

export async function run({ quick = false } = {}) {
  const entry = pathToFileURL(join(here, '..', 'dist', 'src', 'index.js')).href
  const { compileMapping, Message } = await import(entry)
  const inputs = Array.from({ length: 64 }, (_, i) => encoder.encode(JSON.stringify(makeDoc(i))))
  const rounds = quick ? 3 : 7
  const iterations = quick ? 2000 : 10000

  const sides = transforms.map((t) => {
    const generated = compileMapping(t.mapping, { codegen: true })
    const closures = compileMapping(t.mapping, { codegen: false })
    const gen = (bytes) => generated.execMapping([new Message(bytes)], 0).bytes()
    const clo = (bytes) => closures.execMapping([new Message(bytes)], 0).bytes()
    const js = (bytes) => encoder.encode(JSON.stringify(t.js(JSON.parse(decoder.decode(bytes)))))
    // Every side must agree on the output before being timed.
    for (const b of inputs.slice(0, 4)) {
      const y = JSON.stringify(JSON.parse(decoder.decode(js(b))))
      for (const [label, f] of [['generated', gen], ['closures', clo]]) {
        const x = JSON.stringify(JSON.parse(decoder.decode(f(b))))
        if (x !== y) throw new Error(`${t.name} (${label}): outputs differ\n${x}\n${y}`)
      }
    }
    return { name: t.name, fallbacks: generated.compiledForm.fallbacks, fns: { gen, clo, js }, ns: { gen: [], clo: [], js: [] }, ratios: { gen: [], clo: [] } }
  })

  for (const s of sides) for (const f of Object.values(s.fns)) timeIt(f, inputs, iterations / 4)
  // Short chunks, one per side in a rotating order, so that load changes on a shared machine hit
  // every side alike; each chunk triple gives one ratio per mode and the table shows their median.
  const chunk = Math.max(200, Math.floor(iterations / 10))
  const orders = [['gen', 'clo', 'js'], ['js', 'gen', 'clo'], ['clo', 'js', 'gen']]
  for (let r = 0; r < rounds; r++) {
    process.stderr.write(`  round ${r + 1}/${rounds}\n`)
    for (const s of sides) {
      for (let k = 0; k < iterations / chunk; k++) {
        const t = {}
        for (const side of orders[(r + k) % orders.length]) t[side] = timeIt(s.fns[side], inputs, chunk)
        for (const side of ['gen', 'clo', 'js']) s.ns[side].push(t[side])
        s.ratios.gen.push(t.js / t.gen)
        s.ratios.clo.push(t.js / t.clo)
      }
    }
  }

  const us = (xs) => (median(xs) / 1000).toFixed(2)
  const rows = sides.map((s) => [s.name, us(s.ns.gen), us(s.ns.clo), us(s.ns.js), median(s.ratios.gen).toFixed(2), median(s.ratios.clo).toFixed(2), s.fallbacks.length === 0 ? '-' : s.fallbacks.join(', ')])
  const gm = { gen: geomean(sides.map((s) => median(s.ratios.gen))), clo: geomean(sides.map((s) => median(s.ratios.clo))) }
  rows.push(['geometric mean', '', '', '', gm.gen.toFixed(2), gm.clo.toFixed(2), ''])
  const data = Object.fromEntries(
    sides.map((s) => [
      s.name,
      {
        generatedNsPerOp: s.ns.gen,
        closuresNsPerOp: s.ns.clo,
        jsNsPerOp: s.ns.js,
        ratioGenerated: median(s.ratios.gen),
        ratioClosures: median(s.ratios.clo),
        fallbacks: s.fallbacks,
      },
    ]),
  )
  data.geomean = { generated: gm.gen, closures: gm.clo }
  return {
    title: `Bloblang vs hand-written JS (${rounds} rounds × ${iterations} messages in rotating chunks of ${chunk}; ratio = median js/bloblang per chunk; goal: generated geometric mean ≥ 0.8, none < 0.6)`,
    header: ['transform', 'generated µs/msg', 'closures µs/msg', 'js µs/msg', 'ratio generated', 'ratio closures', 'closure fallbacks'],
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
