/**
 * Go's `net/url` percent-encoding: which bytes each URL component escapes (`shouldEscape`) and
 * `escape` / `unescape` with their validity rules and error texts. Works on UTF-8 bytes like Go.
 */
import { UPPER_HEX, isAsciiAlnum, unhexDigit } from '../../value/text/ascii.js'
import { goQuote, goQuoteBytes } from '../../value/text/strconv-quote.js'

/** The URL component being encoded (Go's `encoding` constants). */
export type UrlMode = 'path' | 'pathSegment' | 'host' | 'zone' | 'userPassword' | 'queryComponent' | 'fragment'

/** A URL that Go's `net/url` rejects; the message is Go's. */
export class UrlError extends Error {}

/** Go `shouldEscape` for one byte in one component. */
function escapes(c: number, mode: UrlMode): boolean {
  if (isAsciiAlnum(c)) return false
  const ch = String.fromCharCode(c)
  if ((mode === 'host' || mode === 'zone') && "!$&'()*+,;=:[]<>\"".includes(ch)) return false
  if ('-_.~'.includes(ch)) return false
  if ('$&+,/:;=?@'.includes(ch)) {
    switch (mode) {
      case 'pathSegment':
        return '/;,?'.includes(ch)
      case 'path':
        return ch === '?'
      case 'userPassword':
        return '@/?:'.includes(ch)
      case 'queryComponent':
        return true
      case 'fragment':
        return false
    }
  }
  if (mode === 'fragment' && '!()*'.includes(ch)) return false
  return true
}

// Built once per mode: the byte loops below ask for every byte.
const tables = new Map<UrlMode, Uint8Array>()

/** For each byte value, 1 when `mode` escapes it. */
function escapeTable(mode: UrlMode): Uint8Array {
  let t = tables.get(mode)
  if (t === undefined) {
    t = new Uint8Array(256)
    for (let b = 0; b < 256; b++) t[b] = escapes(b, mode) ? 1 : 0
    tables.set(mode, t)
  }
  return t
}

function shouldEscape(c: number, mode: UrlMode): boolean {
  return escapeTable(mode)[c] === 1
}

function isEscape(s: Uint8Array, i: number, text: string): boolean {
  return s[i] === text.charCodeAt(0) && s[i + 1] === text.charCodeAt(1) && s[i + 2] === text.charCodeAt(2)
}

/**
 * Go `unescape`: percent-decoding with the component's validity rules (`+` is a space in a
 * query component). Throws UrlError.
 */
export function unescapeUrl(s: Uint8Array, mode: UrlMode): Uint8Array {
  for (let i = 0; i < s.length; ) {
    const c = s[i]!
    if (c === 0x25) {
      if (i + 2 >= s.length || unhexDigit(s[i + 1]!) < 0 || unhexDigit(s[i + 2]!) < 0) {
        throw new UrlError(`invalid URL escape ${goQuoteBytes(s.subarray(i, i + 3))}`)
      }
      // In a host only non-ASCII bytes may be escaped (plus %25 before an IPv6 zone).
      if (mode === 'host' && unhexDigit(s[i + 1]!) < 8 && !isEscape(s, i, '%25')) {
        throw new UrlError(`invalid URL escape ${goQuoteBytes(s.subarray(i, i + 3))}`)
      }
      if (mode === 'zone') {
        const v = unhexDigit(s[i + 1]!) * 16 + unhexDigit(s[i + 2]!)
        if (!isEscape(s, i, '%25') && v !== 0x20 && shouldEscape(v, 'host')) {
          throw new UrlError(`invalid URL escape ${goQuoteBytes(s.subarray(i, i + 3))}`)
        }
      }
      i += 3
    } else {
      if ((mode === 'host' || mode === 'zone') && c < 0x80 && shouldEscape(c, mode)) {
        throw new UrlError(`invalid character ${goQuote(String.fromCharCode(c))} in host name`)
      }
      i++
    }
  }
  const out: number[] = []
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    if (c === 0x25) {
      out.push(unhexDigit(s[i + 1]!) * 16 + unhexDigit(s[i + 2]!))
      i += 2
    } else if (c === 0x2b && mode === 'queryComponent') out.push(0x20)
    else out.push(c)
  }
  return Uint8Array.from(out)
}

/** Go `escape`: the default encoding of a component (`url.QueryEscape`, `url.PathEscape` ...). */
export function escapeUrl(s: Uint8Array, mode: UrlMode): string {
  const table = escapeTable(mode)
  let out = ''
  for (const c of s) {
    if (table[c] === 0) out += String.fromCharCode(c)
    else if (c === 0x20 && mode === 'queryComponent') out += '+'
    else out += '%' + UPPER_HEX[c >> 4] + UPPER_HEX[c & 15]
  }
  return out
}
