import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parse } from 'yaml'
import { BUILTIN_SPECS } from '../../src/components/registry.js'
import { startStream, until } from '../stream/harness.js'
import { capture, TEST_SPECS } from '../stream/test-components.js'
import { batchInput } from './flow-support.js'

const FLOW = new Set(['try', 'catch', 'try_catch', 'switch', 'for_each', 'processors', 'while', 'retry', 'parallel', 'branch', 'workflow'])

// The documented examples of the control-flow processors run: their input as one batch, their output checked.
for (const spec of BUILTIN_SPECS.filter((s) => s.kind === 'processor' && FLOW.has(s.name))) {
  for (const [n, ex] of (spec.examples ?? []).entries()) {
    test(`processor ${spec.name} example "${ex.title}" gives its documented output`, async (t) => {
      assert.ok(ex.input && ex.output, 'every control-flow example documents input and output')
      const conf = parse(ex.config) as Record<string, unknown>
      const sink = `ex_${spec.name}_${n}`
      conf.input = { one_batch: { name: sink, messages: ex.input } }
      conf.output = { capture: { name: sink } }
      await startStream(t, conf, { id: sink, extraSpecs: [...TEST_SPECS, batchInput] })
      const out = capture(sink)
      await until(`${sink} output`, () => out.texts.length >= ex.output!.length)
      const want = ex.output!.map((o) => (typeof o === 'string' ? { content: o, metadata: {} } : { content: o.content, metadata: o.metadata ?? {} }))
      assert.deepEqual(out.texts.map(normalise), want.map((w) => normalise(w.content)))
      for (const [i, w] of want.entries()) {
        for (const [k, v] of Object.entries(w.metadata)) assert.equal(out.metas[i]![k], String(v), `metadata ${k} of message ${i}`)
      }
    })
  }
}

/** JSON documents compare as values (key order is not part of the contract); text as is. */
function normalise(s: string): unknown {
  try {
    return JSON.parse(s) as unknown
  } catch {
    return s
  }
}
