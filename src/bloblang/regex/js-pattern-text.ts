/** Code points and ranges written as JavaScript `v`-mode pattern text. */
import { isAsciiAlnum } from '../../value/text/ascii.js'

/** A code point as a v-mode pattern atom (valid both inside and outside classes). */
export function escapeCp(cp: number): string {
  if (isAsciiAlnum(cp)) return String.fromCharCode(cp)
  return `\\u{${cp.toString(16)}}`
}

/** Range pairs [lo, hi, ...] as the body of a v-mode class. */
export function rangesText(ranges: readonly number[]): string {
  let out = ''
  for (let i = 0; i < ranges.length; i += 2) {
    const lo = ranges[i]!
    const hi = ranges[i + 1]!
    out += lo === hi ? escapeCp(lo) : `${escapeCp(lo)}-${escapeCp(hi)}`
  }
  return out
}
