/**
 * Go's `strings.ToUpper` / `ToLower`: simple (one-to-one) Unicode case mapping per character,
 * where JavaScript's built-ins apply the full mapping.
 */
import { isAsciiString } from '../../value/text/ascii.js'

/** Whether `s` is exactly one code point. */
export function singleCodePoint(s: string): boolean {
  const cp = s.codePointAt(0)
  return cp !== undefined && s.length === (cp > 0xffff ? 2 : 1)
}

/**
 * Go `unicode.ToUpper` (simple mapping). JavaScript applies the full mapping, which expands
 * characters like ß; those keep their simple mapping (Greek letters with ypogegrammeni move to
 * their title-case form, everything else stays as it is).
 */
function simpleUpper(ch: string): string {
  const up = ch.toUpperCase()
  if (up === ch || singleCodePoint(up)) return up
  const cp = ch.codePointAt(0)!
  if ((cp >= 0x1f80 && cp <= 0x1faf) || cp === 0x1fb3 || cp === 0x1fc3 || cp === 0x1ff3) return titleGreekIota(cp) ?? ch
  return ch
}

/** Go `unicode.ToLower`: only U+0130 has a multi-character full mapping; its simple one is `i`. */
function simpleLower(ch: string): string {
  const low = ch.toLowerCase()
  if (low === ch || singleCodePoint(low)) return low
  return ch === '\u0130' ? 'i' : ch
}

function mapRunes(s: string, fn: (ch: string) => string): string {
  let out = ''
  for (const ch of s) out += fn(ch)
  return out
}

/** Go `strings.ToUpper`. */
export function goUpper(s: string): string {
  return isAsciiString(s) ? s.toUpperCase() : mapRunes(s, simpleUpper)
}

/** Go `strings.ToLower`. */
export function goLower(s: string): string {
  return isAsciiString(s) ? s.toLowerCase() : mapRunes(s, simpleLower)
}

/** Title case of a Greek letter with iota subscript (ypogegrammeni), or undefined for others. */
export function titleGreekIota(cp: number): string | undefined {
  if (cp >= 0x1f80 && cp <= 0x1faf) return String.fromCodePoint(cp | 0x8)
  switch (cp) {
    case 0x1fb3:
    case 0x1fbc:
      return '\u1fbc'
    case 0x1fc3:
    case 0x1fcc:
      return '\u1fcc'
    case 0x1ff3:
    case 0x1ffc:
      return '\u1ffc'
  }
  return undefined
}
