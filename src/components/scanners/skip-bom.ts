/**
 * `skip_bom` scanner (spec components §9.5): drops one leading byte-order mark (UTF-8, UTF-16 or
 * UTF-32, longest first) and hands the rest of the stream to the `into` scanner.
 */
import { defineComponent, f } from '../../spec/index.js'
import type { Scanner } from '../../spec/index.js'
import { ByteSource } from '../shared/byte-source.js'

const BOMS = [
  [0x00, 0x00, 0xfe, 0xff],
  [0xff, 0xfe, 0x00, 0x00],
  [0xef, 0xbb, 0xbf],
  [0xfe, 0xff],
  [0xff, 0xfe],
]

export default defineComponent({
  kind: 'scanner',
  name: 'skip_bom',
  status: 'stable',
  summary: 'Skip one or more byte order marks for each opened child scanner.',
  config: f.object('', [f.component('into', 'scanner', { default: { to_the_end: {} }, description: 'The child scanner to feed the resulting stream into.' })]),
  examples: [
    {
      title: 'CSV exported with a BOM',
      config: `input:
  file:
    paths: [ ./data/*.txt ]
    scanner:
      skip_bom:
        into:
          csv: {}
`,
      // One file that starts with a UTF-8 byte order mark: the first field name is clean.
      input: ['\uFEFFname,age\n', 'ada,36\n'],
      output: ['{"age":"36","name":"ada"}'],
    },
  ],
  build: async (c, ctx): Promise<Scanner> => {
    const child = await ctx.build('scanner', c.into, 'skip_bom.into')
    return {
      open: (source) => child.open(withoutBom(source)),
      close: () => child.close(),
    }
  },
})

async function* withoutBom(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const src = new ByteSource(source)
  while (src.buf.length < 4 && (await src.more()));
  const bom = BOMS.find((b) => b.length <= src.buf.length && b.every((x, i) => src.buf[i] === x))
  if (bom) src.consume(bom.length)
  yield* src.rest()
}
