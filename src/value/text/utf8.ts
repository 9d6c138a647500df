/** UTF-8 the way Go sees it: rune decoding where every invalid byte is one U+FFFD, and rune counts. */
import { Buffer } from 'node:buffer'
import { isAsciiString } from './ascii.js'

const strictDecoder = new TextDecoder('utf-8', { fatal: true })

/**
 * Bytes as text, every invalid byte becoming one U+FFFD (Go's `range` over a string; the WHATWG
 * decoder would sometimes merge several invalid bytes into one replacement character).
 */
export function goDecode(b: Uint8Array): string {
  try {
    return strictDecoder.decode(b)
  } catch {
    let out = ''
    for (let i = 0; i < b.length; ) {
      const [cp, size] = decodeRune(b, i)
      out += String.fromCodePoint(cp)
      i += size
    }
    return out
  }
}

/**
 * Go `utf8.DecodeRune` of b[i:end]: [code point, byte length]; invalid input gives [U+FFFD, 1].
 */
export function decodeRune(b: Uint8Array, i: number, end = b.length): [number, number] {
  const c0 = b[i]!
  if (c0 < 0x80) return [c0, 1]
  const need = c0 >= 0xc2 && c0 <= 0xdf ? 1 : c0 >= 0xe0 && c0 <= 0xef ? 2 : c0 >= 0xf0 && c0 <= 0xf4 ? 3 : 0
  if (need === 0 || i + need >= end) return [0xfffd, 1]
  let cp = c0 & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07)
  for (let k = 1; k <= need; k++) {
    const c = b[i + k]!
    // The second byte's range depends on the first (no overlongs, surrogates or > U+10FFFF).
    let lo = 0x80
    let hi = 0xbf
    if (k === 1) {
      if (c0 === 0xe0) lo = 0xa0
      else if (c0 === 0xed) hi = 0x9f
      else if (c0 === 0xf0) lo = 0x90
      else if (c0 === 0xf4) hi = 0x8f
    }
    if (c < lo || c > hi) return [0xfffd, 1]
    cp = (cp << 6) | (c & 0x3f)
  }
  return [cp, need + 1]
}

/** Go `utf8.DecodeLastRune` ending at `end` (exclusive). */
export function decodeLastRune(b: Uint8Array, end: number): [number, number] {
  const last = b[end - 1]!
  if (last < 0x80) return [last, 1]
  let start = end - 1
  const lim = Math.max(0, end - 4)
  while (start > lim && (b[start]! & 0xc0) === 0x80) start--
  const [cp, size] = decodeRune(b, start, end)
  return start + size === end ? [cp, size] : [0xfffd, 1]
}

/** Byte boundaries of each UTF-8 sequence (Go's rune iteration, invalid bytes one by one). */
export function runeBounds(b: Uint8Array): number[] {
  const out = [0]
  for (let i = 0; i < b.length; ) {
    i += decodeRune(b, i)[1]
    out.push(i)
  }
  return out
}

/** Go `len(s)` of a string: its UTF-8 length in bytes. */
export function utf8Length(s: string): number {
  return isAsciiString(s) ? s.length : Buffer.byteLength(s, 'utf8')
}

/** Go `utf8.RuneCountInString` of the UTF-8 form of `s` (a lone surrogate counts once). */
export function runeCount(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0xdc00 || c > 0xdfff || i === 0 || s.charCodeAt(i - 1) < 0xd800 || s.charCodeAt(i - 1) > 0xdbff) n++
  }
  return n
}
