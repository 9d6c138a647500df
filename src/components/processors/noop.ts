/** `noop` processor (spec components §6.5): passes batches through untouched. */
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'

export default defineComponent({
  kind: 'processor',
  name: 'noop',
  status: 'stable',
  summary: 'Noop is a processor that does nothing, the message passes through unchanged.',
  config: f.object('', [], { default: {} }),
  build: (): Processor => ({ synchronous: true, process: (batch: Batch) => [batch], close: async () => {} }),
})
