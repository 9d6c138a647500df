/**
 * `bounds_check` processor (spec components §9.2): drops (acks) a whole batch whose message count
 * or any message size falls outside the bounds.
 */
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'

export default defineComponent({
  kind: 'processor',
  name: 'bounds_check',
  status: 'stable',
  summary: 'Removes messages (and batches) that do not fit within certain size boundaries.',
  config: f.object('', [
    f.int('max_part_size', { default: 1 * 1024 * 1024 * 1024, description: 'The maximum size of a message to allow (in bytes)' }),
    f.int('min_part_size', { default: 1, description: 'The minimum size of a message to allow (in bytes)' }),
    f.int('max_parts', { default: 100, advanced: true, description: 'The maximum size of message batches to allow (in message count)' }),
    f.int('min_parts', { default: 1, advanced: true, description: 'The minimum size of message batches to allow (in message count)' }),
  ]),
  examples: [
    {
      title: 'Drop empty and huge messages',
      config: `pipeline:
  processors:
    - bounds_check:
        max_part_size: 4
`,
      input: ['tiny'],
      output: ['tiny'],
    },
  ],
  build: (c, ctx): Processor => ({
    synchronous: true,
    process(batch: Batch): Batch[] {
      if (batch.length < c.min_parts) {
        ctx.logger.debug(`Rejecting message due to message parts below minimum (${c.min_parts}): ${batch.length}`)
        return []
      }
      if (batch.length > c.max_parts) {
        ctx.logger.debug(`Rejecting message due to message parts exceeding limit (${c.max_parts}): ${batch.length}`)
        return []
      }
      for (const m of batch) {
        const size = m.bytes().length
        if (size > c.max_part_size || size < c.min_part_size) {
          ctx.logger.debug(`Rejecting message due to message part size (${c.min_part_size} -> ${c.max_part_size}): ${size}`)
          return []
        }
      }
      return [batch]
    },
    close: async () => {},
  }),
})
