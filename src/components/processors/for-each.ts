/**
 * `for_each` processor (spec components §6.12): the children see each message as a batch of one;
 * everything they return is gathered into one batch.
 */
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { allSteps, allSynchronous, buildChildren, closeAll, flatten } from '../shared/child-processors.js'
import { drive, type Steps } from '../shared/maybe-async.js'

export default defineComponent({
  kind: 'processor',
  name: 'for_each',
  status: 'stable',
  summary: 'A processor that applies a list of child processors to messages of a batch as though they were each a batch of one message.',
  config: f.array(f.component('', 'processor', { default: [] })),
  examples: [
    {
      title: 'Batch functions see one message',
      config: `pipeline:
  processors:
    - for_each:
        - mapping: 'root = content().string() + " of " + batch_size().string()'
`,
      input: ['a', 'b'],
      output: ['a of 1', 'b of 1'],
    },
  ],
  build: async (conf, ctx): Promise<Processor> => {
    const children = await buildChildren(ctx, 'for_each', conf)
    function* steps(batch: Batch): Steps<Batch[]> {
      const results: Batch[] = []
      for (const m of batch) results.push(...(yield* allSteps(ctx, children, [[m]])))
      return flatten(results)
    }
    return {
      synchronous: allSynchronous(children),
      process: (batch: Batch) => drive(steps(batch)),
      close: () => closeAll(children),
    }
  },
})
