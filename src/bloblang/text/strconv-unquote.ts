/** Go's `strconv.Unquote` over UTF-8 bytes: double-quoted, back-quoted and single-rune literals. */
import { MappingError } from '../../value/value-errors.js'
import { unhexDigit } from '../../value/text/ascii.js'
import { decodeRune } from '../../value/text/utf8.js'

const encoder = new TextEncoder()

const SYNTAX = 'invalid syntax'

function pushRune(out: number[], cp: number): void {
  if (cp < 0x80) out.push(cp)
  else out.push(...encoder.encode(String.fromCodePoint(cp)))
}

/** Go `strconv.Unquote` over UTF-8 bytes; the result may hold raw bytes from `\x` escapes. */
export function goUnquote(input: Uint8Array): Uint8Array {
  const n = input.length
  if (n < 2) throw new MappingError(SYNTAX)
  const quote = input[0]!
  const close = input.indexOf(quote, 1)
  if (close < 0) throw new MappingError(SYNTAX)
  if (quote === 0x60) {
    if (close !== n - 1) throw new MappingError(SYNTAX)
    // Carriage returns are discarded from raw strings.
    return input.subarray(1, n - 1).filter((c) => c !== 0x0d)
  }
  if (quote !== 0x22 && quote !== 0x27) throw new MappingError(SYNTAX)
  const out: number[] = []
  let i = 1
  while (i < n && input[i] !== quote) {
    const c = input[i]!
    if (c === 0x0a) throw new MappingError(SYNTAX)
    if (c >= 0x80) {
      const [r, size] = decodeRune(input, i)
      pushRune(out, r)
      i += size
    } else if (c !== 0x5c) {
      out.push(c)
      i++
    } else {
      i = unquoteEscape(input, i, quote, out)
    }
    if (quote === 0x27) break
  }
  if (i >= n || input[i] !== quote || i !== n - 1) throw new MappingError(SYNTAX)
  return Uint8Array.from(out)
}

/** One backslash escape at `i` (Go `UnquoteChar`); returns the index after it. */
function unquoteEscape(input: Uint8Array, i: number, quote: number, out: number[]): number {
  if (i + 1 >= input.length) throw new MappingError(SYNTAX)
  const c = input[i + 1]!
  i += 2
  const simple: Record<number, number> = { 0x61: 7, 0x62: 8, 0x66: 12, 0x6e: 10, 0x72: 13, 0x74: 9, 0x76: 11, 0x5c: 0x5c }
  const s = simple[c]
  if (s !== undefined) {
    out.push(s)
    return i
  }
  if (c === 0x78 || c === 0x75 || c === 0x55) {
    const len = c === 0x78 ? 2 : c === 0x75 ? 4 : 8
    if (i + len > input.length) throw new MappingError(SYNTAX)
    let v = 0
    for (let j = 0; j < len; j++) {
      const x = unhexDigit(input[i + j]!)
      if (x < 0) throw new MappingError(SYNTAX)
      v = v * 16 + x
    }
    i += len
    if (c === 0x78) out.push(v)
    else {
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new MappingError(SYNTAX)
      pushRune(out, v)
    }
    return i
  }
  if (c >= 0x30 && c <= 0x37) {
    let v = c - 0x30
    if (i + 2 > input.length) throw new MappingError(SYNTAX)
    for (let j = 0; j < 2; j++) {
      const x = input[i + j]! - 0x30
      if (x < 0 || x > 7) throw new MappingError(SYNTAX)
      v = v * 8 + x
    }
    if (v > 255) throw new MappingError(SYNTAX)
    out.push(v)
    return i + 2
  }
  if ((c === 0x27 || c === 0x22) && c === quote) {
    out.push(c)
    return i
  }
  throw new MappingError(SYNTAX)
}
