/**
 * `compress` processor (spec components §9.2): compresses each message with the shared
 * implementation Bloblang's `compress` uses; a failure flags the message and leaves it unchanged.
 */
import { COMPRESSION_ALGORITHMS, compressor } from '../../bloblang/encoding/compression.js'
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { atField } from '../shared/field-error.js'
import { errorText } from '../shared/error-text.js'
import { errorFlagger } from '../shared/processor-error.js'

export default defineComponent({
  kind: 'processor',
  name: 'compress',
  status: 'stable',
  summary: `Compresses messages according to the selected algorithm. Supported compression algorithms are: [${COMPRESSION_ALGORITHMS.join(' ')}]`,
  config: f.object('', [
    // No enum lint, as the reference: an unknown name fails construction with its own message.
    f.string('algorithm', { description: `The compression algorithm to use. One of: ${COMPRESSION_ALGORITHMS.join(', ')}.` }),
    f.int('level', { default: -1, description: 'The level of compression to use. May not be applicable to all algorithms.' }),
  ]),
  examples: [
    {
      title: 'Gzip before storing',
      config: `pipeline:
  processors:
    - compress:
        algorithm: gzip
    - decompress:
        algorithm: gzip
`,
      input: ['hello world'],
      output: ['hello world'],
    },
  ],
  build: (c, ctx): Processor => {
    const fn = atField('algorithm', () => compressor(c.algorithm))
    const flag = errorFlagger(ctx, 'compress')
    return {
      synchronous: true,
      process(batch: Batch): Batch[] {
        for (const m of batch) {
          try {
            m.setBytes(fn(m.bytes(), c.level))
          } catch (err) {
            ctx.logger.error(`Failed to compress message: ${errorText(err)}`)
            flag(m, err)
          }
        }
        return [batch]
      },
      close: async () => {},
    }
  },
})
