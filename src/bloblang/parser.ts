/**
 * Recursive-descent parser for Bloblang mappings and queries. Grammar and whitespace rules follow
 * the reference (spec §3-§4): statements end at line breaks, `=` needs blanks around it, a line
 * may not start with an operator or `.`, newlines are allowed after `(`, `[`, `{`, `,`, binary
 * operators and `.`. Errors are `ParseError`s carrying the offset; `lineCol` turns it into the
 * reference's 1-based "line L char C" (columns in code points).
 */
import type { Arg, BinaryOp, Expr, MapDef, Program, Source, Stmt } from './ast.js'
import { makeFloat, makeInt, type Value } from '../value/value-types.js'

export class ParseError extends Error {
  constructor(
    message: string,
    readonly pos: number,
    readonly source: Source,
  ) {
    super(message)
    this.name = 'ParseError'
  }
}

/** 1-based line and column (in code points) of an offset. */
export function lineCol(text: string, pos: number): { line: number; col: number } {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      lineStart = i + 1
    }
  }
  let col = 1
  for (let i = lineStart; i < pos && i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) i++
    col++
  }
  if (pos > text.length) col += pos - text.length
  return { line, col }
}

/** Reads imported files; paths are resolved by the caller against `dir`. */
export interface Importer {
  read(path: string, fromFile: string): { text: string; file: string }
}

export interface ParseOptions {
  importer?: Importer
}

const isIdent = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95
const isSnake = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95
const isDigit = (c: number): boolean => c >= 48 && c <= 57

type Block = 'root' | 'if' | 'map'

export class Parser {
  pos = 0
  readonly text: string
  /** Lambda names in scope (innermost last). */
  private named: string[] = []
  /** Start of a comment that ran to the end of input without a line break. */
  private openComment: number | undefined
  private readonly maps: Map<string, MapDef>

  constructor(
    readonly source: Source,
    private readonly opts: ParseOptions = {},
    maps?: Map<string, MapDef>,
  ) {
    this.text = source.text
    this.maps = maps ?? new Map()
  }

  // ---- errors and low-level scanning ------------------------------------------------------------

  fail(message: string, pos = this.pos): never {
    throw new ParseError(message, pos, this.source)
  }

  private c(offset = 0): number {
    return this.text.charCodeAt(this.pos + offset)
  }

  private eof(): boolean {
    return this.pos >= this.text.length
  }

  private startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos)
  }

  /** Spaces and tabs. Returns whether any were skipped. */
  private sp(): boolean {
    const start = this.pos
    for (;;) {
      const c = this.c()
      if (c === 32 || c === 9) this.pos++
      else break
    }
    return this.pos > start
  }

  private requireSp(): void {
    if (!this.sp()) this.fail('expected whitespace')
  }

  /** One line break, optionally preceded by a comment. Returns false (position kept) if none. */
  private newline(): boolean {
    const c = this.c()
    if (c === 35) {
      // A comment runs to the end of the line (or of the input).
      const nl = this.text.indexOf('\n', this.pos)
      if (nl < 0) this.openComment = this.pos
      this.pos = nl < 0 ? this.text.length : nl + 1
      return true
    }
    if (c === 10) {
      this.pos++
      return true
    }
    if (c === 13 && this.c(1) === 10) {
      this.pos += 2
      return true
    }
    return false
  }

  /** Any spaces, tabs, line breaks and comments. */
  private ws(): void {
    for (;;) {
      this.sp()
      if (!this.newline()) return
    }
  }

  private word(): string {
    const start = this.pos
    while (isIdent(this.c())) this.pos++
    return this.text.slice(start, this.pos)
  }

  /** `kw` followed by a space or tab (contextual keyword). */
  private keyword(kw: string): boolean {
    if (!this.startsWith(kw)) return false
    const n = this.text.charCodeAt(this.pos + kw.length)
    return n === 32 || n === 9
  }

  private expectChar(ch: string, what: string): void {
    if (this.text[this.pos] !== ch) this.fail(`required: expected ${what}`)
    this.pos++
  }

  // ---- mapping ----------------------------------------------------------------------------------

  /** A whole mapping: statements, or a single shorthand expression, or `from "<file>"`. */
  parseMapping(): Program {
    const from = this.tryFrom()
    if (from !== undefined) return from
    let stmtErr: ParseError | undefined
    try {
      const statements = this.statements('root')
      return { statements, maps: this.maps, source: this.source }
    } catch (err) {
      if (!(err instanceof ParseError) || err.source !== this.source || (err as FatalParseError).fatal) throw err
      stmtErr = err
    }
    // Nothing but blanks and comments: there is no shorthand expression to try.
    this.pos = 0
    this.ws()
    if (this.eof()) throw stmtErr
    // Shorthand form: one expression meaning `root = <expr>`.
    this.pos = 0
    this.named = []
    this.maps.clear()
    let shortErr: ParseError
    try {
      this.ws()
      const start = this.pos
      const value = this.query()
      const end = this.pos
      this.ws()
      if (this.eof()) {
        return { statements: [{ kind: 'assign', path: [], value, pos: start, line: lineCol(this.text, start).line }], maps: this.maps, source: this.source }
      }
      const head = [...this.text.slice(start, end)]
      const shown = head.length > 12 ? head.slice(0, 12).join('') + '...' : head.join('')
      shortErr = new ParseError(
        `expected the mapping to end here as the beginning is shorthand for \`root = ${shown}\`, but this shorthand form cannot be followed with more assignments`,
        this.pos,
        this.source,
      )
    } catch (err) {
      if (!(err instanceof ParseError)) throw err
      shortErr = err
    }
    throw shortErr.pos > stmtErr.pos && shortErr.source === this.source ? shortErr : stmtErr
  }

  private tryFrom(): Program | undefined {
    this.ws()
    if (!this.keyword('from')) {
      this.pos = 0
      return undefined
    }
    const start = this.pos
    this.pos += 4
    this.sp()
    if (this.c() !== 34) {
      this.pos = 0
      return undefined
    }
    const path = this.quoted()
    this.ws()
    if (!this.eof()) {
      throw fatal(`unexpected content after single root import: ${this.text.slice(this.pos)}`, start, this.source)
    }
    return this.importFile(path, start).program
  }

  private importFile(path: string, at: number): { source: Source; program: Program } {
    if (this.opts.importer === undefined) throw fatal('imports are disabled in this context', at, this.source)
    let file: { text: string; file: string }
    try {
      file = this.opts.importer.read(path, this.source.file)
    } catch (err) {
      throw fatal(`failed to read import: ${err instanceof Error ? err.message : String(err)}`, at, this.source)
    }
    const source: Source = { text: file.text, file: file.file }
    const sub = new Parser(source, this.opts)
    try {
      const statements = sub.statements('root')
      return { source, program: { statements, maps: sub.maps, source } }
    } catch (err) {
      if (!(err instanceof ParseError)) throw err
      const lc = lineCol(err.source.text, err.pos)
      throw fatal(`failed to parse import '${path}': line ${lc.line} char ${lc.col}: ${err.message}`, at, this.source)
    }
  }

  /** Statements up to the end of input (root) or up to the closing `}` (blocks). */
  private statements(block: Block): Stmt[] {
    const out: Stmt[] = []
    this.ws()
    if (block === 'root' && this.eof()) this.fail('expected import, map, or assignment', this.openComment ?? this.pos)
    if (block !== 'root' && this.c() === 125) {
      this.pos++
      return out
    }
    for (;;) {
      const s = this.statement(block)
      if (s !== undefined) out.push(s)
      this.sp()
      if (block === 'root') {
        if (this.eof()) return out
        if (!this.newline()) this.fail('expected line break')
        this.ws()
        if (this.eof()) return out
      } else {
        if (this.c() === 125) {
          this.pos++
          return out
        }
        if (!this.newline()) this.fail('required: expected line break or closing bracket')
        this.ws()
        if (this.c() === 125) {
          this.pos++
          return out
        }
        if (this.eof()) this.fail('required: expected closing bracket')
      }
    }
  }

  private statement(block: Block): Stmt | undefined {
    const start = this.pos
    const line = lineCol(this.text, start).line
    if (this.keyword('import')) {
      if (block !== 'root') throw fatal('importing mappings is not allowed within this block', start, this.source)
      this.pos += 6
      this.sp()
      if (this.c() !== 34) this.fail('required: expected filepath')
      const path = this.quoted()
      const { program } = this.importFile(path, start)
      if (program.maps.size === 0) throw fatal(`no maps to import from '${path}'`, start, this.source)
      const collisions: string[] = []
      for (const [k, v] of program.maps) {
        if (this.maps.has(k)) collisions.push(k)
        else this.maps.set(k, v)
      }
      if (collisions.length > 0) throw fatal(`map name collisions from import '${path}': [${collisions.join(' ')}]`, start, this.source)
      return undefined
    }
    if (this.keyword('map')) {
      this.pos += 3
      this.sp()
      const name = this.c() === 34 ? this.quoted() : this.word()
      if (name === '') this.fail('required: expected map name')
      this.requireSp()
      this.expectChar('{', 'opening bracket')
      const body = this.statements('map')
      if (block !== 'root') throw fatal('defining maps is not allowed within this block', start, this.source)
      if (this.maps.has(name)) throw fatal(`map name collision: ${name}`, start, this.source)
      this.maps.set(name, { name, body, source: this.source })
      return undefined
    }
    if (this.keyword('let')) {
      this.pos += 3
      this.sp()
      const name = this.c() === 34 ? this.quoted() : this.word()
      if (name === '') this.fail('required: expected variable name')
      this.requireSp()
      this.expectAssign()
      const value = this.query()
      return { kind: 'let', name, value, pos: start, line }
    }
    if (this.keyword('meta') || (this.startsWith('meta') && this.text[this.pos + 4] === '=')) {
      this.pos += 4
      this.sp()
      let key: string | undefined
      if (this.c() === 34) key = this.quoted()
      else if (isIdent(this.c())) key = this.word()
      this.sp()
      if (this.c() !== 61) this.fail('expected =')
      this.pos++
      this.requireSp()
      const value = this.query()
      if (block === 'map') throw fatal('setting meta fields is not allowed within this block', start, this.source)
      return { kind: 'meta', key, value, pos: start, line }
    }
    if (this.c() === 64) {
      // `@key = v` (newer releases): same as `meta key = v`.
      this.pos++
      let key: string | undefined
      if (this.c() === 34) key = this.quoted()
      else if (isIdent(this.c())) key = this.word()
      this.requireSp()
      this.expectAssign()
      const value = this.query()
      if (block === 'map') throw fatal('setting meta fields is not allowed within this block', start, this.source)
      return { kind: 'meta', key, value, pos: start, line }
    }
    if (this.keyword('if')) return this.ifStatement(block, start, line)
    if (!isIdent(this.c())) this.fail(block === 'root' ? 'expected import, map, or assignment' : 'expected assignment')
    const path = [this.word()]
    while (this.c() === 46) {
      this.pos++
      if (this.c() === 34) path.push(this.quoted())
      else {
        const w = this.word()
        if (w === '') this.fail('required: expected target path')
        path.push(w)
      }
    }
    this.requireSp()
    this.expectAssign()
    const value = this.query()
    if (path[0] === 'root') path.shift()
    return { kind: 'assign', path, value, pos: start, line }
  }

  private expectAssign(): void {
    if (this.c() !== 61 || this.c(1) === 61) this.fail('expected =')
    this.pos++
    this.requireSp()
  }

  private ifStatement(block: Block, start: number, line: number): Stmt {
    const branches: { cond: Expr; body: Stmt[] }[] = []
    this.pos += 2
    this.sp()
    let cond = this.query()
    this.ws()
    this.expectChar('{', 'opening bracket')
    const inner: Block = block === 'map' ? 'map' : 'if'
    branches.push({ cond, body: this.statements(inner) })
    let otherwise: Stmt[] | undefined
    for (;;) {
      const save = this.pos
      this.ws()
      if (this.startsWith('else if') && (this.text[this.pos + 7] === ' ' || this.text[this.pos + 7] === '\t')) {
        this.pos += 7
        this.sp()
        cond = this.query()
        this.ws()
        this.expectChar('{', 'opening bracket')
        branches.push({ cond, body: this.statements(inner) })
        continue
      }
      if (this.startsWith('else') && !isIdent(this.text.charCodeAt(this.pos + 4))) {
        this.pos += 4
        this.ws()
        this.expectChar('{', 'opening bracket')
        otherwise = this.statements(inner)
        break
      }
      this.pos = save
      break
    }
    return { kind: 'if', branches, otherwise, pos: start, line }
  }

  // ---- queries ----------------------------------------------------------------------------------

  /** A query expression (leading blanks allowed). */
  query(): Expr {
    this.sp()
    const operands: Expr[] = [this.operand()]
    const ops: BinaryOp[] = []
    for (;;) {
      const save = this.pos
      this.sp()
      const op = this.operator()
      if (op === undefined) {
        this.pos = save
        break
      }
      this.ws()
      if (this.eof() || !this.startsOperand()) this.fail('expected query')
      ops.push(op)
      operands.push(this.operand())
    }
    return resolvePrecedence(operands, ops)
  }

  private startsOperand(): boolean {
    const c = this.c()
    return !(c === 41 || c === 93 || c === 125 || c === 44 || Number.isNaN(c))
  }

  private operator(): BinaryOp | undefined {
    const c = this.c()
    const n = this.c(1)
    switch (c) {
      case 43: // +
        this.pos++
        return '+'
      case 45: // -
        if (n === 62) return undefined // `->`
        this.pos++
        return '-'
      case 47:
        this.pos++
        return '/'
      case 42:
        this.pos++
        return '*'
      case 37:
        this.pos++
        return '%'
      case 38:
        if (n === 38) {
          this.pos += 2
          return '&&'
        }
        return undefined
      case 124:
        if (n === 124) {
          this.pos += 2
          return '||'
        }
        this.pos++
        return '|'
      case 61:
        if (n === 61) {
          this.pos += 2
          return '=='
        }
        return undefined
      case 33:
        if (n === 61) {
          this.pos += 2
          return '!='
        }
        return undefined
      case 62:
        if (n === 61) {
          this.pos += 2
          return '>='
        }
        this.pos++
        return '>'
      case 60:
        if (n === 61) {
          this.pos += 2
          return '<='
        }
        this.pos++
        return '<'
    }
    return undefined
  }

  private operand(): Expr {
    const start = this.pos
    if (this.c() === 45 && this.c(1) !== 62) {
      this.pos++
      this.ws()
      const e = this.termWithTails()
      return { kind: 'binary', op: '-', left: { kind: 'literal', value: 0, pos: start }, right: e, pos: start }
    }
    return this.termWithTails()
  }

  private termWithTails(): Expr {
    const start = this.pos
    let not = false
    if (this.c() === 33) {
      this.pos++
      this.sp()
      not = true
    }
    let e = this.primary()
    for (;;) {
      if (this.c() !== 46) break
      this.pos++
      this.ws()
      e = this.tail(e)
    }
    return not ? { kind: 'not', expr: e, pos: start } : e
  }

  private tail(target: Expr): Expr {
    try {
      return this.tailInner(target)
    } catch (err) {
      // A `.` must be followed by a tail: plain "expected" errors become "required" ones.
      if (err instanceof ParseError && err.message.startsWith('expected ')) err.message = `required: ${err.message}`
      throw err
    }
  }

  private tailInner(target: Expr): Expr {
    const start = this.pos
    const c = this.c()
    if (c === 40) {
      this.pos++
      this.ws()
      const body = this.query()
      this.ws()
      this.expectChar(')', 'closing bracket')
      return { kind: 'mapExpr', target, body, pos: start }
    }
    if (isSnake(c)) {
      const save = this.pos
      const name = this.snake()
      if (this.c() === 40) {
        const args = this.args()
        return { kind: 'method', target, name, args, pos: start, end: this.pos }
      }
      this.pos = save
    }
    let seg: string
    if (c === 34) seg = this.quoted()
    else if (isIdent(c)) seg = this.word()
    else this.fail('required: expected method or field path')
    return appendPath(target, [seg], start)
  }

  private snake(): string {
    const start = this.pos
    while (isSnake(this.c())) this.pos++
    return this.text.slice(start, this.pos)
  }

  private args(): Arg[] {
    this.pos++ // (
    this.ws()
    const args: Arg[] = []
    if (this.c() === 41) {
      this.pos++
      return args
    }
    for (;;) {
      if (this.eof()) this.fail('required: expected function argument')
      const save = this.pos
      let name: string | undefined
      if (isSnake(this.c())) {
        const n = this.snake()
        if (this.c() === 58) {
          name = n
          this.pos++
          this.sp()
          if (this.eof() || this.c() === 41 || this.c() === 44) this.fail('required: expected argument value')
        } else this.pos = save
      }
      if (name === undefined && (this.c() === 41 || this.c() === 44)) this.fail('required: expected function argument')
      const value = this.query()
      args.push(name === undefined ? { value } : { name, value })
      this.sp()
      if (this.c() === 44) {
        this.pos++
        this.ws()
        if (this.c() === 41) {
          this.pos++
          return args
        }
        continue
      }
      this.ws()
      if (this.c() === 41) {
        this.pos++
        return args
      }
      this.fail('required: expected comma or closing bracket')
    }
  }

  private primary(): Expr {
    const start = this.pos
    const c = this.c()
    if (Number.isNaN(c)) this.fail('expected query')
    if (c === 109 && this.startsWith('match') && !isIdent(this.text.charCodeAt(this.pos + 5))) return this.matchExpr()
    if (c === 105 && this.keyword('if')) return this.ifExpr()
    if (isIdent(c)) {
      const m = /([A-Za-z0-9_]+)[ \t]+->[ \t]+/y
      m.lastIndex = this.pos
      const r = m.exec(this.text)
      if (r !== null) return this.lambda(r[1]!, m.lastIndex)
    }
    if (c === 40) {
      this.pos++
      this.ws()
      const e = this.query()
      this.ws()
      this.expectChar(')', 'closing bracket')
      return e
    }
    if (c === 34) {
      if (this.startsWith('"""')) return { kind: 'literal', value: this.tripleQuoted(), pos: start }
      return { kind: 'literal', value: this.quoted(), pos: start }
    }
    if (isDigit(c) || (c === 45 && isDigit(this.c(1)))) return this.number()
    if (c === 91) return this.arrayLit()
    if (c === 123) return this.objectLit()
    if (c === 64) {
      this.pos++
      let key: string | undefined
      if (this.c() === 34) key = this.quoted()
      else if (isIdent(this.c())) key = this.word()
      return { kind: 'meta', key, pos: start }
    }
    if (c === 36) {
      this.pos++
      const name = this.word()
      if (name === '') this.fail('required: expected variable name')
      return { kind: 'var', name, pos: start }
    }
    if (isSnake(c)) {
      const save = this.pos
      const name = this.snake()
      if (this.c() === 40) {
        const args = this.args()
        return { kind: 'call', name, args, pos: start, end: this.pos }
      }
      this.pos = save
    }
    if (isIdent(c)) {
      const w = this.word()
      if (!isIdent(this.c())) {
        if (w === 'true') return { kind: 'literal', value: true, pos: start }
        if (w === 'false') return { kind: 'literal', value: false, pos: start }
        if (w === 'null') return { kind: 'literal', value: null, pos: start }
      }
      if (w === 'this') return { kind: 'this', path: [], pos: start }
      if (w === 'root') return { kind: 'root', path: [], pos: start }
      if (this.named.includes(w)) return { kind: 'named', name: w, path: [], pos: start }
      return { kind: 'this', path: [w], pos: start }
    }
    this.fail('expected query')
  }

  private lambda(name: string, bodyStart: number): Expr {
    const start = this.pos
    if (name !== '_') {
      if (this.named.includes(name)) throw fatal(`context label \`${name}\` would shadow a parent context`, start, this.source)
      if (name === 'root' || name === 'this') throw fatal(`context label \`${name}\` is not allowed`, start, this.source)
    }
    this.pos = bodyStart
    if (name !== '_') this.named.push(name)
    try {
      if (this.eof()) this.fail('required: expected query')
      const body = this.query()
      if (body.kind === 'lambda') {
        throw fatal(`it would be in poor taste to capture the same context under both '${name}' and '${body.name}'`, start, this.source)
      }
      return { kind: 'lambda', name, body, pos: start }
    } finally {
      if (name !== '_') this.named.pop()
    }
  }

  private ifExpr(): Expr {
    const start = this.pos
    this.pos += 2
    this.sp()
    const branches: { cond: Expr; body: Expr }[] = []
    const branch = (): void => {
      if (this.eof()) this.fail('required: expected query')
      const cond = this.query()
      this.ws()
      this.expectChar('{', 'opening bracket')
      this.ws()
      const body = this.query()
      this.ws()
      this.expectChar('}', 'closing bracket')
      branches.push({ cond, body })
    }
    branch()
    let otherwise: Expr | undefined
    for (;;) {
      const save = this.pos
      this.ws()
      if (this.startsWith('else if') && (this.text[this.pos + 7] === ' ' || this.text[this.pos + 7] === '\t')) {
        this.pos += 7
        this.sp()
        branch()
        continue
      }
      if (this.startsWith('else') && !isIdent(this.text.charCodeAt(this.pos + 4))) {
        this.pos += 4
        this.ws()
        this.expectChar('{', 'opening bracket')
        this.ws()
        otherwise = this.query()
        this.ws()
        this.expectChar('}', 'closing bracket')
        break
      }
      this.pos = save
      break
    }
    return { kind: 'if', branches, otherwise, pos: start }
  }

  private matchExpr(): Expr {
    const start = this.pos
    this.pos += 5
    this.sp()
    let subject: Expr | undefined
    if (this.c() !== 123) {
      subject = this.query()
    } else {
      // `match {` may open the case block or an object-literal subject.
      const save = this.pos
      try {
        const s = this.query()
        const after = this.pos
        this.ws()
        if (this.c() === 123) {
          subject = s
          this.pos = after
        } else this.pos = save
      } catch (err) {
        if (!(err instanceof ParseError) || (err as FatalParseError).fatal) throw err
        this.pos = save
      }
    }
    this.ws()
    this.expectChar('{', 'opening bracket')
    this.ws()
    const cases: { pattern: Expr | undefined; body: Expr }[] = []
    while (this.c() !== 125) {
      if (this.eof()) this.fail('required: expected closing bracket')
      let pattern: Expr | undefined
      const m = /_[ \t]*=>/y
      m.lastIndex = this.pos
      if (m.test(this.text)) {
        this.pos = m.lastIndex
      } else {
        pattern = this.query()
        this.sp()
        if (!this.startsWith('=>')) this.fail('required: expected =>')
        this.pos += 2
      }
      this.sp()
      const body = this.query()
      cases.push({ pattern, body })
      this.sp()
      if (this.c() === 44) this.pos++
      else if (this.c() !== 125 && !this.newline()) this.fail('required: expected comma, line break or closing bracket')
      this.ws()
    }
    this.pos++
    return { kind: 'match', subject, cases, pos: start }
  }

  private arrayLit(): Expr {
    const start = this.pos
    this.pos++
    this.ws()
    const items: Expr[] = []
    while (this.c() !== 93) {
      if (this.eof()) this.fail('required: expected closing bracket')
      items.push(this.query())
      this.sp()
      if (this.c() === 44) {
        this.pos++
        this.ws()
        continue
      }
      this.ws()
      if (this.c() !== 93) this.fail('required: expected comma or closing bracket')
    }
    this.pos++
    return { kind: 'array', items, pos: start }
  }

  private objectLit(): Expr {
    const start = this.pos
    this.pos++
    this.ws()
    const entries: { key: Expr; value: Expr }[] = []
    while (this.c() !== 125) {
      if (this.eof()) this.fail('required: expected closing bracket')
      const keyPos = this.pos
      let key: Expr | undefined
      if (this.c() === 34 && !this.startsWith('"""')) {
        const k = this.quoted()
        this.sp()
        if (this.c() === 58) key = { kind: 'literal', value: k, pos: keyPos }
        else this.pos = keyPos
      }
      if (key === undefined) {
        key = this.query()
        this.sp()
      }
      if (this.c() !== 58) this.fail('required: expected :')
      this.pos++
      this.ws()
      const value = this.query()
      entries.push({ key, value })
      this.sp()
      if (this.c() === 44) {
        this.pos++
        this.ws()
        continue
      }
      this.ws()
      if (this.c() !== 125) this.fail('required: expected comma or closing bracket')
    }
    this.pos++
    return { kind: 'object', entries, pos: start }
  }

  private number(): Expr {
    const start = this.pos
    let neg = false
    if (this.c() === 45) {
      neg = true
      this.pos++
    }
    const intStart = this.pos
    while (isDigit(this.c())) this.pos++
    let text = this.text.slice(intStart, this.pos)
    let isFloat = false
    if (this.c() === 46 && isDigit(this.c(1))) {
      this.pos++
      const fs = this.pos
      while (isDigit(this.c())) this.pos++
      text += '.' + this.text.slice(fs, this.pos)
      isFloat = true
    }
    let value: Value
    if (isFloat) value = makeFloat(neg ? -Number(text) : Number(text))
    else {
      const b = BigInt(text)
      if (b > 9223372036854775807n) {
        throw fatal(`failed to parse '${text}' as integer: strconv.ParseInt: parsing "${text}": value out of range`, start, this.source)
      }
      value = makeInt(neg ? -b : b)
    }
    return { kind: 'literal', value, pos: start }
  }

  private tripleQuoted(): string {
    const start = this.pos
    const end = this.text.indexOf('"""', this.pos + 3)
    if (end < 0) throw fatal('required: expected end triple-quote', this.text.length, this.source)
    this.pos = end + 3
    return this.text.slice(start + 3, end)
  }

  /** A double-quoted string with Go escapes. */
  quoted(): string {
    const start = this.pos
    let i = this.pos + 1
    const t = this.text
    let out = ''
    let seg = i
    let bytes: number[] | undefined
    const flush = (to: number): void => {
      if (to > seg) {
        if (bytes !== undefined) {
          out += decodeBytes(bytes)
          bytes = undefined
        }
        out += t.slice(seg, to)
      }
    }
    for (;;) {
      if (i >= t.length) throw fatal('required: expected end quote', t.length, this.source)
      const c = t.charCodeAt(i)
      if (c === 34) {
        flush(i)
        if (bytes !== undefined) out += decodeBytes(bytes)
        this.pos = i + 1
        return out
      }
      if (c === 10) throw fatal('failed to unescape quoted string contents: invalid syntax', start, this.source)
      if (c !== 92) {
        i++
        continue
      }
      flush(i)
      const e = t[i + 1]
      let adv = 2
      let ch: string | undefined
      switch (e) {
        case 'a': ch = '\x07'; break
        case 'b': ch = '\b'; break
        case 'f': ch = '\f'; break
        case 'n': ch = '\n'; break
        case 'r': ch = '\r'; break
        case 't': ch = '\t'; break
        case 'v': ch = '\v'; break
        case '\\': ch = '\\'; break
        case '"': ch = '"'; break
        case 'x': {
          const h = t.slice(i + 2, i + 4)
          if (!/^[0-9a-fA-F]{2}$/.test(h)) throw fatal('failed to unescape quoted string contents: invalid syntax', start, this.source)
          ;(bytes ??= []).push(parseInt(h, 16))
          adv = 4
          break
        }
        case 'u':
        case 'U': {
          const n = e === 'u' ? 4 : 8
          const h = t.slice(i + 2, i + 2 + n)
          if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) throw fatal('failed to unescape quoted string contents: invalid syntax', start, this.source)
          const cp = parseInt(h, 16)
          if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw fatal('failed to unescape quoted string contents: invalid syntax', start, this.source)
          ch = String.fromCodePoint(cp)
          adv = 2 + n
          break
        }
        default:
          if (e !== undefined && e >= '0' && e <= '7') {
            const o = t.slice(i + 1, i + 4)
            if (!/^[0-7]{3}$/.test(o) || parseInt(o, 8) > 255) throw fatal('failed to unescape quoted string contents: invalid syntax', start, this.source)
            ;(bytes ??= []).push(parseInt(o, 8))
            adv = 4
            break
          }
          throw fatal('failed to unescape quoted string contents: invalid syntax', start, this.source)
      }
      if (ch !== undefined) {
        if (bytes !== undefined) {
          out += decodeBytes(bytes)
          bytes = undefined
        }
        out += ch
      }
      i += adv
      seg = i
    }
  }
}

function decodeBytes(bytes: number[]): string {
  return new TextDecoder().decode(new Uint8Array(bytes))
}

/** A parse error that stops alternatives from being tried (the reference's "fatal" errors). */
export interface FatalParseError extends ParseError {
  fatal: true
}

export function fatal(message: string, pos: number, source: Source): FatalParseError {
  const e = new ParseError(message, pos, source) as FatalParseError
  e.fatal = true
  return e
}

function appendPath(target: Expr, segs: string[], pos: number): Expr {
  switch (target.kind) {
    case 'this':
    case 'root':
    case 'named':
      return { ...target, path: [...target.path, ...segs] }
    case 'get':
      return { ...target, path: [...target.path, ...segs] }
    default:
      return { kind: 'get', target, path: segs, pos }
  }
}

/** The reference's four precedence passes: `* / % |`, then `+ -`, then comparisons, then `&& ||`. */
function resolvePrecedence(operands: Expr[], ops: BinaryOp[]): Expr {
  if (ops.length === 0) return operands[0]!
  const levels: BinaryOp[][] = [['*', '/', '%', '|'], ['+', '-'], ['==', '!=', '>', '>=', '<', '<='], ['&&', '||']]
  let fns = operands
  let os = ops
  for (const level of levels) {
    const nf: Expr[] = [fns[0]!]
    const no: BinaryOp[] = []
    for (let i = 0; i < os.length; i++) {
      const op = os[i]!
      if (level.includes(op)) {
        const left = nf[nf.length - 1]!
        nf[nf.length - 1] = { kind: 'binary', op, left, right: fns[i + 1]!, pos: left.pos }
      } else {
        nf.push(fns[i + 1]!)
        no.push(op)
      }
    }
    fns = nf
    os = no
    if (os.length === 0) break
  }
  return fns[0]!
}
