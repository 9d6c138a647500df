/**
 * `processors` processor (spec components §6.13): runs its children over the whole batch, exactly
 * as a pipeline's list would; it exists to group processors under one label or resource.
 */
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { allSynchronous, buildChildren, closeAll, runAll } from '../shared/child-processors.js'

export default defineComponent({
  kind: 'processor',
  name: 'processors',
  status: 'stable',
  summary: 'A processor grouping several sub-processors.',
  config: f.array(f.component('', 'processor', { default: [] })),
  examples: [
    {
      title: 'Grouped processing',
      config: `pipeline:
  processors:
    - label: my_super_feature
      processors:
        - mapping: 'root.items = [this]'
        - mapping: 'root.count = this.items.length()'
`,
      input: ['{"id":1}'],
      output: ['{"count":1}'],
    },
  ],
  build: async (conf, ctx): Promise<Processor> => {
    const children = await buildChildren(ctx, 'processors', conf)
    return {
      synchronous: allSynchronous(children),
      process: (batch: Batch) => (batch.length === 0 ? [] : runAll(ctx, children, [batch])),
      close: () => closeAll(children),
    }
  },
})
