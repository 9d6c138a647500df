/**
 * `sync_response` output (spec components §7.3): the batch becomes the synchronous response of
 * the request it came from. Without a response store the write fails ("result store not found
 * within batch context"), as in the reference (spec §15 lists the docs' different claim).
 */
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Output } from '../../spec/index.js'
import { storeSyncResponse } from '../shared/sync-response.js'

export default defineComponent({
  kind: 'output',
  name: 'sync_response',
  status: 'stable',
  summary: 'Returns the final message payload back to the input origin of the message, where it is dealt with according to that specific input type.',
  config: f.object('', [], { default: {} }),
  build: (): Output => ({
    maxInFlight: 1,
    connect: async () => {},
    connected: () => true,
    close: async () => {},
    async write(batch: Batch): Promise<void> {
      store(batch)
    },
    writeSync: store,
  }),
})

function store(batch: Batch): void {
  if (!batch[0]?.context.syncResponse) throw new Error('result store not found within batch context')
  storeSyncResponse(batch)
}
