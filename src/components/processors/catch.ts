/**
 * `catch` processor (spec components §6.8): only flagged messages run through the children, each
 * on its own; every message leaving the block has its flag cleared.
 */
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { allSynchronous, buildChildren, catchAllSteps, closeAll, flatten, singles } from '../shared/child-processors.js'
import { drive, type Steps } from '../shared/maybe-async.js'

export default defineComponent({
  kind: 'processor',
  name: 'catch',
  status: 'stable',
  summary: 'Applies a list of child processors _only_ when a previous processing step has failed.',
  config: f.array(
    f.component('', 'processor', {
      default: [],
      // Runs per list item: a `try` here could never run, as errors are cleared only at the end.
      lint: (p) =>
        isObject(p) && (p.type === 'try' || Array.isArray(p.try))
          ? [
              "'catch' block contains a 'try' block which will never execute due to errors only being cleared at the end of the 'catch', for more information about nesting 'try' within 'catch' read: https://docs.redpanda.com/redpanda-connect/components/processors/try#nesting-within-a-catch-block",
            ]
          : [],
    }),
  ),
  examples: [
    {
      title: 'Recover failed messages',
      config: `pipeline:
  processors:
    - mapping: 'root.n = this.n.number()'
    - catch:
        - mapping: 'root.failed = error()'
`,
      input: ['{"n":"4"}', '{"n":"four"}'],
      output: ['{"n":4}', '{"failed":"failed assignment (line 1): field \`this.n\`: strconv.ParseFloat: parsing \\"four\\": invalid syntax"}'],
    },
  ],
  build: async (conf, ctx): Promise<Processor> => {
    const children = await buildChildren(ctx, 'catch', conf)
    function* steps(batch: Batch): Steps<Batch[]> {
      const out = flatten(yield* catchAllSteps(ctx, children, singles(batch)))
      for (const b of out) for (const m of b) m.error = undefined
      return out
    }
    return {
      synchronous: allSynchronous(children),
      process: (batch: Batch) => drive(steps(batch)),
      close: () => closeAll(children),
    }
  },
})

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
