/**
 * `insert_part` processor (spec components §9.2): inserts a message with interpolated content at
 * `index` (negative counts from the end, -1 appends); the new message copies the first message's
 * metadata. An interpolation failure is logged and the batch passes unchanged.
 */
import { compileInterpolation } from '../../bloblang/index.js'
import type { Batch, Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { atField } from '../shared/field-error.js'
import { errorText } from '../shared/error-text.js'

export default defineComponent({
  kind: 'processor',
  name: 'insert_part',
  status: 'stable',
  summary:
    'Insert a new message into a batch at an index. If the specified index is greater than the length of the existing batch it will be appended to the end.',
  config: f.object('', [
    f.int('index', { default: -1, description: 'The index within the batch to insert the message at.' }),
    f.interp('content', { default: '', description: 'The content of the message being inserted.' }),
  ]),
  examples: [
    {
      title: 'Header line',
      config: `pipeline:
  processors:
    - insert_part:
        index: 0
        content: 'header'
`,
      input: ['body'],
      output: ['header', 'body'],
    },
  ],
  build: (c, ctx): Processor => {
    const content = atField('content', () => compileInterpolation(c.content, { configDir: ctx.configDir }))
    return {
      synchronous: true,
      process(batch: Batch): Batch[] {
        if (batch.length === 0) return []
        let bytes: Uint8Array
        try {
          bytes = content.bytes(batch, 0)
        } catch (err) {
          ctx.logger.error(`Content interpolation error: ${errorText(err)}`)
          return [batch]
        }
        let index = c.index
        if (index < 0) index = Math.max(batch.length + index + 1, 0)
        else if (index > batch.length) index = batch.length
        const part = batch[0]!.copy()
        part.setBytes(bytes)
        const out: Message[] = batch.map((m) => m.copy())
        out.splice(index, 0, part)
        return [out]
      },
      close: async () => {},
    }
  },
})
