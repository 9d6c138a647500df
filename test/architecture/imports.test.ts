/**
 * Imports between the top-level parts of `src/` flow one way: this reads every import (type-only
 * ones included) and fails on a cycle between parts, naming the files that close it.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

// Tests run from dist/test/architecture; the sources sit beside dist.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const SRC = join(ROOT, 'src')

function tsFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...tsFiles(p))
    else if (p.endsWith('.ts')) out.push(p)
  }
  return out
}

/** `api`, `bloblang`, ... or the file name for a file directly in src (`errors`). */
function partOf(file: string): string {
  const rel = relative(SRC, file).split(sep)
  return rel.length === 1 ? rel[0]!.replace(/\.ts$/, '') : rel[0]!
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g

/** Comments can hold example imports; they are not edges. */
function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
}

function partGraph(): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>()
  for (const file of tsFiles(SRC)) {
    const from = partOf(file)
    if (!graph.has(from)) graph.set(from, new Map())
    for (const m of stripComments(readFileSync(file, 'utf8')).matchAll(IMPORT)) {
      const spec = (m[1] ?? m[2])!
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'))
      if (!target.startsWith(SRC + sep)) continue
      const to = partOf(target)
      if (to === from) continue
      const edges = graph.get(from)!
      if (!edges.has(to)) edges.set(to, [])
      edges.get(to)!.push(`${relative(SRC, file)} -> ${spec}`)
    }
  }
  return graph
}

/** Strongly connected components with more than one part (Tarjan). */
function cycles(graph: Map<string, Map<string, string[]>>): string[][] {
  let index = 0
  const idx = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const on = new Set<string>()
  const out: string[][] = []
  const visit = (v: string): void => {
    idx.set(v, index)
    low.set(v, index++)
    stack.push(v)
    on.add(v)
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!idx.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!))
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = []
      let w: string
      do {
        w = stack.pop()!
        on.delete(w)
        comp.push(w)
      } while (w !== v)
      if (comp.length > 1) out.push(comp.sort())
    }
  }
  for (const v of graph.keys()) if (!idx.has(v)) visit(v)
  return out
}

test('no import cycle between the top-level parts of src/', () => {
  const graph = partGraph()
  const found = cycles(graph)
  const explain = found.map((comp) => {
    const lines = [`cycle: ${comp.join(', ')}`]
    for (const a of comp) for (const [b, why] of graph.get(a) ?? []) if (comp.includes(b)) lines.push(`  ${a} -> ${b}: ${why.slice(0, 3).join('; ')}`)
    return lines.join('\n')
  })
  assert.deepEqual(explain, [])
})

test('the lower parts import only the parts below them (errors, util, value, message, protocol, spec)', () => {
  const graph = partGraph()
  const allowed: Record<string, readonly string[]> = {
    errors: [],
    util: ['errors'],
    value: ['errors'],
    protocol: ['errors', 'util', 'value', 'message'],
    message: ['errors', 'util', 'value'],
    spec: ['errors', 'util', 'message', 'value', 'http'],
  }
  const bad: string[] = []
  for (const [part, ok] of Object.entries(allowed)) {
    for (const [to, why] of graph.get(part) ?? []) if (!ok.includes(to)) bad.push(`${part} -> ${to}: ${why[0]}`)
  }
  assert.deepEqual(bad, [])
})
