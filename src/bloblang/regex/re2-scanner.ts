/**
 * The single-character parts of RE2 syntax: escapes (`\x{41}`, `\101`, `\n`), Unicode classes
 * (`\pL`, `\p{^Greek}`) and bracketed classes (`[^a-z[:digit:]\d]`), with Go's error texts.
 */
import { isAsciiAlnum, unhexDigit } from '../../value/text/ascii.js'
import { ERR, Re2SyntaxError, type ClassItem, type Flags, type Node } from './re2-ast.js'
import { POSIX_CLASSES, PERL_GROUPS, unicodeProperty } from './re2-classes.js'

/** Reads escapes and classes at `pos` of the pattern; the parser builds on it. */
export class Re2Scanner {
  flags: Flags = { fold: false, dotNL: false, oneLine: true, nonGreedy: false }
  protected pos = 0

  constructor(protected readonly src: string) {}

  /** A single-character escape at pos (which is a backslash); advances past it. */
  protected parseEscape(): number {
    const s = this.src
    const start = this.pos
    let i = start + 1
    if (i >= s.length) throw new Re2SyntaxError(ERR.trailingBackslash, '')
    const c = s.codePointAt(i)!
    i += c > 0xffff ? 2 : 1
    const fail = (): never => {
      throw new Re2SyntaxError(ERR.invalidEscape, s.slice(start, i))
    }
    if (c < 0x80 && !isAsciiAlnum(c)) {
      this.pos = i
      return c
    }
    const isOct = (k: number): boolean => k < s.length && s[k]! >= '0' && s[k]! <= '7'
    switch (String.fromCodePoint(c)) {
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7': {
        // A single non-zero digit would be a backreference: unsupported.
        if (c !== 0x30 && !isOct(i)) fail()
        let r = c - 0x30
        for (let k = 1; k < 3 && isOct(i); k++) {
          r = r * 8 + (s.charCodeAt(i) - 0x30)
          i++
        }
        this.pos = i
        return r
      }
      case 'x': {
        if (i >= s.length) fail()
        let d = s.codePointAt(i)!
        i += d > 0xffff ? 2 : 1
        if (d === 0x7b) {
          let r = 0
          let n = 0
          for (;;) {
            if (i >= s.length) fail()
            d = s.codePointAt(i)!
            i += d > 0xffff ? 2 : 1
            if (d === 0x7d) break
            const v = unhexDigit(d)
            if (v < 0) fail()
            r = r * 16 + v
            if (r > 0x10ffff) fail()
            n++
          }
          if (n === 0) fail()
          this.pos = i
          return r
        }
        const x = unhexDigit(d)
        if (i >= s.length) fail()
        d = s.codePointAt(i)!
        i += d > 0xffff ? 2 : 1
        const y = unhexDigit(d)
        if (x < 0 || y < 0) fail()
        this.pos = i
        return x * 16 + y
      }
      case 'a':
        this.pos = i
        return 0x07
      case 'f':
        this.pos = i
        return 0x0c
      case 'n':
        this.pos = i
        return 0x0a
      case 'r':
        this.pos = i
        return 0x0d
      case 't':
        this.pos = i
        return 0x09
      case 'v':
        this.pos = i
        return 0x0b
    }
    return fail()
  }

  /** `\pL`, `\p{Greek}`, `\P{^Lu}` at pos; undefined if pos is not at one. */
  protected parseUnicodeClass(): ClassItem | undefined {
    const s = this.src
    const start = this.pos
    if (s[start] !== '\\' || (s[start + 1] !== 'p' && s[start + 1] !== 'P')) return undefined
    let neg = s[start + 1] === 'P'
    let i = start + 2
    const c = i < s.length ? s.codePointAt(i)! : -1
    if (c >= 0) i += c > 0xffff ? 2 : 1
    let seq: string
    let name: string
    if (c !== 0x7b) {
      seq = s.slice(start, i)
      name = seq.slice(2)
    } else {
      const end = s.indexOf('}', start)
      if (end < 0) throw new Re2SyntaxError(ERR.invalidCharRange, s.slice(start))
      seq = s.slice(start, end + 1)
      name = s.slice(start + 3, end)
      i = end + 1
    }
    if (name.startsWith('^')) {
      neg = !neg
      name = name.slice(1)
    }
    const body = unicodeProperty(name)
    if (body === null) throw new Re2SyntaxError(ERR.invalidCharRange, seq)
    this.pos = i
    return { t: 'prop', body, neg }
  }

  protected parseClass(): Node {
    const s = this.src
    const whole = s.slice(this.pos)
    let i = this.pos + 1
    const items: ClassItem[] = []
    let neg = false
    if (s[i] === '^') {
      neg = true
      i++
    }
    let first = true
    while (i >= s.length || s[i] !== ']' || first) {
      first = false
      if (i >= s.length) throw new Re2SyntaxError(ERR.missingBracket, whole)
      if (s[i] === '[' && s[i + 1] === ':' && i + 2 < s.length) {
        const close = s.indexOf(':]', i + 2)
        if (close >= 0) {
          const full = s.slice(i, close + 2)
          let nm = s.slice(i + 2, close)
          let pneg = false
          if (nm.startsWith('^')) {
            pneg = true
            nm = nm.slice(1)
          }
          const ranges = Object.hasOwn(POSIX_CLASSES, nm) ? POSIX_CLASSES[nm] : undefined
          if (ranges === undefined) throw new Re2SyntaxError(ERR.invalidCharRange, full)
          items.push({ t: 'set', ranges, neg: pneg })
          i = close + 2
          continue
        }
      }
      this.pos = i
      const uni = this.parseUnicodeClass()
      if (uni !== undefined) {
        items.push(uni)
        i = this.pos
        continue
      }
      const perl = PERL_GROUPS[s.slice(i, i + 2)]
      if (perl !== undefined) {
        items.push({ t: 'set', ranges: perl.ranges, neg: perl.neg })
        i += 2
        continue
      }
      const rangeStart = i
      const lo = this.classChar(i, whole)
      i = this.pos
      let hi = lo
      if (i + 1 < s.length && s[i] === '-' && s[i + 1] !== ']') {
        hi = this.classChar(i + 1, whole)
        i = this.pos
        if (hi < lo) throw new Re2SyntaxError(ERR.invalidCharRange, s.slice(rangeStart, i))
      }
      items.push({ t: 'range', lo, hi })
    }
    this.pos = i + 1
    return { op: 'class', items, neg, fold: this.flags.fold }
  }

  private classChar(i: number, whole: string): number {
    const s = this.src
    if (i >= s.length) throw new Re2SyntaxError(ERR.missingBracket, whole)
    this.pos = i
    if (s[i] === '\\') return this.parseEscape()
    const cp = s.codePointAt(i)!
    this.pos = i + (cp > 0xffff ? 2 : 1)
    return cp
  }
}
