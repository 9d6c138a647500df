/**
 * Non-cryptographic hashes for `hash()` that node:crypto lacks: CRC-32 (IEEE, Castagnoli,
 * Koopman polynomials; big-endian 4-byte digest like Go's `Sum`), FNV-1 32-bit and XXH64.
 */

const POLYNOMIALS = { IEEE: 0xedb88320, Castagnoli: 0x82f63b78, Koopman: 0xeb31d82e } as const
export type Crc32Polynomial = keyof typeof POLYNOMIALS

const tables = new Map<number, Uint32Array>()

function table(poly: number): Uint32Array {
  let t = tables.get(poly)
  if (t === undefined) {
    t = new Uint32Array(256)
    for (let i = 0; i < 256; i++) {
      let c = i
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1
      t[i] = c >>> 0
    }
    tables.set(poly, t)
  }
  return t
}

export function isCrc32Polynomial(p: string): p is Crc32Polynomial {
  return Object.hasOwn(POLYNOMIALS, p)
}

export function crc32(data: Uint8Array, poly: Crc32Polynomial): Uint8Array {
  const t = table(POLYNOMIALS[poly])
  let c = 0xffffffff
  for (const b of data) c = t[(c ^ b) & 0xff]! ^ (c >>> 8)
  c = (c ^ 0xffffffff) >>> 0
  return Uint8Array.of(c >>> 24, (c >>> 16) & 0xff, (c >>> 8) & 0xff, c & 0xff)
}

/** FNV-1 (multiply, then xor), 32-bit, as Go's `fnv.New32`. */
export function fnv32(data: Uint8Array): number {
  let h = 0x811c9dc5
  for (const b of data) h = (Math.imul(h, 0x01000193) ^ b) >>> 0
  return h >>> 0
}

const M64 = (1n << 64n) - 1n
const P1 = 11400714785074694791n
const P2 = 14029467366897019727n
const P3 = 1609587929392839161n
const P4 = 9650029242287828579n
const P5 = 2870177450012600261n

const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & M64

function round(acc: bigint, lane: bigint): bigint {
  acc = (acc + lane * P2) & M64
  return (rotl(acc, 31n) * P1) & M64
}

function mergeRound(acc: bigint, val: bigint): bigint {
  acc ^= round(0n, val)
  return (acc * P1 + P4) & M64
}

/** XXH64 with seed 0. */
export function xxhash64(data: Uint8Array): bigint {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const len = data.length
  let i = 0
  let h: bigint
  if (len >= 32) {
    let v1 = (P1 + P2) & M64
    let v2 = P2
    let v3 = 0n
    let v4 = (0n - P1) & M64
    for (; i + 32 <= len; i += 32) {
      v1 = round(v1, view.getBigUint64(i, true))
      v2 = round(v2, view.getBigUint64(i + 8, true))
      v3 = round(v3, view.getBigUint64(i + 16, true))
      v4 = round(v4, view.getBigUint64(i + 24, true))
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & M64
    h = mergeRound(h, v1)
    h = mergeRound(h, v2)
    h = mergeRound(h, v3)
    h = mergeRound(h, v4)
  } else h = P5
  h = (h + BigInt(len)) & M64
  for (; i + 8 <= len; i += 8) {
    h ^= round(0n, view.getBigUint64(i, true))
    h = (rotl(h, 27n) * P1 + P4) & M64
  }
  if (i + 4 <= len) {
    h ^= (BigInt(view.getUint32(i, true)) * P1) & M64
    h = (rotl(h, 23n) * P2 + P3) & M64
    i += 4
  }
  for (; i < len; i++) {
    h ^= (BigInt(data[i]!) * P5) & M64
    h = (rotl(h, 11n) * P1) & M64
  }
  h ^= h >> 33n
  h = (h * P2) & M64
  h ^= h >> 29n
  h = (h * P3) & M64
  h ^= h >> 32n
  return h
}
