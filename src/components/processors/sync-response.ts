/**
 * `sync_response` processor (spec components §6.17): stores a copy of the batch (context
 * stripped) as the synchronous response of the request each message came from; the batch goes on
 * unchanged. Messages without a response store are ignored (logged at DEBUG).
 */
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { storeSyncResponse } from '../shared/sync-response.js'

export default defineComponent({
  kind: 'processor',
  name: 'sync_response',
  status: 'stable',
  summary: 'Adds the payload in its current state as a synchronous response to the input source, where it is dealt with according to that specific input type.',
  config: f.object('', [], { default: {} }),
  build: (_conf, ctx): Processor => ({
    synchronous: true,
    process(batch: Batch): Batch[] {
      if (!storeSyncResponse(batch)) ctx.logger.debug('Failed to store message as a sync response: result store not found within batch context')
      return [batch]
    },
    close: async () => {},
  }),
})
