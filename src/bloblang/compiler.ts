/**
 * Compiles the syntax tree into JavaScript closures: every expression becomes a
 * `(ctx) => Result` function built once, so executing a mapping never walks the tree. Literal
 * sub-expressions are folded while compiling (spec §3); their errors become parse errors.
 */
import type { Expr, MapDef, Program, Source, Stmt } from './ast.js'
import { compileCall, compileMethod } from './calls.js'
import {
  compileError,
  keyText,
  literalNode,
  loadSelf,
  loadSelfUnboxed,
  withAnn,
  type CompileEnv,
  type CompiledMap,
  type CompiledStmt,
  type Fn,
  type Node,
} from './compile-support.js'
import { ExecContext, UNPARSED, boxRead } from './context.js'
import { valuesEqual } from '../value/equality.js'
import { goFormatV, goTypeOf } from './fmt/index.js'
import { intrinsicMethod } from './intrinsics.js'
import { getPath, sliceToDotPath } from './paths.js'
import type { Query } from './registry.js'
import * as ops from './operators.js'
import { MappingError, errorMessage } from '../value/value-errors.js'
import { NOTHING, getKey, isObject, setKey, type Result, type Value, type VObject } from '../value/value-types.js'
import { assignStatement, metaStatement, letStatement } from './statements.js'
import { generateStatements } from './codegen/statements.js'

export { FailedAssignment, NoContextError, loadSelf, type CompileEnv, type CompiledMap, type CompiledStmt, type Fn, type Node } from './compile-support.js'

export class Compiler {
  private slots: string[] = []
  /** Assignment target paths of the statement list being compiled (for the copy analysis). */
  private targets: string[][] = []

  constructor(
    readonly env: CompileEnv,
    readonly source: Source,
  ) {}

  // ---- statements -------------------------------------------------------------------------------

  statements(stmts: Stmt[]): CompiledStmt[] {
    this.targets = []
    collectTargets(stmts, this.targets)
    if (this.env.codegen !== undefined) return generateStatements(this, stmts)
    return stmts.map((s) => ({ exec: this.statement(s), line: s.line }))
  }

  /** Binds a lambda name to a new slot of `ExecContext.slots` (generated queries share them). */
  pushSlot(name: string): number {
    this.slots.push(name)
    return this.slots.length - 1
  }

  popSlot(): void {
    this.slots.pop()
  }

  /** The innermost slot bound to `name`, or -1. */
  slotOf(name: string): number {
    return this.slots.lastIndexOf(name)
  }

  /**
   * Whether a value assigned at `path` must be copied: only when another assignment writes below
   * it (`root = this` then `root.x = 1`), since that edits the stored containers in place. Values
   * never edited in place may stay shared with the input document.
   */
  mustCopy(path: string[]): boolean {
    return this.targets.some((t) => t.length > path.length && path.every((seg, i) => t[i] === seg))
  }

  private statement(s: Stmt): (c: ExecContext) => void {
    switch (s.kind) {
      case 'assign': {
        const v = this.expr(s.value)
        return assignStatement(s.path, v, this.mustCopy(s.path))
      }
      case 'meta':
        return metaStatement(s.key, this.expr(s.value))
      case 'let':
        return letStatement(s.name, this.expr(s.value))
      case 'if': {
        const branches = s.branches.map((b) => ({ cond: this.expr(b.cond), body: b.body.map((x) => this.statement(x)) }))
        const otherwise = s.otherwise?.map((x) => this.statement(x))
        return (c) => {
          for (let i = 0; i < branches.length; i++) {
            const b = branches[i]!
            let v: Result
            try {
              v = b.cond.fn(c)
            } catch (err) {
              throw new MappingError(`failed to check if condition ${i + 1}: ${errorMessage(err)}`)
            }
            if (typeof v !== 'boolean') {
              throw new MappingError(`${b.cond.ann} resolved to a non-boolean value ${goFormatV(v)} (${goTypeOf(v)})`)
            }
            if (!v) continue
            for (const st of b.body) st(c)
            return
          }
          if (otherwise !== undefined) for (const st of otherwise) st(c)
        }
      }
    }
  }

  // ---- expressions ------------------------------------------------------------------------------

  expr(e: Expr): Node {
    switch (e.kind) {
      case 'literal':
        return literalNode(e.value, e.annotation)
      case 'array':
        return this.arrayLit(e.items)
      case 'object':
        return this.objectLit(e)
      case 'this':
        return this.thisPath(e.path)
      case 'root':
        return this.rootPath(e.path)
      case 'named':
        return this.namedPath(e.name, e.path, e.pos)
      case 'get':
        return this.getPathNode(this.expr(e.target), e.path)
      case 'var': {
        const name = e.name
        return {
          ann: `variable ${name}`,
          fn: (c) => {
            const v = c.vars.get(name)
            if (v === undefined) throw new MappingError(`variable '${name}' undefined`)
            return v
          },
        }
      }
      case 'meta':
        return this.metaRef(e.key)
      case 'call':
        return this.call(e)
      case 'method':
        return this.method(e)
      case 'mapExpr': {
        const target = this.expr(e.target)
        const q = this.query(e.body)
        const tf = target.fn
        return { ann: q.ann ?? 'map expression', fn: (c) => q(c, tf(c)) }
      }
      case 'not': {
        const inner = this.expr(e.expr)
        const ann = `not ${inner.ann}`
        const f = inner.fn
        return { ann, fn: (c) => ops.notValue(f(c), inner.ann) }
      }
      case 'binary':
        return this.binary(e)
      case 'if':
        return this.ifExpr(e)
      case 'match':
        return this.matchExpr(e)
      case 'lambda': {
        // A lambda outside a query parameter: bind its name to the current `this`.
        const q = this.query(e)
        return { ann: q.ann ?? 'lambda', fn: (c) => q(c, loadSelf(c, '')) }
      }
    }
  }

  private arrayLit(items: Expr[]): Node {
    const nodes = items.map((i) => this.expr(i))
    if (nodes.every((n) => n.lit !== undefined)) {
      const v: Value[] = []
      for (const n of nodes) {
        const x = n.lit!.v
        if (typeof x !== 'symbol') v.push(x)
      }
      return literalNode(v, 'array literal')
    }
    const fns = nodes.map((n) => n.fn)
    return {
      ann: 'array literal',
      fresh: true,
      fn: (c) => {
        const out: Value[] = []
        for (let i = 0; i < fns.length; i++) {
          const x = fns[i]!(c)
          if (typeof x !== 'symbol') out.push(x)
        }
        return out
      },
    }
  }

  private objectLit(e: Extract<Expr, { kind: 'object' }>): Node {
    const entries = e.entries.map((en) => {
      const key = this.expr(en.key)
      if (key.lit !== undefined && typeof key.lit.v !== 'string' && !(key.lit.v instanceof Uint8Array)) {
        throw compileError(`object keys must be strings, received: ${goTypeOf(key.lit.v)}`, e.pos, this.source)
      }
      return { key, value: this.expr(en.value) }
    })
    if (entries.every((en) => en.key.lit !== undefined && en.value.lit !== undefined)) {
      const o: VObject = {}
      for (const en of entries) {
        const v = en.value.lit!.v
        if (typeof v !== 'symbol') setKey(o, keyText(en.key.lit!.v), v)
      }
      return literalNode(o, 'object literal')
    }
    const staticKeys = entries.map((en) => (en.key.lit !== undefined ? keyText(en.key.lit.v) : undefined))
    // Common shape: every key a literal (no `__proto__`), so plain property writes are safe.
    if (staticKeys.every((k) => k !== undefined && k !== '__proto__')) {
      const keys = staticKeys as string[]
      const fns = entries.map((en) => en.value.fn)
      return {
        ann: 'object literal',
        fresh: true,
        fn: (c) => {
          const o: VObject = {}
          for (let i = 0; i < fns.length; i++) {
            let v: Result
            try {
              v = fns[i]!(c)
            } catch (err) {
              throw new MappingError(`failed to resolve '${keys[i]}' value: ${errorMessage(err)}`)
            }
            if (typeof v !== 'symbol') o[keys[i]!] = v
          }
          return o
        },
      }
    }
    return {
      ann: 'object literal',
      fresh: true,
      fn: (c) => {
        const o: VObject = {}
        for (let i = 0; i < entries.length; i++) {
          const en = entries[i]!
          let k = staticKeys[i]
          if (k === undefined) {
            let kv: Result
            try {
              kv = en.key.fn(c)
            } catch (err) {
              throw new MappingError(`failed to resolve key: ${errorMessage(err)}`)
            }
            if (typeof kv === 'string') k = kv
            else if (kv instanceof Uint8Array) k = keyText(kv)
            else throw new MappingError(`mapping returned invalid key type: ${goTypeOf(kv)}`)
          }
          let v: Result
          try {
            v = en.value.fn(c)
          } catch (err) {
            throw new MappingError(`failed to resolve '${k}' value: ${errorMessage(err)}`)
          }
          if (typeof v !== 'symbol') setKey(o, k, v)
        }
        return o
      },
    }
  }

  private thisPath(path: string[]): Node {
    const ann = `field \`this${path.length > 0 ? '.' + sliceToDotPath(path) : ''}\``
    const field = sliceToDotPath(path)
    if (path.length === 0) return { ann, fn: (c) => loadSelf(c, '') }
    if (path.length === 1) {
      const k = path[0]!
      return {
        ann,
        fn: (c) => {
          const s = c.self === UNPARSED ? loadSelfUnboxed(c, field) : c.self
          let v: Result | undefined
          if (isObject(s)) {
            v = getKey(s, k)
            if (v === undefined) v = null
          } else v = getPath(s, path) ?? null
          return s === c.unboxedSelf ? boxRead(c, v) : v
        },
      }
    }
    return {
      ann,
      fn: (c) => {
        const s = c.self === UNPARSED ? loadSelfUnboxed(c, field) : c.self
        const v = getPath(s, path) ?? null
        return s === c.unboxedSelf ? boxRead(c, v) : v
      },
    }
  }

  private rootPath(path: string[]): Node {
    const ann = `field \`root${path.length > 0 ? '.' + sliceToDotPath(path) : ''}\``
    return {
      ann,
      fn: (c) => {
        const r = c.root
        if (path.length === 0) return r
        return getPath(r, path) ?? null
      },
    }
  }

  private namedPath(name: string, path: string[], pos: number): Node {
    const slot = this.slots.lastIndexOf(name)
    if (slot < 0) throw compileError(`named context ${name} was not found`, pos, this.source)
    const ann = `field \`${name}${path.length > 0 ? '.' + sliceToDotPath(path) : ''}\``
    if (path.length === 0) return { ann, fn: (c) => c.slots[slot]! }
    return { ann, fn: pathReader((c) => c.slots[slot]!, path) }
  }

  private getPathNode(target: Node, path: string[]): Node {
    return { ann: `path \`${sliceToDotPath(path)}\``, fn: pathReader(target.fn, path) }
  }

  private metaRef(key: string | undefined): Node {
    if (key === undefined) {
      return {
        ann: 'metadata object',
        fn: (c) => {
          const o: VObject = {}
          if (c.meta !== undefined) for (const [k, v] of c.meta) setKey(o, k, v)
          return o
        },
      }
    }
    return {
      ann: `meta field ${key}`,
      fn: (c) => {
        const v = c.meta?.get(key)
        return v === undefined ? null : v
      },
    }
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>): Node {
    const l = this.expr(e.left)
    const r = this.expr(e.right)
    const la = l.ann
    const ra = r.ann
    const lf = l.fn
    const rf = r.fn
    let fn: Fn
    let foldable = true
    switch (e.op) {
      case '+':
        fn = (c) => ops.add(lf(c), rf(c), la, ra)
        break
      case '-':
        fn = (c) => ops.sub(lf(c), rf(c), la, ra)
        break
      case '*':
        fn = (c) => ops.mul(lf(c), rf(c), la, ra)
        break
      case '/':
        fn = (c) => ops.div(lf(c), rf(c), la, ra)
        break
      case '%':
        fn = (c) => ops.mod(lf(c), rf(c), la, ra)
        break
      case '==':
        fn = (c) => ops.opEqual(lf(c), rf(c))
        break
      case '!=':
        fn = (c) => !ops.opEqual(lf(c), rf(c))
        break
      case '>':
      case '>=':
      case '<':
      case '<=': {
        const op = e.op
        fn = (c) => ops.compare(op, lf(c), rf(c), la, ra)
        break
      }
      case '&&':
        foldable = false
        fn = (c) => {
          if (!ops.boolOperand(lf(c))) return false
          return ops.boolOperand(rf(c))
        }
        break
      case '||':
        foldable = false
        fn = (c) => {
          if (ops.boolOperand(lf(c))) return true
          return ops.boolOperand(rf(c))
        }
        break
      case '|':
        foldable = false
        fn = (c) => {
          try {
            const v = lf(c)
            if (v !== null && typeof v !== 'symbol') return v
          } catch {
            // Coalesce on error as on null.
          }
          return rf(c)
        }
        break
    }
    if (foldable && l.lit !== undefined && r.lit !== undefined) {
      let v: Result
      try {
        v = fn(undefined as unknown as ExecContext)
      } catch (err) {
        throw compileError(errorMessage(err), e.pos, this.source)
      }
      return literalNode(v, ra)
    }
    return { ann: ra, fn }
  }

  private ifExpr(e: Extract<Expr, { kind: 'if' }>): Node {
    const branches = e.branches.map((b) => ({ cond: this.expr(b.cond), body: this.expr(b.body) }))
    const otherwise = e.otherwise !== undefined ? this.expr(e.otherwise) : undefined
    return {
      ann: 'if expression',
      fn: (c) => {
        for (let i = 0; i < branches.length; i++) {
          const b = branches[i]!
          let v: Result
          try {
            v = b.cond.fn(c)
          } catch (err) {
            throw new MappingError(`failed to check if condition${i === 0 ? '' : ` ${i}`}: ${errorMessage(err)}`)
          }
          if (v === true) return b.body.fn(c)
          if (v === false || v === null) continue
          throw new MappingError(`${b.cond.ann} resolved to a non-boolean value ${goFormatV(v)} (${goTypeOf(v)})`)
        }
        return otherwise !== undefined ? otherwise.fn(c) : NOTHING
      },
    }
  }

  private matchExpr(e: Extract<Expr, { kind: 'match' }>): Node {
    const subject = e.subject !== undefined ? this.expr(e.subject) : undefined
    const cases = e.cases.map((cs) => {
      const pattern = cs.pattern !== undefined ? this.expr(cs.pattern) : undefined
      return { pattern, literal: pattern?.lit, body: this.expr(cs.body) }
    })
    return {
      ann: 'match expression',
      fn: (c) => {
        let subj: Result
        if (subject !== undefined) subj = subject.fn(c)
        else {
          try {
            subj = loadSelf(c, '')
          } catch {
            subj = null
          }
        }
        const saved = c.self
        c.self = subj
        try {
          for (let i = 0; i < cases.length; i++) {
            const cs = cases[i]!
            let hit: boolean
            if (cs.pattern === undefined) hit = true
            else if (cs.literal !== undefined) hit = valuesEqual(subj, cs.literal.v)
            else {
              try {
                hit = cs.pattern.fn(c) === true
              } catch (err) {
                throw new MappingError(`failed to check match case ${i}: ${errorMessage(err)}`)
              }
            }
            if (hit) return cs.body.fn(c)
          }
          return NOTHING
        } finally {
          c.self = saved
        }
      },
    }
  }

  /** A query parameter: evaluated per element with `this` (or the lambda name) bound. */
  query(e: Expr): Query {
    if (e.kind === 'lambda') {
      if (e.name === '_') {
        const body = this.expr(e.body)
        const f = body.fn
        return withAnn((c) => f(c), body.ann)
      }
      this.slots.push(e.name)
      const slot = this.slots.length - 1
      let body: Node
      try {
        body = this.expr(e.body)
      } finally {
        this.slots.pop()
      }
      const f = body.fn
      return withAnn((c, v) => {
        const old = c.slots[slot]
        c.slots[slot] = v
        try {
          return f(c)
        } finally {
          c.slots[slot] = old as Result
        }
      }, body.ann)
    }
    const body = this.expr(e)
    if (body.lit !== undefined) {
      const v = body.lit.v
      const q = withAnn(() => v, body.ann)
      q.constant = true
      return q
    }
    const f = body.fn
    return withAnn((c, v) => {
      const old = c.self
      c.self = v
      try {
        return f(c)
      } finally {
        c.self = old
      }
    }, body.ann)
  }

  private call(e: Extract<Expr, { kind: 'call' }>): Node {
    return compileCall(this, e)
  }

  private method(e: Extract<Expr, { kind: 'method' }>): Node {
    return intrinsicMethod(this, e) ?? compileMethod(this, e)
  }
}

/** Reads `path` below what `base` yields; missing reads as null. One-segment paths on objects skip the generic walk. */
function pathReader(base: Fn, path: string[]): Fn {
  if (path.length === 1) {
    const k = path[0]!
    return (c) => {
      const v = base(c)
      if (isObject(v)) {
        const x = getKey(v, k)
        return x === undefined ? null : x
      }
      return getPath(v, path) ?? null
    }
  }
  return (c) => getPath(base(c), path) ?? null
}

function collectTargets(stmts: Stmt[], out: string[][]): void {
  for (const s of stmts) {
    if (s.kind === 'assign') out.push(s.path)
    else if (s.kind === 'if') {
      for (const b of s.branches) collectTargets(b.body, out)
      if (s.otherwise !== undefined) collectTargets(s.otherwise, out)
    }
  }
}

/** Compile a whole program: maps first (they may be referenced before their definition). */
export function compileProgram(program: Program, env: CompileEnv): CompiledStmt[] {
  for (const [name, def] of program.maps) compileMap(name, def, env)
  return new Compiler(env, program.source).statements(program.statements)
}

function compileMap(name: string, def: MapDef, env: CompileEnv): void {
  const entry: CompiledMap = { name, stmts: [] }
  env.maps.set(name, entry)
  entry.stmts = new Compiler(env, def.source).statements(def.body)
}

