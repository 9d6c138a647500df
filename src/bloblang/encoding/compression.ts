/**
 * One implementation per compression algorithm, shared by Bloblang's `compress` / `decompress`,
 * the `compress` / `decompress` processors and the `decompress` scanner. gzip, pgzip (same
 * format), zlib and flate use node:zlib; snappy (block format, as Go's `snappy.Encode`) is
 * implemented here; lz4 (frame format), zstd and bzip2 (decompress only, as the reference) come
 * from small packages (see third-party.ts).
 */
import type * as Zlib from 'node:zlib'
// Loaded on first use (see lazy-builtins.ts): every stream thread loads this file, few compress.
import { zlib } from '../../util/lazy-builtins.js'
import { bzip2Decode, lz4Compress, lz4Decompress, zstdCompress, zstdDecompress } from './third-party.js'


export class CompressionError extends Error {}

type Codec = {
  compress?: (data: Uint8Array, level: number) => Uint8Array
  decompress?: (data: Uint8Array) => Uint8Array
}

/** Go flate levels: -2 (Huffman only), -1 (default), 0..9. */
function flateLevel(level: number, what: string): number {
  if (level < -2 || level > 9) {
    throw new CompressionError(
      what === 'flate' ? `flate: invalid compression level ${level}: want value in range [-2, 9]` : `${what}: invalid compression level: ${level}`,
    )
  }
  return level === -2 ? zlib().constants.Z_DEFAULT_COMPRESSION : level
}

function zlibOptions(level: number, what: string): Zlib.ZlibOptions {
  const l = flateLevel(level, what)
  return level === -2 ? { level: l, strategy: zlib().constants.Z_HUFFMAN_ONLY } : { level: l }
}

/** Runs a node:zlib decoder, phrasing its failures the way Go's readers do where they differ. */
function wrap<T>(what: string, fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    if (e instanceof CompressionError) throw e
    const msg = e instanceof Error ? e.message : String(e)
    if (msg === 'incorrect header check') throw new CompressionError(`${what}: invalid header`)
    if (msg === 'unexpected end of file') throw new CompressionError('unexpected EOF')
    throw new CompressionError(`${what}: ${msg}`)
  }
}

const gzip: Codec = {
  compress: (d, level) => zlib().gzipSync(d, zlibOptions(level, 'gzip')),
  decompress: (d) => wrap('gzip', () => zlib().gunzipSync(d)),
}

const CODECS: Readonly<Record<string, Codec>> = {
  gzip,
  pgzip: gzip,
  zlib: {
    compress: (d, level) => zlib().deflateSync(d, zlibOptions(level, 'zlib')),
    decompress: (d) => wrap('zlib', () => zlib().inflateSync(d)),
  },
  flate: {
    compress: (d, level) => zlib().deflateRawSync(d, zlibOptions(level, 'flate')),
    decompress: (d) => wrap('flate', () => zlib().inflateRawSync(d)),
  },
  snappy: {
    compress: (d) => snappyEncode(d),
    decompress: (d) => snappyDecode(d),
  },
  zstd: {
    compress: (d, level) => wrap('zstd', () => zstdCompress(d, zstdLevel(level))),
    decompress: (d) => wrap('zstd', () => goText(() => zstdDecompress(d), 'invalid zstd data', 'invalid input: magic number mismatch')),
  },
  // The reference maps levels to pierrec/lz4 block levels; every level yields the same frame format.
  lz4: {
    compress: (d) => wrap('lz4', () => lz4Compress(d)),
    decompress: (d) => wrap('lz4', () => goText(() => lz4Decompress(d), 'invalid magic number', 'lz4: bad magic number')),
  },
  bzip2: {
    decompress: (d) => wrap('bzip2', () => goText(() => bzip2Decode(d), 'Not bzip data: bad magic', 'bzip2 data invalid: bad magic value')),
  },
}

/** Runs a decoder, giving the reference's text for a failure the libraries phrase differently. */
function goText<T>(fn: () => T, theirs: string, ours: string): T {
  try {
    return fn()
  } catch (e) {
    if (e instanceof Error && e.message === theirs) throw new CompressionError(ours)
    throw e
  }
}

/** klauspost's `EncoderLevelFromZstd` buckets, as libzstd levels (fastest, default, better, best). */
function zstdLevel(level: number): number {
  if (level < 3) return 1
  if (level < 6) return 3
  if (level < 10) return 7
  return 11
}

/** Names that can compress / decompress, sorted (the processors' enum options). */
export const COMPRESSION_ALGORITHMS: readonly string[] = Object.keys(CODECS)
  .filter((k) => CODECS[k]!.compress !== undefined)
  .sort()
export const DECOMPRESSION_ALGORITHMS: readonly string[] = Object.keys(CODECS).sort()

/** The compressor for a name; throws the reference's "not recognised" error for unknown names. */
export function compressor(name: string): (data: Uint8Array, level: number) => Uint8Array {
  const c = Object.hasOwn(CODECS, name) ? CODECS[name] : undefined
  if (c?.compress === undefined) throw new CompressionError(`compression type not recognised: ${name}`)
  return c.compress
}

export function decompressor(name: string): (data: Uint8Array) => Uint8Array {
  const c = Object.hasOwn(CODECS, name) ? CODECS[name] : undefined
  if (c === undefined) throw new CompressionError(`compression type not recognised: ${name}`)
  if (c.decompress === undefined) throw new CompressionError(`decompression type not recognised: ${name}`)
  return c.decompress
}

//------------------------------------------------------------------------------------------------
// Snappy block format: a varint length, then literal and copy elements.

function putVarint(out: number[], n: number): void {
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80)
    n = Math.floor(n / 128)
  }
  out.push(n)
}

function emitLiteral(out: number[], src: Uint8Array, start: number, end: number): void {
  const n = end - start - 1
  if (n < 60) out.push(n << 2)
  else if (n < 0x100) out.push(60 << 2, n)
  else if (n < 0x10000) out.push(61 << 2, n & 0xff, n >> 8)
  else if (n < 0x1000000) out.push(62 << 2, n & 0xff, (n >> 8) & 0xff, n >> 16)
  else out.push(63 << 2, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff)
  for (let i = start; i < end; i++) out.push(src[i]!)
}

function emitCopy(out: number[], offset: number, length: number): void {
  while (length >= 68) {
    out.push((63 << 2) | 2, offset & 0xff, offset >> 8)
    length -= 64
  }
  if (length > 64) {
    out.push((59 << 2) | 2, offset & 0xff, offset >> 8)
    length -= 60
  }
  if (length >= 12 || offset >= 2048) out.push(((length - 1) << 2) | 2, offset & 0xff, offset >> 8)
  else out.push(((offset >> 8) << 5) | ((length - 4) << 2) | 1, offset & 0xff)
}

/** Greedy LZ77 over 4-byte hashes within 64 KiB blocks; valid for any snappy decoder. */
export function snappyEncode(src: Uint8Array): Uint8Array {
  const out: number[] = []
  putVarint(out, src.length)
  for (let blockStart = 0; blockStart < src.length; blockStart += 65536) {
    const end = Math.min(src.length, blockStart + 65536)
    const table = new Map<number, number>()
    let lit = blockStart
    let i = blockStart
    while (i + 4 <= end) {
      const key = src[i]! | (src[i + 1]! << 8) | (src[i + 2]! << 16) | (src[i + 3]! << 24)
      const cand = table.get(key)
      table.set(key, i)
      if (cand !== undefined && i - cand < 65536) {
        let len = 4
        while (i + len < end && src[cand + len] === src[i + len]) len++
        if (lit < i) emitLiteral(out, src, lit, i)
        emitCopy(out, i - cand, len)
        i += len
        lit = i
      } else i++
    }
    if (lit < end) emitLiteral(out, src, lit, end)
  }
  return Uint8Array.from(out)
}

export function snappyDecode(src: Uint8Array): Uint8Array {
  const corrupt = (): never => {
    throw new CompressionError('snappy: corrupt input')
  }
  let p = 0
  let len = 0
  let shift = 1
  for (;;) {
    if (p >= src.length || shift > 2 ** 35) corrupt()
    const b = src[p++]!
    len += (b & 0x7f) * shift
    if (b < 0x80) break
    shift *= 128
  }
  if (len > 0xffffffff) throw new CompressionError('snappy: decoded block is too large')
  const dst = new Uint8Array(len)
  let d = 0
  while (p < src.length) {
    const tag = src[p]!
    let length: number
    let offset = 0
    switch (tag & 3) {
      case 0: {
        let n = tag >> 2
        p++
        if (n >= 60) {
          const bytes = n - 59
          if (p + bytes > src.length) corrupt()
          n = 0
          for (let k = 0; k < bytes; k++) n += src[p + k]! * 2 ** (8 * k)
          p += bytes
        }
        length = n + 1
        if (p + length > src.length || d + length > len) corrupt()
        dst.set(src.subarray(p, p + length), d)
        d += length
        p += length
        continue
      }
      case 1:
        if (p + 2 > src.length) corrupt()
        length = 4 + ((tag >> 2) & 7)
        offset = ((tag & 0xe0) << 3) | src[p + 1]!
        p += 2
        break
      case 2:
        if (p + 3 > src.length) corrupt()
        length = 1 + (tag >> 2)
        offset = src[p + 1]! | (src[p + 2]! << 8)
        p += 3
        break
      default:
        if (p + 5 > src.length) corrupt()
        length = 1 + (tag >> 2)
        offset = (src[p + 1]! | (src[p + 2]! << 8) | (src[p + 3]! << 16) | (src[p + 4]! << 24)) >>> 0
        p += 5
    }
    if (offset <= 0 || offset > d || d + length > len) corrupt()
    for (let k = 0; k < length; k++, d++) dst[d] = dst[d - offset]!
  }
  if (d !== len) corrupt()
  return dst
}
