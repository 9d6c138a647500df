/**
 * Zip archives for `archive` / `unarchive`. Writing uses fflate (deflate + CRC32, every entry
 * deflated as the reference does); reading walks the central directory itself, as Go's
 * `archive/zip` does, so entries written with data descriptors and repeated names both survive
 * (fflate's readers key entries by name).
 */
import { Buffer } from 'node:buffer'
import { inflateRawSync } from 'node:zlib'
import { Zip, ZipDeflate } from 'fflate'

export interface ZipEntry {
  name: string
  data: Uint8Array
}

export function writeZip(entries: readonly ZipEntry[]): Uint8Array {
  const chunks: Uint8Array[] = []
  let failure: Error | null = null
  // The synchronous classes call back before returning.
  const zip = new Zip((err, chunk) => {
    if (err) failure = err
    else chunks.push(chunk)
  })
  for (const e of entries) {
    const file = new ZipDeflate(e.name, { level: 6 })
    zip.add(file)
    file.push(e.data, true)
  }
  zip.end()
  if (failure) throw failure
  return Buffer.concat(chunks)
}

const NOT_VALID = 'zip: not a valid zip file'

/** Entries in central-directory order. Throws Go's `zip:` errors. */
export function readZip(data: Uint8Array): ZipEntry[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  let eocd = -1
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new Error(NOT_VALID)
  const count = buf.readUInt16LE(eocd + 10)
  let off = buf.readUInt32LE(eocd + 16)
  const out: ZipEntry[] = []
  for (let i = 0; i < count; i++) {
    if (off + 46 > buf.length || buf.readUInt32LE(off) !== 0x02014b50) throw new Error(NOT_VALID)
    const method = buf.readUInt16LE(off + 10)
    const compSize = buf.readUInt32LE(off + 20)
    const nameLen = buf.readUInt16LE(off + 28)
    const extraLen = buf.readUInt16LE(off + 30)
    const commentLen = buf.readUInt16LE(off + 32)
    const local = buf.readUInt32LE(off + 42)
    const name = buf.toString('utf8', off + 46, off + 46 + nameLen)
    off += 46 + nameLen + extraLen + commentLen
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50) throw new Error('zip: not a valid zip file')
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
    if (start + compSize > buf.length) throw new Error('unexpected EOF')
    const raw = buf.subarray(start, start + compSize)
    if (method === 0) out.push({ name, data: raw })
    else if (method === 8) {
      try {
        out.push({ name, data: inflateRawSync(raw) })
      } catch (err) {
        throw new Error(`flate: corrupt input (${err instanceof Error ? err.message : String(err)})`)
      }
    } else throw new Error('zip: unsupported compression algorithm')
  }
  return out
}
