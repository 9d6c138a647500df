/**
 * Decompressing a scanner's source as a stream, per algorithm (the reference's DecompressReader):
 * gzip/pgzip/zlib/flate through node:zlib streams and zstd through fzstd's streaming decoder,
 * chunk by chunk; lz4 and bzip2 (whose decoders here take whole inputs) and snappy (the framing
 * format, as Go's `snappy.NewReader` reads) after reading the whole source.
 */
import { Readable } from 'node:stream'
import * as zlib from 'node:zlib'
import { Decompress as ZstdStream } from 'fzstd'
import { decompressor, snappyDecode } from '../../bloblang/encoding/compression.js'

type StreamDecoder = (source: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>

const viaZlib =
  (make: () => zlib.Gunzip | zlib.Inflate | zlib.InflateRaw): StreamDecoder =>
  (source) =>
    Readable.from(source, { objectMode: false }).pipe(make())

async function* whole(source: AsyncIterable<Uint8Array>, decode: (d: Uint8Array) => Uint8Array): AsyncGenerator<Uint8Array> {
  const chunks: Uint8Array[] = []
  for await (const c of source) chunks.push(c)
  yield decode(Buffer.concat(chunks))
}

async function* zstdStream(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = []
  const d = new ZstdStream((chunk) => out.push(chunk))
  for await (const c of source) {
    d.push(c)
    yield* out.splice(0)
  }
  d.push(new Uint8Array(0), true)
  yield* out.splice(0)
}

/** Snappy framing format: a stream identifier, then compressed / uncompressed / skippable chunks. */
export function snappyFramedDecode(data: Uint8Array): Uint8Array {
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  const out: Uint8Array[] = []
  let off = 0
  let seenId = false
  while (off < b.length) {
    if (b.length - off < 4) throw new Error('snappy: corrupt input')
    const type = b[off]!
    const len = b[off + 1]! | (b[off + 2]! << 8) | (b[off + 3]! << 16)
    const body = b.subarray(off + 4, off + 4 + len)
    if (body.length < len) throw new Error('snappy: corrupt input')
    off += 4 + len
    if (type === 0xff) {
      if (body.toString('latin1') !== 'sNaPpY') throw new Error('snappy: corrupt input')
      seenId = true
      continue
    }
    if (!seenId) throw new Error('snappy: corrupt input')
    if (type === 0x00 || type === 0x01) {
      if (body.length < 4) throw new Error('snappy: corrupt input')
      const data = type === 0x00 ? snappyDecode(body.subarray(4)) : body.subarray(4)
      // Data chunks open with a masked CRC-32C of their uncompressed bytes.
      if (body.readUInt32LE(0) !== maskedCrc32c(data)) throw new Error('snappy: corrupt input')
      out.push(data)
    } else if (type < 0x80) throw new Error('snappy: unsupported input')
  }
  return Buffer.concat(out)
}

const CRC32C = (() => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()

/** Snappy's checksum: CRC-32C (Castagnoli), rotated and offset. */
export function maskedCrc32c(data: Uint8Array): number {
  let c = 0xffffffff
  for (const b of data) c = CRC32C[(c ^ b) & 0xff]! ^ (c >>> 8)
  c = (c ^ 0xffffffff) >>> 0
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0
}

const DECODERS: Readonly<Record<string, StreamDecoder>> = {
  gzip: viaZlib(() => zlib.createGunzip()),
  pgzip: viaZlib(() => zlib.createGunzip()),
  zlib: viaZlib(() => zlib.createInflate()),
  flate: viaZlib(() => zlib.createInflateRaw()),
  zstd: zstdStream,
  snappy: (s) => whole(s, snappyFramedDecode),
  lz4: (s) => whole(s, decompressor('lz4')),
  bzip2: (s) => whole(s, decompressor('bzip2')),
}

/** The stream decoder for `algorithm`; throws the reference's error for unknown names. */
export function streamDecompressor(algorithm: string): StreamDecoder {
  const d = Object.hasOwn(DECODERS, algorithm) ? DECODERS[algorithm] : undefined
  if (!d) throw new Error(`compression type not recognised: ${algorithm}`)
  return d
}
