/**
 * Batches to and from their wire form for `pipeline.threads` pool threads. Content bytes are
 * transferred when the message owns a whole buffer; metadata travels as plain values.
 */
import { fromPlain, toPlain } from '../bloblang/index.js'
import { Message, type Batch, type MessageContext } from '../message/message.js'
import type { WireMessage } from '../protocol/messages.js'

export function toWire(batch: Batch): WireMessage[] {
  const out: WireMessage[] = new Array(batch.length)
  for (let i = 0; i < batch.length; i++) {
    const m = batch[i]!
    const meta: [string, unknown][] = []
    for (const [k, v] of m.metadata) meta.push([k, toPlain(v)])
    out[i] = m.error ? { bytes: m.bytes(), meta, error: { ...m.error } } : { bytes: m.bytes(), meta }
  }
  return out
}

/**
 * Messages from their wire form. A pool thread may split or merge batches, so the per-request
 * context (sync responses) of input message `i` goes to output message `i`, or the last one's.
 */
export function fromWire(wire: readonly WireMessage[], contexts: readonly MessageContext[]): Batch {
  const out: Message[] = new Array(wire.length)
  for (let i = 0; i < wire.length; i++) {
    const w = wire[i]!
    const meta = new Map(w.meta.map(([k, v]) => [k, fromPlain(v)] as const))
    const m = new Message(w.bytes, meta, contexts.length ? contexts[Math.min(i, contexts.length - 1)] : undefined)
    if (w.error) m.error = { ...w.error }
    out[i] = m
  }
  return out
}
