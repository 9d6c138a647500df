/**
 * JSON decoding into values. Message content is decoded in "number-preserving" mode (Go
 * `json.Number`): small plain integers become JS numbers (identical behaviour, no allocation), every
 * other number keeps its text in a JsonNumber. `parse_json()` without `use_number` yields float64
 * for every number, like Go's `json.Unmarshal` into `any`. Error texts follow Go's scanner.
 */
import { MappingError } from './value-errors.js'
import { JsonNumber, makeFloat, type Value, type VObject } from './value-types.js'

export class JsonSyntaxError extends MappingError {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message)
  }
}

// The reference allows 10000 levels; JavaScript recursion (here and in every later walk over the
// document) must stay well inside the thread's stack, worker threads included.
const MAX_DEPTH = 1000

/** Characters that need the careful string path (control characters, surrogates). */
const RAW_STRING_BAD = /[\u0000-\u001f\ud800-\udfff]/

/** Go's quoteChar for scanner errors. */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`
  if (c === '"') return `'"'`
  const q = JSON.stringify(c)
  return `'${q.slice(1, -1)}'`
}

/**
 * `numbers`: 'preserve' (input documents, `use_number: true`) or 'float' (plain `parse_json`).
 */
export function parseJson(text: string, numbers: 'preserve' | 'float' = 'preserve'): Value {
  if (numbers === 'preserve') {
    const doc = parseJsonDocument(text)
    if (doc.unboxedFractions) boxFractions(doc.value)
    return doc.value
  }
  return slowParse(text, numbers)
}

/**
 * An input document as a message holds it: `unboxedFractions` says that its fractions may still
 * be plain numbers although each stands for a json.Number whose text is String(value) (see
 * `boxFractions`). Boxing eleven fractions and walking the document to find them cost a tenth
 * of a small mapping's time, and most reads never meet one, so readers that can box what they
 * read take the document as it is.
 */
export interface JsonDocument {
  value: Value
  unboxedFractions: boolean
}

/** Parses an input document, leaving its fractions unboxed when that is safe (see JsonDocument). */
export function parseJsonDocument(text: string): JsonDocument {
  const canonical = canonicalParse(text)
  if (canonical !== undefined) return canonical
  const native = nativeParse(text)
  return { value: native !== undefined ? native : slowParse(text, 'preserve'), unboxedFractions: false }
}

function slowParse(text: string, numbers: 'preserve' | 'float'): Value {
  try {
    return fastParse(text, numbers === 'preserve')
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw err
    if (!(err instanceof RangeError) && !(err instanceof NeedsCarefulParse)) throw err
  }
  return carefulParse(text, numbers)
}

/** The JavaScript parser alone: exact error texts, escapes and odd strings (exported for tests). */
export function carefulParse(text: string, numbers: 'preserve' | 'float' = 'preserve'): Value {
  const p = new Parser(text, numbers === 'preserve')
  p.ws()
  if (p.i >= text.length) throw new JsonSyntaxError('unexpected end of JSON input', p.i)
  let v: Value
  try {
    v = p.value(0)
  } catch (err) {
    if (err instanceof RangeError) throw new JsonSyntaxError('exceeded max depth', p.i)
    throw err
  }
  p.ws()
  if (p.i < text.length) throw p.invalid('after top-level value')
  return v
}

/**
 * A number token whose text a JavaScript number may not give back: an exponent, `-0`, or sixteen
 * digits or more. A number token always ends before one of `,]}` or whitespace; string text that
 * looks the same only costs the slower parse. The alternatives each start with a digit or `-` and
 * the sixteen digits are spelled out: V8 scans those forms several times faster than `{16}` or a
 * pattern that starts with the `:,[` before a token.
 */
const SPECIAL_NUMBER = /\d[eE][-+]?\d+[,}\] \n\r\t]|-0[,}\] \n\r\t]|\d\d\d\d\d\d\d\d\d\d\d\d\d\d\d\d/
/** Escaped surrogates, which may be lone ones that JSON.parse keeps and the reference replaces. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

/**
 * How many digit-dot-digit spots ending like a number the text holds (strings are searched too),
 * or -1 when one of them may be a fraction not written the way JavaScript prints its value: a
 * trailing 0, six leading zeros (JavaScript switches to exponent form), or more than fifteen
 * digits in all (more than a double keeps). Dots are rare, and indexOf finds them faster than a
 * regular expression walks the text.
 */
function canonicalFractions(text: string): number {
  let found = 0
  for (let i = text.indexOf('.'); i !== -1; i = text.indexOf('.', i + 1)) {
    let j = i + 1
    const first = text.charCodeAt(j)
    if (!isDigit(first)) continue
    let after = text.charCodeAt(++j)
    while (isDigit(after)) after = text.charCodeAt(++j)
    // A number inside an object or array ends before one of `,]}` or whitespace (an exponent is
    // refused before this runs); anything else is string text such as ".000Z".
    if (after !== 44 && after !== 125 && after !== 93 && after !== 32 && after !== 10 && after !== 13 && after !== 9) {
      i = j - 1
      continue
    }
    found++
    if (text.charCodeAt(j - 1) === 48) return -1
    // Counting the integer digits too is only needed when the total may pass fifteen.
    if (j - i > 7 || first === 48 || (i >= 10 && isDigit(text.charCodeAt(i - 10)))) {
      let k = i
      while (k > 0 && isDigit(text.charCodeAt(k - 1))) k--
      if (j - k > 16 || text.startsWith('000000', i + 1)) return -1
    }
    i = j - 1
  }
  return found
}

/**
 * The common case at native speed. When cheap tests prove that every number token is written the
 * way JavaScript would print its value, JSON.parse's result is exact but for one thing JavaScript
 * numbers cannot say: a fraction stands for a json.Number (the reference keeps json.Number, which
 * `%T` and YAML output can see) whose text is String(value). Fractions stay unboxed (see
 * JsonDocument) unless the text may nest past the limit, when the walk that proves it does not
 * boxes them too. Returns undefined when the proof fails, the text is not an object or array, or
 * it is not valid JSON: the other parsers take over.
 */
function canonicalParse(text: string): JsonDocument | undefined {
  const c0 = text.charCodeAt(0)
  if (c0 !== 123 && c0 !== 91) return undefined
  if (SPECIAL_NUMBER.test(text)) return undefined
  const fractions = canonicalFractions(text)
  if (fractions < 0) return undefined
  if (text.indexOf('\\') !== -1 && SURROGATE_ESCAPE.test(text)) return undefined
  let v: Value
  try {
    v = JSON.parse(text) as Value
  } catch {
    return undefined
  }
  // Fractions aside, nothing to box and no nesting past the limit (that needs more brackets than
  // the text holds): the fractions may wait until they are read (see JsonDocument).
  if (shallow(text)) return { value: v, unboxedFractions: fractions > 0 }
  return boxNumbers(v as VObject | Value[], 0) ? { value: v, unboxedFractions: false } : undefined
}

/** Nesting cannot pass the limit: the text holds no more brackets than it allows. */
function shallow(text: string): boolean {
  if (text.length <= MAX_DEPTH) return true
  let n = 0
  for (let i = text.indexOf('{'); i !== -1; i = text.indexOf('{', i + 1)) if (++n > MAX_DEPTH) return false
  for (let i = text.indexOf('['); i !== -1; i = text.indexOf('[', i + 1)) if (++n > MAX_DEPTH) return false
  return true
}

/**
 * Boxes in place the fractions of (a part of) a document that `parseJsonDocument` left unboxed,
 * so that `%T`, YAML output and the integer casts see json.Numbers. Returns its argument.
 */
export function boxFractions<T extends Value>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    if (Array.isArray(v)) boxNumbers(v, 0)
    else if (Object.getPrototypeOf(v) === Object.prototype) boxNumbers(v as VObject, 0)
  }
  return v
}

/** A JSON.parse number as the reference sees it; undefined: its text may be lost. */
function boxNumber(e: number): Value | undefined {
  if (!Number.isInteger(e)) return JsonNumber.fraction(e)
  if (e === 0) return 1 / e < 0 ? new JsonNumber('-0', true) : e
  return e < 1e15 && e > -1e15 ? e : undefined
}

/**
 * Replaces in place the numbers that need boxing (see boxNumber); false when a number's text may
 * be lost or nesting exceeds the limit.
 */
function boxNumbers(x: VObject | Value[], depth: number): boolean {
  if (depth >= MAX_DEPTH) return false
  if (Array.isArray(x)) {
    for (let k = 0; k < x.length; k++) {
      const e = x[k]!
      if (typeof e === 'number') {
        if (Number.isInteger(e) && e !== 0 && e < 1e15 && e > -1e15) continue
        const b = boxNumber(e)
        if (b === undefined) return false
        x[k] = b
      } else if (typeof e === 'object' && e !== null && !boxNumbers(e as VObject | Value[], depth + 1)) return false
    }
    return true
  }
  for (const k in x) {
    const e = x[k]!
    if (typeof e === 'number') {
      if (Number.isInteger(e) && e !== 0 && e < 1e15 && e > -1e15) continue
      const b = boxNumber(e)
      if (b === undefined) return false
      if (b === e) continue
      if (k === '__proto__') Object.defineProperty(x, k, { value: b, writable: true, enumerable: true, configurable: true })
      else x[k] = b
    } else if (typeof e === 'object' && e !== null && !boxNumbers(e as VObject | Value[], depth + 1)) return false
  }
  return true
}

/**
 * Native JSON.parse builds objects far faster than JavaScript code can, but loses number text.
 * So: scan the text once for number tokens (outside strings) that need their text kept (fraction,
 * exponent, more than 15 digits, `-0`), let JSON.parse build the document, then walk it in
 * document order and put JsonNumbers back at those positions. Returns undefined whenever that
 * correspondence is not certain (invalid JSON, integer-like object keys that JavaScript reorders,
 * duplicate keys, lone surrogate escapes, excessive depth): the JavaScript parsers take over.
 */
function nativeParse(text: string): Value | undefined {
  const special: { ordinal: number; text: string; intSyntax: boolean }[] = []
  const n = text.length
  let ordinal = 0
  let pairs = 0
  let depth = 0
  let i = 0
  let nextBs = text.indexOf('\\')
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === 34) {
      // Jump to the closing quote; escapes need a closer look.
      let end = text.indexOf('"', i + 1)
      if (end < 0) return undefined
      if (nextBs !== -1 && nextBs < i) nextBs = text.indexOf('\\', i)
      if (nextBs !== -1 && nextBs < end) {
        let j = i + 1
        for (;;) {
          if (j >= n) return undefined
          const d = text.charCodeAt(j)
          if (d === 92) {
            const e = text.charCodeAt(j + 1)
            // \uD800-\uDFFF escapes may be lone surrogates: leave those to the careful parser.
            if (e === 117 && (text.charCodeAt(j + 2) | 32) === 100 && text.charCodeAt(j + 3) >= 56) return undefined
            j += 2
            continue
          }
          if (d === 34) break
          j++
        }
        end = j
      }
      i = end + 1
      continue
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      const start = i
      let simple = true
      i++
      for (;;) {
        const d = text.charCodeAt(i)
        if (d >= 48 && d <= 57) i++
        else if (d === 46 || d === 101 || d === 69 || d === 43 || d === 45) {
          simple = false
          i++
        } else break
      }
      if (!simple || i - start > 15 || (i - start === 2 && c === 45 && text.charCodeAt(start + 1) === 48)) {
        special.push({ ordinal, text: text.slice(start, i), intSyntax: simple })
      }
      ordinal++
      continue
    }
    if (c === 123 || c === 91) {
      if (++depth > MAX_DEPTH) return undefined
    } else if (c === 125 || c === 93) depth--
    else if (c === 58) pairs++
    i++
  }
  let v: Value
  try {
    v = JSON.parse(text) as Value
  } catch {
    return undefined
  }
  if (special.length === 0 && ordinal === 0) return v
  // Walk in document order, counting numbers; replace the special ones.
  let seen = 0
  let next = 0
  // A duplicate key drops a value and can move the kept one: counting pairs notices.
  let seenPairs = 0
  let ok = true
  const fix = (x: Value): Value => {
    if (typeof x === 'number') {
      const sp = special[next]
      if (sp !== undefined && sp.ordinal === seen) {
        next++
        seen++
        return new JsonNumber(sp.text, sp.intSyntax)
      }
      seen++
      return x
    }
    if (typeof x !== 'object' || x === null) return x
    if (Array.isArray(x)) {
      for (let k = 0; k < x.length; k++) {
        const e = x[k]!
        if (typeof e === 'object' || typeof e === 'number') x[k] = fix(e)
      }
      return x
    }
    const o = x as VObject
    for (const k in o) {
      seenPairs++
      // Integer-like keys are enumerated before the others, not in document order.
      const k0 = k.charCodeAt(0)
      if (k0 >= 48 && k0 <= 57 && INDEX_KEY.test(k)) ok = false
      const e = o[k]!
      if (typeof e === 'object' || typeof e === 'number') {
        const r = fix(e)
        if (r !== e) {
          if (k === '__proto__') Object.defineProperty(o, k, { value: r, writable: true, enumerable: true, configurable: true })
          else o[k] = r
        }
      }
    }
    return o
  }
  if (special.length === 0) {
    // Nothing to replace, but still make sure every number token became a number (duplicate keys
    // can drop values, which is fine: no text needs keeping).
    return v
  }
  try {
    v = fix(v)
  } catch {
    return undefined
  }
  if (!ok || seen !== ordinal || next !== special.length || seenPairs !== pairs) return undefined
  return v
}

const INDEX_KEY = /^(?:0|[1-9]\d*)$/

/** Thrown by the fast parser for anything it leaves to the careful one (errors, escapes). */
class NeedsCarefulParse extends Error {}
const CAREFUL = new NeedsCarefulParse()

/**
 * The common case, tuned for speed: closure variables instead of fields, whitespace and integers
 * handled inline. Any error or string escape hands over to the careful parser.
 */
function fastParse(s: string, preserve: boolean): Value {
  let i = 0
  const n = s.length
  const skip = (): void => {
    let c = s.charCodeAt(i)
    while (c === 32 || c === 10 || c === 13 || c === 9) c = s.charCodeAt(++i)
  }
  const str = (): string => {
    const start = i + 1
    const end = s.indexOf('"', start)
    if (end < 0) throw CAREFUL
    const v = s.slice(start, end)
    // Escapes, control characters and surrogates take the careful path.
    if (v.indexOf('\\') >= 0 || RAW_STRING_BAD.test(v)) throw CAREFUL
    i = end + 1
    return v
  }
  const num = (): Value => {
    const start = i
    let neg = false
    let c = s.charCodeAt(i)
    if (c === 45) {
      neg = true
      c = s.charCodeAt(++i)
    }
    let acc = 0
    if (c === 48) c = s.charCodeAt(++i)
    else if (c >= 49 && c <= 57) {
      do {
        acc = acc * 10 + (c - 48)
        c = s.charCodeAt(++i)
      } while (c >= 48 && c <= 57)
    } else throw CAREFUL
    let plainInt = true
    if (c === 46) {
      plainInt = false
      c = s.charCodeAt(++i)
      if (!(c >= 48 && c <= 57)) throw CAREFUL
      do c = s.charCodeAt(++i)
      while (c >= 48 && c <= 57)
    }
    if (c === 101 || c === 69) {
      plainInt = false
      c = s.charCodeAt(++i)
      if (c === 43 || c === 45) c = s.charCodeAt(++i)
      if (!(c >= 48 && c <= 57)) throw CAREFUL
      do c = s.charCodeAt(++i)
      while (c >= 48 && c <= 57)
    }
    const len = i - start
    if (plainInt && len <= 15 && preserve) {
      if (neg) {
        if (acc === 0) return new JsonNumber('-0', true)
        return -acc
      }
      return acc
    }
    const text = s.slice(start, i)
    if (!preserve) return makeFloat(Number(text))
    return new JsonNumber(text, plainInt)
  }
  const val = (depth: number): Value => {
    const c = s.charCodeAt(i)
    if (c === 34) return str()
    if (c === 123) {
      if (depth >= MAX_DEPTH) throw CAREFUL
      const o: VObject = {}
      i++
      skip()
      if (s.charCodeAt(i) === 125) {
        i++
        return o
      }
      for (;;) {
        if (s.charCodeAt(i) !== 34) throw CAREFUL
        const k = str()
        if (s.charCodeAt(i) !== 58) {
          skip()
          if (s.charCodeAt(i) !== 58) throw CAREFUL
        }
        i++
        skip()
        const v = val(depth + 1)
        if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true })
        else o[k] = v
        let d = s.charCodeAt(i)
        if (d !== 44 && d !== 125) {
          skip()
          d = s.charCodeAt(i)
        }
        if (d === 44) {
          i++
          skip()
          continue
        }
        if (d === 125) {
          i++
          return o
        }
        throw CAREFUL
      }
    }
    if (c === 91) {
      if (depth >= MAX_DEPTH) throw CAREFUL
      const a: Value[] = []
      i++
      skip()
      if (s.charCodeAt(i) === 93) {
        i++
        return a
      }
      for (;;) {
        a.push(val(depth + 1))
        let d = s.charCodeAt(i)
        if (d !== 44 && d !== 93) {
          skip()
          d = s.charCodeAt(i)
        }
        if (d === 44) {
          i++
          skip()
          continue
        }
        if (d === 93) {
          i++
          return a
        }
        throw CAREFUL
      }
    }
    if (c === 45 || (c >= 48 && c <= 57)) return num()
    if (c === 116 && s.startsWith('true', i)) {
      i += 4
      return true
    }
    if (c === 102 && s.startsWith('false', i)) {
      i += 5
      return false
    }
    if (c === 110 && s.startsWith('null', i)) {
      i += 4
      return null
    }
    throw CAREFUL
  }
  skip()
  const v = val(0)
  skip()
  if (i < n) throw CAREFUL
  return v
}

class Parser {
  i = 0
  /** Position of the next backslash at or after the last string start (-1: none left). */
  private nextBackslash = -2
  constructor(
    readonly s: string,
    readonly preserve: boolean,
  ) {}

  ws(): void {
    const s = this.s
    let i = this.i
    for (;;) {
      const c = s.charCodeAt(i)
      if (c === 32 || c === 10 || c === 13 || c === 9) i++
      else break
    }
    this.i = i
  }

  invalid(context: string): JsonSyntaxError {
    if (this.i >= this.s.length) return new JsonSyntaxError('unexpected end of JSON input', this.i)
    const cp = this.s.codePointAt(this.i)!
    return new JsonSyntaxError(`invalid character ${quoteChar(String.fromCodePoint(cp))} ${context}`, this.i)
  }

  value(depth: number): Value {
    const c = this.s.charCodeAt(this.i)
    switch (c) {
      case 123: // {
        return this.object(depth + 1)
      case 91: // [
        return this.array(depth + 1)
      case 34: // "
        return this.string()
      case 116: // t
        return this.literal('true', true)
      case 102: // f
        return this.literal('false', false)
      case 110: // n
        return this.literal('null', null)
      default:
        if (c === 45 || (c >= 48 && c <= 57)) return this.number()
        throw this.invalid('looking for beginning of value')
    }
  }

  literal<T extends Value>(word: string, v: T): T {
    const s = this.s
    for (let k = 1; k < word.length; k++) {
      if (s.charCodeAt(this.i + k) !== word.charCodeAt(k)) {
        this.i += k
        throw this.invalid(`in literal ${word} (expecting ${quoteChar(word[k]!)})`)
      }
    }
    this.i += word.length
    return v
  }

  object(depth: number): VObject {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError('exceeded max depth', this.i)
    const o: VObject = {}
    this.i++
    this.ws()
    if (this.s.charCodeAt(this.i) === 125) {
      this.i++
      return o
    }
    for (;;) {
      if (this.s.charCodeAt(this.i) !== 34) throw this.invalid('looking for beginning of object key string')
      const k = this.string()
      this.ws()
      if (this.s.charCodeAt(this.i) !== 58) throw this.invalid('after object key')
      this.i++
      this.ws()
      const v = this.value(depth)
      if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true })
      else o[k] = v
      this.ws()
      const c = this.s.charCodeAt(this.i)
      if (c === 44) {
        this.i++
        this.ws()
        continue
      }
      if (c === 125) {
        this.i++
        return o
      }
      throw this.invalid('after object key:value pair')
    }
  }

  array(depth: number): Value[] {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError('exceeded max depth', this.i)
    const a: Value[] = []
    this.i++
    this.ws()
    if (this.s.charCodeAt(this.i) === 93) {
      this.i++
      return a
    }
    for (;;) {
      a.push(this.value(depth))
      this.ws()
      const c = this.s.charCodeAt(this.i)
      if (c === 44) {
        this.i++
        this.ws()
        continue
      }
      if (c === 93) {
        this.i++
        return a
      }
      throw this.invalid('after array element')
    }
  }

  string(): string {
    const s = this.s
    const start = ++this.i
    const end = s.indexOf('"', start)
    if (end < 0) return this.slowString(start, start)
    // Locate backslashes lazily and remember the next one: one scan over the whole text in total.
    let bs = this.nextBackslash
    if (bs !== -1 && bs < start) bs = this.nextBackslash = s.indexOf('\\', start)
    if (bs === -1 || bs > end) {
      const v = s.slice(start, end)
      if (!RAW_STRING_BAD.test(v)) {
        this.i = end + 1
        return v
      }
    }
    return this.slowString(start, start)
  }

  slowString(start: number, from: number): string {
    const s = this.s
    let out = s.slice(start, from)
    let i = from
    for (;;) {
      if (i >= s.length) {
        this.i = i
        throw new JsonSyntaxError('unexpected end of JSON input', i)
      }
      const c = s.charCodeAt(i)
      if (c === 34) {
        this.i = i + 1
        return out
      }
      if (c < 32) {
        this.i = i
        throw this.invalid('in string literal')
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        // Lone surrogates cannot come from UTF-8 input, but keep output well-formed anyway.
        const cp = s.codePointAt(i)!
        if (cp > 0xffff) {
          out += s.slice(i, i + 2)
          i += 2
        } else {
          out += '\ufffd'
          i++
        }
        continue
      }
      if (c !== 92) {
        out += s[i]
        i++
        continue
      }
      const e = s[i + 1]
      i += 2
      switch (e) {
        case '"': out += '"'; break
        case '\\': out += '\\'; break
        case '/': out += '/'; break
        case 'b': out += '\b'; break
        case 'f': out += '\f'; break
        case 'n': out += '\n'; break
        case 'r': out += '\r'; break
        case 't': out += '\t'; break
        case 'u': {
          const h = this.hex4(i)
          i += 4
          if (h >= 0xd800 && h < 0xdc00) {
            // A high surrogate must pair with an escaped low surrogate, else U+FFFD (Go).
            if (s[i] === '\\' && s[i + 1] === 'u') {
              const l = this.hex4(i + 2)
              if (l >= 0xdc00 && l <= 0xdfff) {
                out += String.fromCharCode(h, l)
                i += 6
                break
              }
            }
            out += '\ufffd'
          } else if (h >= 0xdc00 && h <= 0xdfff) out += '\ufffd'
          else out += String.fromCharCode(h)
          break
        }
        default:
          this.i = i - 1
          throw this.invalid('in string escape code')
      }
    }
  }

  hex4(at: number): number {
    let v = 0
    for (let k = 0; k < 4; k++) {
      const c = this.s.charCodeAt(at + k)
      let d: number
      if (c >= 48 && c <= 57) d = c - 48
      else if (c >= 97 && c <= 102) d = c - 87
      else if (c >= 65 && c <= 70) d = c - 55
      else {
        this.i = at + k
        throw this.invalid('in \\u hexadecimal character escape')
      }
      v = v * 16 + d
    }
    return v
  }

  number(): Value {
    const s = this.s
    const start = this.i
    let i = start
    let plainInt = true
    if (s.charCodeAt(i) === 45) i++
    let c = s.charCodeAt(i)
    if (c === 48) {
      i++
    } else if (c >= 49 && c <= 57) {
      i++
      while ((c = s.charCodeAt(i)) >= 48 && c <= 57) i++
    } else {
      this.i = i
      throw this.invalid('in numeric literal')
    }
    c = s.charCodeAt(i)
    if (c === 46) {
      plainInt = false
      i++
      c = s.charCodeAt(i)
      if (!(c >= 48 && c <= 57)) {
        this.i = i
        throw this.invalid('after decimal point in numeric literal')
      }
      while ((c = s.charCodeAt(i)) >= 48 && c <= 57) i++
    }
    if (c === 101 || c === 69) {
      plainInt = false
      i++
      c = s.charCodeAt(i)
      if (c === 43 || c === 45) i++
      c = s.charCodeAt(i)
      if (!(c >= 48 && c <= 57)) {
        this.i = i
        throw this.invalid('in exponent of numeric literal')
      }
      while ((c = s.charCodeAt(i)) >= 48 && c <= 57) i++
    }
    this.i = i
    const text = s.slice(start, i)
    if (!this.preserve) return makeFloat(Number(text))
    // Short plain integers behave exactly like int64 values; keep them as JS numbers.
    if (plainInt && i - start <= 15 && text !== '-0') return Number(text)
    return new JsonNumber(text, plainInt)
  }
}
