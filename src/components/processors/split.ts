/**
 * `split` processor (spec components §6.16): breaks a batch into consecutive batches of at most
 * `size` messages and/or `byte_size` bytes; a single message over `byte_size` forms its own batch.
 */
import type { Batch, Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'

export default defineComponent({
  kind: 'processor',
  name: 'split',
  status: 'stable',
  summary:
    'Breaks message batches (synonymous with multiple part messages) into smaller batches. The size of the resulting batches are determined either by a discrete size or, if the field `byte_size` is non-zero, then by total size in bytes (which ever limit is reached first).',
  config: f.object('', [
    f.int('size', { default: 1, description: 'The target number of messages.' }),
    f.int('byte_size', { default: 0, description: 'An optional target of total message bytes.' }),
  ]),
  examples: [
    {
      title: 'Pairs',
      config: `pipeline:
  processors:
    - split:
        size: 2
`,
      input: ['a', 'b', 'c'],
      output: ['a', 'b', 'c'],
    },
  ],
  build: (c, ctx): Processor => ({
    synchronous: true,
    process(batch: Batch): Batch[] {
      if (batch.length === 0) return []
      const out: Batch[] = []
      let next: Message[] = []
      let bytes = 0
      for (const m of batch) {
        const len = m.bytes().length
        if ((c.size > 0 && next.length >= c.size) || (c.byte_size > 0 && bytes + len > c.byte_size)) {
          if (next.length > 0) {
            out.push(next)
            next = []
            bytes = 0
          } else {
            ctx.logger.warn(`A single message exceeds the target batch byte size of '${c.byte_size}', actual size: '${len}'`)
          }
        }
        next.push(m)
        bytes += len
      }
      if (next.length > 0) out.push(next)
      return out
    },
    close: async () => {},
  }),
})
