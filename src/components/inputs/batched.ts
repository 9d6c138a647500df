/**
 * `batched` input (spec components §9.1): applies a batch policy to any input, so its messages
 * leave in batches (a count, size, check or period trigger), each acked as one transaction.
 */
import { defineComponent, f, type Input } from '../../spec/index.js'
import { Batcher, batchPolicyFields } from '../shared/batch-policy.js'
import { BatchedInput } from '../shared/input-batcher.js'
import { buildChildInput } from '../shared/child-input.js'

export default defineComponent({
  kind: 'input',
  name: 'batched',
  status: 'stable',
  summary: 'Consumes data from a child input and applies a batching policy to the stream.',
  config: f.object('', [
    f.component('child', 'input', { description: 'The child input.' }),
    f.object('policy', batchPolicyFields, { description: 'Allows you to configure a batching policy.' }),
  ]),
  examples: [
    {
      title: 'Batches of ten lines',
      config: `input:
  batched:
    child:
      file:
        paths: [ ./data.txt ]
    policy:
      count: 10
      period: 1s
      processors:
        - archive:
            format: lines
`,
      // Lines of ./data.txt; each batch archived into one message shows where the batches end.
      input: Array.from({ length: 25 }, (_, i) => `line ${i + 1}`),
      output: [0, 10, 20].map((from) =>
        Array.from({ length: Math.min(10, 25 - from) }, (_, i) => `line ${from + i + 1}`).join('\n'),
      ),
    },
  ],
  build: async (c, ctx): Promise<Input> => {
    const child = await buildChildInput(ctx, c.child, 'batched.child')
    return new BatchedInput(child, await Batcher.create(c.policy, ctx, 'batched.policy', 'policy'), child.sourceEnded)
  },
})
