/**
 * Tar archives for `archive` / `unarchive`: writes regular files as Go's `archive/tar` writes
 * them from a FileInfo (USTAR, mode 0666, a PAX `path` record when the name does not fit), and
 * reads USTAR/GNU/PAX archives, yielding every entry that is not a metadata record.
 */
import { Buffer } from 'node:buffer'

const BLOCK = 512

export interface TarEntry {
  name: string
  data: Uint8Array
}

function octal(buf: Buffer, off: number, len: number, value: number): void {
  buf.write(value.toString(8).padStart(len - 1, '0') + '\0', off, len, 'ascii')
}

function header(name: string, size: number, type: string, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK)
  h.write(name, 0, 100, 'utf8')
  octal(h, 100, 8, 0o666)
  octal(h, 108, 8, 0)
  octal(h, 116, 8, 0)
  octal(h, 124, 12, size)
  octal(h, 136, 12, mtime)
  h.write(type, 156, 1, 'ascii')
  h.write('ustar\u000000', 257, 8, 'ascii')
  h.fill(0x20, 148, 156)
  let sum = 0
  for (const b of h) sum += b
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii')
  return h
}

function padded(data: Uint8Array): Buffer[] {
  const rest = data.length % BLOCK
  return rest === 0 ? [Buffer.from(data)] : [Buffer.from(data), Buffer.alloc(BLOCK - rest)]
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`
  let len = Buffer.byteLength(body) + 1
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body)
  return `${len}${body}`
}

/** A tar archive of `entries`, closed with the two zero blocks. */
export function writeTar(entries: readonly TarEntry[], now = new Date()): Uint8Array {
  const mtime = Math.floor(now.getTime() / 1000)
  const out: Buffer[] = []
  for (const e of entries) {
    let name = e.name
    if (Buffer.byteLength(name) > 100) {
      const pax = Buffer.from(paxRecord('path', name))
      out.push(header('PaxHeaders.0/' + name.slice(0, 50).replace(/\0/g, ''), pax.length, 'x', mtime), ...padded(pax))
      name = name.slice(0, 100)
    }
    out.push(header(name, e.data.length, '0', mtime), ...padded(e.data))
  }
  out.push(Buffer.alloc(BLOCK * 2))
  return Buffer.concat(out)
}

function cString(buf: Buffer, off: number, len: number): string {
  const end = buf.indexOf(0, off)
  return buf.toString('utf8', off, end === -1 || end > off + len ? off + len : end)
}

function parseOctal(buf: Buffer, off: number, len: number): number {
  // GNU base-256 for large values.
  if (buf[off]! & 0x80) {
    let v = 0
    for (let i = 1; i < len; i++) v = v * 256 + buf[off + i]!
    return v
  }
  const s = cString(buf, off, len).trim()
  if (s === '') return 0
  if (!/^[0-7]+$/.test(s)) throw new Error('archive/tar: invalid tar header')
  return parseInt(s, 8)
}

function paxPath(data: Buffer): string | undefined {
  let off = 0
  let path: string | undefined
  while (off < data.length) {
    const sp = data.indexOf(0x20, off)
    if (sp === -1) throw new Error('archive/tar: invalid tar header')
    const len = parseInt(data.toString('ascii', off, sp), 10)
    if (!Number.isFinite(len) || len <= 0 || off + len > data.length) throw new Error('archive/tar: invalid tar header')
    const rec = data.toString('utf8', sp + 1, off + len - 1)
    const eq = rec.indexOf('=')
    if (eq > 0 && rec.slice(0, eq) === 'path') path = rec.slice(eq + 1)
    off += len
  }
  return path
}

/** Entries of a tar archive, in order. Throws Go's errors for malformed archives. */
export function readTar(data: Uint8Array): TarEntry[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  const out: TarEntry[] = []
  let off = 0
  let longName: string | undefined
  while (off < buf.length) {
    if (buf.length - off < BLOCK) throw new Error('unexpected EOF')
    const h = buf.subarray(off, off + BLOCK)
    if (h.every((b) => b === 0)) break
    const stored = parseOctal(h, 148, 8)
    let sum = 0
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!
    if (sum !== stored) throw new Error('archive/tar: invalid tar header')
    const size = parseOctal(h, 124, 12)
    const type = String.fromCharCode(h[156]!)
    off += BLOCK
    if (off + size > buf.length) throw new Error('unexpected EOF')
    const body = buf.subarray(off, off + size)
    off += Math.ceil(size / BLOCK) * BLOCK
    if (type === 'x') {
      longName = paxPath(body) ?? longName
      continue
    }
    if (type === 'L') {
      longName = cString(body, 0, body.length)
      continue
    }
    if (type === 'g' || type === 'K') continue
    let name = cString(h, 0, 100)
    const magic = h.toString('ascii', 257, 262)
    const prefix = magic === 'ustar' ? cString(h, 345, 155) : ''
    if (prefix !== '') name = `${prefix}/${name}`
    out.push({ name: longName ?? name, data: body })
    longName = undefined
  }
  return out
}
