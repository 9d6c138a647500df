/**
 * Test input for the control-flow processors: emits its messages (content and metadata) as one
 * batch, then ends; its ack is recorded so a test can see a nack.
 */
import { Message } from '../../src/message/message.js'
import { defineComponent, f, END_OF_INPUT, type Input } from '../../src/spec/index.js'
import { fromPlain } from '../../src/bloblang/mapping.js'

export const batchAcks = new Map<string, string[]>()

export const batchInput = defineComponent({
  kind: 'input',
  name: 'one_batch',
  config: f.object('', [f.string('name', { default: 'b' }), f.array(f.any('messages', { default: [] }))]),
  build: (c): Input => {
    const acks: string[] = []
    batchAcks.set(c.name, acks)
    let sent = false
    return {
      connect: async () => {},
      connected: () => true,
      close: async () => {},
      async read() {
        if (sent) return END_OF_INPUT
        sent = true
        const batch = c.messages.map((raw) => {
          if (typeof raw === 'string') return new Message(raw)
          const o = raw as { content: string; metadata?: Record<string, unknown> }
          const m = new Message(o.content)
          for (const [k, v] of Object.entries(o.metadata ?? {})) m.metaMut().set(k, fromPlain(v))
          return m
        })
        return { batch, ack: (err) => acks.push(err ? err.message : 'ok') }
      },
    }
  },
})
