/**
 * `parallel` processor (spec components §9.2): like `for_each`, but up to `cap` messages (0 = all)
 * go through the children at the same time; results keep the input order, in one batch.
 */
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { buildChildren, closeAll, flatten, runAll } from '../shared/child-processors.js'

export default defineComponent({
  kind: 'processor',
  name: 'parallel',
  status: 'stable',
  summary: 'A processor that applies a list of child processors to messages of a batch as though they were each a batch of one message (similar to the `for_each` processor), but where each message is processed in parallel.',
  config: f.object('', [
    f.int('cap', { default: 0, description: 'The maximum number of messages to have processing at a given time.' }),
    f.array(f.component('processors', 'processor', { description: 'A list of child processors to apply.' })),
  ]),
  examples: [
    {
      title: 'Order is kept',
      config: `pipeline:
  processors:
    - parallel:
        cap: 2
        processors:
          - mapping: 'root = content().string().uppercase()'
`,
      input: ['a', 'b', 'c'],
      output: ['A', 'B', 'C'],
    },
  ],
  build: async (c, ctx): Promise<Processor> => {
    const children = await buildChildren(ctx, 'parallel.processors', c.processors)
    return {
      async process(batch: Batch): Promise<Batch[]> {
        const results: Batch[][] = batch.map((m) => [[m]])
        const workers = c.cap <= 0 || batch.length < c.cap ? batch.length : c.cap
        let next = 0
        let stopped: unknown
        const worker = async (): Promise<void> => {
          while (next < batch.length && stopped === undefined) {
            const i = next++
            try {
              results[i] = await runAll(ctx, children, results[i]!)
            } catch (err) {
              stopped ??= err
            }
          }
        }
        await Promise.all(Array.from({ length: workers }, worker))
        if (stopped !== undefined) throw stopped
        return flatten(results.flat())
      },
      close: () => closeAll(children),
    }
  },
})
