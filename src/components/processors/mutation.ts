/**
 * `mutation` processor (spec components §6.2): a Bloblang mapping applied to the message in place
 * (document and metadata); `deleted()` filters it; on error the message is flagged, and assignments
 * made before the failure stay applied.
 */
import { compileMapping } from '../../bloblang/index.js'
import type { Batch, Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { errorFlagger } from '../shared/processor-error.js'

export default defineComponent({
  kind: 'processor',
  name: 'mutation',
  status: 'stable',
  summary: 'Executes a Bloblang mapping and directly transforms the contents of messages, mutating (or deleting) them.',
  config: f.bloblang('', { description: 'A Bloblang mapping.' }),
  examples: [
    {
      title: 'Mutate',
      config: `pipeline:
  processors:
    - mutation: |
        root.id = uuid_v4()
`,
    },
  ],
  build: (conf, ctx): Processor => {
    const mapping = compileMapping(String(conf ?? ''), { configDir: ctx.configDir })
    const flag = errorFlagger(ctx, 'mutation', 'error')
    return {
      synchronous: true,
      process(batch: Batch): Batch[] {
        const out: Message[] = []
        for (let i = 0; i < batch.length; i++) {
          const m = batch[i]!
          try {
            if (mapping.execMutation(batch, i)) out.push(m)
          } catch (err) {
            flag(m, err)
            out.push(m)
          }
        }
        return out.length ? [out] : []
      },
      close: async () => {},
    }
  },
})
