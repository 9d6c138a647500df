/**
 * Batches across the port (shared input/output resources, inproc): contents packed into one fresh
 * buffer that is transferred, not cloned; metadata and error flags travel beside it.
 */
import { Message } from '../message/message.js'
import { valueToString } from '../value/index.js'
import type { Value } from '../value/value-types.js'
import type { WireBatch } from './messages.js'

/** Packs `batch`; the returned buffer belongs to the caller and goes in the transfer list. */
export function encodeBatch(batch: readonly Message[]): { wire: WireBatch; transfer: ArrayBuffer[] } {
  let total = 0
  const contents = batch.map((m) => {
    const b = m.bytes()
    total += b.byteLength
    return b
  })
  // A fresh buffer: message bytes may be views on pooled or shared memory that must not move.
  const data = new ArrayBuffer(total)
  const view = new Uint8Array(data)
  let at = 0
  for (const b of contents) {
    view.set(b, at)
    at += b.byteLength
  }
  const wire: WireBatch = {
    data,
    sizes: contents.map((b) => b.byteLength),
    meta: batch.map((m) => (m.metadata.size === 0 ? null : [...m.metadata].map(([k, v]) => [k, cloneable(v)]))),
    errors: batch.map((m) => (m.error ? { ...m.error } : null)),
  }
  return { wire, transfer: [data] }
}

export function decodeBatch(wire: WireBatch): Message[] {
  const out: Message[] = []
  let at = 0
  for (let i = 0; i < wire.sizes.length; i++) {
    const size = wire.sizes[i]!
    const meta = wire.meta[i]
    const m = new Message(new Uint8Array(wire.data, at, size), meta ? new Map(meta) : undefined)
    at += size
    const e = wire.errors[i]
    if (e) m.error = e
    out.push(m)
  }
  return out
}

/**
 * Class instances (timestamps, floats) lose their prototype in a structured clone; they cross as
 * their string form, which is how every output renders metadata anyway.
 */
function cloneable(v: Value): Value {
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array || Array.isArray(v)) return v
  const proto: unknown = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null ? v : valueToString(v)
}

/**
 * Bytes safe to post: a structured clone of a view copies its whole backing buffer (an 8 KiB
 * Buffer pool slab, a packed batch), so a view on part of a buffer is cut to its own copy first.
 */
export function exactBytes(b: Uint8Array): Uint8Array {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : b.slice()
}
