/** `to_the_end` scanner (spec components §8.4): the whole source is one message (even when empty). */
import { Buffer } from 'node:buffer'
import { Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Scanner } from '../../spec/index.js'

export default defineComponent({
  kind: 'scanner',
  name: 'to_the_end',
  status: 'stable',
  summary: 'Read the input stream all the way until the end and deliver it as a single message.',
  config: f.object('', [], { default: {} }),
  build: (): Scanner => toTheEndScanner(),
})

export function toTheEndScanner(): Scanner {
  return {
    open: (source) => {
      let done = false
      return {
        next: async () => {
          if (done) return undefined
          done = true
          const chunks: Uint8Array[] = []
          for await (const c of source) chunks.push(c)
          return [new Message(Buffer.concat(chunks))]
        },
      }
    },
    close: async () => {},
  }
}
