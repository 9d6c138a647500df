/** `none` buffer (spec components §5.1): the default; the engine creates no buffer layer for it. */
import { END_OF_INPUT, type Buffer } from '../../spec/index.js'
import { defineComponent, f } from '../../spec/index.js'

export default defineComponent({
  kind: 'buffer',
  name: 'none',
  status: 'stable',
  summary: 'Do not buffer messages. This is the default and most resilient configuration.',
  config: f.object('', [], { default: {} }),
  build: (): Buffer => ({
    write: async (tx) => tx.ack(new Error('the none buffer holds nothing')),
    read: async () => END_OF_INPUT,
    endOfInput: () => {},
    close: async () => {},
  }),
})
