/** Runs the shared public conformance cases in-process (same contract as run-bloblang.mjs). */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { compileMapping } from '../../src/bloblang/index.js'

interface Case {
  name: string
  mapping: string
  input: string
  meta?: Record<string, unknown>
  expect: { output?: string; deleted?: boolean; error?: string }
  expect_meta?: Record<string, unknown>
}

const file = new URL('../../../../shared/conformance/bloblang-public.jsonl', import.meta.url)
const cases: Case[] = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Case)

const decoder = new TextDecoder()

// Both compilers: generated JavaScript (the default) and closures (WEIR_BLOBLANG_CODEGEN=0).
for (const codegen of [true, false]) test(`public conformance cases (${codegen ? 'generated code' : 'closures'})`, () => {
  const failures: string[] = []
  for (const c of cases) {
    let got: string
    try {
      const out = compileMapping(c.mapping, { codegen }).apply({ content: c.input, metadata: { ...(c.meta ?? {}) } })
      got = out === undefined ? '<deleted>' : decoder.decode(out.content)
      if (c.expect.deleted === true && got !== '<deleted>') failures.push(`${c.name}: expected deletion, got ${got}`)
      if (c.expect.output !== undefined && got !== c.expect.output) failures.push(`${c.name}: expected ${c.expect.output}, got ${got}`)
      if (c.expect.error !== undefined) failures.push(`${c.name}: expected error ${c.expect.error}, got ${got}`)
      for (const [k, v] of Object.entries(c.expect_meta ?? {})) {
        const m = out?.metadata ?? {}
        // Like the runner: equal as JSON, or equal as text (metadata values may be typed).
        const same = JSON.stringify(m[k]) === JSON.stringify(v) || String(m[k]) === String(v)
        if (v === null ? k in m : !same) failures.push(`${c.name}: meta ${k} = ${JSON.stringify(m[k])}`)
      }
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err)
      if (c.expect.error === undefined || !msg.includes(c.expect.error)) failures.push(`${c.name}: unexpected error ${msg}`)
    }
  }
  assert.deepEqual(failures, [])
  assert.equal(cases.length, 255)
})
