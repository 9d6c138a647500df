/**
 * Sync responses (spec streams-mode §8.2): copies of messages stored in the response store that
 * travels in each message's context, grouped by store (one store per originating request).
 */
import type { Batch, Message, SyncResponseStore } from '../../message/message.js'

/** A copy detached from the request context, so the response holds no reference back to it. */
function detached(m: Message): Message {
  const c = m.copy()
  c.context = {}
  return c
}

/** Stores the batch's messages in their stores; false when no message had one. */
export function storeSyncResponse(batch: Batch): boolean {
  let first: SyncResponseStore | undefined
  let groups: Map<SyncResponseStore, Message[]> | undefined
  for (const m of batch) {
    const store = m.context.syncResponse
    if (!store) continue
    if (first === undefined || first === store) {
      first = store
      continue
    }
    groups ??= new Map()
  }
  if (first === undefined) return false
  if (!groups) {
    first.batches.push(batch.length === 1 ? [detached(batch[0]!)] : batch.filter((m) => m.context.syncResponse === first).map(detached))
    return true
  }
  for (const m of batch) {
    const store = m.context.syncResponse
    if (!store) continue
    let g = groups.get(store)
    if (!g) groups.set(store, (g = []))
    g.push(detached(m))
  }
  for (const [store, msgs] of groups) store.batches.push(msgs)
  return true
}
