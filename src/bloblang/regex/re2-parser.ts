/**
 * Go's `regexp/syntax` parser, reproduced with the reference's stack discipline so that the same
 * patterns are accepted and rejected with the same error texts.
 */
import { ERR, Re2SyntaxError, type Flags, type Node } from './re2-ast.js'
import { PERL_GROUPS } from './re2-classes.js'
import { Re2Scanner } from './re2-scanner.js'

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

const MAX_REPEAT = 1000
const MAX_NESTING = 1000

class Re2Parser extends Re2Scanner {
  readonly stack: StackItem[] = []
  numCap = 0
  readonly names: string[] = ['']

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
          this.push(this.parseClass())
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

/** Parse an RE2 pattern: its tree and its group names (index 0, the whole match, is ''). Throws Re2SyntaxError. */
export function parseRe2(pattern: string): { root: Node; names: readonly string[] } {
  const parser = new Re2Parser(pattern)
  const root = parser.parse()
  return { root, names: parser.names }
}
