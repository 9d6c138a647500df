/** `drop` output (spec components §7.2): acknowledges everything, writes nothing. */
import { defineComponent, f } from '../../spec/index.js'
import type { Output } from '../../spec/index.js'

export default defineComponent({
  kind: 'output',
  name: 'drop',
  status: 'stable',
  summary: 'Drops all messages.',
  config: f.object('', [], { default: {} }),
  build: (): Output => ({
    maxInFlight: 1,
    connect: async () => {},
    connected: () => true,
    close: async () => {},
    write: async () => {},
    writeSync: () => {},
  }),
})
