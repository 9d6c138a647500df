/** `chunker` scanner (spec components §9.5): fixed-size byte chunks; the last may be shorter. */
import { Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Scanner } from '../../spec/index.js'
import { ByteSource } from '../shared/byte-source.js'
import { invalid } from '../shared/field-error.js'

export default defineComponent({
  kind: 'scanner',
  name: 'chunker',
  status: 'stable',
  summary: 'Split an input stream into chunks of a given number of bytes.',
  config: f.object('', [f.int('size', { description: 'The size of each chunk in bytes.' })]),
  examples: [
    {
      title: 'Kilobyte chunks',
      config: `input:
  file:
    paths: [ ./data/*.txt ]
    scanner:
      chunker:
        size: 1024
`,
      // One file of 2.5 KiB: two whole kilobytes, then the rest.
      input: ['a'.repeat(1024), 'b'.repeat(1024), 'c'.repeat(512)],
      output: ['a'.repeat(1024), 'b'.repeat(1024), 'c'.repeat(512)],
    },
  ],
  build: (c): Scanner => {
    // Go's io.CopyN with a size below 1 copies nothing and would loop forever on a live source.
    if (c.size < 1) throw invalid('size', `chunk size must be greater than zero, got ${c.size}`)
    return {
      open: (source) => {
        const src = new ByteSource(source)
        return {
          async next() {
            while (src.buf.length < c.size && (await src.more()));
            if (src.buf.length === 0) return undefined
            const chunk = Buffer.from(src.buf.subarray(0, c.size))
            src.consume(chunk.length)
            return [new Message(chunk)]
          },
        }
      },
      close: async () => {},
    }
  },
})
