/** Every `examples` entry of every registered method and function runs and gives its output. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { builtinRegistry } from '../../src/bloblang/index.js'
import { allFunctions } from '../../src/bloblang/functions/index.js'
import { allMethods } from '../../src/bloblang/methods/index.js'
import { errorOf, run } from './helpers.js'

test('registry builds without duplicates and lists names', () => {
  const r = builtinRegistry()
  assert.ok(r.methodNames().includes('map_each'))
  assert.ok(r.functionNames().includes('range'))
})

test('documented examples hold', () => {
  const failures: string[] = []
  let count = 0
  for (const def of [...allMethods, ...allFunctions]) {
    for (const ex of def.examples ?? []) {
      count++
      try {
        if (ex.output !== undefined) {
          const got = run(ex.mapping, ex.input)
          if (got !== ex.output) failures.push(`${def.name}: ${ex.mapping} → ${got}, want ${ex.output}`)
        }
        if (ex.error !== undefined) {
          const msg = errorOf(ex.mapping, ex.input)
          if (!msg.includes(ex.error)) failures.push(`${def.name}: ${ex.mapping} → error ${msg}, want ${ex.error}`)
        }
      } catch (err) {
        failures.push(`${def.name}: ${ex.mapping} threw ${err instanceof Error ? err.message : String(err)}`)
      }
    }
  }
  assert.deepEqual(failures, [])
  assert.ok(count > 5)
})
