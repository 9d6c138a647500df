/**
 * String methods (spec §23.4, except `length`, `slice`, `contains` and `index`, which the core
 * owns for every kind). Each follows the reference's Go implementation: byte offsets where Go
 * counts bytes, Go's simple case mapping and title casing, `strconv` quoting, `fmt` verbs,
 * `net/url` and `html` escaping, Unix `path/filepath` rules and RFC 4122 name-based UUIDs.
 * Whether a bytes target gives bytes back is per method, as in the reference.
 */
import { Buffer } from 'node:buffer'
import { createHash } from 'node:crypto'
import { defineMethod, type MethodDef } from '../registry.js'
import {
  Float,
  JsonNumber,
  MappingError,
  Sized,
  Timestamp,
  UInt64,
  compareBytewise,
  formatRfc3339Nano,
  getString,
  isObject,
  shortestDigits,
  stringToBytes,
  typeError,
  type Result,
  type Value,
} from '../value.js'
import { formatLayout } from '../time/go-layout.js'

// ---- UTF-8 the way Go sees it -------------------------------------------------------------------

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
function decodeRune(b: Uint8Array, i: number, end = b.length): [number, number] {
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
function decodeLastRune(b: Uint8Array, end: number): [number, number] {
  const last = b[end - 1]!
  if (last < 0x80) return [last, 1]
  let start = end - 1
  const lim = Math.max(0, end - 4)
  while (start > lim && (b[start]! & 0xc0) === 0x80) start--
  const [cp, size] = decodeRune(b, start, end)
  return start + size === end ? [cp, size] : [0xfffd, 1]
}

/** The reference's `IGetString` (strings, bytes, timestamps) with Go's view of invalid bytes. */
function stringMethodText(target: Result): string {
  if (target instanceof Uint8Array) return goDecode(target)
  return getString(target)
}

/** The reference's `IGetBytes`. */
function stringMethodBytes(target: Result): Uint8Array {
  if (target instanceof Uint8Array) return target
  if (target instanceof Timestamp) return stringToBytes(formatRfc3339Nano(target))
  if (typeof target === 'string') return stringToBytes(target)
  throw typeError(target, 'string')
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).indexOf(Buffer.from(needle.buffer, needle.byteOffset, needle.byteLength), from)
}

/** A fresh (unpooled) byte array holding the parts one after another. */
function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0
  for (const p of parts) total += p.length
  const out = new Uint8Array(total)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

function bytesEqualAt(hay: Uint8Array, needle: Uint8Array, at: number): boolean {
  if (at < 0 || at + needle.length > hay.length) return false
  for (let i = 0; i < needle.length; i++) if (hay[at + i] !== needle[i]) return false
  return true
}

/** Byte boundaries of each UTF-8 sequence (Go's rune iteration, invalid bytes one by one). */
function runeBounds(b: Uint8Array): number[] {
  const out = [0]
  for (let i = 0; i < b.length; ) {
    i += decodeRune(b, i)[1]
    out.push(i)
  }
  return out
}

// ---- case mapping -------------------------------------------------------------------------------

const ASCII = /^[\x00-\x7f]*$/

function singleCodePoint(s: string): boolean {
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

function goUpper(s: string): string {
  return ASCII.test(s) ? s.toUpperCase() : mapRunes(s, simpleUpper)
}

function goLower(s: string): string {
  return ASCII.test(s) ? s.toLowerCase() : mapRunes(s, simpleLower)
}

function titleGreekIota(cp: number): string | undefined {
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

const DIGRAPH_TITLE: Record<number, string> = {
  0x1c4: '\u01c5', 0x1c5: '\u01c5', 0x1c6: '\u01c5',
  0x1c7: '\u01c8', 0x1c8: '\u01c8', 0x1c9: '\u01c8',
  0x1ca: '\u01cb', 0x1cb: '\u01cb', 0x1cc: '\u01cb',
  0x1f1: '\u01f2', 0x1f2: '\u01f2', 0x1f3: '\u01f2',
}

/** Full title-case mapping (Unicode SpecialCasing), as golang.org/x/text/cases applies it. */
function titleMap(ch: string): string {
  const cp = ch.codePointAt(0)!
  const digraph = DIGRAPH_TITLE[cp]
  if (digraph !== undefined) return digraph
  // Georgian Mkhedruli letters have upper-case (Mtavruli) forms but title-case to themselves.
  if ((cp >= 0x10d0 && cp <= 0x10fa) || (cp >= 0x10fd && cp <= 0x10ff)) return ch
  if (cp === 0x149) return '\u02bcN'
  if (cp >= 0x1f80 && cp <= 0x1fff) {
    const iota = titleGreekIota(cp)
    if (iota !== undefined) return iota
  }
  const up = ch.toUpperCase()
  if (singleCodePoint(up)) return up
  // Multi-character mappings: a Greek letter with ypogegrammeni keeps the subscript in title
  // case; the rest (ligatures, ß, Armenian) capitalise only their first letter.
  if (cp >= 0x1f80 && cp <= 0x1fff && up.endsWith('\u0399')) return up.slice(0, -1) + '\u0345'
  const first = String.fromCodePoint(up.codePointAt(0)!)
  return first + up.slice(first.length).toLowerCase()
}

const CASED = /\p{Cased}/u
const CASE_IGNORABLE = /\p{Case_Ignorable}/u
// Word-break classes that never start a new word (UAX #29 ALetter, Hebrew_Letter, Numeric,
// Extend, ExtendNumLet, Format, ZWJ, MidLetter, MidNumLet, Single_Quote), approximated with the
// properties JavaScript exposes: ideographs, kana and South-East Asian letters are "Other".
const NOT_BREAK = new RegExp(
  String.raw`[[[\p{M}\p{Nd}\p{Pc}\p{Cf}\u202f:\u00b7\u0387\u055f\u05f4\u2027\ufe13\ufe55\uff1a.\u2018\u2019\u2024\ufe52\uff07\uff0e'` +
    String.raw`\u02c2-\u02c5\u05f3\u02d2-\u02d7\u02de\u02df\u02e5-\u02eb\u02ed\u02ef-\u02ff\ua708-\ua716\ua720\ua721\ua789\ua78a\uab5b` +
    String.raw`\u055a-\u055c\u055e\u058a\u066b\u{1f3fb}-\u{1f3ff}]` +
    String.raw`[\p{Alphabetic}--[\p{Ideographic}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Myanmar}\p{sc=Khmer}` +
    String.raw`\p{sc=Tai_Le}\p{sc=New_Tai_Lue}\p{sc=Tai_Tham}\p{sc=Tai_Viet}]]]` +
    String.raw`--[\u200b\u3031-\u3035\u309b\u309c\u30a0\u30fc\uff70]]`,
  'v',
)
const MID = /[:\u00b7\u0387\u055f\u05f4\u2027\ufe13\ufe55\uff1a.\u2018\u2019\u2024\ufe52\uff07\uff0e']/

interface RuneInfo {
  cased: boolean
  ignorable: boolean
  brk: boolean
  mid: boolean
}

function classify(ch: string): RuneInfo {
  const cased = CASED.test(ch)
  const ignorable = CASE_IGNORABLE.test(ch)
  return { cased, ignorable, brk: !NOT_BREAK.test(ch), mid: ignorable && !cased && MID.test(ch) }
}

const ASCII_INFO: readonly RuneInfo[] = Array.from({ length: 128 }, (_, c) => classify(String.fromCharCode(c)))

function runeInfo(ch: string): RuneInfo {
  const c = ch.charCodeAt(0)
  return c < 128 ? ASCII_INFO[c]! : classify(ch)
}

/**
 * golang.org/x/text `cases.Title(language.English)`: the first cased letter of each word is
 * title-cased and the rest of the word lower-cased; words break on anything that is not a
 * letter, digit, mark or in-word punctuation, and on two in-word punctuation marks in a row.
 */
function goTitle(s: string): string {
  const chars = Array.from(s)
  const infos = chars.map(runeInfo)
  let out = ''
  let midWord = false
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!
    const p = infos[i]!
    if (i > 0 && infos[i - 1]!.mid && p.mid) midWord = false
    if (p.cased) {
      if (!midWord) {
        out += titleMap(ch)
        midWord = true
      } else if (ch === '\u03a3') out += finalSigma(infos, i)
      else out += ch.toLowerCase()
    } else {
      out += ch
      if (p.brk) midWord = false
    }
  }
  return out
}

/** Lower-case sigma inside a word: σ when a cased letter follows (past case-ignorables), else ς. */
function finalSigma(infos: readonly RuneInfo[], i: number): string {
  for (let j = i + 1; j < infos.length && j <= i + 31; j++) {
    const q = infos[j]!
    if (!q.ignorable) return q.cased ? '\u03c3' : '\u03c2'
  }
  return '\u03c2'
}

// ---- trimming, searching, splitting -----------------------------------------------------------

/** Go `unicode.IsSpace` (the White_Space property; all such characters are in the BMP). */
const SPACE = /^\p{White_Space}$/u

function isSpaceCp(cp: number): boolean {
  if (cp < 0x80) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d)
  return cp <= 0xffff && SPACE.test(String.fromCharCode(cp))
}

/** Trim code points matching `drop` from both ends of a string. */
function trimString(s: string, drop: (cp: number) => boolean): string {
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
function trimBytes(b: Uint8Array, drop: (cp: number) => boolean): Uint8Array {
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

function cutsetPredicate(cutset: string): (cp: number) => boolean {
  const set = new Set<number>()
  for (const ch of cutset) set.add(ch.codePointAt(0)!)
  return (cp) => set.has(cp)
}

/** UTF-8 length of a string. */
function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8')
}

function splitString(s: string, sep: string): string[] {
  return sep === '' ? Array.from(s) : s.split(sep)
}

function splitBytes(b: Uint8Array, sep: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = []
  if (sep.length === 0) {
    const bounds = runeBounds(b)
    for (let i = 0; i + 1 < bounds.length; i++) out.push(b.subarray(bounds[i]!, bounds[i + 1]!))
    return out
  }
  let from = 0
  for (;;) {
    const at = indexOfBytes(b, sep, from)
    if (at < 0) break
    out.push(b.subarray(from, at))
    from = at + sep.length
  }
  out.push(b.subarray(from))
  return out
}

/** Go `strings.ReplaceAll`: an empty `old` matches before every character and at the end. */
function replaceString(s: string, old: string, rep: string): string {
  if (old === '') {
    let out = rep
    for (const ch of s) out += ch + rep
    return out
  }
  return s.split(old).join(rep)
}

function replaceBytes(b: Uint8Array, old: Uint8Array, rep: Uint8Array): Uint8Array {
  if (old.length === 0) {
    const bounds = runeBounds(b)
    const parts: Uint8Array[] = [rep]
    for (let i = 0; i + 1 < bounds.length; i++) parts.push(b.subarray(bounds[i]!, bounds[i + 1]!), rep)
    return concatBytes(parts)
  }
  const pieces = splitBytes(b, old)
  const parts: Uint8Array[] = []
  pieces.forEach((p, i) => {
    if (i > 0) parts.push(rep)
    parts.push(p)
  })
  return concatBytes(parts)
}

// JavaScript strings cannot be longer than this (V8); the reference would fail to allocate.
const MAX_STRING = 0x1fffffe8

// ---- strconv quoting ----------------------------------------------------------------------------

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u

/** Go `strconv.IsPrint`. */
function isPrint(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x20 && cp < 0x7f
  if (cp >= 0xd800 && cp <= 0xdfff) return false
  return PRINTABLE.test(String.fromCodePoint(cp))
}

const HEX = '0123456789abcdef'

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
function goQuoteBytes(b: Uint8Array, quote = 0x22, asciiOnly = false): string {
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

function goQuote(s: string, asciiOnly = false): string {
  return goQuoteBytes(stringToBytes(s), 0x22, asciiOnly)
}

/** Go `strconv.QuoteRune` / `QuoteRuneToASCII`. */
function goQuoteRune(r: number, asciiOnly: boolean): string {
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff) || r < 0) r = 0xfffd
  const out: string[] = ["'"]
  appendEscapedRune(out, r, 0x27, asciiOnly)
  out.push("'")
  return out.join('')
}

/** Go `strconv.CanBackquote`. */
function canBackquote(s: string): boolean {
  for (const ch of s) {
    const r = ch.codePointAt(0)!
    if (r === 0xfeff) return false
    if (r >= 0x80) continue
    if ((r < 0x20 && r !== 0x09) || r === 0x60 || r === 0x7f) return false
  }
  return true
}

const SYNTAX = 'invalid syntax'

function unhexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10
  return -1
}

function pushRune(out: number[], cp: number): void {
  if (cp < 0x80) out.push(cp)
  else out.push(...stringToBytes(String.fromCodePoint(cp)))
}

/** Go `strconv.Unquote` over UTF-8 bytes; the result may hold raw bytes from `\x` escapes. */
function goUnquote(input: Uint8Array): Uint8Array {
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

// ---- Go fmt (Sprintf) ---------------------------------------------------------------------------
//
// `format` hands the raw argument values to Go's fmt.Sprintf. The Go type each Bloblang value has
// there decides the output: literals and arithmetic give int64/float64, input JSON numbers are
// json.Number (a Stringer, so `%v` prints the text and `%d` is a bad verb), arrays are
// []interface {}, objects map[string]interface {} (keys sorted), bytes []uint8, timestamps
// time.Time (a Stringer).

type GoInt = { k: 'int'; t: string; v: bigint; signed: boolean }
type GoVal =
  | { k: 'nil' }
  | { k: 'bool'; v: boolean }
  | GoInt
  | { k: 'float'; t: string; v: number; size: 32 | 64 }
  | { k: 'string'; t: string; v: string; stringer: boolean }
  | { k: 'bytes'; v: Uint8Array }
  | { k: 'slice'; v: readonly Value[] }
  | { k: 'map'; v: Record<string, Value> }
  | { k: 'time'; v: Timestamp }

function goVal(v: Result): GoVal {
  switch (typeof v) {
    case 'string':
      return { k: 'string', t: 'string', v, stringer: false }
    case 'boolean':
      return { k: 'bool', v }
    case 'number':
      return Number.isInteger(v) ? { k: 'int', t: 'int64', v: BigInt(v), signed: true } : { k: 'float', t: 'float64', v, size: 64 }
    case 'bigint':
      return { k: 'int', t: 'int64', v, signed: true }
    case 'symbol':
      return { k: 'nil' }
  }
  if (v === null) return { k: 'nil' }
  if (Array.isArray(v)) return { k: 'slice', v }
  if (v instanceof Uint8Array) return { k: 'bytes', v }
  if (v instanceof Float) return { k: 'float', t: 'float64', v: v.v, size: 64 }
  if (v instanceof JsonNumber) return { k: 'string', t: 'json.Number', v: v.text, stringer: true }
  if (v instanceof UInt64) return { k: 'int', t: 'uint64', v: v.v, signed: false }
  if (v instanceof Sized) {
    if (v.kind === 'float32') return { k: 'float', t: 'float32', v: v.v, size: 32 }
    return { k: 'int', t: v.kind, v: BigInt(v.v), signed: !v.kind.startsWith('u') }
  }
  if (v instanceof Timestamp) return { k: 'time', v }
  if (isObject(v)) return { k: 'map', v }
  return { k: 'nil' }
}

function goTypeName(g: GoVal): string {
  switch (g.k) {
    case 'nil':
      return '<nil>'
    case 'bool':
      return 'bool'
    case 'int':
    case 'float':
    case 'string':
      return g.t
    case 'bytes':
      return '[]uint8'
    case 'slice':
      return '[]interface {}'
    case 'map':
      return 'map[string]interface {}'
    case 'time':
      return 'time.Time'
  }
}

const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/** Go `time.Time.String()`. */
function goTimeString(t: Timestamp): string {
  return formatLayout(t, '2006-01-02 15:04:05.999999999 -0700 MST')
}

/** Go `time.Time.GoString()`. */
function goTimeGoString(t: Timestamp): string {
  const c = t.civil()
  const name = t.zone.name
  const loc = name === 'UTC' ? 'time.UTC' : name === 'Local' ? 'time.Local' : `time.Location(${goQuote(name)})`
  return `time.Date(${c.year}, time.${LONG_MONTHS[c.month - 1]}, ${c.day}, ${c.hour}, ${c.minute}, ${c.second}, ${c.nsec}, ${loc})`
}

// -- float text (strconv.FormatFloat) --

interface Decimal {
  /** Significant digits without trailing zeros ('' for zero). */
  d: string
  /** Position of the decimal point relative to the digits (0.12 → dp 0, 12.3 → dp 2). */
  dp: number
}

const f64 = new DataView(new ArrayBuffer(8))

/** The exact decimal value of a finite, non-negative double. */
function exactDecimal(x: number): Decimal {
  if (x === 0) return { d: '', dp: 0 }
  f64.setFloat64(0, x)
  const bits = f64.getBigUint64(0)
  let exp = Number((bits >> 52n) & 0x7ffn)
  let mant = bits & 0xfffffffffffffn
  if (exp === 0) exp = 1
  else mant |= 1n << 52n
  exp -= 1075
  let digits: string
  let dp: number
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString()
    dp = digits.length
  } else {
    digits = (mant * 5n ** BigInt(-exp)).toString()
    dp = digits.length + exp
  }
  return { d: digits.replace(/0+$/, ''), dp }
}

/** Round to `nd` digits, ties to even on exact halves (Go's decimal.Round). */
function roundDecimal(a: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= a.d.length) return a
  const next = a.d.charCodeAt(nd) - 48
  let up: boolean
  if (next === 5 && nd + 1 === a.d.length) up = nd > 0 && (a.d.charCodeAt(nd - 1) - 48) % 2 === 1
  else up = next >= 5
  if (!up) return { d: a.d.slice(0, nd).replace(/0+$/, ''), dp: a.dp }
  let i = nd - 1
  while (i >= 0 && a.d[i] === '9') i--
  if (i < 0) return { d: '1', dp: a.dp + 1 }
  return { d: a.d.slice(0, i) + String.fromCharCode(a.d.charCodeAt(i) + 1), dp: a.dp }
}

function shortestDecimal(x: number, size: 32 | 64): Decimal {
  if (x === 0) return { d: '', dp: 0 }
  const s = shortestDigits(x, size === 32)
  return { d: s.digits.replace(/0+$/, ''), dp: s.exp + 1 }
}

function fmtE(neg: boolean, d: Decimal, prec: number, e: string): string {
  let out = neg ? '-' : ''
  out += d.d.length > 0 ? d.d[0] : '0'
  if (prec > 0) {
    out += '.'
    const frac = d.d.slice(1, prec + 1)
    out += frac + '0'.repeat(prec - frac.length)
  }
  let exp = d.d.length === 0 ? 0 : d.dp - 1
  const sign = exp < 0 ? '-' : '+'
  exp = Math.abs(exp)
  return `${out}${e}${sign}${exp < 10 ? '0' : ''}${exp}`
}

function fmtF(neg: boolean, d: Decimal, prec: number): string {
  let out = neg ? '-' : ''
  if (d.dp > 0) {
    const m = Math.min(d.d.length, d.dp)
    out += d.d.slice(0, m) + '0'.repeat(d.dp - m)
  } else out += '0'
  if (prec > 0) {
    out += '.'
    for (let i = 1; i <= prec; i++) {
      const j = d.dp + i - 1
      out += j >= 0 && j < d.d.length ? d.d[j] : '0'
    }
  }
  return out
}

/** Go `strconv.FormatFloat(x, verb, prec, size)` for verbs e E f g G b x X. */
function formatFloat(x: number, verb: string, prec: number, size: 32 | 64): string {
  if (Number.isNaN(x)) return 'NaN'
  if (x === Infinity) return '+Inf'
  if (x === -Infinity) return '-Inf'
  const neg = x < 0 || Object.is(x, -0)
  const a = Math.abs(x)
  if (verb === 'b') return formatFloatB(neg, a, size)
  if (verb === 'x' || verb === 'X') return formatFloatX(neg, a, prec, verb, size)
  const shortest = prec < 0
  let d: Decimal
  if (shortest) {
    d = shortestDecimal(a, size)
    prec = verb === 'e' || verb === 'E' ? Math.max(d.d.length - 1, 0) : verb === 'f' ? Math.max(d.d.length - d.dp, 0) : d.d.length
  } else {
    const exact = exactDecimal(a)
    if (verb === 'f') d = roundDecimal(exact, exact.dp + prec)
    else if (verb === 'e' || verb === 'E') d = roundDecimal(exact, prec + 1)
    else {
      if (prec === 0) prec = 1
      d = roundDecimal(exact, prec)
    }
  }
  switch (verb) {
    case 'e':
    case 'E':
      return fmtE(neg, d, prec, verb)
    case 'f':
      return fmtF(neg, d, prec)
  }
  // g / G
  let eprec = prec
  if (eprec > d.d.length && d.d.length >= d.dp) eprec = d.d.length
  if (shortest) eprec = 6
  const exp = d.dp - 1
  if (exp < -4 || exp >= eprec) {
    if (prec > d.d.length) prec = d.d.length
    return fmtE(neg, d, prec - 1, verb === 'g' ? 'e' : 'E')
  }
  if (prec > d.dp) prec = d.d.length
  return fmtF(neg, d, Math.max(prec - d.dp, 0))
}

function floatBits(a: number, size: 32 | 64): { mant: bigint; exp: number; mantBits: number } {
  if (size === 32) {
    const dv = new DataView(new ArrayBuffer(4))
    dv.setFloat32(0, a)
    const bits = dv.getUint32(0)
    let exp = (bits >>> 23) & 0xff
    let mant = BigInt(bits & 0x7fffff)
    if (exp === 0) exp = 1
    else mant |= 1n << 23n
    return { mant, exp: exp - 127, mantBits: 23 }
  }
  f64.setFloat64(0, a)
  const bits = f64.getBigUint64(0)
  let exp = Number((bits >> 52n) & 0x7ffn)
  let mant = bits & 0xfffffffffffffn
  if (exp === 0) exp = 1
  else mant |= 1n << 52n
  return { mant, exp: exp - 1023, mantBits: 52 }
}

/** `%b`: decimal mantissa and binary exponent (`4503599627370496p-52`). */
function formatFloatB(neg: boolean, a: number, size: 32 | 64): string {
  const { mant, exp, mantBits } = floatBits(a, size)
  const e = exp - mantBits
  return `${neg ? '-' : ''}${mant}p${e >= 0 ? '+' : ''}${e}`
}

/** `%x`: hexadecimal mantissa and binary exponent (`0x1.8p+01`). */
function formatFloatX(neg: boolean, a: number, prec: number, verb: string, size: 32 | 64): string {
  let { mant, exp, mantBits } = floatBits(a, size)
  if (mant === 0n) exp = 0
  mant <<= BigInt(60 - mantBits)
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant <<= 1n
    exp--
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4)
    const extra = (mant << shift) & ((1n << 60n) - 1n)
    mant >>= 60n - shift
    if ((extra | (mant & 1n)) > 1n << 59n) mant++
    mant <<= 60n - shift
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n
      exp++
    }
  }
  const hex = verb === 'X' ? '0123456789ABCDEF' : HEX
  let out = `${neg ? '-' : ''}0${verb}${(mant >> 60n) & 1n}`
  mant = (mant << 4n) & ((1n << 64n) - 1n)
  if (prec < 0 && mant !== 0n) {
    out += '.'
    while (mant !== 0n) {
      out += hex[Number((mant >> 60n) & 15n)]
      mant = (mant << 4n) & ((1n << 64n) - 1n)
    }
  } else if (prec > 0) {
    out += '.'
    for (let i = 0; i < prec; i++) {
      out += hex[Number((mant >> 60n) & 15n)]
      mant = (mant << 4n) & ((1n << 64n) - 1n)
    }
  }
  out += verb === 'X' ? 'P' : 'p'
  out += exp < 0 ? '-' : '+'
  exp = Math.abs(exp)
  return out + (exp < 10 ? '0' : '') + exp
}

// -- the printer (fmt's pp + fmt structs) --

const MAX_ARG_NUMBER = 1e6

class GoPrinter {
  buf = ''
  wid = 0
  prec = 0
  widPresent = false
  precPresent = false
  minus = false
  plus = false
  sharp = false
  space = false
  zero = false
  plusV = false
  sharpV = false
  private erroring = false
  /** Type name and value of the operand being printed, for `%!verb(type=value)`. */
  private current: GoVal = { k: 'nil' }
  private currentIsArg = false

  clearFlags(): void {
    this.wid = 0
    this.prec = 0
    this.widPresent = false
    this.precPresent = false
    this.minus = false
    this.plus = false
    this.sharp = false
    this.space = false
    this.zero = false
    this.plusV = false
    this.sharpV = false
  }

  // -- padding --

  private writePadding(n: number): void {
    if (n > 0) this.buf += (this.zero ? '0' : ' ').repeat(n)
  }

  pad(s: string): void {
    if (!this.widPresent || this.wid === 0) {
      this.buf += s
      return
    }
    const width = this.wid - runeCount(s)
    if (!this.minus) {
      this.writePadding(width)
      this.buf += s
    } else {
      this.buf += s
      this.writePadding(width)
    }
  }

  private truncate(s: string): string {
    if (this.precPresent) {
      let n = this.prec
      let i = 0
      for (const ch of s) {
        if (--n < 0) return s.slice(0, i)
        i += ch.length
      }
    }
    return s
  }

  // -- leaf formatters --

  private fmtBoolean(v: boolean): void {
    this.pad(v ? 'true' : 'false')
  }

  private fmtQ(s: string): void {
    s = this.truncate(s)
    if (this.sharp && canBackquote(s)) {
      this.pad('`' + s + '`')
      return
    }
    this.pad(goQuote(s, this.plus))
  }

  private fmtSbx(b: Uint8Array, digits: string): void {
    let length = b.length
    if (this.precPresent && this.prec < length) length = this.prec
    let width = 2 * length
    if (width > 0) {
      if (this.space) {
        if (this.sharp) width *= 2
        width += length - 1
      } else if (this.sharp) width += 2
    } else {
      if (this.widPresent) this.writePadding(this.wid)
      return
    }
    if (this.widPresent && this.wid > width && !this.minus) this.writePadding(this.wid - width)
    let out = ''
    const x = digits === 'X' ? 'X' : 'x'
    const hex = digits === 'X' ? '0123456789ABCDEF' : HEX
    if (this.sharp) out += '0' + x
    for (let i = 0; i < length; i++) {
      if (this.space && i > 0) {
        out += ' '
        if (this.sharp) out += '0' + x
      }
      out += hex[b[i]! >> 4]! + hex[b[i]! & 15]!
    }
    this.buf += out
    if (this.widPresent && this.wid > width && this.minus) this.writePadding(this.wid - width)
  }

  private fmtInteger(u: bigint, base: number, signed: boolean, verb: string, upper: boolean): void {
    const negative = signed && u < 0n
    if (negative) u = -u
    let prec = 0
    if (this.precPresent) {
      prec = this.prec
      if (prec === 0 && u === 0n) {
        const oldZero = this.zero
        this.zero = false
        this.writePadding(this.wid)
        this.zero = oldZero
        return
      }
    } else if (this.zero && this.widPresent) {
      prec = this.wid
      if (negative || this.plus || this.space) prec--
    }
    let digits = u.toString(base)
    if (upper) digits = digits.toUpperCase()
    if (digits.length < prec) digits = '0'.repeat(prec - digits.length) + digits
    if (this.sharp) {
      if (base === 2) digits = '0b' + digits
      else if (base === 8 && digits[0] !== '0') digits = '0' + digits
      else if (base === 16) digits = (upper ? '0X' : '0x') + digits
    }
    if (verb === 'O') digits = '0o' + digits
    if (negative) digits = '-' + digits
    else if (this.plus) digits = '+' + digits
    else if (this.space) digits = ' ' + digits
    const oldZero = this.zero
    this.zero = false
    this.pad(digits)
    this.zero = oldZero
  }

  private fmtUnicode(u: bigint): void {
    let prec = 4
    if (this.precPresent && this.prec > 4) prec = this.prec
    let out = 'U+' + u.toString(16).toUpperCase().padStart(prec, '0')
    if (this.sharp && u <= 0x10ffffn && isPrint(Number(u))) out += ` '${String.fromCodePoint(Number(u))}'`
    const oldZero = this.zero
    this.zero = false
    this.pad(out)
    this.zero = oldZero
  }

  private runeOf(u: bigint): number {
    if (u > 0x10ffffn || u < 0n) return 0xfffd
    const r = Number(u)
    return r >= 0xd800 && r <= 0xdfff ? 0xfffd : r
  }

  private fmtFloat(v: number, size: 32 | 64, verb: string, prec: number): void {
    if (this.precPresent) prec = this.prec
    let num = formatFloat(v, verb, prec, size)
    if (num[0] === '-' || num[0] === '+') {
      /* signed already */
    } else num = '+' + num
    if (this.space && num[0] === '+' && !this.plus) num = ' ' + num.slice(1)
    if (num[1] === 'I' || num[1] === 'N') {
      const oldZero = this.zero
      this.zero = false
      if (num[1] === 'N' && !this.space && !this.plus) num = num.slice(1)
      this.pad(num)
      this.zero = oldZero
      return
    }
    if (this.sharp && verb !== 'b') {
      let digits = 0
      if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') digits = prec === -1 ? 6 : prec
      let tail = ''
      let body = num
      const cut = (i: number): void => {
        tail = body.slice(i)
        body = body.slice(0, i)
      }
      let hasDot = false
      let sawNonzero = false
      for (let i = 1; i < body.length; i++) {
        const ch = body[i]!
        if (ch === '.') hasDot = true
        else if (ch === 'p' || ch === 'P') {
          cut(i)
          break
        } else if ((ch === 'e' || ch === 'E') && verb !== 'x' && verb !== 'X') {
          cut(i)
          break
        } else {
          if (ch !== '0') sawNonzero = true
          if (sawNonzero) digits--
        }
      }
      if (!hasDot) {
        if (body.length === 2 && body[1] === '0') digits--
        body += '.'
      }
      while (digits > 0) {
        body += '0'
        digits--
      }
      num = body + tail
    }
    if (this.plus || num[0] !== '+') {
      if (this.zero && this.widPresent && this.wid > num.length) {
        this.buf += num[0]
        this.writePadding(this.wid - num.length)
        this.buf += num.slice(1)
        return
      }
      this.pad(num)
      return
    }
    this.pad(num.slice(1))
  }

  // -- per-kind dispatch (pp.fmt*) --

  private fmtBool(v: boolean, verb: string): void {
    if (verb === 't' || verb === 'v') this.fmtBoolean(v)
    else this.badVerb(verb)
  }

  private fmtInt(g: GoInt, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.sharpV && !g.signed) this.fmt0x64(g.v)
        else this.fmtInteger(g.v, 10, g.signed, verb, false)
        return
      case 'd':
        return this.fmtInteger(g.v, 10, g.signed, verb, false)
      case 'b':
        return this.fmtInteger(g.v, 2, g.signed, verb, false)
      case 'o':
      case 'O':
        return this.fmtInteger(g.v, 8, g.signed, verb, false)
      case 'x':
        return this.fmtInteger(g.v, 16, g.signed, verb, false)
      case 'X':
        return this.fmtInteger(g.v, 16, g.signed, verb, true)
      case 'c':
        return this.pad(String.fromCodePoint(this.runeOf(g.v)))
      case 'q':
        return this.pad(goQuoteRune(this.runeOf(g.v), this.plus))
      case 'U':
        return this.fmtUnicode(g.signed && g.v < 0n ? g.v + (1n << 64n) : g.v)
    }
    this.badVerb(verb)
  }

  private fmt0x64(v: bigint): void {
    const sharp = this.sharp
    this.sharp = true
    this.fmtInteger(v, 16, false, 'v', false)
    this.sharp = sharp
  }

  private fmtFloatVerb(v: number, size: 32 | 64, verb: string): void {
    switch (verb) {
      case 'v':
        return this.fmtFloat(v, size, 'g', -1)
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        return this.fmtFloat(v, size, verb, -1)
      case 'f':
      case 'e':
      case 'E':
        return this.fmtFloat(v, size, verb, 6)
      case 'F':
        return this.fmtFloat(v, size, 'f', 6)
    }
    this.badVerb(verb)
  }

  private fmtString(v: string, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.sharpV) this.fmtQ(v)
        else this.pad(this.truncate(v))
        return
      case 's':
        return this.pad(this.truncate(v))
      case 'x':
        return this.fmtSbx(stringToBytes(v), 'x')
      case 'X':
        return this.fmtSbx(stringToBytes(v), 'X')
      case 'q':
        return this.fmtQ(v)
    }
    this.badVerb(verb)
  }

  private fmtBytes(v: Uint8Array, verb: string, typeString: string): void {
    switch (verb) {
      case 'v':
      case 'd':
        if (this.sharpV) {
          this.buf += typeString + '{'
          v.forEach((c, i) => {
            if (i > 0) this.buf += ', '
            this.fmt0x64(BigInt(c))
          })
          this.buf += '}'
        } else {
          this.buf += '['
          v.forEach((c, i) => {
            if (i > 0) this.buf += ' '
            this.fmtInteger(BigInt(c), 10, false, verb, false)
          })
          this.buf += ']'
        }
        return
      case 's':
        return this.pad(this.truncate(goDecode(v)))
      case 'x':
        return this.fmtSbx(v, 'x')
      case 'X':
        return this.fmtSbx(v, 'X')
      case 'q':
        return this.fmtQ(goDecode(v))
    }
    // Other verbs format each byte as an integer.
    this.buf += '['
    v.forEach((c, i) => {
      if (i > 0) this.buf += ' '
      this.current = { k: 'int', t: 'uint8', v: BigInt(c), signed: false }
      this.currentIsArg = false
      this.fmtInt(this.current, verb)
    })
    this.buf += ']'
  }

  private badVerb(verb: string): void {
    this.erroring = true
    this.buf += '%!' + verb + '('
    const g = this.current
    if (g.k === 'nil') this.buf += '<nil>'
    else {
      this.buf += goTypeName(g) + '='
      if (this.currentIsArg) this.printArg(g, 'v')
      else this.printValue(g, 'v', 0)
    }
    this.buf += ')'
    this.erroring = false
  }

  /** Stringer handling (json.Number, time.Time) for the string-friendly verbs. */
  private handleMethods(g: GoVal, verb: string): boolean {
    if (this.erroring) return false
    // Sprintf has no error to wrap: %w is always a bad verb here.
    if (verb === 'w') {
      this.badVerb(verb)
      return true
    }
    if (this.sharpV) {
      if (g.k === 'time') {
        this.pad(goTimeGoString(g.v))
        return true
      }
      return false
    }
    if (verb !== 'v' && verb !== 's' && verb !== 'x' && verb !== 'X' && verb !== 'q') return false
    if (g.k === 'string' && g.stringer) {
      this.fmtString(g.v, verb)
      return true
    }
    if (g.k === 'time') {
      this.fmtString(goTimeString(g.v), verb)
      return true
    }
    return false
  }

  printArg(g: GoVal, verb: string): void {
    this.current = g
    this.currentIsArg = true
    if (g.k === 'nil') {
      if (verb === 'T' || verb === 'v') this.pad('<nil>')
      else this.badVerb(verb)
      return
    }
    if (verb === 'T') {
      this.pad(this.truncate(goTypeName(g)))
      return
    }
    if (verb === 'p') {
      this.badVerb(verb)
      return
    }
    switch (g.k) {
      case 'bool':
        return this.fmtBool(g.v, verb)
      case 'float':
        return this.fmtFloatVerb(g.v, g.size, verb)
      case 'int':
        return this.fmtInt(g, verb)
      case 'string':
        if (!g.stringer) return this.fmtString(g.v, verb)
        break
      case 'bytes':
        return this.fmtBytes(g.v, verb, '[]byte')
    }
    if (!this.handleMethods(g, verb)) this.printValue(g, verb, 0)
  }

  /** fmt's reflection path, used for collections and their elements. */
  printValue(g: GoVal, verb: string, depth: number): void {
    if (depth > 0 && g.k !== 'nil') {
      this.current = g
      this.currentIsArg = true
      if (this.handleMethods(g, verb)) return
    }
    this.current = g
    this.currentIsArg = false
    switch (g.k) {
      case 'nil':
        this.buf += this.sharpV ? 'interface {}(nil)' : '<nil>'
        return
      case 'bool':
        return this.fmtBool(g.v, verb)
      case 'int':
        return this.fmtInt(g, verb)
      case 'float':
        return this.fmtFloatVerb(g.v, g.size, verb)
      case 'string':
        return this.fmtString(g.v, verb)
      case 'bytes':
        return this.fmtBytes(g.v, verb, '[]uint8')
      case 'time':
        // time.Time printed field by field is not reproducible; show it like a bad verb.
        this.buf += `%!${verb}(time.Time=${goTimeString(g.v)})`
        return
      case 'slice':
        if (this.sharpV) {
          this.buf += '[]interface {}{'
          g.v.forEach((e, i) => {
            if (i > 0) this.buf += ', '
            this.printValue(goVal(e), verb, depth + 1)
          })
          this.buf += '}'
        } else {
          this.buf += '['
          g.v.forEach((e, i) => {
            if (i > 0) this.buf += ' '
            this.printValue(goVal(e), verb, depth + 1)
          })
          this.buf += ']'
        }
        return
      case 'map': {
        const keys = Object.keys(g.v).sort(compareBytewise)
        this.buf += this.sharpV ? 'map[string]interface {}{' : 'map['
        keys.forEach((k, i) => {
          if (i > 0) this.buf += this.sharpV ? ', ' : ' '
          this.printValue({ k: 'string', t: 'string', v: k, stringer: false }, verb, depth + 1)
          this.buf += ':'
          this.printValue(goVal(g.v[k]!), verb, depth + 1)
        })
        this.buf += this.sharpV ? '}' : ']'
      }
    }
  }
}

function runeCount(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0xdc00 || c > 0xdfff || i === 0 || s.charCodeAt(i - 1) < 0xd800 || s.charCodeAt(i - 1) > 0xdbff) n++
  }
  return n
}

/** Digits at i..end as a number (Go parsenum); undefined when there are none or too many. */
function parseNum(s: string, i: number, end: number): { num: number; ok: boolean; next: number } {
  if (i >= end) return { num: 0, ok: false, next: i }
  let num = 0
  let ok = false
  let k = i
  for (; k < end && s.charCodeAt(k) >= 48 && s.charCodeAt(k) <= 57; k++) {
    if (num > MAX_ARG_NUMBER) return { num: 0, ok: false, next: end }
    num = num * 10 + (s.charCodeAt(k) - 48)
    ok = true
  }
  return { num, ok, next: k }
}

/** Go `fmt.Sprintf(format, args...)`. */
export function goSprintf(format: string, args: readonly Value[]): string {
  const p = new GoPrinter()
  const a = args.map(goVal)
  const end = format.length
  let argNum = 0
  let reordered = false
  let goodArgNum = true
  let afterIndex = false

  /** Go argNumber: an explicit `[n]` index at i; sets afterIndex like the reference. */
  const argNumber = (i: number): number => {
    if (i >= end || format[i] !== '[') {
      afterIndex = false
      return i
    }
    reordered = true
    const close = format.indexOf(']', i + 1)
    if (i + 3 > end || close < 0) {
      goodArgNum = false
      afterIndex = false
      return i + 1
    }
    const n = parseNum(format, i + 1, close)
    if (!n.ok || n.next !== close) {
      goodArgNum = false
      afterIndex = false
      return close + 1
    }
    const index = n.num - 1
    if (index >= 0 && index < a.length) argNum = index
    else goodArgNum = false
    afterIndex = true
    return close + 1
  }

  const intFromArg = (): { num: number; isInt: boolean } => {
    let num = 0
    let isInt = false
    if (argNum < a.length) {
      const g = a[argNum]!
      if (g.k === 'int' && g.v >= -(2n ** 63n) && g.v < 2n ** 63n) {
        num = Number(g.v)
        isInt = true
      }
      argNum++
      if (num > MAX_ARG_NUMBER || num < -MAX_ARG_NUMBER) {
        num = 0
        isInt = false
      }
    }
    return { num, isInt }
  }

  let i = 0
  formatLoop: while (i < end) {
    goodArgNum = true
    const last = i
    while (i < end && format[i] !== '%') i++
    if (i > last) p.buf += format.slice(last, i)
    if (i >= end) break
    i++
    p.clearFlags()
    simple: for (; i < end; i++) {
      const c = format[i]!
      switch (c) {
        case '#':
          p.sharp = true
          break
        case '0':
          p.zero = !p.minus
          break
        case '+':
          p.plus = true
          break
        case '-':
          p.minus = true
          p.zero = false
          break
        case ' ':
          p.space = true
          break
        default:
          if (c >= 'a' && c <= 'z' && argNum < a.length) {
            if (c === 'v') {
              p.sharpV = p.sharp
              p.sharp = false
              p.plusV = p.plus
              p.plus = false
            }
            p.printArg(a[argNum]!, c)
            argNum++
            i++
            continue formatLoop
          }
          break simple
      }
    }
    i = argNumber(i)
    if (i < end && format[i] === '*') {
      i++
      const w = intFromArg()
      p.wid = w.num
      p.widPresent = w.isInt
      if (!p.widPresent) p.buf += '%!(BADWIDTH)'
      if (p.wid < 0) {
        p.wid = -p.wid
        p.minus = true
        p.zero = false
      }
      afterIndex = false
    } else {
      const n = parseNum(format, i, end)
      p.wid = n.num
      p.widPresent = n.ok
      i = n.next
      if (afterIndex && p.widPresent) goodArgNum = false
    }
    if (i + 1 < end && format[i] === '.') {
      i++
      if (afterIndex) goodArgNum = false
      i = argNumber(i)
      if (i < end && format[i] === '*') {
        i++
        const pr = intFromArg()
        p.prec = pr.num
        p.precPresent = pr.isInt
        if (p.prec < 0) {
          p.prec = 0
          p.precPresent = false
        }
        if (!p.precPresent) p.buf += '%!(BADPREC)'
        afterIndex = false
      } else {
        const n = parseNum(format, i, end)
        p.prec = n.num
        p.precPresent = n.ok
        i = n.next
        if (!p.precPresent) {
          p.prec = 0
          p.precPresent = true
        }
      }
    }
    if (!afterIndex) i = argNumber(i)
    if (i >= end) {
      p.buf += '%!(NOVERB)'
      break
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!)
    i += verb.length
    if (verb === '%') p.buf += '%'
    else if (!goodArgNum) p.buf += `%!${verb}(BADINDEX)`
    else if (argNum >= a.length) p.buf += `%!${verb}(MISSING)`
    else {
      if (verb === 'v') {
        p.sharpV = p.sharp
        p.sharp = false
        p.plusV = p.plus
        p.plus = false
      }
      p.printArg(a[argNum]!, verb)
      argNum++
    }
  }
  if (!reordered && argNum < a.length) {
    p.clearFlags()
    p.buf += '%!(EXTRA '
    a.slice(argNum).forEach((g, k) => {
      if (k > 0) p.buf += ', '
      if (g.k === 'nil') p.buf += '<nil>'
      else {
        p.buf += goTypeName(g) + '='
        p.printArg(g, 'v')
      }
    })
    p.buf += ')'
  }
  return p.buf
}

// ---- html ---------------------------------------------------------------------------------------

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;' }

/** Go `html.EscapeString`. */
function escapeHtml(s: string): string {
  return s.replace(/[&'<>"]/g, (c) => HTML_ESCAPES[c]!)
}

// Windows-1252 meanings of the C1 range in numeric references (HTML5 "replacement table").
const C1_REPLACEMENTS = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
  0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
]

const LONGEST_LEGACY_ENTITY = 6

let entityMap: Map<string, string> | undefined

/** Named character references: `name;` for all, plus the legacy names valid without `;`. */
function entities(): Map<string, string> {
  if (entityMap === undefined) {
    entityMap = new Map()
    for (const entry of ENTITY_DATA.split(/\s+/)) {
      if (entry === '') continue
      const colon = entry.indexOf(':')
      const text = String.fromCodePoint(...entry.slice(colon + 1).split(',').map((h) => parseInt(h, 16)))
      entityMap.set(entry.slice(0, colon) + ';', text)
    }
    for (const name of LEGACY_ENTITIES.split(' ')) entityMap.set(name, entityMap.get(name + ';')!)
  }
  return entityMap
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
}

/** Go `html.UnescapeString`: named, decimal and hexadecimal references, HTML5 rules. */
function unescapeHtml(s: string): string {
  if (!s.includes('&')) return s
  let out = ''
  let i = 0
  while (i < s.length) {
    const amp = s.indexOf('&', i)
    if (amp < 0) break
    out += s.slice(i, amp)
    const [text, next] = unescapeEntity(s, amp)
    out += text
    i = next
  }
  return out + s.slice(i)
}

/** One reference starting at the `&` at `at`: its text and the index after it. */
function unescapeEntity(s: string, at: number): [string, number] {
  let i = at + 1
  if (i >= s.length) return ['&', i]
  if (s[i] === '#') {
    if (s.length - at <= 3) return ['&', at + 1]
    i++
    let hex = false
    if (s[i] === 'x' || s[i] === 'X') {
      hex = true
      i++
    }
    let x = 0
    while (i < s.length) {
      const d = hex ? unhexDigit(s.charCodeAt(i)) : s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39 ? s.charCodeAt(i) - 0x30 : -1
      if (d < 0) break
      // Go accumulates in an int32 rune; keep the same wrap-around.
      x = (Math.imul(x, hex ? 16 : 10) + d) | 0
      i++
    }
    if (s[i] === ';') i++
    // The reference counts the `x` of a hex reference as matched, so "&#x;" is a (bad) reference.
    if (i - at <= 3) return ['&', at + 1]
    if (x >= 0x80 && x <= 0x9f) x = C1_REPLACEMENTS[x - 0x80]!
    else if (x <= 0 || (x >= 0xd800 && x <= 0xdfff) || x > 0x10ffff) x = 0xfffd
    return [String.fromCodePoint(x), i]
  }
  while (i < s.length && isAsciiAlnum(s.charCodeAt(i))) i++
  if (s[i] === ';') i++
  const name = s.slice(at + 1, i)
  if (name === '') return ['&', at + 1]
  const table = entities()
  const hit = table.get(name)
  if (hit !== undefined) return [hit, i]
  // Legacy references may end without `;` inside a longer run of letters ("&ampx" → "&x").
  const maxLen = Math.min(name.length - 1, LONGEST_LEGACY_ENTITY)
  for (let j = maxLen; j > 1; j--) {
    const legacy = table.get(name.slice(0, j))
    if (legacy !== undefined) return [legacy, at + 1 + j]
  }
  return [s.slice(at, i), i]
}

// ---- net/url ------------------------------------------------------------------------------------

const UPPER_HEX = '0123456789ABCDEF'

function isUnreserved(c: number): boolean {
  return isAsciiAlnum(c) || c === 0x2d || c === 0x5f || c === 0x2e || c === 0x7e
}

/** Go `url.QueryEscape` (query) or `url.PathEscape` (path segment), byte by byte. */
function urlEscape(b: Uint8Array, query: boolean): string {
  let out = ''
  for (const c of b) {
    if (isUnreserved(c)) out += String.fromCharCode(c)
    else if (query && c === 0x20) out += '+'
    // Path segments keep the sub-delimiters RFC 3986 allows there: $ & + : = @
    else if (!query && (c === 0x24 || c === 0x26 || c === 0x2b || c === 0x3a || c === 0x3d || c === 0x40)) out += String.fromCharCode(c)
    else out += '%' + UPPER_HEX[c >> 4] + UPPER_HEX[c & 15]
  }
  return out
}

/** Go `url.QueryUnescape` (`+` is a space) or `url.PathUnescape`. */
function urlUnescape(b: Uint8Array, query: boolean): string {
  const out: number[] = []
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!
    if (c === 0x25) {
      const hi = i + 1 < b.length ? unhexDigit(b[i + 1]!) : -1
      const lo = i + 2 < b.length ? unhexDigit(b[i + 2]!) : -1
      if (hi < 0 || lo < 0) throw new MappingError(`invalid URL escape ${goQuoteBytes(b.subarray(i, i + 3))}`)
      out.push(hi * 16 + lo)
      i += 2
    } else if (c === 0x2b && query) out.push(0x20)
    else out.push(c)
  }
  return goDecode(Uint8Array.from(out))
}

// ---- path/filepath (Unix) -----------------------------------------------------------------------

/** Go `filepath.Clean`. */
function cleanPath(path: string): string {
  if (path === '') return '.'
  const rooted = path.startsWith('/')
  const parts: string[] = []
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop()
      else if (!rooted) parts.push('..')
      continue
    }
    parts.push(seg)
  }
  const joined = parts.join('/')
  if (rooted) return '/' + joined
  return joined === '' ? '.' : joined
}

/** Go `filepath.Join`: empty elements are ignored; all empty gives "". */
function joinPath(elems: readonly string[]): string {
  const first = elems.findIndex((e) => e !== '')
  return first < 0 ? '' : cleanPath(elems.slice(first).join('/'))
}

// ---- uuid v5 ------------------------------------------------------------------------------------

const UUID_NAMESPACES: Record<string, string> = {
  dns: '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  url: '6ba7b811-9dad-11d1-80b4-00c04fd430c8',
  oid: '6ba7b812-9dad-11d1-80b4-00c04fd430c8',
  x500: '6ba7b814-9dad-11d1-80b4-00c04fd430c8',
}

/** The 16 bytes of a UUID in any form gofrs/uuid accepts, or undefined. */
function parseUuid(text: string): Buffer | undefined {
  let hex: string | undefined
  const plain = (t: string): string | undefined => {
    if (t.length === 32) return t
    if (t.length === 36 && t[8] === '-' && t[13] === '-' && t[18] === '-' && t[23] === '-') return t.replace(/-/g, '')
    return undefined
  }
  if (text.length === 32 || text.length === 36) hex = plain(text)
  else if (text.length === 38 && text.startsWith('{') && text.endsWith('}')) hex = plain(text.slice(1, -1))
  else if ((text.length === 41 || text.length === 45) && text.startsWith('urn:uuid:')) hex = plain(text.slice(9))
  if (hex === undefined || !/^[0-9a-fA-F]{32}$/.test(hex)) return undefined
  return Buffer.from(hex, 'hex')
}

function formatUuid(b: Uint8Array): string {
  const h = Buffer.from(b).toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

function uuidV5(ns: Uint8Array, name: Uint8Array): string {
  const sum = createHash('sha1').update(ns).update(name).digest()
  sum[6] = (sum[6]! & 0x0f) | 0x50
  sum[8] = (sum[8]! & 0x3f) | 0x80
  return formatUuid(sum.subarray(0, 16))
}

// ---- method definitions -------------------------------------------------------------------------

function strOrBytes(target: Result, onString: (s: string) => Value, onBytes: (b: Uint8Array) => Value): Value {
  if (typeof target === 'string') return onString(target)
  if (target instanceof Uint8Array) return onBytes(target)
  throw typeError(target, 'string')
}

/** Methods over the reference's `IGetString` text (strings, bytes, timestamps) returning a string. */
function textMethod(name: string, description: string, fn: (s: string) => Value, examples: MethodDef['examples'] = []): MethodDef {
  return defineMethod({ name, params: [], description, examples, ctor: () => (target) => fn(stringMethodText(target)) })
}

function bytesTextMethod(name: string, description: string, fn: (b: Uint8Array) => Value, examples: MethodDef['examples'] = []): MethodDef {
  return defineMethod({ name, params: [], description, examples, ctor: () => (target) => fn(stringMethodBytes(target)) })
}

function replaceAllMethod(name: string): MethodDef {
  return defineMethod({
    name,
    params: [
      { name: 'old', type: 'string', description: 'Text to find.' },
      { name: 'new', type: 'string', description: 'Replacement text.' },
    ],
    description: 'Replaces every occurrence of `old` with `new`.',
    examples: [{ mapping: 'root = this.s.replace_all("o", "0")', input: '{"s":"foo boo"}', output: 'f00 b00' }],
    ctor: (args) => {
      const old = args.string('old')
      const rep = args.string('new')
      const oldB = stringToBytes(old)
      const repB = stringToBytes(rep)
      return (target) => strOrBytes(target, (s) => replaceString(s, old, rep), (b) => replaceBytes(b, oldB, repB))
    },
  })
}

function replaceManyMethod(name: string): MethodDef {
  return defineMethod({
    name,
    params: [{ name: 'values', type: 'array', description: 'Pairs `[old1, new1, old2, new2, ...]`, applied in order.' }],
    description: 'Applies several replacements in sequence.',
    examples: [{ mapping: 'root = this.s.replace_all_many(["<", "&lt;", ">", "&gt;"])', input: '{"s":"<b>"}', output: '&lt;b&gt;' }],
    ctor: (args) => {
      const items = args.array('values')
      if (items.length % 2 !== 0) {
        throw new MappingError(`invalid arg, replacements should be in pairs and must therefore be even: ${goSprintf('%v', [items])}`)
      }
      const pairs: [string, string][] = []
      for (let i = 0; i < items.length; i += 2) {
        const text = (k: number): string => {
          try {
            return stringMethodText(items[k]!)
          } catch (err) {
            throw new MappingError(`invalid replacement value at index ${k}: ${err instanceof Error ? err.message : String(err)}`)
          }
        }
        pairs.push([text(i), text(i + 1)])
      }
      const bytePairs = pairs.map(([a, b]) => [stringToBytes(a), stringToBytes(b)] as const)
      return (target) =>
        strOrBytes(
          target,
          (s) => pairs.reduce((acc, [a, b]) => replaceString(acc, a, b), s),
          (b) => bytePairs.reduce((acc, [x, y]) => replaceBytes(acc, x, y), b),
        )
    },
  })
}

export const stringMethods: MethodDef[] = [
  defineMethod({
    name: 'uppercase',
    params: [],
    description: 'Upper-cases every letter (simple Unicode case mapping, character by character).',
    examples: [{ mapping: 'root = this.s.uppercase()', input: '{"s":"héllo"}', output: 'HÉLLO' }],
    ctor: () => (target) => strOrBytes(target, goUpper, (b) => stringToBytes(goUpper(goDecode(b)))),
  }),
  defineMethod({
    name: 'lowercase',
    params: [],
    description: 'Lower-cases every letter (simple Unicode case mapping, character by character).',
    examples: [{ mapping: 'root = this.s.lowercase()', input: '{"s":"HÉLLO"}', output: 'héllo' }],
    ctor: () => (target) => strOrBytes(target, goLower, (b) => stringToBytes(goLower(goDecode(b)))),
  }),
  defineMethod({
    name: 'capitalize',
    params: [],
    description: 'Title-cases each word: first letter upper (title) case, the rest lower case.',
    examples: [{ mapping: 'root = this.s.capitalize()', input: '{"s":"hello big WORLD"}', output: 'Hello Big World' }],
    ctor: () => (target) => strOrBytes(target, goTitle, (b) => stringToBytes(goTitle(goDecode(b)))),
  }),
  defineMethod({
    name: 'trim',
    params: [{ name: 'cutset', type: 'string', optional: true, description: 'Characters to strip instead of white space.' }],
    description: 'Strips white space, or any of the cutset characters, from both ends.',
    examples: [{ mapping: 'root = this.s.trim("-*")', input: '{"s":"--*x*--"}', output: 'x' }],
    ctor: (args) => {
      const cutset = args.optString('cutset')
      const drop = cutset === undefined ? isSpaceCp : cutsetPredicate(cutset)
      return (target) => strOrBytes(target, (s) => trimString(s, drop), (b) => trimBytes(b, drop))
    },
  }),
  defineMethod({
    name: 'trim_prefix',
    params: [{ name: 'prefix', type: 'string', description: 'Leading text to remove.' }],
    description: 'Removes the prefix once, if present.',
    examples: [{ mapping: 'root = this.s.trim_prefix("id_")', input: '{"s":"id_42"}', output: '42' }],
    ctor: (args) => {
      const prefix = args.string('prefix')
      const pb = stringToBytes(prefix)
      return (target) =>
        strOrBytes(
          target,
          (s) => (s.startsWith(prefix) ? s.slice(prefix.length) : s),
          (b) => (bytesEqualAt(b, pb, 0) ? b.subarray(pb.length) : b),
        )
    },
  }),
  defineMethod({
    name: 'trim_suffix',
    params: [{ name: 'suffix', type: 'string', description: 'Trailing text to remove.' }],
    description: 'Removes the suffix once, if present.',
    examples: [{ mapping: 'root = this.s.trim_suffix(".json")', input: '{"s":"f.json"}', output: 'f' }],
    ctor: (args) => {
      const suffix = args.string('suffix')
      const sb = stringToBytes(suffix)
      return (target) =>
        strOrBytes(
          target,
          (s) => (s.endsWith(suffix) ? s.slice(0, s.length - suffix.length) : s),
          (b) => (bytesEqualAt(b, sb, b.length - sb.length) ? b.subarray(0, b.length - sb.length) : b),
        )
    },
  }),
  defineMethod({
    name: 'has_prefix',
    params: [{ name: 'value', type: 'string', description: 'The prefix to test.' }],
    description: 'Whether the string starts with the value.',
    examples: [{ mapping: 'root = this.s.has_prefix("ab")', input: '{"s":"abc"}', output: 'true' }],
    ctor: (args) => {
      const prefix = args.string('value')
      const pb = stringToBytes(prefix)
      return (target) => strOrBytes(target, (s) => s.startsWith(prefix), (b) => bytesEqualAt(b, pb, 0))
    },
  }),
  defineMethod({
    name: 'has_suffix',
    params: [{ name: 'value', type: 'string', description: 'The suffix to test.' }],
    description: 'Whether the string ends with the value.',
    examples: [{ mapping: 'root = this.s.has_suffix("yz")', input: '{"s":"xyz"}', output: 'true' }],
    ctor: (args) => {
      const suffix = args.string('value')
      const sb = stringToBytes(suffix)
      return (target) => strOrBytes(target, (s) => s.endsWith(suffix), (b) => bytesEqualAt(b, sb, b.length - sb.length))
    },
  }),
  defineMethod({
    name: 'index_of',
    params: [{ name: 'value', type: 'string', description: 'Text to search for.' }],
    description: 'Byte offset of the first occurrence of the value, or -1.',
    examples: [{ mapping: 'root = this.s.index_of("bar")', input: '{"s":"foobar"}', output: '3' }],
    ctor: (args) => {
      const sub = args.string('value')
      const sb = stringToBytes(sub)
      return (target) =>
        strOrBytes(
          target,
          (s) => {
            const at = s.indexOf(sub)
            return at <= 0 ? at : utf8Length(s.slice(0, at))
          },
          (b) => indexOfBytes(b, sb),
        )
    },
  }),
  defineMethod({
    name: 'split',
    params: [
      { name: 'delimiter', type: 'string', description: 'Separator; "" splits into characters.' },
      { name: 'empty_as_null', type: 'bool', default: false, description: 'Give empty pieces as null.' },
    ],
    description: 'Splits into an array of pieces (bytes pieces for a bytes target).',
    examples: [{ mapping: 'root = this.s.split(",", true)', input: '{"s":"a,,b"}', output: '["a",null,"b"]' }],
    ctor: (args) => {
      const delim = args.string('delimiter')
      const db = stringToBytes(delim)
      const emptyAsNull = args.bool('empty_as_null')
      return (target) =>
        strOrBytes(
          target,
          (s) => splitString(s, delim).map((p) => (emptyAsNull && p === '' ? null : p)),
          (b) => splitBytes(b, db).map((p) => (emptyAsNull && p.length === 0 ? null : p)),
        )
    },
  }),
  defineMethod({
    name: 'join',
    params: [{ name: 'delimiter', type: 'string', optional: true, description: 'Text placed between elements.' }],
    description: 'Joins an array of strings (or bytes) into one string.',
    examples: [{ mapping: 'root = this.xs.join("|")', input: '{"xs":["a","b"]}', output: 'a|b' }],
    ctor: (args) => {
      const delim = args.optString('delimiter') ?? ''
      return (target) => {
        if (!Array.isArray(target)) throw typeError(target, 'array')
        let anyBytes = false
        target.forEach((e, i) => {
          if (e instanceof Uint8Array) anyBytes = true
          else if (typeof e !== 'string') throw new MappingError(`failed to join element ${i}: ${typeError(e, 'string').message}`)
        })
        if (!anyBytes) return (target as string[]).join(delim)
        // Join at the byte level so characters split across bytes elements survive.
        const db = stringToBytes(delim)
        const parts: Uint8Array[] = []
        target.forEach((e, i) => {
          if (i > 0) parts.push(db)
          parts.push(typeof e === 'string' ? stringToBytes(e) : (e as Uint8Array))
        })
        return goDecode(concatBytes(parts))
      }
    },
  }),
  replaceAllMethod('replace_all'),
  replaceAllMethod('replace'),
  replaceManyMethod('replace_all_many'),
  replaceManyMethod('replace_many'),
  defineMethod({
    name: 'format',
    params: [],
    variadic: true,
    description: 'Uses the string as a Go fmt format (`%v %s %d %f %q %x %%` ...) applied to the arguments.',
    examples: [{ mapping: 'root = "%s is %v years".format(this.name, this.age)', input: '{"name":"Kim","age":33}', output: 'Kim is 33 years' }],
    ctor: (args) => {
      const rest = args.rest
      return (target) => goSprintf(stringMethodText(target), rest)
    },
  }),
  defineMethod({
    name: 'repeat',
    params: [{ name: 'count', type: 'int', description: 'Number of copies (0 or more).' }],
    description: 'Repeats the string.',
    examples: [{ mapping: 'root = this.s.repeat(3)', input: '{"s":"ab"}', output: 'ababab' }],
    ctor: (args) => {
      const count = args.int64('count')
      if (count < 0) throw new MappingError(`invalid count, must be greater than or equal to zero: ${count}`)
      const n = Number(count)
      const check = (len: number): void => {
        if (len * n > MAX_STRING) throw new MappingError(`invalid count, would overflow: ${len}*${count}`)
      }
      return (target) =>
        strOrBytes(
          target,
          (s) => {
            check(s.length)
            return s.repeat(n)
          },
          (b) => {
            check(b.length)
            return b.length === 0 ? b : concatBytes(Array.from({ length: n }, () => b))
          },
        )
    },
  }),
  defineMethod({
    name: 'reverse',
    params: [],
    description: 'Reverses the characters of a string (the bytes of a bytes value).',
    examples: [{ mapping: 'root = this.s.reverse()', input: '{"s":"abc"}', output: 'cba' }],
    ctor: () => (target) =>
      strOrBytes(
        target,
        (s) => Array.from(s).reverse().join(''),
        (b) => Uint8Array.from(b).reverse(),
      ),
  }),
  bytesTextMethod('quote', 'Quotes the string as a Go string literal.', (b) => goQuoteBytes(b), [
    { mapping: 'root = this.s.quote()', input: '{"s":"a\\"b"}', output: '"a\\"b"' },
  ]),
  bytesTextMethod('unquote', 'Interprets a quoted Go string literal ("...", `...` or \'x\').', (b) => goDecode(goUnquote(b)), [
    { mapping: 'root = this.s.unquote()', input: '{"s":"\\"x\\\\ty\\""}', output: 'x\ty' },
  ]),
  textMethod('escape_html', 'Escapes < > & \' " as HTML entities.', escapeHtml, [
    { mapping: 'root = this.s.escape_html()', input: '{"s":"<a>&"}', output: '&lt;a&gt;&amp;' },
  ]),
  textMethod('unescape_html', 'Replaces HTML character references with the characters.', unescapeHtml, [
    { mapping: 'root = this.s.unescape_html()', input: '{"s":"a &lt; b &amp;&amp; c"}', output: 'a < b && c' },
  ]),
  bytesTextMethod('escape_url_query', 'Escapes for a URL query component (space becomes +).', (b) => urlEscape(b, true), [
    { mapping: 'root = this.s.escape_url_query()', input: '{"s":"a b&c"}', output: 'a+b%26c' },
  ]),
  bytesTextMethod('unescape_url_query', 'Reverses query escaping (+ becomes a space).', (b) => urlUnescape(b, true), [
    { mapping: 'root = this.s.unescape_url_query()', input: '{"s":"a%20b+c"}', output: 'a b c' },
  ]),
  bytesTextMethod('escape_url_path', 'Escapes for a URL path segment (space becomes %20).', (b) => urlEscape(b, false), [
    { mapping: 'root = this.s.escape_url_path()', input: '{"s":"a b&c"}', output: 'a%20b&c' },
  ]),
  bytesTextMethod('unescape_url_path', 'Reverses path-segment escaping.', (b) => urlUnescape(b, false), [
    { mapping: 'root = this.s.unescape_url_path()', input: '{"s":"a%20b+c"}', output: 'a b+c' },
  ]),
  defineMethod({
    name: 'filepath_join',
    params: [],
    description: 'Joins an array of path elements with "/" and cleans the result.',
    examples: [{ mapping: 'root = this.p.filepath_join()', input: '{"p":["/foo/","bar.txt"]}', output: '/foo/bar.txt' }],
    ctor: () => (target) => {
      if (!Array.isArray(target)) throw typeError(target, 'array')
      const parts = target.map((e, i) => {
        try {
          return stringMethodText(e)
        } catch (err) {
          throw new MappingError(`path element ${i}: ${err instanceof Error ? err.message : String(err)}`)
        }
      })
      return joinPath(parts)
    },
  }),
  textMethod(
    'filepath_split',
    'Splits a path after its last "/" into [directory, file].',
    (s) => {
      const i = s.lastIndexOf('/')
      return [s.slice(0, i + 1), s.slice(i + 1)]
    },
    [{ mapping: 'root = this.p.filepath_split()', input: '{"p":"/foo/bar.txt"}', output: '["/foo/","bar.txt"]' }],
  ),
  defineMethod({
    name: 'uuid_v5',
    params: [{ name: 'ns', type: 'string', optional: true, description: 'Namespace: dns, url, oid, x500 or a UUID; the nil UUID when omitted.' }],
    description: 'Name-based (SHA-1) UUID of the string; null stays null.',
    examples: [{ mapping: 'root = this.s.uuid_v5("dns")', input: '{"s":"hello world"}', output: '823a2f73-a936-56c3-b8b4-03641bd74f35' }],
    ctor: (args) => {
      const ns = args.optString('ns')
      return (target) => {
        if (target === null) return null
        let nsBytes: Uint8Array = new Uint8Array(16)
        if (ns !== undefined) {
          const known = UUID_NAMESPACES[ns.toLowerCase()]
          const parsed = known !== undefined && (ns === ns.toLowerCase() || ns === ns.toUpperCase()) ? parseUuid(known) : parseUuid(ns)
          if (parsed === undefined) throw new MappingError(`invalid ns uuid: ${goQuote(ns)}`)
          nsBytes = parsed
        }
        return strOrBytes(
          target,
          (s) => uuidV5(nsBytes, stringToBytes(s)),
          (b) => uuidV5(nsBytes, b),
        )
      }
    },
  }),
]

// ---- data ---------------------------------------------------------------------------------------

// HTML5 named character references (WHATWG list, as Go's html package has it): `name:hex[,hex]`,
// the trailing `;` implied. LEGACY_ENTITIES are also recognised without the `;`.
const LEGACY_ENTITIES =
  'AElig AMP Aacute Acirc Agrave Aring Atilde Auml COPY Ccedil ETH Eacute Ecirc Egrave Euml GT Iacute Icirc Igrave Iuml LT Ntilde Oacute Ocirc Ograve Oslash Otilde Ouml QUOT REG THORN Uacute Ucirc Ugrave Uuml Yacute aacute acirc acute aelig agrave amp aring atilde auml brvbar ccedil cedil cent copy curren deg divide eacute ecirc egrave eth euml frac12 frac14 frac34 gt iacute icirc iexcl igrave iquest iuml laquo lt macr micro middot nbsp not ntilde oacute ocirc ograve ordf ordm oslash otilde ouml para plusmn pound quot raquo reg sect shy sup1 sup2 sup3 szlig thorn times uacute ucirc ugrave uml uuml yacute yen yuml'

const ENTITY_DATA = `
AElig:c6 AMP:26 Aacute:c1 Abreve:102 Acirc:c2 Acy:410 Afr:1d504 Agrave:c0 Alpha:391 Amacr:100 And:2a53
Aogon:104 Aopf:1d538 ApplyFunction:2061 Aring:c5 Ascr:1d49c Assign:2254 Atilde:c3 Auml:c4 Backslash:2216
Barv:2ae7 Barwed:2306 Bcy:411 Because:2235 Bernoullis:212c Beta:392 Bfr:1d505 Bopf:1d539 Breve:2d8 Bscr:212c
Bumpeq:224e CHcy:427 COPY:a9 Cacute:106 Cap:22d2 CapitalDifferentialD:2145 Cayleys:212d Ccaron:10c Ccedil:c7
Ccirc:108 Cconint:2230 Cdot:10a Cedilla:b8 CenterDot:b7 Cfr:212d Chi:3a7 CircleDot:2299 CircleMinus:2296
CirclePlus:2295 CircleTimes:2297 ClockwiseContourIntegral:2232 CloseCurlyDoubleQuote:201d CloseCurlyQuote:2019
Colon:2237 Colone:2a74 Congruent:2261 Conint:222f ContourIntegral:222e Copf:2102 Coproduct:2210
CounterClockwiseContourIntegral:2233 Cross:2a2f Cscr:1d49e Cup:22d3 CupCap:224d DD:2145 DDotrahd:2911 DJcy:402
DScy:405 DZcy:40f Dagger:2021 Darr:21a1 Dashv:2ae4 Dcaron:10e Dcy:414 Del:2207 Delta:394 Dfr:1d507
DiacriticalAcute:b4 DiacriticalDot:2d9 DiacriticalDoubleAcute:2dd DiacriticalGrave:60 DiacriticalTilde:2dc
Diamond:22c4 DifferentialD:2146 Dopf:1d53b Dot:a8 DotDot:20dc DotEqual:2250 DoubleContourIntegral:222f
DoubleDot:a8 DoubleDownArrow:21d3 DoubleLeftArrow:21d0 DoubleLeftRightArrow:21d4 DoubleLeftTee:2ae4
DoubleLongLeftArrow:27f8 DoubleLongLeftRightArrow:27fa DoubleLongRightArrow:27f9 DoubleRightArrow:21d2
DoubleRightTee:22a8 DoubleUpArrow:21d1 DoubleUpDownArrow:21d5 DoubleVerticalBar:2225 DownArrow:2193
DownArrowBar:2913 DownArrowUpArrow:21f5 DownBreve:311 DownLeftRightVector:2950 DownLeftTeeVector:295e
DownLeftVector:21bd DownLeftVectorBar:2956 DownRightTeeVector:295f DownRightVector:21c1
DownRightVectorBar:2957 DownTee:22a4 DownTeeArrow:21a7 Downarrow:21d3 Dscr:1d49f Dstrok:110 ENG:14a ETH:d0
Eacute:c9 Ecaron:11a Ecirc:ca Ecy:42d Edot:116 Efr:1d508 Egrave:c8 Element:2208 Emacr:112
EmptySmallSquare:25fb EmptyVerySmallSquare:25ab Eogon:118 Eopf:1d53c Epsilon:395 Equal:2a75 EqualTilde:2242
Equilibrium:21cc Escr:2130 Esim:2a73 Eta:397 Euml:cb Exists:2203 ExponentialE:2147 Fcy:424 Ffr:1d509
FilledSmallSquare:25fc FilledVerySmallSquare:25aa Fopf:1d53d ForAll:2200 Fouriertrf:2131 Fscr:2131 GJcy:403
GT:3e Gamma:393 Gammad:3dc Gbreve:11e Gcedil:122 Gcirc:11c Gcy:413 Gdot:120 Gfr:1d50a Gg:22d9 Gopf:1d53e
GreaterEqual:2265 GreaterEqualLess:22db GreaterFullEqual:2267 GreaterGreater:2aa2 GreaterLess:2277
GreaterSlantEqual:2a7e GreaterTilde:2273 Gscr:1d4a2 Gt:226b HARDcy:42a Hacek:2c7 Hat:5e Hcirc:124 Hfr:210c
HilbertSpace:210b Hopf:210d HorizontalLine:2500 Hscr:210b Hstrok:126 HumpDownHump:224e HumpEqual:224f IEcy:415
IJlig:132 IOcy:401 Iacute:cd Icirc:ce Icy:418 Idot:130 Ifr:2111 Igrave:cc Im:2111 Imacr:12a ImaginaryI:2148
Implies:21d2 Int:222c Integral:222b Intersection:22c2 InvisibleComma:2063 InvisibleTimes:2062 Iogon:12e
Iopf:1d540 Iota:399 Iscr:2110 Itilde:128 Iukcy:406 Iuml:cf Jcirc:134 Jcy:419 Jfr:1d50d Jopf:1d541 Jscr:1d4a5
Jsercy:408 Jukcy:404 KHcy:425 KJcy:40c Kappa:39a Kcedil:136 Kcy:41a Kfr:1d50e Kopf:1d542 Kscr:1d4a6 LJcy:409
LT:3c Lacute:139 Lambda:39b Lang:27ea Laplacetrf:2112 Larr:219e Lcaron:13d Lcedil:13b Lcy:41b
LeftAngleBracket:27e8 LeftArrow:2190 LeftArrowBar:21e4 LeftArrowRightArrow:21c6 LeftCeiling:2308
LeftDoubleBracket:27e6 LeftDownTeeVector:2961 LeftDownVector:21c3 LeftDownVectorBar:2959 LeftFloor:230a
LeftRightArrow:2194 LeftRightVector:294e LeftTee:22a3 LeftTeeArrow:21a4 LeftTeeVector:295a LeftTriangle:22b2
LeftTriangleBar:29cf LeftTriangleEqual:22b4 LeftUpDownVector:2951 LeftUpTeeVector:2960 LeftUpVector:21bf
LeftUpVectorBar:2958 LeftVector:21bc LeftVectorBar:2952 Leftarrow:21d0 Leftrightarrow:21d4
LessEqualGreater:22da LessFullEqual:2266 LessGreater:2276 LessLess:2aa1 LessSlantEqual:2a7d LessTilde:2272
Lfr:1d50f Ll:22d8 Lleftarrow:21da Lmidot:13f LongLeftArrow:27f5 LongLeftRightArrow:27f7 LongRightArrow:27f6
Longleftarrow:27f8 Longleftrightarrow:27fa Longrightarrow:27f9 Lopf:1d543 LowerLeftArrow:2199
LowerRightArrow:2198 Lscr:2112 Lsh:21b0 Lstrok:141 Lt:226a Map:2905 Mcy:41c MediumSpace:205f Mellintrf:2133
Mfr:1d510 MinusPlus:2213 Mopf:1d544 Mscr:2133 Mu:39c NJcy:40a Nacute:143 Ncaron:147 Ncedil:145 Ncy:41d
NegativeMediumSpace:200b NegativeThickSpace:200b NegativeThinSpace:200b NegativeVeryThinSpace:200b
NestedGreaterGreater:226b NestedLessLess:226a NewLine:a Nfr:1d511 NoBreak:2060 NonBreakingSpace:a0 Nopf:2115
Not:2aec NotCongruent:2262 NotCupCap:226d NotDoubleVerticalBar:2226 NotElement:2209 NotEqual:2260
NotEqualTilde:2242,338 NotExists:2204 NotGreater:226f NotGreaterEqual:2271 NotGreaterFullEqual:2267,338
NotGreaterGreater:226b,338 NotGreaterLess:2279 NotGreaterSlantEqual:2a7e,338 NotGreaterTilde:2275
NotHumpDownHump:224e,338 NotHumpEqual:224f,338 NotLeftTriangle:22ea NotLeftTriangleBar:29cf,338
NotLeftTriangleEqual:22ec NotLess:226e NotLessEqual:2270 NotLessGreater:2278 NotLessLess:226a,338
NotLessSlantEqual:2a7d,338 NotLessTilde:2274 NotNestedGreaterGreater:2aa2,338 NotNestedLessLess:2aa1,338
NotPrecedes:2280 NotPrecedesEqual:2aaf,338 NotPrecedesSlantEqual:22e0 NotReverseElement:220c
NotRightTriangle:22eb NotRightTriangleBar:29d0,338 NotRightTriangleEqual:22ed NotSquareSubset:228f,338
NotSquareSubsetEqual:22e2 NotSquareSuperset:2290,338 NotSquareSupersetEqual:22e3 NotSubset:2282,20d2
NotSubsetEqual:2288 NotSucceeds:2281 NotSucceedsEqual:2ab0,338 NotSucceedsSlantEqual:22e1
NotSucceedsTilde:227f,338 NotSuperset:2283,20d2 NotSupersetEqual:2289 NotTilde:2241 NotTildeEqual:2244
NotTildeFullEqual:2247 NotTildeTilde:2249 NotVerticalBar:2224 Nscr:1d4a9 Ntilde:d1 Nu:39d OElig:152 Oacute:d3
Ocirc:d4 Ocy:41e Odblac:150 Ofr:1d512 Ograve:d2 Omacr:14c Omega:3a9 Omicron:39f Oopf:1d546
OpenCurlyDoubleQuote:201c OpenCurlyQuote:2018 Or:2a54 Oscr:1d4aa Oslash:d8 Otilde:d5 Otimes:2a37 Ouml:d6
OverBar:203e OverBrace:23de OverBracket:23b4 OverParenthesis:23dc PartialD:2202 Pcy:41f Pfr:1d513 Phi:3a6
Pi:3a0 PlusMinus:b1 Poincareplane:210c Popf:2119 Pr:2abb Precedes:227a PrecedesEqual:2aaf
PrecedesSlantEqual:227c PrecedesTilde:227e Prime:2033 Product:220f Proportion:2237 Proportional:221d
Pscr:1d4ab Psi:3a8 QUOT:22 Qfr:1d514 Qopf:211a Qscr:1d4ac RBarr:2910 REG:ae Racute:154 Rang:27eb Rarr:21a0
Rarrtl:2916 Rcaron:158 Rcedil:156 Rcy:420 Re:211c ReverseElement:220b ReverseEquilibrium:21cb
ReverseUpEquilibrium:296f Rfr:211c Rho:3a1 RightAngleBracket:27e9 RightArrow:2192 RightArrowBar:21e5
RightArrowLeftArrow:21c4 RightCeiling:2309 RightDoubleBracket:27e7 RightDownTeeVector:295d
RightDownVector:21c2 RightDownVectorBar:2955 RightFloor:230b RightTee:22a2 RightTeeArrow:21a6
RightTeeVector:295b RightTriangle:22b3 RightTriangleBar:29d0 RightTriangleEqual:22b5 RightUpDownVector:294f
RightUpTeeVector:295c RightUpVector:21be RightUpVectorBar:2954 RightVector:21c0 RightVectorBar:2953
Rightarrow:21d2 Ropf:211d RoundImplies:2970 Rrightarrow:21db Rscr:211b Rsh:21b1 RuleDelayed:29f4 SHCHcy:429
SHcy:428 SOFTcy:42c Sacute:15a Sc:2abc Scaron:160 Scedil:15e Scirc:15c Scy:421 Sfr:1d516 ShortDownArrow:2193
ShortLeftArrow:2190 ShortRightArrow:2192 ShortUpArrow:2191 Sigma:3a3 SmallCircle:2218 Sopf:1d54a Sqrt:221a
Square:25a1 SquareIntersection:2293 SquareSubset:228f SquareSubsetEqual:2291 SquareSuperset:2290
SquareSupersetEqual:2292 SquareUnion:2294 Sscr:1d4ae Star:22c6 Sub:22d0 Subset:22d0 SubsetEqual:2286
Succeeds:227b SucceedsEqual:2ab0 SucceedsSlantEqual:227d SucceedsTilde:227f SuchThat:220b Sum:2211 Sup:22d1
Superset:2283 SupersetEqual:2287 Supset:22d1 THORN:de TRADE:2122 TSHcy:40b TScy:426 Tab:9 Tau:3a4 Tcaron:164
Tcedil:162 Tcy:422 Tfr:1d517 Therefore:2234 Theta:398 ThickSpace:205f,200a ThinSpace:2009 Tilde:223c
TildeEqual:2243 TildeFullEqual:2245 TildeTilde:2248 Topf:1d54b TripleDot:20db Tscr:1d4af Tstrok:166 Uacute:da
Uarr:219f Uarrocir:2949 Ubrcy:40e Ubreve:16c Ucirc:db Ucy:423 Udblac:170 Ufr:1d518 Ugrave:d9 Umacr:16a
UnderBar:5f UnderBrace:23df UnderBracket:23b5 UnderParenthesis:23dd Union:22c3 UnionPlus:228e Uogon:172
Uopf:1d54c UpArrow:2191 UpArrowBar:2912 UpArrowDownArrow:21c5 UpDownArrow:2195 UpEquilibrium:296e UpTee:22a5
UpTeeArrow:21a5 Uparrow:21d1 Updownarrow:21d5 UpperLeftArrow:2196 UpperRightArrow:2197 Upsi:3d2 Upsilon:3a5
Uring:16e Uscr:1d4b0 Utilde:168 Uuml:dc VDash:22ab Vbar:2aeb Vcy:412 Vdash:22a9 Vdashl:2ae6 Vee:22c1
Verbar:2016 Vert:2016 VerticalBar:2223 VerticalLine:7c VerticalSeparator:2758 VerticalTilde:2240
VeryThinSpace:200a Vfr:1d519 Vopf:1d54d Vscr:1d4b1 Vvdash:22aa Wcirc:174 Wedge:22c0 Wfr:1d51a Wopf:1d54e
Wscr:1d4b2 Xfr:1d51b Xi:39e Xopf:1d54f Xscr:1d4b3 YAcy:42f YIcy:407 YUcy:42e Yacute:dd Ycirc:176 Ycy:42b
Yfr:1d51c Yopf:1d550 Yscr:1d4b4 Yuml:178 ZHcy:416 Zacute:179 Zcaron:17d Zcy:417 Zdot:17b ZeroWidthSpace:200b
Zeta:396 Zfr:2128 Zopf:2124 Zscr:1d4b5 aacute:e1 abreve:103 ac:223e acE:223e,333 acd:223f acirc:e2 acute:b4
acy:430 aelig:e6 af:2061 afr:1d51e agrave:e0 alefsym:2135 aleph:2135 alpha:3b1 amacr:101 amalg:2a3f amp:26
and:2227 andand:2a55 andd:2a5c andslope:2a58 andv:2a5a ang:2220 ange:29a4 angle:2220 angmsd:2221 angmsdaa:29a8
angmsdab:29a9 angmsdac:29aa angmsdad:29ab angmsdae:29ac angmsdaf:29ad angmsdag:29ae angmsdah:29af angrt:221f
angrtvb:22be angrtvbd:299d angsph:2222 angst:c5 angzarr:237c aogon:105 aopf:1d552 ap:2248 apE:2a70 apacir:2a6f
ape:224a apid:224b apos:27 approx:2248 approxeq:224a aring:e5 ascr:1d4b6 ast:2a asymp:2248 asympeq:224d
atilde:e3 auml:e4 awconint:2233 awint:2a11 bNot:2aed backcong:224c backepsilon:3f6 backprime:2035 backsim:223d
backsimeq:22cd barvee:22bd barwed:2305 barwedge:2305 bbrk:23b5 bbrktbrk:23b6 bcong:224c bcy:431 bdquo:201e
becaus:2235 because:2235 bemptyv:29b0 bepsi:3f6 bernou:212c beta:3b2 beth:2136 between:226c bfr:1d51f
bigcap:22c2 bigcirc:25ef bigcup:22c3 bigodot:2a00 bigoplus:2a01 bigotimes:2a02 bigsqcup:2a06 bigstar:2605
bigtriangledown:25bd bigtriangleup:25b3 biguplus:2a04 bigvee:22c1 bigwedge:22c0 bkarow:290d blacklozenge:29eb
blacksquare:25aa blacktriangle:25b4 blacktriangledown:25be blacktriangleleft:25c2 blacktriangleright:25b8
blank:2423 blk12:2592 blk14:2591 blk34:2593 block:2588 bne:3d,20e5 bnequiv:2261,20e5 bnot:2310 bopf:1d553
bot:22a5 bottom:22a5 bowtie:22c8 boxDL:2557 boxDR:2554 boxDl:2556 boxDr:2553 boxH:2550 boxHD:2566 boxHU:2569
boxHd:2564 boxHu:2567 boxUL:255d boxUR:255a boxUl:255c boxUr:2559 boxV:2551 boxVH:256c boxVL:2563 boxVR:2560
boxVh:256b boxVl:2562 boxVr:255f boxbox:29c9 boxdL:2555 boxdR:2552 boxdl:2510 boxdr:250c boxh:2500 boxhD:2565
boxhU:2568 boxhd:252c boxhu:2534 boxminus:229f boxplus:229e boxtimes:22a0 boxuL:255b boxuR:2558 boxul:2518
boxur:2514 boxv:2502 boxvH:256a boxvL:2561 boxvR:255e boxvh:253c boxvl:2524 boxvr:251c bprime:2035 breve:2d8
brvbar:a6 bscr:1d4b7 bsemi:204f bsim:223d bsime:22cd bsol:5c bsolb:29c5 bsolhsub:27c8 bull:2022 bullet:2022
bump:224e bumpE:2aae bumpe:224f bumpeq:224f cacute:107 cap:2229 capand:2a44 capbrcup:2a49 capcap:2a4b
capcup:2a47 capdot:2a40 caps:2229,fe00 caret:2041 caron:2c7 ccaps:2a4d ccaron:10d ccedil:e7 ccirc:109
ccups:2a4c ccupssm:2a50 cdot:10b cedil:b8 cemptyv:29b2 cent:a2 centerdot:b7 cfr:1d520 chcy:447 check:2713
checkmark:2713 chi:3c7 cir:25cb cirE:29c3 circ:2c6 circeq:2257 circlearrowleft:21ba circlearrowright:21bb
circledR:ae circledS:24c8 circledast:229b circledcirc:229a circleddash:229d cire:2257 cirfnint:2a10
cirmid:2aef cirscir:29c2 clubs:2663 clubsuit:2663 colon:3a colone:2254 coloneq:2254 comma:2c commat:40
comp:2201 compfn:2218 complement:2201 complexes:2102 cong:2245 congdot:2a6d conint:222e copf:1d554 coprod:2210
copy:a9 copysr:2117 crarr:21b5 cross:2717 cscr:1d4b8 csub:2acf csube:2ad1 csup:2ad0 csupe:2ad2 ctdot:22ef
cudarrl:2938 cudarrr:2935 cuepr:22de cuesc:22df cularr:21b6 cularrp:293d cup:222a cupbrcap:2a48 cupcap:2a46
cupcup:2a4a cupdot:228d cupor:2a45 cups:222a,fe00 curarr:21b7 curarrm:293c curlyeqprec:22de curlyeqsucc:22df
curlyvee:22ce curlywedge:22cf curren:a4 curvearrowleft:21b6 curvearrowright:21b7 cuvee:22ce cuwed:22cf
cwconint:2232 cwint:2231 cylcty:232d dArr:21d3 dHar:2965 dagger:2020 daleth:2138 darr:2193 dash:2010
dashv:22a3 dbkarow:290f dblac:2dd dcaron:10f dcy:434 dd:2146 ddagger:2021 ddarr:21ca ddotseq:2a77 deg:b0
delta:3b4 demptyv:29b1 dfisht:297f dfr:1d521 dharl:21c3 dharr:21c2 diam:22c4 diamond:22c4 diamondsuit:2666
diams:2666 die:a8 digamma:3dd disin:22f2 div:f7 divide:f7 divideontimes:22c7 divonx:22c7 djcy:452 dlcorn:231e
dlcrop:230d dollar:24 dopf:1d555 dot:2d9 doteq:2250 doteqdot:2251 dotminus:2238 dotplus:2214 dotsquare:22a1
doublebarwedge:2306 downarrow:2193 downdownarrows:21ca downharpoonleft:21c3 downharpoonright:21c2
drbkarow:2910 drcorn:231f drcrop:230c dscr:1d4b9 dscy:455 dsol:29f6 dstrok:111 dtdot:22f1 dtri:25bf dtrif:25be
duarr:21f5 duhar:296f dwangle:29a6 dzcy:45f dzigrarr:27ff eDDot:2a77 eDot:2251 eacute:e9 easter:2a6e
ecaron:11b ecir:2256 ecirc:ea ecolon:2255 ecy:44d edot:117 ee:2147 efDot:2252 efr:1d522 eg:2a9a egrave:e8
egs:2a96 egsdot:2a98 el:2a99 elinters:23e7 ell:2113 els:2a95 elsdot:2a97 emacr:113 empty:2205 emptyset:2205
emptyv:2205 emsp:2003 emsp13:2004 emsp14:2005 eng:14b ensp:2002 eogon:119 eopf:1d556 epar:22d5 eparsl:29e3
eplus:2a71 epsi:3b5 epsilon:3b5 epsiv:3f5 eqcirc:2256 eqcolon:2255 eqsim:2242 eqslantgtr:2a96 eqslantless:2a95
equals:3d equest:225f equiv:2261 equivDD:2a78 eqvparsl:29e5 erDot:2253 erarr:2971 escr:212f esdot:2250
esim:2242 eta:3b7 eth:f0 euml:eb euro:20ac excl:21 exist:2203 expectation:2130 exponentiale:2147
fallingdotseq:2252 fcy:444 female:2640 ffilig:fb03 fflig:fb00 ffllig:fb04 ffr:1d523 filig:fb01 fjlig:66,6a
flat:266d fllig:fb02 fltns:25b1 fnof:192 fopf:1d557 forall:2200 fork:22d4 forkv:2ad9 fpartint:2a0d frac12:bd
frac13:2153 frac14:bc frac15:2155 frac16:2159 frac18:215b frac23:2154 frac25:2156 frac34:be frac35:2157
frac38:215c frac45:2158 frac56:215a frac58:215d frac78:215e frasl:2044 frown:2322 fscr:1d4bb gE:2267 gEl:2a8c
gacute:1f5 gamma:3b3 gammad:3dd gap:2a86 gbreve:11f gcirc:11d gcy:433 gdot:121 ge:2265 gel:22db geq:2265
geqq:2267 geqslant:2a7e ges:2a7e gescc:2aa9 gesdot:2a80 gesdoto:2a82 gesdotol:2a84 gesl:22db,fe00 gesles:2a94
gfr:1d524 gg:226b ggg:22d9 gimel:2137 gjcy:453 gl:2277 glE:2a92 gla:2aa5 glj:2aa4 gnE:2269 gnap:2a8a
gnapprox:2a8a gne:2a88 gneq:2a88 gneqq:2269 gnsim:22e7 gopf:1d558 grave:60 gscr:210a gsim:2273 gsime:2a8e
gsiml:2a90 gt:3e gtcc:2aa7 gtcir:2a7a gtdot:22d7 gtlPar:2995 gtquest:2a7c gtrapprox:2a86 gtrarr:2978
gtrdot:22d7 gtreqless:22db gtreqqless:2a8c gtrless:2277 gtrsim:2273 gvertneqq:2269,fe00 gvnE:2269,fe00
hArr:21d4 hairsp:200a half:bd hamilt:210b hardcy:44a harr:2194 harrcir:2948 harrw:21ad hbar:210f hcirc:125
hearts:2665 heartsuit:2665 hellip:2026 hercon:22b9 hfr:1d525 hksearow:2925 hkswarow:2926 hoarr:21ff
homtht:223b hookleftarrow:21a9 hookrightarrow:21aa hopf:1d559 horbar:2015 hscr:1d4bd hslash:210f hstrok:127
hybull:2043 hyphen:2010 iacute:ed ic:2063 icirc:ee icy:438 iecy:435 iexcl:a1 iff:21d4 ifr:1d526 igrave:ec
ii:2148 iiiint:2a0c iiint:222d iinfin:29dc iiota:2129 ijlig:133 imacr:12b image:2111 imagline:2110
imagpart:2111 imath:131 imof:22b7 imped:1b5 in:2208 incare:2105 infin:221e infintie:29dd inodot:131 int:222b
intcal:22ba integers:2124 intercal:22ba intlarhk:2a17 intprod:2a3c iocy:451 iogon:12f iopf:1d55a iota:3b9
iprod:2a3c iquest:bf iscr:1d4be isin:2208 isinE:22f9 isindot:22f5 isins:22f4 isinsv:22f3 isinv:2208 it:2062
itilde:129 iukcy:456 iuml:ef jcirc:135 jcy:439 jfr:1d527 jmath:237 jopf:1d55b jscr:1d4bf jsercy:458 jukcy:454
kappa:3ba kappav:3f0 kcedil:137 kcy:43a kfr:1d528 kgreen:138 khcy:445 kjcy:45c kopf:1d55c kscr:1d4c0
lAarr:21da lArr:21d0 lAtail:291b lBarr:290e lE:2266 lEg:2a8b lHar:2962 lacute:13a laemptyv:29b4 lagran:2112
lambda:3bb lang:27e8 langd:2991 langle:27e8 lap:2a85 laquo:ab larr:2190 larrb:21e4 larrbfs:291f larrfs:291d
larrhk:21a9 larrlp:21ab larrpl:2939 larrsim:2973 larrtl:21a2 lat:2aab latail:2919 late:2aad lates:2aad,fe00
lbarr:290c lbbrk:2772 lbrace:7b lbrack:5b lbrke:298b lbrksld:298f lbrkslu:298d lcaron:13e lcedil:13c
lceil:2308 lcub:7b lcy:43b ldca:2936 ldquo:201c ldquor:201e ldrdhar:2967 ldrushar:294b ldsh:21b2 le:2264
leftarrow:2190 leftarrowtail:21a2 leftharpoondown:21bd leftharpoonup:21bc leftleftarrows:21c7
leftrightarrow:2194 leftrightarrows:21c6 leftrightharpoons:21cb leftrightsquigarrow:21ad leftthreetimes:22cb
leg:22da leq:2264 leqq:2266 leqslant:2a7d les:2a7d lescc:2aa8 lesdot:2a7f lesdoto:2a81 lesdotor:2a83
lesg:22da,fe00 lesges:2a93 lessapprox:2a85 lessdot:22d6 lesseqgtr:22da lesseqqgtr:2a8b lessgtr:2276
lesssim:2272 lfisht:297c lfloor:230a lfr:1d529 lg:2276 lgE:2a91 lhard:21bd lharu:21bc lharul:296a lhblk:2584
ljcy:459 ll:226a llarr:21c7 llcorner:231e llhard:296b lltri:25fa lmidot:140 lmoust:23b0 lmoustache:23b0
lnE:2268 lnap:2a89 lnapprox:2a89 lne:2a87 lneq:2a87 lneqq:2268 lnsim:22e6 loang:27ec loarr:21fd lobrk:27e6
longleftarrow:27f5 longleftrightarrow:27f7 longmapsto:27fc longrightarrow:27f6 looparrowleft:21ab
looparrowright:21ac lopar:2985 lopf:1d55d loplus:2a2d lotimes:2a34 lowast:2217 lowbar:5f loz:25ca lozenge:25ca
lozf:29eb lpar:28 lparlt:2993 lrarr:21c6 lrcorner:231f lrhar:21cb lrhard:296d lrm:200e lrtri:22bf lsaquo:2039
lscr:1d4c1 lsh:21b0 lsim:2272 lsime:2a8d lsimg:2a8f lsqb:5b lsquo:2018 lsquor:201a lstrok:142 lt:3c ltcc:2aa6
ltcir:2a79 ltdot:22d6 lthree:22cb ltimes:22c9 ltlarr:2976 ltquest:2a7b ltrPar:2996 ltri:25c3 ltrie:22b4
ltrif:25c2 lurdshar:294a luruhar:2966 lvertneqq:2268,fe00 lvnE:2268,fe00 mDDot:223a macr:af male:2642
malt:2720 maltese:2720 map:21a6 mapsto:21a6 mapstodown:21a7 mapstoleft:21a4 mapstoup:21a5 marker:25ae
mcomma:2a29 mcy:43c mdash:2014 measuredangle:2221 mfr:1d52a mho:2127 micro:b5 mid:2223 midast:2a midcir:2af0
middot:b7 minus:2212 minusb:229f minusd:2238 minusdu:2a2a mlcp:2adb mldr:2026 mnplus:2213 models:22a7
mopf:1d55e mp:2213 mscr:1d4c2 mstpos:223e mu:3bc multimap:22b8 mumap:22b8 nGg:22d9,338 nGt:226b,20d2
nGtv:226b,338 nLeftarrow:21cd nLeftrightarrow:21ce nLl:22d8,338 nLt:226a,20d2 nLtv:226a,338 nRightarrow:21cf
nVDash:22af nVdash:22ae nabla:2207 nacute:144 nang:2220,20d2 nap:2249 napE:2a70,338 napid:224b,338 napos:149
napprox:2249 natur:266e natural:266e naturals:2115 nbsp:a0 nbump:224e,338 nbumpe:224f,338 ncap:2a43 ncaron:148
ncedil:146 ncong:2247 ncongdot:2a6d,338 ncup:2a42 ncy:43d ndash:2013 ne:2260 neArr:21d7 nearhk:2924 nearr:2197
nearrow:2197 nedot:2250,338 nequiv:2262 nesear:2928 nesim:2242,338 nexist:2204 nexists:2204 nfr:1d52b
ngE:2267,338 nge:2271 ngeq:2271 ngeqq:2267,338 ngeqslant:2a7e,338 nges:2a7e,338 ngsim:2275 ngt:226f ngtr:226f
nhArr:21ce nharr:21ae nhpar:2af2 ni:220b nis:22fc nisd:22fa niv:220b njcy:45a nlArr:21cd nlE:2266,338
nlarr:219a nldr:2025 nle:2270 nleftarrow:219a nleftrightarrow:21ae nleq:2270 nleqq:2266,338 nleqslant:2a7d,338
nles:2a7d,338 nless:226e nlsim:2274 nlt:226e nltri:22ea nltrie:22ec nmid:2224 nopf:1d55f not:ac notin:2209
notinE:22f9,338 notindot:22f5,338 notinva:2209 notinvb:22f7 notinvc:22f6 notni:220c notniva:220c notnivb:22fe
notnivc:22fd npar:2226 nparallel:2226 nparsl:2afd,20e5 npart:2202,338 npolint:2a14 npr:2280 nprcue:22e0
npre:2aaf,338 nprec:2280 npreceq:2aaf,338 nrArr:21cf nrarr:219b nrarrc:2933,338 nrarrw:219d,338
nrightarrow:219b nrtri:22eb nrtrie:22ed nsc:2281 nsccue:22e1 nsce:2ab0,338 nscr:1d4c3 nshortmid:2224
nshortparallel:2226 nsim:2241 nsime:2244 nsimeq:2244 nsmid:2224 nspar:2226 nsqsube:22e2 nsqsupe:22e3 nsub:2284
nsubE:2ac5,338 nsube:2288 nsubset:2282,20d2 nsubseteq:2288 nsubseteqq:2ac5,338 nsucc:2281 nsucceq:2ab0,338
nsup:2285 nsupE:2ac6,338 nsupe:2289 nsupset:2283,20d2 nsupseteq:2289 nsupseteqq:2ac6,338 ntgl:2279 ntilde:f1
ntlg:2278 ntriangleleft:22ea ntrianglelefteq:22ec ntriangleright:22eb ntrianglerighteq:22ed nu:3bd num:23
numero:2116 numsp:2007 nvDash:22ad nvHarr:2904 nvap:224d,20d2 nvdash:22ac nvge:2265,20d2 nvgt:3e,20d2
nvinfin:29de nvlArr:2902 nvle:2264,20d2 nvlt:3c,20d2 nvltrie:22b4,20d2 nvrArr:2903 nvrtrie:22b5,20d2
nvsim:223c,20d2 nwArr:21d6 nwarhk:2923 nwarr:2196 nwarrow:2196 nwnear:2927 oS:24c8 oacute:f3 oast:229b
ocir:229a ocirc:f4 ocy:43e odash:229d odblac:151 odiv:2a38 odot:2299 odsold:29bc oelig:153 ofcir:29bf
ofr:1d52c ogon:2db ograve:f2 ogt:29c1 ohbar:29b5 ohm:3a9 oint:222e olarr:21ba olcir:29be olcross:29bb
oline:203e olt:29c0 omacr:14d omega:3c9 omicron:3bf omid:29b6 ominus:2296 oopf:1d560 opar:29b7 operp:29b9
oplus:2295 or:2228 orarr:21bb ord:2a5d order:2134 orderof:2134 ordf:aa ordm:ba origof:22b6 oror:2a56
orslope:2a57 orv:2a5b oscr:2134 oslash:f8 osol:2298 otilde:f5 otimes:2297 otimesas:2a36 ouml:f6 ovbar:233d
par:2225 para:b6 parallel:2225 parsim:2af3 parsl:2afd part:2202 pcy:43f percnt:25 period:2e permil:2030
perp:22a5 pertenk:2031 pfr:1d52d phi:3c6 phiv:3d5 phmmat:2133 phone:260e pi:3c0 pitchfork:22d4 piv:3d6
planck:210f planckh:210e plankv:210f plus:2b plusacir:2a23 plusb:229e pluscir:2a22 plusdo:2214 plusdu:2a25
pluse:2a72 plusmn:b1 plussim:2a26 plustwo:2a27 pm:b1 pointint:2a15 popf:1d561 pound:a3 pr:227a prE:2ab3
prap:2ab7 prcue:227c pre:2aaf prec:227a precapprox:2ab7 preccurlyeq:227c preceq:2aaf precnapprox:2ab9
precneqq:2ab5 precnsim:22e8 precsim:227e prime:2032 primes:2119 prnE:2ab5 prnap:2ab9 prnsim:22e8 prod:220f
profalar:232e profline:2312 profsurf:2313 prop:221d propto:221d prsim:227e prurel:22b0 pscr:1d4c5 psi:3c8
puncsp:2008 qfr:1d52e qint:2a0c qopf:1d562 qprime:2057 qscr:1d4c6 quaternions:210d quatint:2a16 quest:3f
questeq:225f quot:22 rAarr:21db rArr:21d2 rAtail:291c rBarr:290f rHar:2964 race:223d,331 racute:155 radic:221a
raemptyv:29b3 rang:27e9 rangd:2992 range:29a5 rangle:27e9 raquo:bb rarr:2192 rarrap:2975 rarrb:21e5
rarrbfs:2920 rarrc:2933 rarrfs:291e rarrhk:21aa rarrlp:21ac rarrpl:2945 rarrsim:2974 rarrtl:21a3 rarrw:219d
ratail:291a ratio:2236 rationals:211a rbarr:290d rbbrk:2773 rbrace:7d rbrack:5d rbrke:298c rbrksld:298e
rbrkslu:2990 rcaron:159 rcedil:157 rceil:2309 rcub:7d rcy:440 rdca:2937 rdldhar:2969 rdquo:201d rdquor:201d
rdsh:21b3 real:211c realine:211b realpart:211c reals:211d rect:25ad reg:ae rfisht:297d rfloor:230b rfr:1d52f
rhard:21c1 rharu:21c0 rharul:296c rho:3c1 rhov:3f1 rightarrow:2192 rightarrowtail:21a3 rightharpoondown:21c1
rightharpoonup:21c0 rightleftarrows:21c4 rightleftharpoons:21cc rightrightarrows:21c9 rightsquigarrow:219d
rightthreetimes:22cc ring:2da risingdotseq:2253 rlarr:21c4 rlhar:21cc rlm:200f rmoust:23b1 rmoustache:23b1
rnmid:2aee roang:27ed roarr:21fe robrk:27e7 ropar:2986 ropf:1d563 roplus:2a2e rotimes:2a35 rpar:29 rpargt:2994
rppolint:2a12 rrarr:21c9 rsaquo:203a rscr:1d4c7 rsh:21b1 rsqb:5d rsquo:2019 rsquor:2019 rthree:22cc
rtimes:22ca rtri:25b9 rtrie:22b5 rtrif:25b8 rtriltri:29ce ruluhar:2968 rx:211e sacute:15b sbquo:201a sc:227b
scE:2ab4 scap:2ab8 scaron:161 sccue:227d sce:2ab0 scedil:15f scirc:15d scnE:2ab6 scnap:2aba scnsim:22e9
scpolint:2a13 scsim:227f scy:441 sdot:22c5 sdotb:22a1 sdote:2a66 seArr:21d8 searhk:2925 searr:2198
searrow:2198 sect:a7 semi:3b seswar:2929 setminus:2216 setmn:2216 sext:2736 sfr:1d530 sfrown:2322 sharp:266f
shchcy:449 shcy:448 shortmid:2223 shortparallel:2225 shy:ad sigma:3c3 sigmaf:3c2 sigmav:3c2 sim:223c
simdot:2a6a sime:2243 simeq:2243 simg:2a9e simgE:2aa0 siml:2a9d simlE:2a9f simne:2246 simplus:2a24
simrarr:2972 slarr:2190 smallsetminus:2216 smashp:2a33 smeparsl:29e4 smid:2223 smile:2323 smt:2aaa smte:2aac
smtes:2aac,fe00 softcy:44c sol:2f solb:29c4 solbar:233f sopf:1d564 spades:2660 spadesuit:2660 spar:2225
sqcap:2293 sqcaps:2293,fe00 sqcup:2294 sqcups:2294,fe00 sqsub:228f sqsube:2291 sqsubset:228f sqsubseteq:2291
sqsup:2290 sqsupe:2292 sqsupset:2290 sqsupseteq:2292 squ:25a1 square:25a1 squarf:25aa squf:25aa srarr:2192
sscr:1d4c8 ssetmn:2216 ssmile:2323 sstarf:22c6 star:2606 starf:2605 straightepsilon:3f5 straightphi:3d5
strns:af sub:2282 subE:2ac5 subdot:2abd sube:2286 subedot:2ac3 submult:2ac1 subnE:2acb subne:228a subplus:2abf
subrarr:2979 subset:2282 subseteq:2286 subseteqq:2ac5 subsetneq:228a subsetneqq:2acb subsim:2ac7 subsub:2ad5
subsup:2ad3 succ:227b succapprox:2ab8 succcurlyeq:227d succeq:2ab0 succnapprox:2aba succneqq:2ab6
succnsim:22e9 succsim:227f sum:2211 sung:266a sup:2283 sup1:b9 sup2:b2 sup3:b3 supE:2ac6 supdot:2abe
supdsub:2ad8 supe:2287 supedot:2ac4 suphsol:27c9 suphsub:2ad7 suplarr:297b supmult:2ac2 supnE:2acc supne:228b
supplus:2ac0 supset:2283 supseteq:2287 supseteqq:2ac6 supsetneq:228b supsetneqq:2acc supsim:2ac8 supsub:2ad4
supsup:2ad6 swArr:21d9 swarhk:2926 swarr:2199 swarrow:2199 swnwar:292a szlig:df target:2316 tau:3c4 tbrk:23b4
tcaron:165 tcedil:163 tcy:442 tdot:20db telrec:2315 tfr:1d531 there4:2234 therefore:2234 theta:3b8
thetasym:3d1 thetav:3d1 thickapprox:2248 thicksim:223c thinsp:2009 thkap:2248 thksim:223c thorn:fe tilde:2dc
times:d7 timesb:22a0 timesbar:2a31 timesd:2a30 tint:222d toea:2928 top:22a4 topbot:2336 topcir:2af1 topf:1d565
topfork:2ada tosa:2929 tprime:2034 trade:2122 triangle:25b5 triangledown:25bf triangleleft:25c3
trianglelefteq:22b4 triangleq:225c triangleright:25b9 trianglerighteq:22b5 tridot:25ec trie:225c triminus:2a3a
triplus:2a39 trisb:29cd tritime:2a3b trpezium:23e2 tscr:1d4c9 tscy:446 tshcy:45b tstrok:167 twixt:226c
twoheadleftarrow:219e twoheadrightarrow:21a0 uArr:21d1 uHar:2963 uacute:fa uarr:2191 ubrcy:45e ubreve:16d
ucirc:fb ucy:443 udarr:21c5 udblac:171 udhar:296e ufisht:297e ufr:1d532 ugrave:f9 uharl:21bf uharr:21be
uhblk:2580 ulcorn:231c ulcorner:231c ulcrop:230f ultri:25f8 umacr:16b uml:a8 uogon:173 uopf:1d566 uparrow:2191
updownarrow:2195 upharpoonleft:21bf upharpoonright:21be uplus:228e upsi:3c5 upsih:3d2 upsilon:3c5
upuparrows:21c8 urcorn:231d urcorner:231d urcrop:230e uring:16f urtri:25f9 uscr:1d4ca utdot:22f0 utilde:169
utri:25b5 utrif:25b4 uuarr:21c8 uuml:fc uwangle:29a7 vArr:21d5 vBar:2ae8 vBarv:2ae9 vDash:22a8 vangrt:299c
varepsilon:3f5 varkappa:3f0 varnothing:2205 varphi:3d5 varpi:3d6 varpropto:221d varr:2195 varrho:3f1
varsigma:3c2 varsubsetneq:228a,fe00 varsubsetneqq:2acb,fe00 varsupsetneq:228b,fe00 varsupsetneqq:2acc,fe00
vartheta:3d1 vartriangleleft:22b2 vartriangleright:22b3 vcy:432 vdash:22a2 vee:2228 veebar:22bb veeeq:225a
vellip:22ee verbar:7c vert:7c vfr:1d533 vltri:22b2 vnsub:2282,20d2 vnsup:2283,20d2 vopf:1d567 vprop:221d
vrtri:22b3 vscr:1d4cb vsubnE:2acb,fe00 vsubne:228a,fe00 vsupnE:2acc,fe00 vsupne:228b,fe00 vzigzag:299a
wcirc:175 wedbar:2a5f wedge:2227 wedgeq:2259 weierp:2118 wfr:1d534 wopf:1d568 wp:2118 wr:2240 wreath:2240
wscr:1d4cc xcap:22c2 xcirc:25ef xcup:22c3 xdtri:25bd xfr:1d535 xhArr:27fa xharr:27f7 xi:3be xlArr:27f8
xlarr:27f5 xmap:27fc xnis:22fb xodot:2a00 xopf:1d569 xoplus:2a01 xotime:2a02 xrArr:27f9 xrarr:27f6 xscr:1d4cd
xsqcup:2a06 xuplus:2a04 xutri:25b3 xvee:22c1 xwedge:22c0 yacute:fd yacy:44f ycirc:177 ycy:44b yen:a5 yfr:1d536
yicy:457 yopf:1d56a yscr:1d4ce yucy:44e yuml:ff zacute:17a zcaron:17e zcy:437 zdot:17c zeetrf:2128 zeta:3b6
zfr:1d537 zhcy:436 zigrarr:21dd zopf:1d56b zscr:1d4cf zwj:200d zwnj:200c
`
