/**
 * `format_yaml`: values as gopkg.in/yaml.v3's Marshal writes them: block style with 4-space
 * indentation (sequence items inside sequences indented by 2), keys in yaml.v3's natural order,
 * empty collections as `[]` / `{}`, and its choice between plain, single-quoted, double-quoted
 * and literal (`|`) scalars. The emitter keeps the same column/whitespace state the reference's
 * emitter does, so spacing decisions come out identical.
 */
import {
  Float,
  JsonNumber,
  Sized,
  Timestamp,
  UInt64,
  formatFloat32G,
  formatFloatG,
  formatRfc3339Nano,
  isObject,
  type Result,
} from '../../value/index.js'
import { needsLegacyQuotes, resolvePlain } from './yaml-resolve.js'

type Style = 'plain' | 'single' | 'double' | 'literal'

type YNode =
  | { kind: 'scalar'; value: string; style: Style }
  | { kind: 'seq'; items: YNode[] }
  | { kind: 'map'; entries: Array<[YNode, YNode]> }

const BEST_INDENT = 4

/** Serialise a value as a YAML document (ends with a newline). */
export function formatYaml(v: Result): string {
  return new Emitter().document(toNode(v))
}

function plain(value: string): YNode {
  return { kind: 'scalar', value, style: 'plain' }
}

/** The reference's rules for strings: quote what would read back as another type. */
function stringNode(s: string): YNode {
  const canUsePlain = resolvePlain(s).tag === 'str' && !needsLegacyQuotes(s)
  const style: Style = s.includes('\n') ? 'literal' : canUsePlain ? 'plain' : 'double'
  return { kind: 'scalar', value: s, style }
}

function floatText(f: number, text: string): string {
  if (f === Infinity) return '.inf'
  if (f === -Infinity) return '-.inf'
  if (Number.isNaN(f)) return '.nan'
  return text
}

function toNode(v: Result): YNode {
  switch (typeof v) {
    case 'string':
      return stringNode(v)
    case 'number':
      return plain(Number.isInteger(v) ? String(v) : floatText(v, formatFloatG(v)))
    case 'bigint':
      return plain(v.toString())
    case 'boolean':
      return plain(v ? 'true' : 'false')
    case 'symbol':
      return plain('null')
  }
  if (v === null) return plain('null')
  if (Array.isArray(v)) return { kind: 'seq', items: v.map(toNode) }
  // Go marshals a byte slice as a sequence of integers.
  if (v instanceof Uint8Array) return { kind: 'seq', items: Array.from(v, (b) => plain(String(b))) }
  if (v instanceof Timestamp) return plain(formatRfc3339Nano(v))
  if (v instanceof Float) return plain(floatText(v.v, formatFloatG(v.v)))
  if (v instanceof UInt64) return plain(v.v.toString())
  // json.Number is a Go string type, so the reference quotes numbers read from input JSON.
  if (v instanceof JsonNumber) return stringNode(v.text)
  if (v instanceof Sized) return plain(v.kind === 'float32' ? floatText(v.v, formatFloat32G(v.v)) : String(v.v))
  if (isObject(v)) {
    const keys = Object.keys(v).sort(naturalCompare)
    return { kind: 'map', entries: keys.map((k) => [stringNode(k), toNode(v[k]!)]) }
  }
  return plain('null')
}

const isDigit = (c: string): boolean => /\p{Nd}/u.test(c)
const isLetter = (c: string): boolean => /\p{L}/u.test(c)

/** yaml.v3's key order: letters before digits after a shared prefix, digit runs by value. */
export function naturalCompare(a: string, b: string): number {
  if (a === b) return 0
  return naturalLess(a, b) ? -1 : naturalLess(b, a) ? 1 : 0
}

function naturalLess(a: string, b: string): boolean {
  const ar = [...a]
  const br = [...b]
  let digits = false
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) {
      digits = isDigit(ar[i]!)
      continue
    }
    const al = isLetter(ar[i]!)
    const bl = isLetter(br[i]!)
    if (al && bl) return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!
    if (al || bl) return digits ? al : bl
    let an = 0
    let bn = 0
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1
          bn = 1
          break
        }
      }
    }
    let ai = i
    let bi = i
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10 + (ar[ai]!.charCodeAt(0) - 48)
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10 + (br[bi]!.charCodeAt(0) - 48)
    if (an !== bn) return an < bn
    if (ai !== bi) return ai < bi
    return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!
  }
  return ar.length < br.length
}

//------------------------------------------------------------------------------------------------

const isBreak = (c: string): boolean => c === '\r' || c === '\n' || c === '\u0085' || c === '\u2028' || c === '\u2029'

function isPrintable(c: string): boolean {
  const cp = c.codePointAt(0)!
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff)
}

interface Analysis {
  multiline: boolean
  blockPlain: boolean
  single: boolean
  block: boolean
}

/** Which scalar styles can represent `value` (the reference emitter's analyze step). */
function analyze(value: string): Analysis {
  if (value === '') return { multiline: false, blockPlain: true, single: true, block: false }
  let blockIndicators = value.startsWith('---') || value.startsWith('...')
  let lineBreaks = false
  let special = false
  let tabs = false
  let leadingSpace = false
  let leadingBreak = false
  let trailingSpace = false
  let trailingBreak = false
  let breakSpace = false
  let spaceBreak = false
  let precededByWhitespace = true
  let previousSpace = false
  let previousBreak = false
  const chars = [...value]
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!
    const next = chars[i + 1]
    const followedByWhitespace = next === undefined || next === ' ' || next === '\t' || isBreak(next)
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true
      else if ((c === '?' || c === ':' || c === '-') && followedByWhitespace) blockIndicators = true
    } else if ((c === ':' && followedByWhitespace) || (c === '#' && precededByWhitespace)) blockIndicators = true
    if (c === '\t') tabs = true
    else if (!isPrintable(c)) special = true
    const last = i === chars.length - 1
    if (c === ' ') {
      if (i === 0) leadingSpace = true
      if (last) trailingSpace = true
      if (previousBreak) breakSpace = true
      previousSpace = true
      previousBreak = false
    } else if (isBreak(c)) {
      lineBreaks = true
      if (i === 0) leadingBreak = true
      if (last) trailingBreak = true
      if (previousSpace) spaceBreak = true
      previousSpace = false
      previousBreak = true
    } else {
      previousSpace = false
      previousBreak = false
    }
    precededByWhitespace = c === ' ' || c === '\t' || c === '\0' || isBreak(c)
  }
  const a: Analysis = { multiline: lineBreaks, blockPlain: true, single: true, block: true }
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.blockPlain = false
  if (trailingSpace) a.block = false
  if (breakSpace) a.blockPlain = a.single = false
  if (spaceBreak || tabs || special) a.blockPlain = a.single = false
  if (spaceBreak || special) a.block = false
  if (lineBreaks) a.blockPlain = false
  if (blockIndicators) a.blockPlain = false
  return a
}

const ESCAPES: Readonly<Record<number, string>> = {
  0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r',
  0x1b: 'e', 0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
}

class Emitter {
  out = ''
  column = 0
  whitespace = true
  indention = true
  indent = -1
  readonly indents: number[] = []

  document(root: YNode): string {
    this.node(root, false, false)
    this.writeIndent()
    return this.out
  }

  put(s: string): void {
    this.out += s
    this.column += [...s].length
  }

  putBreak(): void {
    this.out += '\n'
    this.column = 0
    this.indention = true
  }

  writeIndent(): void {
    const indent = Math.max(this.indent, 0)
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak()
    while (this.column < indent) this.put(' ')
    this.whitespace = true
  }

  indicator(text: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ')
    this.put(text)
    this.whitespace = isWhitespace
    this.indention = this.indention && isIndention
  }

  increaseIndent(flow: boolean, inSequence: boolean): void {
    this.indents.push(this.indent)
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0
    else if (inSequence) this.indent += 2 // the first indent inside a sequence skips "- "
    else this.indent = BEST_INDENT * Math.floor((this.indent + BEST_INDENT) / BEST_INDENT)
  }

  popIndent(): void {
    this.indent = this.indents.pop()!
  }

  node(n: YNode, inSequence: boolean, simpleKey: boolean): void {
    if (n.kind === 'scalar') return this.scalar(n.value, n.style, inSequence, simpleKey)
    const empty = n.kind === 'seq' ? n.items.length === 0 : n.entries.length === 0
    if (empty) {
      this.indicator(n.kind === 'seq' ? '[' : '{', true, true, false)
      this.indicator(n.kind === 'seq' ? ']' : '}', false, false, false)
      return
    }
    this.increaseIndent(false, inSequence)
    if (n.kind === 'seq') {
      for (const item of n.items) {
        this.writeIndent()
        this.indicator('-', true, false, true)
        this.node(item, true, false)
      }
    } else {
      for (const [k, v] of n.entries) {
        this.writeIndent()
        if (isSimpleKey(k)) {
          this.node(k, false, true)
          this.indicator(':', false, false, false)
        } else {
          this.indicator('?', true, false, true)
          this.node(k, false, false)
          this.writeIndent()
          this.indicator(':', true, false, true)
        }
        this.node(v, false, false)
      }
    }
    this.popIndent()
  }

  scalar(value: string, requested: Style, inSequence: boolean, simpleKey: boolean): void {
    const a = analyze(value)
    let style = requested
    if (simpleKey && a.multiline) style = 'double'
    if (style === 'plain' && (!a.blockPlain || (value === '' && simpleKey))) style = 'single'
    if (style === 'single' && !a.single) style = 'double'
    if (style === 'literal' && (!a.block || simpleKey)) style = 'double'
    this.increaseIndent(true, inSequence)
    switch (style) {
      case 'plain':
        if (value !== '' && !this.whitespace) this.put(' ')
        this.put(value)
        if (value !== '') this.whitespace = false
        this.indention = false
        break
      case 'single':
        this.singleQuoted(value)
        break
      case 'double':
        this.doubleQuoted(value)
        break
      case 'literal':
        this.literal(value)
        break
    }
    this.popIndent()
  }

  singleQuoted(value: string): void {
    this.indicator("'", true, false, false)
    let breaks = false
    for (const c of value) {
      if (isBreak(c)) {
        if (!breaks && c === '\n') this.putBreak()
        this.writeBreak(c)
        breaks = true
      } else {
        if (breaks) this.writeIndent()
        this.put(c === "'" ? "''" : c)
        this.indention = false
        breaks = false
      }
    }
    this.indicator("'", false, false, false)
    this.whitespace = false
    this.indention = false
  }

  doubleQuoted(value: string): void {
    this.indicator('"', true, false, false)
    for (const c of value) {
      const cp = c.codePointAt(0)!
      if (!isPrintable(c) || cp === 0xfeff || isBreak(c) || c === '"' || c === '\\') {
        const named = ESCAPES[cp]
        if (named !== undefined) this.put('\\' + named)
        else if (cp <= 0xff) this.put('\\x' + hex(cp, 2))
        else if (cp <= 0xffff) this.put('\\u' + hex(cp, 4))
        else this.put('\\U' + hex(cp, 8))
      } else this.put(c)
    }
    this.indicator('"', false, false, false)
    this.whitespace = false
    this.indention = false
  }

  literal(value: string): void {
    this.indicator('|', true, false, false)
    const chars = [...value]
    if (chars.length > 0 && (chars[0] === ' ' || isBreak(chars[0]!))) this.indicator(String(BEST_INDENT), false, false, false)
    const chomp = chompHint(chars)
    if (chomp !== '') this.indicator(chomp, false, false, false)
    this.whitespace = true
    let breaks = true
    for (const c of chars) {
      if (isBreak(c)) {
        this.writeBreak(c)
        breaks = true
      } else {
        if (breaks) this.writeIndent()
        this.put(c)
        this.indention = false
        breaks = false
      }
    }
  }

  writeBreak(c: string): void {
    if (c === '\n') return this.putBreak()
    this.out += c
    this.column = 0
    this.indention = true
  }
}

function chompHint(chars: string[]): string {
  if (chars.length === 0) return '-'
  const last = chars.length - 1
  if (!isBreak(chars[last]!)) return '-'
  if (last === 0) return '+'
  return isBreak(chars[last - 1]!) ? '+' : ''
}

function isSimpleKey(k: YNode): boolean {
  if (k.kind !== 'scalar') return false
  if (analyze(k.value).multiline) return false
  return Buffer.byteLength(k.value, 'utf8') <= 128
}

function hex(n: number, width: number): string {
  return n.toString(16).toUpperCase().padStart(width, '0')
}
