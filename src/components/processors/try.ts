/**
 * `try` processor (spec components §6.7): each message runs through the children on its own; a
 * message flagged before or during the block skips the rest. Results come back as one batch.
 */
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { allSynchronous, buildChildren, closeAll, flatten, singles, tryAllSteps } from '../shared/child-processors.js'
import { drive, type Steps } from '../shared/maybe-async.js'

export default defineComponent({
  kind: 'processor',
  name: 'try',
  status: 'stable',
  summary: 'Executes a list of child processors on messages only if no prior processors have failed (or the errors have been cleared).',
  config: f.array(f.component('', 'processor', { default: [] })),
  examples: [
    {
      title: 'Skip the rest after a failure',
      config: `pipeline:
  processors:
    - try:
        - mapping: 'root.n = this.n.number()'
        - mapping: 'root.doubled = this.n * 2'
`,
      input: ['{"n":"4"}', '{"n":"four"}'],
      output: ['{"doubled":8}', '{"n":"four"}'],
    },
  ],
  build: async (conf, ctx): Promise<Processor> => {
    const children = await buildChildren(ctx, 'try', conf)
    // Defined once: a generator function created per call costs microseconds (its prototype object).
    function* steps(batch: Batch): Steps<Batch[]> {
      return flatten(yield* tryAllSteps(ctx, children, singles(batch)))
    }
    return {
      synchronous: allSynchronous(children),
      process: (batch: Batch) => drive(steps(batch)),
      close: () => closeAll(children),
    }
  },
})
