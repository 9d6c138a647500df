/**
 * Regular-expression methods (spec §23.5). Patterns use Go's RE2 syntax; they are parsed with the
 * reference's rules (same accepted patterns, same error texts) and translated to JavaScript
 * RegExps. Constant patterns compile once when the mapping compiles; dynamic ones go through a
 * bounded cache. Iteration and replacement follow Go's rules for empty matches and `$` templates.
 */
import { defineMethod, type MethodDef } from '../registry.js'
import { MappingError, bytesToString, newObject, setKey, stringToBytes, typeError, type Result, type Value, type VObject } from '../value.js'

// ---- RE2 syntax → JavaScript RegExp -------------------------------------------------------------
//
// Go's regexp (RE2 syntax) is parsed here with the reference parser's stack discipline so that
// the same patterns are accepted and rejected with the same error texts, then re-emitted as a
// JavaScript `v`-mode RegExp whose behaviour matches RE2 where JavaScript differs:
//
//   RE2                       JavaScript emitted
//   .        (no \n)          [^\n]            (JS `.` also excludes \r, U+2028, U+2029)
//   (?s).                     [\s\S]
//   ^ $      (text)           ^ $              (never the JS `m` flag)
//   (?m)^ (?m)$               (?<=^|\n) (?=\n|$)   (only \n ends a line in RE2)
//   \s  \S                    [\t\n\f\r ]      (ASCII only, no \v)
//   \z \A                     $ ^
//   (?P<n>x) (?<n>x)          (x)              names kept in a side table (RE2 allows `1x`)
//   [[:alpha:]] \pL \p{Greek} ASCII ranges, \p{L}, \p{Script=Greek}
//   (?i) for the whole        the `i` flag; partial (?i:...) expands letters into classes
//   (?U)                      greediness swapped at parse time
//
// Look-around, backreferences, \C, \Z and possessive/stacked quantifiers are rejected like RE2.

interface Flags {
  fold: boolean
  dotNL: boolean
  oneLine: boolean
  nonGreedy: boolean
}

type ClassItem =
  | { t: 'range'; lo: number; hi: number }
  | { t: 'set'; ranges: readonly number[]; neg: boolean }
  | { t: 'prop'; body: readonly string[]; neg: boolean }

type Node =
  | { op: 'lit'; cp: number; fold: boolean }
  | { op: 'class'; items: ClassItem[]; neg: boolean; fold: boolean }
  | { op: 'any'; nl: boolean }
  | { op: 'bol' | 'eol' | 'bot' | 'eot' | 'wb' | 'nwb' | 'empty' }
  | { op: 'cap'; index: number; sub: Node }
  | { op: 'rep'; min: number; max: number; greedy: boolean; counted: boolean; sub: Node }
  | { op: 'cat' | 'alt'; subs: Node[] }

interface LParen {
  op: 'lparen'
  cap: number
  name: string
  flags: Flags
}
interface VBar {
  op: 'vbar'
}
type StackItem = Node | LParen | VBar

/** A compile failure, worded as Go's `regexp/syntax.Error`. */
export class Re2SyntaxError extends Error {
  constructor(code: string, expr: string) {
    super(`error parsing regexp: ${code}: \`${expr}\``)
    this.name = 'Re2SyntaxError'
  }
}

const ERR = {
  invalidCharClass: 'invalid character class',
  invalidCharRange: 'invalid character class range',
  invalidEscape: 'invalid escape sequence',
  invalidNamedCapture: 'invalid named capture',
  invalidPerlOp: 'invalid or unsupported Perl syntax',
  invalidRepeatOp: 'invalid nested repetition operator',
  invalidRepeatSize: 'invalid repeat count',
  missingBracket: 'missing closing ]',
  missingParen: 'missing closing )',
  missingRepeatArgument: 'missing argument to repetition operator',
  trailingBackslash: 'trailing backslash at end of expression',
  unexpectedParen: 'unexpected )',
  nestingDepth: 'expression nests too deeply',
} as const

const MAX_REPEAT = 1000
const MAX_NESTING = 1000

const PERL_GROUPS: Record<string, { ranges: number[]; neg: boolean }> = {
  '\\d': { ranges: [0x30, 0x39], neg: false },
  '\\D': { ranges: [0x30, 0x39], neg: true },
  '\\s': { ranges: [0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x20], neg: false },
  '\\S': { ranges: [0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x20], neg: true },
  '\\w': { ranges: [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a], neg: false },
  '\\W': { ranges: [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a], neg: true },
}

const POSIX_CLASSES: Record<string, number[]> = {
  alnum: [0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a],
  alpha: [0x41, 0x5a, 0x61, 0x7a],
  ascii: [0x00, 0x7f],
  blank: [0x09, 0x09, 0x20, 0x20],
  cntrl: [0x00, 0x1f, 0x7f, 0x7f],
  digit: [0x30, 0x39],
  graph: [0x21, 0x7e],
  lower: [0x61, 0x7a],
  print: [0x20, 0x7e],
  punct: [0x21, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7e],
  space: [0x09, 0x0d, 0x20, 0x20],
  upper: [0x41, 0x5a],
  word: [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a],
  xdigit: [0x30, 0x39, 0x41, 0x46, 0x61, 0x66],
}

// Go's general categories; "C" there has no unassigned code points (JS \p{C} includes Cn).
const GO_CATEGORIES = new Set([
  'C', 'Cc', 'Cf', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn',
  'N', 'Nd', 'Nl', 'No', 'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So',
  'Z', 'Zl', 'Zp', 'Zs',
])

/** Go's loose property-name matching: case-insensitive after the first letter, no `_ -` or spaces. */
function canonicalName(name: string): string {
  let out = ''
  let first = true
  for (const ch of name) {
    if (ch === '_' || ch === '-' || ch === ' ') continue
    if (first) {
      out += ch.toUpperCase()
      first = false
    } else out += ch.toLowerCase()
  }
  return out
}

const FOUR_LETTER_SCRIPTS = new Set(['Cham', 'Kawi', 'Lisu', 'Modi', 'Newa', 'Thai', 'Toto'])

const propertyCache = new Map<string, string[] | null>()

function jsPropertyValid(body: string): boolean {
  try {
    new RegExp(`\\p{${body}}`, 'v')
    return true
  } catch {
    return false
  }
}

/** The JS `\p{...}` bodies (unioned) for a Go Unicode class name, or null when Go rejects it. */
function unicodeProperty(name: string): string[] | null {
  const hit = propertyCache.get(name)
  if (hit !== undefined) return hit
  let out: string[] | null = null
  const canon = canonicalName(name)
  if (GO_CATEGORIES.has(name)) out = name === 'C' ? ['Cc', 'Cf', 'Co', 'Cs'] : [name]
  else if (canon === 'Any') out = ['Any']
  else if (canon === 'Assigned') out = ['Assigned']
  else if (canon === 'Ascii') out = ['ASCII']
  else if (canon === 'Lc') out = ['LC']
  else if (/^[A-Za-z][A-Za-z0-9_ -]*$/.test(name)) {
    // Long category aliases (Letter, Uppercase_Letter) and script names (Greek, Old_Italic).
    const underscored = name.replace(/[ -]/g, '_')
    const candidates = [underscored, underscored.charAt(0).toUpperCase() + underscored.slice(1)]
    for (const c of candidates) {
      if (c.length > 2 && jsPropertyValid(`General_Category=${c}`)) {
        out = [`General_Category=${c}`]
        break
      }
      // Four-letter script names are ISO codes (Grek) that Go rejects, except these long names.
      if ((c.length !== 4 || FOUR_LETTER_SCRIPTS.has(c)) && jsPropertyValid(`Script=${c}`)) {
        out = [`Script=${c}`]
        break
      }
    }
  }
  propertyCache.set(name, out)
  return out
}

function isAlnum(cp: number): boolean {
  return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)
}

function unhex(cp: number): number {
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30
  if (cp >= 0x41 && cp <= 0x46) return cp - 0x41 + 10
  if (cp >= 0x61 && cp <= 0x66) return cp - 0x61 + 10
  return -1
}

class Re2Parser {
  readonly stack: StackItem[] = []
  flags: Flags = { fold: false, dotNL: false, oneLine: true, nonGreedy: false }
  numCap = 0
  readonly names: string[] = ['']
  private pos = 0

  constructor(private readonly src: string) {}

  parse(): Node {
    const s = this.src
    let lastRepeat = -1
    while (this.pos < s.length) {
      let repeat = -1
      const c = s[this.pos]!
      switch (c) {
        case '(':
          if (s[this.pos + 1] === '?') this.parsePerlFlags()
          else {
            this.numCap++
            this.names.push('')
            this.stack.push({ op: 'lparen', cap: this.numCap, name: '', flags: { ...this.flags } })
            this.pos++
          }
          break
        case '|':
          this.parseVerticalBar()
          this.pos++
          break
        case ')':
          this.parseRightParen()
          this.pos++
          break
        case '^':
          this.push({ op: this.flags.oneLine ? 'bot' : 'bol' })
          this.pos++
          break
        case '$':
          this.push({ op: this.flags.oneLine ? 'eot' : 'eol' })
          this.pos++
          break
        case '.':
          this.push({ op: 'any', nl: this.flags.dotNL })
          this.pos++
          break
        case '[':
          this.parseClass()
          break
        case '*':
        case '+':
        case '?': {
          const before = this.pos
          const min = c === '+' ? 1 : 0
          const max = c === '?' ? 1 : -1
          this.pos++
          this.repeat(min, max, false, before, lastRepeat)
          repeat = before
          break
        }
        case '{': {
          const before = this.pos
          const r = this.parseRepeat()
          if (r === undefined) {
            this.literal(0x7b)
            this.pos++
            break
          }
          this.pos = r.after
          if (r.min < 0 || r.min > MAX_REPEAT || r.max > MAX_REPEAT || (r.max >= 0 && r.min > r.max)) {
            throw new Re2SyntaxError(ERR.invalidRepeatSize, s.slice(before, r.after))
          }
          this.repeat(r.min, r.max, true, before, lastRepeat)
          repeat = before
          break
        }
        case '\\':
          this.parseBackslash()
          break
        default: {
          const cp = s.codePointAt(this.pos)!
          this.pos += cp > 0xffff ? 2 : 1
          this.literal(cp)
        }
      }
      lastRepeat = repeat
    }
    this.concat()
    if (this.swapVerticalBar()) this.stack.pop()
    this.alternate()
    if (this.stack.length !== 1) throw new Re2SyntaxError(ERR.missingParen, s)
    return this.stack[0] as Node
  }

  private push(n: Node): void {
    this.stack.push(n)
  }

  private literal(cp: number): void {
    this.push({ op: 'lit', cp, fold: this.flags.fold })
  }

  private repeat(min: number, max: number, counted: boolean, before: number, lastRepeat: number): void {
    const s = this.src
    let greedy = !this.flags.nonGreedy
    if (s[this.pos] === '?') {
      this.pos++
      greedy = !greedy
    }
    if (lastRepeat >= 0) throw new Re2SyntaxError(ERR.invalidRepeatOp, s.slice(lastRepeat, this.pos))
    const top = this.stack[this.stack.length - 1]
    if (top === undefined || top.op === 'lparen' || top.op === 'vbar') {
      throw new Re2SyntaxError(ERR.missingRepeatArgument, s.slice(before, this.pos))
    }
    const node: Node = { op: 'rep', min, max, greedy, counted, sub: top }
    this.stack[this.stack.length - 1] = node
    if (height(node) > MAX_NESTING) throw new Re2SyntaxError(ERR.nestingDepth, s)
    if (counted && (min >= 2 || max >= 2) && !repeatIsValid(node, MAX_REPEAT)) {
      throw new Re2SyntaxError(ERR.invalidRepeatSize, s.slice(before, this.pos))
    }
  }

  /** `{min}`, `{min,}` or `{min,max}` at pos; undefined when it is not of that shape (a literal `{`). */
  private parseRepeat(): { min: number; max: number; after: number } | undefined {
    const s = this.src
    let i = this.pos + 1
    const int = (): number | undefined => {
      if (i >= s.length || s[i]! < '0' || s[i]! > '9') return undefined
      if (s[i] === '0' && i + 1 < s.length && s[i + 1]! >= '0' && s[i + 1]! <= '9') return undefined
      let n = 0
      while (i < s.length && s[i]! >= '0' && s[i]! <= '9') {
        n = n >= 1e8 || n < 0 ? -1 : n * 10 + (s.charCodeAt(i) - 0x30)
        i++
      }
      return n
    }
    let min = int()
    if (min === undefined || i >= s.length) return undefined
    let max: number
    if (s[i] !== ',') max = min
    else {
      i++
      if (i >= s.length) return undefined
      if (s[i] === '}') max = -1
      else {
        const m = int()
        if (m === undefined) return undefined
        max = m
        if (max < 0) min = -1
      }
    }
    if (i >= s.length || s[i] !== '}') return undefined
    return { min, max, after: i + 1 }
  }

  private parsePerlFlags(): void {
    const s = this.src
    const start = this.pos
    const t = s.slice(start)
    const startsWithP = t.length > 4 && t[2] === 'P' && t[3] === '<'
    const startsWithName = t.length > 3 && t[2] === '<'
    if (startsWithP || startsWithName) {
      const exprStart = startsWithP ? 4 : 3
      const end = t.indexOf('>')
      if (end < 0) throw new Re2SyntaxError(ERR.invalidNamedCapture, t)
      const capture = t.slice(0, end + 1)
      const name = t.slice(exprStart, end)
      if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Re2SyntaxError(ERR.invalidNamedCapture, capture)
      this.numCap++
      this.names.push(name)
      this.stack.push({ op: 'lparen', cap: this.numCap, name, flags: { ...this.flags } })
      this.pos = start + end + 1
      return
    }
    let i = start + 2
    const flags = { ...this.flags }
    let negate = false
    let sawFlag = false
    while (i < s.length) {
      const cp = s.codePointAt(i)!
      i += cp > 0xffff ? 2 : 1
      const c = String.fromCodePoint(cp)
      switch (c) {
        case 'i':
          flags.fold = !negate
          sawFlag = true
          continue
        case 'm':
          flags.oneLine = negate
          sawFlag = true
          continue
        case 's':
          flags.dotNL = !negate
          sawFlag = true
          continue
        case 'U':
          flags.nonGreedy = !negate
          sawFlag = true
          continue
        case '-':
          if (negate) break
          negate = true
          sawFlag = false
          continue
        case ':':
        case ')':
          if (negate && !sawFlag) break
          if (c === ':') this.stack.push({ op: 'lparen', cap: 0, name: '', flags: { ...this.flags } })
          this.flags = flags
          this.pos = i
          return
      }
      break
    }
    throw new Re2SyntaxError(ERR.invalidPerlOp, s.slice(start, i))
  }

  /** Collapse the items above the nearest marker into one concatenation. */
  private concat(): void {
    let i = this.stack.length
    while (i > 0 && this.stack[i - 1]!.op !== 'lparen' && this.stack[i - 1]!.op !== 'vbar') i--
    const subs = this.stack.splice(i) as Node[]
    this.stack.push(subs.length === 0 ? { op: 'empty' } : subs.length === 1 ? subs[0]! : { op: 'cat', subs })
  }

  /** Go keeps the alternatives below a single vertical-bar marker; same here. */
  private swapVerticalBar(): boolean {
    const n = this.stack.length
    if (n >= 2 && this.stack[n - 2]!.op === 'vbar') {
      const top = this.stack[n - 1]!
      this.stack[n - 1] = this.stack[n - 2]!
      this.stack[n - 2] = top
      return true
    }
    return false
  }

  private parseVerticalBar(): void {
    this.concat()
    if (!this.swapVerticalBar()) this.stack.push({ op: 'vbar' })
  }

  /** Collapse the alternatives above the nearest left paren into one alternation. */
  private alternate(): void {
    let i = this.stack.length
    while (i > 0 && this.stack[i - 1]!.op !== 'lparen') i--
    const subs = this.stack.splice(i).filter((x): x is Node => x.op !== 'vbar')
    this.stack.push(subs.length === 0 ? { op: 'empty' } : subs.length === 1 ? subs[0]! : { op: 'alt', subs })
  }

  private parseRightParen(): void {
    this.concat()
    if (this.swapVerticalBar()) this.stack.pop()
    this.alternate()
    const n = this.stack.length
    if (n < 2) throw new Re2SyntaxError(ERR.unexpectedParen, this.src)
    const body = this.stack.pop() as Node
    const open = this.stack.pop()!
    if (open.op !== 'lparen') throw new Re2SyntaxError(ERR.unexpectedParen, this.src)
    this.flags = open.flags
    const node: Node = open.cap === 0 ? body : { op: 'cap', index: open.cap, sub: body }
    if (height(node) > MAX_NESTING) throw new Re2SyntaxError(ERR.nestingDepth, this.src)
    this.push(node)
  }

  private parseBackslash(): void {
    const s = this.src
    const next = s[this.pos + 1]
    switch (next) {
      case 'A':
        this.push({ op: 'bot' })
        this.pos += 2
        return
      case 'b':
        this.push({ op: 'wb' })
        this.pos += 2
        return
      case 'B':
        this.push({ op: 'nwb' })
        this.pos += 2
        return
      case 'C':
        throw new Re2SyntaxError(ERR.invalidEscape, s.slice(this.pos, this.pos + 2))
      case 'Q': {
        const end = s.indexOf('\\E', this.pos + 2)
        const lit = end < 0 ? s.slice(this.pos + 2) : s.slice(this.pos + 2, end)
        for (const ch of lit) this.literal(ch.codePointAt(0)!)
        this.pos = end < 0 ? s.length : end + 2
        return
      }
      case 'z':
        this.push({ op: 'eot' })
        this.pos += 2
        return
    }
    if (next === 'p' || next === 'P') {
      const item = this.parseUnicodeClass()
      if (item !== undefined) {
        this.push({ op: 'class', items: [item], neg: false, fold: this.flags.fold })
        return
      }
    }
    const perl = PERL_GROUPS[s.slice(this.pos, this.pos + 2)]
    if (perl !== undefined) {
      this.pos += 2
      this.push({ op: 'class', items: [{ t: 'set', ranges: perl.ranges, neg: perl.neg }], neg: false, fold: this.flags.fold })
      return
    }
    this.literal(this.parseEscape())
  }

  /** A single-character escape at pos (which is a backslash); advances past it. */
  private parseEscape(): number {
    const s = this.src
    const start = this.pos
    let i = start + 1
    if (i >= s.length) throw new Re2SyntaxError(ERR.trailingBackslash, '')
    const c = s.codePointAt(i)!
    i += c > 0xffff ? 2 : 1
    const fail = (): never => {
      throw new Re2SyntaxError(ERR.invalidEscape, s.slice(start, i))
    }
    if (c < 0x80 && !isAlnum(c)) {
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
            const v = unhex(d)
            if (v < 0) fail()
            r = r * 16 + v
            if (r > 0x10ffff) fail()
            n++
          }
          if (n === 0) fail()
          this.pos = i
          return r
        }
        const x = unhex(d)
        if (i >= s.length) fail()
        d = s.codePointAt(i)!
        i += d > 0xffff ? 2 : 1
        const y = unhex(d)
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
  private parseUnicodeClass(): ClassItem | undefined {
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

  private parseClass(): void {
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
    this.push({ op: 'class', items, neg, fold: this.flags.fold })
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

const heights = new WeakMap<Node, number>()

/** Tree height (memoised: it is asked for every new group and repetition). */
function height(n: Node): number {
  const known = heights.get(n)
  if (known !== undefined) return known
  let h = 1
  switch (n.op) {
    case 'cap':
    case 'rep':
      h = 1 + height(n.sub)
      break
    case 'cat':
    case 'alt':
      for (const s of n.subs) h = Math.max(h, 1 + height(s))
  }
  heights.set(n, h)
  return h
}

/** Go's check that nested counted repetitions stay within `n` copies of the innermost thing. */
function repeatIsValid(n: Node, limit: number): boolean {
  if (n.op === 'rep' && n.counted) {
    let m = n.max
    if (m === 0) return true
    if (m < 0) m = n.min
    if (m > limit) return false
    if (m > 0) limit = Math.trunc(limit / m)
  }
  switch (n.op) {
    case 'cap':
    case 'rep':
      return repeatIsValid(n.sub, limit)
    case 'cat':
    case 'alt':
      return n.subs.every((s) => repeatIsValid(s, limit))
    default:
      return true
  }
}

// ---- emission ---------------------------------------------------------------------------------

// Fold orbits that toLowerCase/toUpperCase alone do not connect (Kelvin sign, long s, Greek
// symbol forms, Cyrillic historic forms...). Members are confirmed against the `i` flag anyway.
const EXTRA_ORBITS: readonly (readonly number[])[] = [
  [0x4b, 0x6b, 0x212a], [0x53, 0x73, 0x17f], [0xc5, 0xe5, 0x212b], [0x3a9, 0x3c9, 0x2126],
  [0xdf, 0x1e9e], [0xb5, 0x3bc, 0x39c], [0x345, 0x3b9, 0x399, 0x1fbe], [0x3b2, 0x3d0, 0x392],
  [0x3b5, 0x3f5, 0x395], [0x3b8, 0x3d1, 0x398, 0x3f4], [0x3ba, 0x3f0, 0x39a], [0x3c0, 0x3d6, 0x3a0],
  [0x3c1, 0x3f1, 0x3a1], [0x3c2, 0x3c3, 0x3a3], [0x3c6, 0x3d5, 0x3a6], [0x1e61, 0x1e9b, 0x1e60],
  [0x432, 0x1c80, 0x412], [0x434, 0x1c81, 0x414], [0x43e, 0x1c82, 0x41e], [0x441, 0x1c83, 0x421],
  [0x442, 0x1c84, 0x1c85, 0x422], [0x44a, 0x1c86, 0x42a], [0x463, 0x1c87, 0x462], [0xa64b, 0x1c88, 0xa64a],
]

const variantCache = new Map<number, number[]>()

/** The code points a case-insensitive match treats as equal to `cp` (including itself). */
function caseVariants(cp: number): number[] {
  const hit = variantCache.get(cp)
  if (hit !== undefined) return hit
  const found = new Set<number>([cp])
  const addMappings = (c: number): void => {
    const ch = String.fromCodePoint(c)
    for (const m of [ch.toLowerCase(), ch.toUpperCase()]) {
      const first = m.codePointAt(0)!
      if (m.length === (first > 0xffff ? 2 : 1)) found.add(first)
    }
  }
  addMappings(cp)
  for (const c of [...found]) addMappings(c)
  for (const orbit of EXTRA_ORBITS) if (orbit.some((c) => found.has(c))) for (const c of orbit) found.add(c)
  const probe = new RegExp(`^${escapeCp(cp)}$`, 'iv')
  const out = [...found].filter((c) => c === cp || probe.test(String.fromCodePoint(c))).sort((a, b) => a - b)
  variantCache.set(cp, out)
  return out
}

function hasCase(cp: number): boolean {
  const ch = String.fromCodePoint(cp)
  return ch.toLowerCase() !== ch.toUpperCase() || EXTRA_ORBITS.some((o) => o.includes(cp))
}

/** A code point as a v-mode pattern atom (valid both inside and outside classes). */
function escapeCp(cp: number): string {
  if (isAlnum(cp)) return String.fromCharCode(cp)
  return `\\u{${cp.toString(16)}}`
}

function rangesText(ranges: readonly number[]): string {
  let out = ''
  for (let i = 0; i < ranges.length; i += 2) {
    const lo = ranges[i]!
    const hi = ranges[i + 1]!
    out += lo === hi ? escapeCp(lo) : `${escapeCp(lo)}-${escapeCp(hi)}`
  }
  return out
}

// Folding very wide ranges by enumeration is not worth it; they keep their literal bounds.
const MAX_FOLD_ENUMERATION = 4096

/** Ranges plus the case variants of their members, merged and sorted. */
function foldRanges(ranges: readonly number[]): number[] {
  const points: number[] = []
  const wide: number[] = []
  for (let i = 0; i < ranges.length; i += 2) {
    const lo = ranges[i]!
    const hi = ranges[i + 1]!
    if (hi - lo > MAX_FOLD_ENUMERATION) {
      wide.push(lo, hi)
      continue
    }
    for (let c = lo; c <= hi; c++) {
      if (hasCase(c)) points.push(...caseVariants(c))
      else points.push(c)
    }
  }
  points.sort((a, b) => a - b)
  const out: number[] = []
  for (const p of points) {
    const n = out.length
    if (n > 0 && p <= out[n - 1]! + 1) out[n - 1] = Math.max(out[n - 1]!, p)
    else out.push(p, p)
  }
  return [...out, ...wide]
}

interface EmitContext {
  /** Fold by expanding letters (the pattern mixes case-sensitive and insensitive parts). */
  manualFold: boolean
}

function emitClassItems(items: readonly ClassItem[], fold: boolean): string {
  let out = ''
  for (const it of items) {
    switch (it.t) {
      case 'range': {
        const r = fold ? foldRanges([it.lo, it.hi]) : [it.lo, it.hi]
        out += rangesText(r)
        break
      }
      case 'set': {
        const r = fold ? foldRanges(it.ranges) : it.ranges
        out += it.neg ? `[^${rangesText(r)}]` : rangesText(r)
        break
      }
      case 'prop': {
        const props = it.body.map((b) => `\\p{${b}}`).join('')
        out += it.neg ? `[^${props}]` : props
      }
    }
  }
  return out
}

function emitNode(n: Node, ctx: EmitContext): string {
  switch (n.op) {
    case 'lit':
      if (ctx.manualFold && n.fold && hasCase(n.cp)) return `[${caseVariants(n.cp).map(escapeCp).join('')}]`
      return escapeCp(n.cp)
    case 'class':
      return `[${n.neg ? '^' : ''}${emitClassItems(n.items, ctx.manualFold && n.fold)}]`
    case 'any':
      return n.nl ? '[\\s\\S]' : '[^\\n]'
    case 'bol':
      return '(?<=^|\\n)'
    case 'eol':
      return '(?=\\n|$)'
    case 'bot':
      return '^'
    case 'eot':
      return '$'
    case 'wb':
      return '\\b'
    case 'nwb':
      return '\\B'
    case 'empty':
      return '(?:)'
    case 'cap':
      return `(${emitNode(n.sub, ctx)})`
    case 'rep': {
      const sub = n.sub
      const atom = sub.op === 'lit' || sub.op === 'class' || sub.op === 'any' || sub.op === 'cap'
      const body = emitNode(sub, ctx)
      let min = n.min
      // JavaScript rejects an optional iteration that matches empty and backtracks into the body;
      // RE2 keeps it (its skip path can never win). When the body can always match empty, the
      // first greedy iteration is therefore effectively mandatory.
      if (n.greedy && min === 0 && n.max !== 0 && alwaysEmpty(sub)) {
        if (n.max === 1) return atom ? body : `(?:${body})`
        min = 1
      }
      let q: string
      if (min === 0 && n.max === -1) q = '*'
      else if (min === 1 && n.max === -1) q = '+'
      else if (min === 0 && n.max === 1) q = '?'
      else if (n.max === -1) q = `{${min},}`
      else if (min === n.max) q = `{${min}}`
      else q = `{${min},${n.max}}`
      return `${atom ? body : `(?:${body})`}${q}${n.greedy ? '' : '?'}`
    }
    case 'cat':
      return n.subs.map((s) => (s.op === 'alt' ? `(?:${emitNode(s, ctx)})` : emitNode(s, ctx))).join('')
    case 'alt':
      return n.subs.map((s) => emitNode(s, ctx)).join('|')
  }
}

/** Whether the node matches the empty string everywhere (an empty path without assertions). */
function alwaysEmpty(n: Node): boolean {
  switch (n.op) {
    case 'empty':
      return true
    case 'cap':
      return alwaysEmpty(n.sub)
    case 'rep':
      return n.min === 0 || alwaysEmpty(n.sub)
    case 'cat':
      return n.subs.every(alwaysEmpty)
    case 'alt':
      return n.subs.some(alwaysEmpty)
    default:
      return false
  }
}

/** Which fold settings the case-relevant parts of the pattern use. */
function foldUsage(n: Node, acc: { on: boolean; off: boolean }): void {
  switch (n.op) {
    case 'lit':
      if (hasCase(n.cp)) acc[n.fold ? 'on' : 'off'] = true
      return
    case 'class':
      acc[n.fold ? 'on' : 'off'] = true
      return
    case 'cap':
    case 'rep':
      foldUsage(n.sub, acc)
      return
    case 'cat':
    case 'alt':
      for (const s of n.subs) foldUsage(s, acc)
  }
}

/** A translated pattern: JS source and flags, and the RE2 group names (index 0 is the match). */
export interface Re2Translation {
  source: string
  flags: string
  names: readonly string[]
}

/** Translate RE2 syntax to an equivalent JavaScript pattern; throws Re2SyntaxError like Go. */
export function translateRe2(pattern: string): Re2Translation {
  const parser = new Re2Parser(pattern)
  const root = parser.parse()
  const usage = { on: false, off: false }
  foldUsage(root, usage)
  const ctx: EmitContext = { manualFold: usage.on && usage.off }
  const source = emitNode(root, ctx)
  return { source, flags: usage.on && !usage.off ? 'iv' : 'v', names: parser.names }
}

// ---- matching with Go's iteration rules -------------------------------------------------------

/** A compiled RE2 pattern. `re` is global and shared: callers set lastIndex before each exec. */
export interface Re2 {
  readonly re: RegExp
  readonly names: readonly string[]
}

export function compileRe2(pattern: string): Re2 {
  const t = translateRe2(pattern)
  return { re: new RegExp(t.source, `g${t.flags}`), names: t.names }
}

function execAt(r: Re2, s: string, pos: number): RegExpExecArray | null {
  r.re.lastIndex = pos
  let m = r.re.exec(s)
  // V8 can report an empty-width match between the halves of a surrogate pair even in `v` mode;
  // RE2 works on whole characters, so such a position does not exist there.
  while (m !== null && isMidSurrogate(s, m.index)) {
    r.re.lastIndex = m.index + 1
    m = r.re.exec(s)
  }
  return m
}

function isMidSurrogate(s: string, i: number): boolean {
  if (i <= 0 || i >= s.length) return false
  const before = s.charCodeAt(i - 1)
  const at = s.charCodeAt(i)
  return before >= 0xd800 && before <= 0xdbff && at >= 0xdc00 && at <= 0xdfff
}

function charWidth(s: string, pos: number): number {
  if (pos >= s.length) return 0
  const c = s.charCodeAt(pos)
  return c >= 0xd800 && c <= 0xdbff && pos + 1 < s.length ? 2 : 1
}

/** Go `MatchString`. */
export function re2Test(r: Re2, s: string): boolean {
  return execAt(r, s, 0) !== null
}

/** Go `FindStringSubmatch` (null when nothing matches). */
export function re2First(r: Re2, s: string): RegExpExecArray | null {
  return execAt(r, s, 0)
}

/** Go `FindAll*` iteration: an empty match right after the previous match is skipped. */
export function re2All(r: Re2, s: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = []
  const end = s.length
  let prevEnd = -1
  for (let pos = 0; pos <= end; ) {
    const m = execAt(r, s, pos)
    if (m === null) break
    const stop = m.index + m[0].length
    let accept = true
    if (stop === pos) {
      if (m.index === prevEnd) accept = false
      const w = charWidth(s, pos)
      pos = w > 0 ? pos + w : end + 1
    } else pos = stop
    prevEnd = stop
    if (accept) out.push(m)
  }
  return out
}

/** Go `ReplaceAllString`: `$1`, `${1}`, `$name`, `${name}`, `$$` in the template. */
export function re2ReplaceAll(r: Re2, s: string, template: string): string {
  const end = s.length
  let out = ''
  let lastEnd = 0
  for (let pos = 0; pos <= end; ) {
    const m = execAt(r, s, pos)
    if (m === null) break
    const a0 = m.index
    const a1 = a0 + m[0].length
    out += s.slice(lastEnd, a0)
    // No replacement for an empty match right after the previous one (Go avoids doubling).
    if (a1 > lastEnd || a0 === 0) out += expandTemplate(r, template, m)
    lastEnd = a1
    const w = charWidth(s, pos)
    if (pos + w > a1) pos += w
    else if (pos + 1 > a1) pos++
    else pos = a1
  }
  return out + s.slice(lastEnd)
}

const TEMPLATE_NAME = /^[\p{L}\p{Nd}_]+/u

/** Go `Regexp.Expand` for one match. */
export function expandTemplate(r: Re2, template: string, m: RegExpExecArray): string {
  let out = ''
  let rest = template
  for (;;) {
    const dollar = rest.indexOf('$')
    if (dollar < 0) break
    out += rest.slice(0, dollar)
    rest = rest.slice(dollar + 1)
    if (rest.startsWith('$')) {
      out += '$'
      rest = rest.slice(1)
      continue
    }
    const brace = rest.startsWith('{')
    const body = brace ? rest.slice(1) : rest
    const nm = TEMPLATE_NAME.exec(body)
    if (nm === null || (brace && body[nm[0].length] !== '}')) {
      out += '$'
      continue
    }
    const name = nm[0]
    rest = body.slice(name.length + (brace ? 1 : 0))
    let num = -1
    if (/^[0-9]+$/.test(name) && !(name.length > 1 && name[0] === '0') && name.length <= 9) num = Number(name)
    if (num >= 0) {
      if (num < m.length) out += m[num] ?? ''
    } else {
      // Names may repeat: the first group of that name that took part in the match counts.
      for (let i = 1; i < r.names.length; i++) {
        if (r.names[i] === name && m[i] !== undefined) {
          out += m[i]
          break
        }
      }
    }
  }
  return out + rest
}

// ---- methods ----------------------------------------------------------------------------------

const CACHE_LIMIT = 256
const cache = new Map<string, Re2 | string>()

/** Compile (or fetch) a pattern; failures throw the reference's parse error as a MappingError. */
function patternArg(pattern: string): Re2 {
  let hit = cache.get(pattern)
  if (hit === undefined) {
    try {
      hit = compileRe2(pattern)
    } catch (err) {
      if (!(err instanceof Re2SyntaxError)) throw err
      hit = err.message
    }
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string)
    cache.set(pattern, hit)
  }
  if (typeof hit === 'string') throw new MappingError(hit)
  return hit
}

/** Text of a string or bytes target (bytes decoded as UTF-8). */
function textOf(target: Result): string {
  if (typeof target === 'string') return target
  if (target instanceof Uint8Array) return bytesToString(target)
  throw typeError(target, 'string')
}

/** Group keys for object results: the group's name, or its index when unnamed. */
function groupKeys(r: Re2): string[] {
  return r.names.map((n, i) => (n === '' ? String(i) : n))
}

function matchObject(keys: readonly string[], m: RegExpExecArray, asBytes: boolean): VObject {
  const obj = newObject()
  for (let i = 0; i < m.length; i++) {
    const s = m[i] ?? ''
    setKey(obj, keys[i]!, asBytes ? stringToBytes(s) : s)
  }
  return obj
}

const patternParam = [{ name: 'pattern', type: 'string' as const, description: 'An RE2 regular expression.' }]

function regexMethod(name: string, description: string, run: (r: Re2, target: Result) => Value, examples: MethodDef['examples'] = []): MethodDef {
  return defineMethod({
    name,
    params: patternParam,
    description,
    examples,
    ctor: (args) => {
      const r = patternArg(args.string('pattern'))
      return (target) => run(r, target)
    },
  })
}

function replaceMethod(name: string): MethodDef {
  return defineMethod({
    name,
    params: [...patternParam, { name: 'value', type: 'string', description: 'Replacement; `$1`, `${1}`, `$name` and `$$` expand as in Go.' }],
    description: 'Replaces every match of the pattern, expanding Go-style `$` references in the replacement.',
    examples: [{ mapping: 'root = this.s.re_replace_all("(\\\\w+)@(\\\\w+)", "$2 at $1")', input: '{"s":"me@host"}', output: 'host at me' }],
    ctor: (args) => {
      const r = patternArg(args.string('pattern'))
      const template = args.string('value')
      return (target) => re2ReplaceAll(r, textOf(target), template)
    },
  })
}

export const regexMethods: MethodDef[] = [
  regexMethod('re_match', 'Whether the pattern matches anywhere in the string.', (r, t) => re2Test(r, textOf(t)), [
    { mapping: 'root = this.s.re_match("^[a-z]+[0-9]$")', input: '{"s":"abc1"}', output: 'true' },
  ]),
  regexMethod('re_find_all', 'Every non-overlapping match, as an array of strings.', (r, t) => re2All(r, textOf(t)).map((m) => m[0]), [
    { mapping: 'root = this.s.re_find_all("[0-9]+")', input: '{"s":"a1b22c333"}', output: '["1","22","333"]' },
  ]),
  regexMethod(
    're_find_all_submatch',
    'Every match with its groups: an array of `[match, group1, ...]` (unmatched groups are empty strings).',
    (r, t) => re2All(r, textOf(t)).map((m) => Array.from(m, (g) => g ?? '')),
    [{ mapping: 'root = this.s.re_find_all_submatch("(\\\\d+)-(\\\\d+)")', input: '{"s":"1-2 30-40"}', output: '[["1-2","1","2"],["30-40","30","40"]]' }],
  ),
  regexMethod(
    're_find_object',
    'The first match as an object: key "0" holds the whole match, named groups their name, others their index. No match gives {}.',
    (r, t) => {
      const m = re2First(r, textOf(t))
      return m === null ? newObject() : matchObject(groupKeys(r), m, t instanceof Uint8Array)
    },
    [{ mapping: 'root = this.s.re_find_object("(?P<user>\\\\w+)@(?P<host>[\\\\w.]+)")', input: '{"s":"bob@ex.com"}', output: '{"0":"bob@ex.com","host":"ex.com","user":"bob"}' }],
  ),
  regexMethod(
    're_find_all_object',
    'Every match as an object keyed like `re_find_object`.',
    (r, t) => {
      const keys = groupKeys(r)
      const asBytes = t instanceof Uint8Array
      return re2All(r, textOf(t)).map((m) => matchObject(keys, m, asBytes))
    },
    [{ mapping: 'root = this.s.re_find_all_object("(?P<k>\\\\w)=(?P<v>\\\\d)")', input: '{"s":"a=1 b=2"}', output: '[{"0":"a=1","k":"a","v":"1"},{"0":"b=2","k":"b","v":"2"}]' }],
  ),
  replaceMethod('re_replace_all'),
  replaceMethod('re_replace'),
]
