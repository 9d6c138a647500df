/**
 * A component that builds a nested input or output through `ctx.build` gets it with its own
 * `processors` applied (they were built and then dropped before): an input's run on what it reads,
 * an output's on what is written to it; a filtered message is acked, and close reaches them.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { defineComponent, f, type Input, type Output } from '../../src/spec/index.js'
import { startStream, deadline } from './harness.js'
import { TEST_SPECS, capture, acks } from './test-components.js'

const wrapInput = defineComponent({
  kind: 'input',
  name: 'wrap_input',
  config: f.object('', [f.component('child', 'input')]),
  build: (c, ctx): Promise<Input> => ctx.build('input', c.child, 'wrap_input.child'),
})

const wrapOutput = defineComponent({
  kind: 'output',
  name: 'wrap_output',
  config: f.object('', [f.component('child', 'output')]),
  build: (c, ctx): Promise<Output> => ctx.build('output', c.child, 'wrap_output.child'),
})

test('a nested input and output built through ctx.build run their own processors', async (t) => {
  const h = await startStream(
    t,
    {
      input: {
        wrap_input: {
          child: {
            acking: { name: 'nested', messages: ['a', 'skip', 'b'] },
            processors: [{ mapping: 'root = if content() == "skip" { deleted() } else { content().uppercase() }' }],
          },
        },
      },
      output: { wrap_output: { child: { capture: { name: 'nested' }, processors: [{ mapping: 'root = content() + "!"' }] } } },
    },
    { id: 'nested', extraSpecs: [...TEST_SPECS, wrapInput, wrapOutput] },
  )
  await deadline(h.stream.finished, 10_000, 'the nested stream to finish')
  assert.deepEqual(capture('nested').texts, ['A!', 'B!'])
  assert.deepEqual(acks.get('nested'), ['a:ok', 'skip:ok', 'b:ok'])
})
