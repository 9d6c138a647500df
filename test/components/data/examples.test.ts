import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BUILTIN_SPECS } from '../../../src/components/registry.js'
import { runPipeline, shape } from './run-helpers.js'

const MINE = new Set([
  'split', 'select_parts', 'insert_part', 'bounds_check', 'group_by', 'group_by_value', 'dedupe', 'cached',
  'metric', 'benchmark', 'archive', 'unarchive', 'compress', 'decompress',
])

// Each documented example of these processors runs: its input as one batch, its output compared.
for (const spec of BUILTIN_SPECS) {
  if (spec.kind !== 'processor' || !MINE.has(spec.name)) continue
  for (const ex of spec.examples ?? []) {
    test(`processor ${spec.name} example "${ex.title}" gives its documented output`, async (t) => {
      assert.ok(ex.input && ex.output, 'every data processor example documents input and output')
      const r = await runPipeline(t, ex.config, [[...ex.input]])
      const got = r.texts.map((text, i) => shape(text, r.metas[i]!, ex.output![i] ?? ''))
      assert.deepEqual(got, ex.output)
      assert.deepEqual(r.errors.filter((e) => e !== ''), [])
    })
  }
}
