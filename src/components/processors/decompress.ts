/**
 * `decompress` processor (spec components §9.2): the counterpart of `compress` (plus `bzip2`,
 * which only decompresses); a failure flags the message and leaves it unchanged.
 */
import { DECOMPRESSION_ALGORITHMS, decompressor } from '../../bloblang/encoding/compression.js'
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { atField } from '../shared/field-error.js'
import { errorText } from '../shared/error-text.js'
import { errorFlagger } from '../shared/processor-error.js'

export default defineComponent({
  kind: 'processor',
  name: 'decompress',
  status: 'stable',
  summary: `Decompresses messages according to the selected algorithm. Supported decompression algorithms are: [${DECOMPRESSION_ALGORITHMS.join(' ')}]`,
  config: f.object('', [
    f.string('algorithm', { description: `The decompression algorithm to use. One of: ${DECOMPRESSION_ALGORITHMS.join(', ')}.` }),
  ]),
  examples: [
    {
      title: 'Snappy payloads',
      config: `pipeline:
  processors:
    - compress:
        algorithm: snappy
    - decompress:
        algorithm: snappy
`,
      input: ['snappy text'],
      output: ['snappy text'],
    },
  ],
  build: (c, ctx): Processor => {
    const fn = atField('algorithm', () => decompressor(c.algorithm))
    const flag = errorFlagger(ctx, 'decompress')
    return {
      synchronous: true,
      process(batch: Batch): Batch[] {
        for (const m of batch) {
          try {
            m.setBytes(fn(m.bytes()))
          } catch (err) {
            ctx.logger.error(`Failed to decompress message part: ${errorText(err)}`)
            flag(m, err)
          }
        }
        return [batch]
      },
      close: async () => {},
    }
  },
})
