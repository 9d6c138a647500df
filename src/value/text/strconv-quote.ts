/** Go's `strconv.Quote` family (`Quote`, `QuoteToASCII`, `QuoteRune`, `CanBackquote`), exactly. */
import { LOWER_HEX as HEX } from './ascii.js'
import { decodeRune } from './utf8.js'

const encoder = new TextEncoder()

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u

/** Go `strconv.IsPrint`. */
export function isPrint(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x20 && cp < 0x7f
  if (cp >= 0xd800 && cp <= 0xdfff) return false
  return PRINTABLE.test(String.fromCodePoint(cp))
}

function appendEscapedRune(out: string[], r: number, quote: number, asciiOnly: boolean): void {
  if (r === quote || r === 0x5c) {
    out.push('\\', String.fromCodePoint(r))
    return
  }
  if (asciiOnly ? r < 0x80 && isPrint(r) : isPrint(r)) {
    out.push(String.fromCodePoint(r))
    return
  }
  switch (r) {
    case 0x07:
      out.push('\\a')
      return
    case 0x08:
      out.push('\\b')
      return
    case 0x0c:
      out.push('\\f')
      return
    case 0x0a:
      out.push('\\n')
      return
    case 0x0d:
      out.push('\\r')
      return
    case 0x09:
      out.push('\\t')
      return
    case 0x0b:
      out.push('\\v')
      return
  }
  if (r < 0x20 || r === 0x7f) out.push('\\x', HEX[r >> 4]!, HEX[r & 15]!)
  else {
    if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = 0xfffd
    if (r < 0x10000) out.push('\\u', r.toString(16).padStart(4, '0'))
    else out.push('\\U', r.toString(16).padStart(8, '0'))
  }
}

/** Go `strconv.Quote` (or `QuoteToASCII`) of raw bytes: invalid UTF-8 bytes become `\xHH`. */
export function goQuoteBytes(b: Uint8Array, quote = 0x22, asciiOnly = false): string {
  const out: string[] = [String.fromCharCode(quote)]
  for (let i = 0; i < b.length; ) {
    const [r, size] = decodeRune(b, i)
    if (size === 1 && r === 0xfffd) {
      out.push('\\x', HEX[b[i]! >> 4]!, HEX[b[i]! & 15]!)
    } else appendEscapedRune(out, r, quote, asciiOnly)
    i += size
  }
  out.push(String.fromCharCode(quote))
  return out.join('')
}

/** Go `strconv.Quote` (or `QuoteToASCII`) of the UTF-8 form of `s`. */
export function goQuote(s: string, asciiOnly = false): string {
  return goQuoteBytes(encoder.encode(s), 0x22, asciiOnly)
}

/** Go `strconv.QuoteRune` / `QuoteRuneToASCII`. */
export function goQuoteRune(r: number, asciiOnly: boolean): string {
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff) || r < 0) r = 0xfffd
  const out: string[] = ["'"]
  appendEscapedRune(out, r, 0x27, asciiOnly)
  out.push("'")
  return out.join('')
}

/** Go `strconv.CanBackquote`. */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const r = ch.codePointAt(0)!
    if (r === 0xfeff) return false
    if (r >= 0x80) continue
    if ((r < 0x20 && r !== 0x09) || r === 0x60 || r === 0x7f) return false
  }
  return true
}
