/** Byte-slice primitives from Go's `bytes` package that Uint8Array lacks. */
import { Buffer } from 'node:buffer'

/** Go `bytes.Index` from `from` on: the offset of `needle` in `hay`, or -1. */
export function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).indexOf(Buffer.from(needle.buffer, needle.byteOffset, needle.byteLength), from)
}

/** A fresh (unpooled) byte array holding the parts one after another. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0
  for (const p of parts) total += p.length
  const out = new Uint8Array(total)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** Whether `needle` occurs in `hay` at offset `at` (false when it would not fit). */
export function bytesEqualAt(hay: Uint8Array, needle: Uint8Array, at: number): boolean {
  if (at < 0 || at + needle.length > hay.length) return false
  for (let i = 0; i < needle.length; i++) if (hay[at + i] !== needle[i]) return false
  return true
}
