/** Go's `strings.Trim*` / `bytes.Trim*`: trimming code points by white space or by a cutset. */
import { decodeLastRune, decodeRune } from '../../value/text/utf8.js'

// All White_Space characters are in the BMP.
const SPACE = /^\p{White_Space}$/u

/** Go `unicode.IsSpace`. */
export function isSpaceCp(cp: number): boolean {
  if (cp < 0x80) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d)
  return cp <= 0xffff && SPACE.test(String.fromCharCode(cp))
}

/** Trim code points matching `drop` from both ends of a string. */
export function trimString(s: string, drop: (cp: number) => boolean): string {
  let start = 0
  while (start < s.length) {
    const cp = s.codePointAt(start)!
    if (!drop(cp)) break
    start += cp > 0xffff ? 2 : 1
  }
  let end = s.length
  while (end > start) {
    const lo = s.charCodeAt(end - 1)
    const width = lo >= 0xdc00 && lo <= 0xdfff && end - 2 >= start && s.charCodeAt(end - 2) >= 0xd800 && s.charCodeAt(end - 2) <= 0xdbff ? 2 : 1
    if (!drop(s.codePointAt(end - width)!)) break
    end -= width
  }
  return s.slice(start, end)
}

/** Same on bytes, decoding runes as Go does (invalid bytes read as U+FFFD). */
export function trimBytes(b: Uint8Array, drop: (cp: number) => boolean): Uint8Array {
  let start = 0
  while (start < b.length) {
    const [cp, size] = decodeRune(b, start)
    if (!drop(cp)) break
    start += size
  }
  let end = b.length
  while (end > start) {
    const [cp, size] = decodeLastRune(b, end)
    if (!drop(cp)) break
    end -= size
  }
  return b.subarray(start, end)
}

/** Membership test for the code points of a Go cutset string. */
export function cutsetPredicate(cutset: string): (cp: number) => boolean {
  const set = new Set<number>()
  for (const ch of cutset) set.add(ch.codePointAt(0)!)
  return (cp) => set.has(cp)
}

