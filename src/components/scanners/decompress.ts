/**
 * `decompress` scanner (spec components §9.5): decompresses the stream with `algorithm`, then
 * hands it to the `into` scanner.
 */
import { defineComponent, f } from '../../spec/index.js'
import type { Scanner } from '../../spec/index.js'
import { streamDecompressor } from '../shared/decompress-stream.js'
import { atField } from '../shared/field-error.js'

export default defineComponent({
  kind: 'scanner',
  name: 'decompress',
  status: 'stable',
  summary: 'Decompress the stream of bytes according to an algorithm, before feeding it into a child scanner.',
  config: f.object('', [
    f.string('algorithm', { description: 'One of `gzip`, `pgzip`, `zlib`, `bzip2`, `flate`, `snappy`, `lz4`, `zstd`.' }),
    f.component('into', 'scanner', { default: { to_the_end: {} }, description: 'The child scanner to feed the decompressed stream into.' }),
  ]),
  examples: [
    {
      title: 'Gzipped log lines',
      config: `input:
  file:
    paths: [ ./logs/*.gz ]
    scanner:
      decompress:
        algorithm: gzip
        into:
          lines: {}
`,
    },
  ],
  build: async (c, ctx): Promise<Scanner> => {
    const decode = atField('algorithm', () => streamDecompressor(c.algorithm))
    const child = await ctx.build('scanner', c.into, 'decompress.into')
    return {
      open: (source) => child.open(decode(source)),
      close: () => child.close(),
    }
  },
})
