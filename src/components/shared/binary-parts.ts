/**
 * The reference's binary batch format (`message.SerializeBytes`): a big-endian u32 part count,
 * then a big-endian u32 length and the bytes of each part. Used by `archive` / `unarchive: binary`.
 */
import { Buffer } from 'node:buffer'

export function serializeParts(parts: readonly Uint8Array[]): Uint8Array {
  const out = Buffer.alloc(4 + parts.reduce((n, p) => n + 4 + p.length, 0))
  out.writeUInt32BE(parts.length, 0)
  let off = 4
  for (const p of parts) {
    out.writeUInt32BE(p.length, off)
    out.set(p, off + 4)
    off += 4 + p.length
  }
  return out
}

const BAD = 'serialised message bytes were in unexpected format'

export function deserializeParts(data: Uint8Array): Uint8Array[] {
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  if (b.length < 4) throw new Error(BAD)
  const n = b.readUInt32BE(0)
  if (n >= b.length) throw new Error(BAD)
  const out: Uint8Array[] = []
  let off = 4
  for (let i = 0; i < n; i++) {
    if (b.length - off < 4) throw new Error(BAD)
    const size = b.readUInt32BE(off)
    off += 4
    if (b.length - off < size) throw new Error(BAD)
    out.push(b.subarray(off, off + size))
    off += size
  }
  return out
}
