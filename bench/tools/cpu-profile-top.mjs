#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function, heaviest first,
// and the share of samples under a few frames of interest (inclusive time).
//   node bench/tools/cpu-profile-top.mjs <file.cpuprofile> [top=25] [frame-substring...]
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'

const [file, topArg = '25', ...focus] = process.argv.slice(2)
if (!file) {
  console.error('usage: cpu-profile-top.mjs <file.cpuprofile> [top] [frame-substring...]')
  process.exit(2)
}
const prof = JSON.parse(readFileSync(file, 'utf8'))
const byId = new Map(prof.nodes.map((n) => [n.id, n]))
const parent = new Map()
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id)

// Sample counts per node; time per sample is the profile's mean interval.
const hits = new Map()
for (const s of prof.samples) hits.set(s, (hits.get(s) ?? 0) + 1)
const total = prof.samples.length
const usPerSample = (prof.endTime - prof.startTime) / Math.max(1, total)

const label = (n) => {
  const f = n.callFrame
  const where = f.url ? `${relative(process.cwd(), f.url.replace(/^file:\/\//, ''))}:${f.lineNumber + 1}` : ''
  return `${f.functionName || '(anonymous)'} ${where}`.trim()
}

const self = new Map()
for (const [id, h] of hits) {
  const k = label(byId.get(id))
  self.set(k, (self.get(k) ?? 0) + h)
}
const idle = [...hits].filter(([id]) => byId.get(id).callFrame.functionName === '(idle)').reduce((a, [, h]) => a + h, 0)
console.log(`${file}: ${total} samples, ${(total * usPerSample / 1000).toFixed(0)} ms, busy ${(((total - idle) / total) * 100).toFixed(1)} %`)
console.log('\nself time (% of busy samples)')
for (const [k, h] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg))) {
  if (k.startsWith('(idle)')) continue
  console.log(`${((h / (total - idle)) * 100).toFixed(1).padStart(5)} %  ${k}`)
}

// Inclusive time per function label (a frame counted once per sample even when recursive).
const incl = new Map()
for (const [id, h] of hits) {
  const seen = new Set()
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = label(byId.get(cur))
    if (seen.has(k)) continue
    seen.add(k)
    incl.set(k, (incl.get(k) ?? 0) + h)
  }
}
console.log('\ninclusive time, top (% of busy samples)')
for (const [k, h] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg))) {
  if (k.startsWith('(idle)') || k.startsWith('(root)')) continue
  console.log(`${((h / (total - idle)) * 100).toFixed(1).padStart(5)} %  ${k}`)
}

if (focus.length) {
  console.log('\ninclusive time (% of busy samples)')
  for (const needle of focus) {
    let n = 0
    for (const [id, h] of hits) {
      for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
        if (label(byId.get(cur)).includes(needle)) {
          n += h
          break
        }
      }
    }
    console.log(`${((n / (total - idle)) * 100).toFixed(1).padStart(5)} %  ${needle}`)
  }
}
