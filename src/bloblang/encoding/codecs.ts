/**
 * Text encodings for `encode` / `decode`: base64 (standard, URL, raw URL), hex, ascii85 and z85,
 * decoding with Go's validation rules and error texts (Node's own base64 decoder silently skips
 * bad characters, which the reference rejects).
 */
import { Buffer } from 'node:buffer'
import { unhexDigit } from '../../value/text/ascii.js'
import { isPrint } from '../../value/text/strconv-quote.js'

export class CodecError extends Error {}

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

export type Base64Kind = 'std' | 'url' | 'rawurl'

function decodeMap(alphabet: string): Int16Array {
  const m = new Int16Array(256).fill(-1)
  for (let i = 0; i < alphabet.length; i++) m[alphabet.charCodeAt(i)] = i
  return m
}
const STD_MAP = decodeMap(STD)
const URL_MAP = decodeMap(URL)

export function base64Encode(b: Uint8Array, kind: Base64Kind): string {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength)
  if (kind === 'std') return buf.toString('base64')
  const s = buf.toString('base64url')
  return kind === 'rawurl' ? s : s + '='.repeat((4 - (s.length % 4)) % 4)
}

const isNewline = (c: number): boolean => c === 0x0a || c === 0x0d

/** Go `base64.Encoding.Decode` (non-strict; `\r` and `\n` ignored anywhere). */
export function base64Decode(src: Uint8Array, kind: Base64Kind): Uint8Array {
  const map = kind === 'std' ? STD_MAP : URL_MAP
  const padded = kind !== 'rawurl'
  const corrupt = (at: number): never => {
    throw new CodecError(`illegal base64 data at input byte ${at}`)
  }
  const out: number[] = []
  let si = 0
  while (si < src.length) {
    const quantum = [0, 0, 0, 0]
    let dlen = 4
    let j = 0
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Uint8Array.from(out)
        if (j === 1 || padded) corrupt(si - j)
        dlen = j
        break
      }
      const c = src[si]!
      si++
      const v = map[c]!
      if (v >= 0) {
        quantum[j] = v
        continue
      }
      if (isNewline(c)) {
        j--
        continue
      }
      if (!padded || c !== 0x3d) corrupt(si - 1)
      // Padding: only after two or three symbols, "==" or "=", then nothing but newlines.
      if (j < 2) corrupt(si - 1)
      if (j === 2) {
        while (si < src.length && isNewline(src[si]!)) si++
        if (si === src.length) corrupt(src.length)
        if (src[si] !== 0x3d) corrupt(si - 1)
        si++
      }
      while (si < src.length && isNewline(src[si]!)) si++
      if (si < src.length) corrupt(si)
      dlen = j
      break
    }
    const v = (quantum[0]! << 18) | (quantum[1]! << 12) | (quantum[2]! << 6) | quantum[3]!
    const bytes = [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff]
    for (let k = 0; k < dlen - 1; k++) out.push(bytes[k]!)
    if (dlen < 4) break
  }
  return Uint8Array.from(out)
}

export function hexEncode(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')
}

/** Go `%#U` of a byte read as a rune: `U+0067 'g'` (no quoted form for unprintables). */
export function goRuneU(c: number): string {
  const hex = 'U+' + c.toString(16).toUpperCase().padStart(4, '0')
  return isPrint(c) ? `${hex} '${String.fromCharCode(c)}'` : hex
}

/** Go's streaming hex decoder: pairs first, then an odd trailing digit is "unexpected EOF". */
export function hexDecode(src: Uint8Array): Uint8Array {
  const even = src.length - (src.length % 2)
  const out = new Uint8Array(even / 2)
  for (let i = 0; i < even; i += 2) {
    const a = unhexDigit(src[i]!)
    const b = unhexDigit(src[i + 1]!)
    if (a < 0) throw new CodecError(`encoding/hex: invalid byte: ${goRuneU(src[i]!)}`)
    if (b < 0) throw new CodecError(`encoding/hex: invalid byte: ${goRuneU(src[i + 1]!)}`)
    out[i / 2] = (a << 4) | b
  }
  if (src.length % 2 === 1) {
    const last = src[src.length - 1]!
    if (unhexDigit(last) < 0) throw new CodecError(`encoding/hex: invalid byte: ${goRuneU(last)}`)
    throw new CodecError('unexpected EOF')
  }
  return out
}

/** Go `ascii85.Encode` (btoa style: `z` for zero groups, no `<~ ~>` delimiters). */
export function ascii85Encode(src: Uint8Array): string {
  let out = ''
  for (let i = 0; i < src.length; i += 4) {
    const n = Math.min(4, src.length - i)
    let v = 0
    for (let k = 0; k < 4; k++) v = v * 256 + (k < n ? src[i + k]! : 0)
    if (v === 0 && n === 4) {
      out += 'z'
      continue
    }
    const digits: string[] = []
    for (let k = 0; k < 5; k++) {
      digits.unshift(String.fromCharCode(0x21 + (v % 85)))
      v = Math.floor(v / 85)
    }
    out += digits.slice(0, n + 1).join('')
  }
  return out
}

/** Go `ascii85.Decode` with flush: whitespace and control bytes skipped, short final group allowed. */
export function ascii85Decode(src: Uint8Array): Uint8Array {
  const out: number[] = []
  let v = 0
  let nb = 0
  for (let i = 0; i < src.length; i++) {
    const b = src[i]!
    if (b <= 0x20) continue
    if (b === 0x7a && nb === 0) {
      nb = 5
      v = 0
    } else if (b >= 0x21 && b <= 0x75) {
      v = (v * 85 + (b - 0x21)) % 0x1_0000_0000
      nb++
    } else throw new CodecError(`illegal ascii85 data at input byte ${i}`)
    if (nb === 5) {
      out.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff)
      nb = 0
      v = 0
    }
  }
  if (nb > 0) {
    if (nb === 1) throw new CodecError(`illegal ascii85 data at input byte ${src.length}`)
    // The short group was truncated: assume the largest digits so the top bits come out right.
    for (let i = nb; i < 5; i++) v = (v * 85 + 84) % 0x1_0000_0000
    for (let i = 0; i < nb - 1; i++) {
      out.push((v >>> 24) & 0xff)
      v = (v * 256) % 0x1_0000_0000
    }
  }
  return Uint8Array.from(out)
}

const Z85 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#'
const Z85_MAP = decodeMap(Z85)

/** ZeroMQ Z85; input must be a multiple of 4 bytes. */
export function z85Encode(src: Uint8Array): string {
  if (src.length % 4 !== 0) throw new CodecError('z85: wrongly aligned input data')
  let out = ''
  for (let i = 0; i < src.length; i += 4) {
    let v = ((src[i]! << 24) >>> 0) + (src[i + 1]! << 16) + (src[i + 2]! << 8) + src[i + 3]!
    const digits: string[] = []
    for (let k = 0; k < 5; k++) {
      digits.unshift(Z85[v % 85]!)
      v = Math.floor(v / 85)
    }
    out += digits.join('')
  }
  return out
}

/** ZeroMQ Z85; input must be a multiple of 5 characters. */
export function z85Decode(src: Uint8Array): Uint8Array {
  if (src.length % 5 !== 0) throw new CodecError('z85: wrongly aligned input data')
  const out = new Uint8Array((src.length / 5) * 4)
  for (let i = 0; i < src.length; i += 5) {
    let v = 0
    for (let k = 0; k < 5; k++) {
      const c = src[i + k]!
      const d = c >= 0x21 && c <= 0x7d ? Z85_MAP[c]! : -1
      if (d < 0) throw new CodecError(`z85: invalid input byte: ${goRuneU(c)}`)
      v = (v * 85 + d) % 0x1_0000_0000
    }
    const o = (i / 5) * 4
    out[o] = v >>> 24
    out[o + 1] = (v >>> 16) & 0xff
    out[o + 2] = (v >>> 8) & 0xff
    out[o + 3] = v & 0xff
  }
  return out
}
