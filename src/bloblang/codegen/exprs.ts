/**
 * Expressions as JavaScript source. Every sub-expression is evaluated into a temporary in source
 * order (so errors surface in the same order as with closures); an `Atom` names where its value
 * is. Constructs without a generator here are compiled by the closure compiler and called from
 * the generated code (each such fallback is named in `CompileEnv.codegen.fallbacks`). Literal
 * sub-trees are always handed to the closure compiler, which folds them exactly as before.
 */
import type { Expr } from '../ast.js'
import { compileError, withAnn, type Node } from '../compile-support.js'
import type { Compiler } from '../compiler.js'
import type { Query } from '../registry.js'
import { sliceToDotPath } from '../paths.js'
import { compareBytewise, type Result } from '../../value/value-types.js'
import { Unit } from './unit.js'
import { functionCall, methodCall } from './calls.js'
import { ifExpr, matchExpr } from './control.js'

/** Where a generated expression's value is: a temporary, a constant or an inline literal. */
export interface Atom {
  ref: string
  ann: string
  lit?: { v: Result }
  fresh?: boolean
  /**
   * Set on a value read without boxing (only when the consumer asked for it, see `expr`): a
   * temporary that is true when the value came out of `c.unboxedSelf` and may hold plain
   * fractions that stand for json.Numbers. Whoever lets such a value escape boxes it first.
   */
  taint?: string
}

export type Of<K extends Expr['kind']> = Extract<Expr, { kind: K }>

/**
 * What a consumer does with a value read out of a document whose fractions are still unboxed:
 * `box` them (the default), take it `plain` (arithmetic and ordering, which treat a plain
 * fraction as the json.Number it stands for and never return an operand), or `track` where it
 * came from (`Atom.taint`) and box whatever escapes later.
 */
export type Unboxed = 'box' | 'plain' | 'track'

export class ExprGen {
  /**
   * Code emitted so far that hands `c` to something other than generated code (a closure, a
   * query function, arguments evaluated per message): such code may read a lambda's slot, so a
   * lambda body that emits any cannot be run inline (array-lambdas.ts).
   */
  escapes = 0
  /** Lambda parameters run inline: their slot's value lives in a local, with its taint. */
  readonly #bound = new Map<number, { local: string; taint: string | undefined }>()

  constructor(
    readonly cx: Compiler,
    readonly u: Unit,
  ) {}

  bindSlot(slot: number, local: string, taint: string | undefined): void {
    this.#bound.set(slot, { local, taint })
  }

  unbindSlot(slot: number): void {
    this.#bound.delete(slot)
  }

  fallbacks(): string[] {
    return this.cx.env.codegen!.fallbacks
  }

  /** A closure-compiled node as an atom (constant when it folded). */
  fromNode(n: Node, fallback: string | undefined): Atom {
    if (n.lit !== undefined) return this.literal(n.lit.v, n.ann)
    if (fallback !== undefined) this.fallbacks().push(fallback)
    this.escapes++
    const t = this.u.temp()
    this.u.emit(`${t} = ${this.u.constRef(n.fn)}(c);`)
    return { ref: t, ann: n.ann, fresh: n.fresh }
  }

  /** The closure compiler's result for `e` (folds literals; otherwise a named fallback). */
  closure(e: Expr, fallback: string | undefined): Atom {
    return this.fromNode(this.cx.expr(e), fallback)
  }

  literal(v: Result, ann: string): Atom {
    let ref: string
    if (typeof v === 'string') ref = JSON.stringify(v)
    else if (typeof v === 'boolean' || v === null) ref = String(v)
    else if (typeof v === 'number' && Number.isFinite(v) && !Object.is(v, -0)) ref = String(v)
    else ref = this.u.constRef(v)
    return { ref, ann, lit: { v } }
  }

  /** `unboxed`: see `Unboxed`; only path reads and inline array lambdas take anything but `box`. */
  expr(e: Expr, unboxed: Unboxed = 'box'): Atom {
    switch (e.kind) {
      case 'literal':
      case 'array':
      case 'object':
        return this.#composite(e)
      case 'this':
        return this.#thisPath(e.path, unboxed)
      case 'root':
        return this.#rootPath(e.path)
      case 'named':
        return this.#named(e, unboxed)
      case 'get': {
        const t = this.expr(e.target)
        if (t.lit !== undefined) return this.closure(e, 'path on a literal')
        return this.#readPath(t.ref, e.path, `path \`${sliceToDotPath(e.path)}\``)
      }
      case 'var': {
        const t = this.u.temp()
        this.u.emit(`${t} = ${this.u.helper('variable')}(c, ${JSON.stringify(e.name)});`)
        return { ref: t, ann: `variable ${e.name}` }
      }
      case 'meta':
        if (e.key === undefined) return this.closure(e, 'metadata object (@)')
        return this.#call('meta', [JSON.stringify(e.key)], `meta field ${e.key}`)
      case 'call':
        return functionCall(this, e)
      case 'method':
        return methodCall(this, e, unboxed)
      case 'mapExpr': {
        const t = this.expr(e.target)
        const q = this.query(e.body)
        return this.applyQuery(q, t.ref, q.ann ?? 'map expression')
      }
      case 'not': {
        const inner = this.expr(e.expr)
        return this.notOf(inner)
      }
      case 'binary':
        return this.#binary(e)
      case 'if':
        return ifExpr(this, e)
      case 'match':
        return matchExpr(this, e)
      case 'lambda': {
        const q = this.query(e)
        const self = this.#wholeSelf()
        return this.applyQuery(q, self, q.ann ?? 'lambda')
      }
    }
  }

  /** `t = helper(c, ...args)`. */
  #call(helper: 'meta', args: string[], ann: string): Atom {
    const t = this.u.temp()
    this.u.emit(`${t} = ${this.u.helper(helper)}(c, ${args.join(', ')});`)
    return { ref: t, ann }
  }

  applyQuery(q: Query, arg: string, ann: string): Atom {
    this.escapes++
    const t = this.u.temp()
    this.u.emit(`${t} = ${this.u.constRef(q)}(c, ${arg});`)
    return { ref: t, ann }
  }

  /** Literals, arrays and objects: folded by the closure compiler when constant. */
  #composite(e: Of<'literal'> | Of<'array'> | Of<'object'>): Atom {
    if (e.kind === 'literal') return this.literal(e.value, e.annotation ?? this.cx.expr(e).ann)
    if (isConstantTree(e)) return this.closure(e, undefined)
    if (e.kind === 'array') return this.#array(e)
    return this.#object(e)
  }

  #array(e: Of<'array'>): Atom {
    const items = e.items.map((item) => this.expr(item))
    // Every item constant: the closure compiler folds the array (literal items emit no code).
    if (items.every((a) => a.lit !== undefined)) return this.closure(e, undefined)
    const out = this.u.temp()
    this.u.emit(`${out} = [];`)
    for (const a of items) {
      if (a.lit !== undefined) {
        if (typeof a.lit.v !== 'symbol') this.u.emit(`${out}.push(${a.ref});`)
      } else this.u.emit(`if (typeof ${a.ref} !== 'symbol') ${out}.push(${a.ref});`)
    }
    return { ref: out, ann: 'array literal', fresh: true }
  }

  #object(e: Of<'object'>): Atom {
    const keys: string[] = []
    for (const en of e.entries) {
      const k = en.key.kind === 'literal' && typeof en.key.value === 'string' ? en.key.value : undefined
      // Computed keys and `__proto__` keep the closure path (key checks, own-property writes).
      if (k === undefined || k === '__proto__') return this.closure(e, 'object literal with computed keys')
      keys.push(k)
    }
    const values = e.entries.map((en) => {
      const mark = this.u.mark()
      const a = this.expr(en.value)
      return { a, lines: this.u.cut(mark) }
    })
    if (values.every((v) => v.a.lit !== undefined)) return this.closure(e, undefined)
    const out = this.u.temp()
    // Values are evaluated in source order (which error comes first) and stored in byte-wise key
    // order, the order the JSON encoder writes, so it can walk the object as it is.
    const stores: { key: string; line: string }[] = []
    values.forEach(({ a, lines }, i) => {
      const key = JSON.stringify(keys[i])
      if (a.lit !== undefined) {
        if (typeof a.lit.v !== 'symbol') stores.push({ key: keys[i]!, line: `${out}[${key}] = ${a.ref};` })
        return
      }
      const v = this.u.temp()
      this.u.emit('try {')
      for (const l of lines) this.u.emit(l)
      this.u.emit(`${v} = ${a.ref};`)
      this.u.emit(`} catch (err) { throw ${this.u.helper('valueError')}(${key}, err); }`)
      stores.push({ key: keys[i]!, line: `if (typeof ${v} !== 'symbol') ${out}[${key}] = ${v};` })
    })
    this.u.emit(`${out} = {};`)
    for (const st of stores.sort((x, y) => compareBytewise(x.key, y.key))) this.u.emit(st.line)
    return { ref: out, ann: 'object literal', fresh: true }
  }

  /** `this` as a whole value (parsed on first use, fractions boxed: see loadSelf). */
  #wholeSelf(): string {
    const t = this.u.temp()
    this.u.emit(`${t} = c.self;`)
    this.u.emit(`if (${t} === ${this.u.helper('UNPARSED')} || ${t} === c.unboxedSelf) ${t} = ${this.u.helper('loadSelf')}(c, "");`)
    return t
  }

  #thisPath(path: string[], unboxed: Unboxed): Atom {
    const ann = `field \`this${path.length > 0 ? '.' + sliceToDotPath(path) : ''}\``
    if (path.length === 0) return { ref: this.#wholeSelf(), ann }
    const self = this.u.temp()
    this.u.emit(`${self} = c.self;`)
    this.u.emit(`if (${self} === ${this.u.helper('UNPARSED')}) ${self} = ${this.u.helper('loadSelfUnboxed')}(c, ${JSON.stringify(sliceToDotPath(path))});`)
    const read = this.#readPath(self, path, ann)
    if (unboxed === 'plain') return read
    if (unboxed === 'track') {
      const taint = this.u.temp()
      this.u.emit(`${taint} = ${self} === c.unboxedSelf;`)
      return { ...read, taint }
    }
    // What is read out of a document with unboxed fractions is boxed (ExecContext.unboxedSelf);
    // strings, the most common read, need nothing.
    this.u.emit(`if (${self} === c.unboxedSelf && typeof ${read.ref} !== 'string') ${read.ref} = ${this.u.helper('boxRead')}(c, ${read.ref});`)
    return read
  }

  #rootPath(path: string[]): Atom {
    const ann = `field \`root${path.length > 0 ? '.' + sliceToDotPath(path) : ''}\``
    const t = this.u.temp()
    this.u.emit(`${t} = c.root;`)
    if (path.length === 0) return { ref: t, ann }
    return this.#readPath(t, path, ann)
  }

  #named(e: Of<'named'>, unboxed: Unboxed): Atom {
    const slot = this.cx.slotOf(e.name)
    if (slot < 0) throw compileError(`named context ${e.name} was not found`, e.pos, this.cx.source)
    const ann = `field \`${e.name}${e.path.length > 0 ? '.' + sliceToDotPath(e.path) : ''}\``
    const bound = this.#bound.get(slot)
    const t = this.u.temp()
    this.u.emit(`${t} = ${bound ? bound.local : `c.slots[${slot}]`};`)
    const read = e.path.length === 0 ? { ref: t, ann } : this.#readPath(t, e.path, ann)
    if (bound?.taint === undefined) return read
    if (unboxed === 'plain') return read
    if (unboxed === 'track') return { ...read, taint: bound.taint }
    this.u.emit(`if (${bound.taint} && typeof ${read.ref} !== 'string') ${read.ref} = ${this.u.helper('boxRead')}(c, ${read.ref});`)
    return read
  }

  /**
   * Reads `path` below `base`; missing reads as null. Without `*` segments the walk is one step
   * per segment, and object steps read the property with a constant key right here, so each read
   * gets its own inline cache (input documents of one shape keep it monomorphic).
   */
  #readPath(base: string, path: string[], ann: string): Atom {
    if (path.includes('*')) {
      const t = this.u.temp()
      this.u.emit(`${t} = ${this.u.helper('path')}(${base}, ${this.u.constRef(path)});`)
      return { ref: t, ann }
    }
    let cur = base
    for (const seg of path) {
      const t = this.u.temp()
      const k = JSON.stringify(seg)
      const slow = `${this.u.helper('key1')}(${cur}, ${k}, ${this.u.constRef([seg])})`
      if (seg === '__proto__') this.u.emit(`${t} = ${slow};`)
      else {
        // getKey: a function-valued hit may be inherited (`constructor`), the helper checks it.
        this.u.emit(`if (${this.u.helper('isObject')}(${cur})) { ${t} = ${cur}[${k}]; if (${t} === undefined) ${t} = null; else if (typeof ${t} === 'function') ${t} = ${slow}; } else ${t} = ${slow};`)
      }
      cur = t
    }
    return { ref: cur, ann }
  }

  notOf(inner: Atom): Atom {
    const t = this.u.temp()
    this.u.emit(`${t} = ${this.u.helper('notValue')}(${inner.ref}, ${JSON.stringify(inner.ann)});`)
    return { ref: t, ann: `not ${inner.ann}` }
  }

  #binary(e: Of<'binary'>): Atom {
    if (e.op === '&&' || e.op === '||') return this.#logical(e)
    if (e.op === '|') return this.#coalesce(e)
    // Arithmetic and ordering treat a plain fraction exactly as the json.Number it stands for,
    // and never return an operand: a path read feeding one need not be boxed.
    const plain = e.op !== '==' && e.op !== '!=' && e.op !== '%'
    const l = this.expr(e.left, plain && isPathRead(e.left) ? 'plain' : 'box')
    const r = this.expr(e.right, plain && isPathRead(e.right) ? 'plain' : 'box')
    if (l.lit !== undefined && r.lit !== undefined) return this.closure(e, undefined)
    const t = this.u.temp()
    const la = JSON.stringify(l.ann)
    const ra = JSON.stringify(r.ann)
    const both = `typeof ${l.ref} === 'number' && typeof ${r.ref} === 'number'`
    switch (e.op) {
      case '+':
      case '-':
      case '*': {
        const name = e.op === '+' ? 'add' : e.op === '-' ? 'sub' : 'mul'
        this.u.emit(`${t} = ${this.u.helper(name)}(${l.ref}, ${r.ref}, ${la}, ${ra});`)
        break
      }
      case '/':
        this.u.emit(`${t} = ${this.u.helper('div')}(${l.ref}, ${r.ref}, ${la}, ${ra});`)
        break
      case '%':
        this.u.emit(`${t} = ${this.u.helper('mod')}(${l.ref}, ${r.ref}, ${la}, ${ra});`)
        break
      case '==':
        this.u.emit(`${t} = ${this.u.helper('equal')}(${l.ref}, ${r.ref});`)
        break
      case '!=':
        this.u.emit(`${t} = !${this.u.helper('equal')}(${l.ref}, ${r.ref});`)
        break
      default:
        this.u.emit(`${t} = ${both} ? ${l.ref} ${e.op} ${r.ref} : ${this.u.helper('compare')}(${JSON.stringify(e.op)}, ${l.ref}, ${r.ref}, ${la}, ${ra});`)
    }
    return { ref: t, ann: r.ann }
  }

  #logical(e: Of<'binary'>): Atom {
    const t = this.u.temp()
    const b = this.u.helper('boolOperand')
    const l = this.expr(e.left)
    this.u.emit(e.op === '&&' ? `if (!${b}(${l.ref})) ${t} = false; else {` : `if (${b}(${l.ref})) ${t} = true; else {`)
    const r = this.expr(e.right)
    this.u.emit(`${t} = ${b}(${r.ref});`)
    this.u.emit('}')
    return { ref: t, ann: r.ann }
  }

  /** `a | b`: `b` when `a` fails or yields null (or nothing). */
  #coalesce(e: Of<'binary'>): Atom {
    const t = this.u.temp()
    const done = this.u.temp()
    this.u.emit(`${done} = false;`)
    this.u.emit('try {')
    const l = this.expr(e.left)
    this.u.emit(`if (${l.ref} !== null && typeof ${l.ref} !== 'symbol') { ${t} = ${l.ref}; ${done} = true; }`)
    this.u.emit('} catch {}')
    this.u.emit(`if (!${done}) {`)
    const r = this.expr(e.right)
    this.u.emit(`${t} = ${r.ref};`)
    this.u.emit('}')
    return { ref: t, ann: r.ann }
  }

  /** A query parameter, generated as its own function `(c, value)` (see Compiler.query). */
  query(e: Expr): Query {
    this.escapes++
    const u = new Unit()
    const g = new ExprGen(this.cx, u)
    if (e.kind === 'lambda') {
      if (e.name === '_') {
        const body = g.expr(e.body)
        u.emit(`return ${body.ref};`)
        return withAnn(u.build<Query>('c'), body.ann)
      }
      const slot = this.cx.pushSlot(e.name)
      let body: Atom
      u.emit(`const old = c.slots[${slot}]; c.slots[${slot}] = v;`)
      u.emit('try {')
      try {
        body = g.expr(e.body)
      } finally {
        this.cx.popSlot()
      }
      u.emit(`return ${body.ref};`)
      u.emit(`} finally { c.slots[${slot}] = old; }`)
      return withAnn(u.build<Query>('c, v'), body.ann)
    }
    u.emit('const old = c.self; c.self = v;')
    u.emit('try {')
    const body = g.expr(e)
    if (body.lit !== undefined) {
      const v = body.lit.v
      const q = withAnn(() => v, body.ann)
      q.constant = true
      return q
    }
    u.emit(`return ${body.ref};`)
    u.emit('} finally { c.self = old; }')
    return withAnn(u.build<Query>('c, v'), body.ann)
  }
}

/** `this.a.b` or a lambda parameter (with or without a path): reads that can skip boxing. */
function isPathRead(e: Expr): boolean {
  return (e.kind === 'this' && e.path.length > 0) || e.kind === 'named'
}

/** Whether an expression is built only of literals (the closure compiler folds it whole). */
function isConstantTree(e: Expr): boolean {
  switch (e.kind) {
    case 'literal':
      return true
    case 'array':
      return e.items.every(isConstantTree)
    case 'object':
      return e.entries.every((en) => isConstantTree(en.key) && isConstantTree(en.value))
    default:
      return false
  }
}
