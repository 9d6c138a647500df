/**
 * Batches across the port (shared input/output resources, inproc): contents packed into one fresh
 * buffer that is transferred, not cloned; metadata and error flags travel beside it.
 */
import { weirError } from '../errors.js'
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

/**
 * Unpacks a batch. A malformed one (sizes that do not add up to the buffer, lists of different
 * lengths, entries of the wrong shape) is refused with a WeirError `INTERNAL`: both sides are
 * Weir's own code, so it is a bug, and a partial decode would pass wrong messages on silently.
 */
export function decodeBatch(wire: WireBatch): Message[] {
  const problem = wireBatchProblem(wire)
  if (problem !== undefined) throw weirError('INTERNAL', `corrupt batch frame: ${problem}`)
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

/** What is wrong with a batch frame, or undefined when it decodes exactly. */
function wireBatchProblem(wire: WireBatch): string | undefined {
  if (typeof wire !== 'object' || wire === null) return 'not an object'
  const { data, sizes, meta, errors } = wire
  if (!(data instanceof ArrayBuffer)) return 'data is not an ArrayBuffer'
  if (!Array.isArray(sizes) || !Array.isArray(meta) || !Array.isArray(errors)) return 'sizes, meta and errors must be arrays'
  if (meta.length !== sizes.length || errors.length !== sizes.length) return `${sizes.length} sizes, ${meta.length} metadata and ${errors.length} error entries`
  let total = 0
  for (const size of sizes) {
    if (!Number.isSafeInteger(size) || size < 0) return `invalid size ${String(size)}`
    total += size
  }
  if (total !== data.byteLength) return `sizes add up to ${total} bytes, buffer holds ${data.byteLength}`
  for (const m of meta) {
    if (m === null) continue
    if (!Array.isArray(m)) return 'metadata entry is not a list'
    for (const kv of m) if (!Array.isArray(kv) || kv.length !== 2 || typeof kv[0] !== 'string') return 'metadata pair is not [string, value]'
  }
  for (const e of errors) {
    if (e === null) continue
    if (typeof e !== 'object' || typeof e.message !== 'string') return 'error entry has no message'
  }
  return undefined
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
