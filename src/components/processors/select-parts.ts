/**
 * `select_parts` processor (spec components §9.2): a new batch of the messages at `parts`
 * (negative = from the end, out of range ignored, repeats allowed); nothing selected drops the batch.
 */
import type { Batch, Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'

export default defineComponent({
  kind: 'processor',
  name: 'select_parts',
  status: 'stable',
  summary: 'Cherry pick a set of messages from a batch by their index. Indexes larger than the number of messages are simply ignored.',
  config: f.object('', [
    f.array(
      f.int('parts', {
        default: [],
        description: 'An array of message indexes of a batch. Indexes can be negative, and if so the part will be selected from the end counting backwards starting from -1.',
      }),
    ),
  ]),
  examples: [
    {
      title: 'Last then first',
      config: `pipeline:
  processors:
    - select_parts:
        parts: [ -1, 0 ]
`,
      input: ['first'],
      output: ['first', 'first'],
    },
  ],
  build: (c): Processor => ({
    synchronous: true,
    process(batch: Batch): Batch[] {
      const out: Message[] = []
      for (let index of c.parts) {
        if (index < 0) index += batch.length
        if (index < 0 || index >= batch.length) continue
        out.push(batch[index]!.copy())
      }
      return out.length ? [out] : []
    },
    close: async () => {},
  }),
})
