/**
 * Which paths a mapping reads and writes (the reference's `QueryTargets` / `AssignmentTargets`),
 * so `workflow` can infer the order of its branches: a branch whose request map reads a path
 * another branch's result map writes runs after it.
 *
 * Reads follow the reference's rules: `this.a.b` reads value path a.b (relative to the current
 * context inside `match` and `.( )` blocks, and to the receiver inside lambdas), `json("a.b")`
 * the same, `@k` / `meta("k")` / `metadata("k")` metadata k, a method reads what its receiver and
 * arguments read, `.get("c")` extends its receiver's path. Functions other than those read nothing
 * of the message.
 */
import type { Expr, Program, Stmt } from './ast.js'
import { dotPathToSlice } from './paths.js'

export type TargetType = 'value' | 'metadata' | 'root' | 'variable'

export interface TargetPath {
  type: TargetType
  path: string[]
}

export interface MappingTargets {
  /** What the mapping reads. */
  queried: TargetPath[]
  /** What its statements assign. */
  assigned: TargetPath[]
}

interface Scope {
  /** The context `this` refers to (undefined: the message itself). */
  main: TargetPath[] | undefined
  named: ReadonlyMap<string, TargetPath[]>
}

/** What an expression reads, and the paths of the value it yields (for methods chained on it). */
interface Reads {
  paths: TargetPath[]
  values: TargetPath[]
}

const NONE: Reads = { paths: [], values: [] }

export function programTargets(program: Program): MappingTargets {
  const out: MappingTargets = { queried: [], assigned: [] }
  const scope: Scope = { main: undefined, named: new Map() }
  for (const s of program.statements) statement(s, scope, out)
  return out
}

function statement(s: Stmt, scope: Scope, out: MappingTargets): void {
  switch (s.kind) {
    case 'assign': {
      out.queried.push(...expr(s.value, scope).paths)
      const path = s.path[0] === 'this' ? s.path.slice(1) : s.path
      out.assigned.push({ type: 'value', path })
      return
    }
    case 'meta':
      out.queried.push(...expr(s.value, scope).paths)
      out.assigned.push({ type: 'metadata', path: s.key === undefined ? [] : [s.key] })
      return
    case 'let':
      out.queried.push(...expr(s.value, scope).paths)
      out.assigned.push({ type: 'variable', path: [s.name] })
      return
    case 'if':
      for (const b of s.branches) {
        out.queried.push(...expr(b.cond, scope).paths)
        for (const x of b.body) statement(x, scope, out)
      }
      for (const x of s.otherwise ?? []) statement(x, scope, out)
      return
  }
}

function extend(base: readonly TargetPath[], path: readonly string[]): TargetPath[] {
  return base.map((p) => ({ type: p.type, path: [...p.path, ...path] }))
}

function all(exprs: readonly Expr[], scope: Scope): TargetPath[] {
  return exprs.flatMap((e) => expr(e, scope).paths)
}

function literalString(e: Expr | undefined): string | undefined {
  return e?.kind === 'literal' && typeof e.value === 'string' ? e.value : undefined
}

function expr(e: Expr, scope: Scope): Reads {
  switch (e.kind) {
    case 'literal':
      return NONE
    case 'array':
      return { paths: all(e.items, scope), values: [] }
    case 'object':
      return { paths: e.entries.flatMap((x) => [...expr(x.key, scope).paths, ...expr(x.value, scope).paths]), values: [] }
    case 'this': {
      const paths = extend(scope.main ?? [{ type: 'value', path: [] }], e.path)
      return { paths, values: paths }
    }
    case 'root': {
      const paths: TargetPath[] = [{ type: 'root', path: [...e.path] }]
      return { paths, values: paths }
    }
    case 'named': {
      const paths = extend(scope.named.get(e.name) ?? [], e.path)
      return { paths, values: paths }
    }
    case 'get': {
      const t = expr(e.target, scope)
      const values = extend(t.values, e.path)
      return { paths: [...t.paths, ...values], values }
    }
    case 'var': {
      const paths: TargetPath[] = [{ type: 'variable', path: [e.name] }]
      return { paths, values: paths }
    }
    case 'meta': {
      const paths: TargetPath[] = [{ type: 'metadata', path: e.key === undefined ? [] : [e.key] }]
      return { paths, values: paths }
    }
    case 'call':
      return call(e.name, e.args.map((a) => a.value), scope)
    case 'method': {
      const t = expr(e.target, scope)
      const args = e.args.flatMap((a) => (a.value.kind === 'lambda' ? lambda(a.value, t.values, scope) : expr(a.value, scope).paths))
      if (e.name === 'get') {
        const p = literalString(e.args[0]?.value)
        if (p !== undefined) {
          const values = extend(t.values, dotPathToSlice(p))
          return { paths: [...t.paths, ...values], values }
        }
      }
      return { paths: [...t.paths, ...args], values: t.values }
    }
    case 'mapExpr': {
      const t = expr(e.target, scope)
      const body = e.body.kind === 'lambda' ? lambda(e.body, t.values, scope) : expr(e.body, { main: t.values, named: scope.named }).paths
      return { paths: [...t.paths, ...body], values: [] }
    }
    case 'lambda':
      return { paths: lambda(e, scope.main ?? [{ type: 'value', path: [] }], scope), values: [] }
    case 'not':
      return { paths: expr(e.expr, scope).paths, values: [] }
    case 'binary':
      return { paths: [...expr(e.left, scope).paths, ...expr(e.right, scope).paths], values: [] }
    case 'if':
      return {
        paths: [...e.branches.flatMap((b) => [...expr(b.cond, scope).paths, ...expr(b.body, scope).paths]), ...(e.otherwise ? expr(e.otherwise, scope).paths : [])],
        values: [],
      }
    case 'match': {
      const subject = e.subject ? expr(e.subject, scope) : undefined
      const inner: Scope = subject ? { main: subject.values, named: scope.named } : scope
      const cases = e.cases.flatMap((c) => [...(c.pattern ? expr(c.pattern, inner).paths : []), ...expr(c.body, inner).paths])
      return { paths: [...cases, ...(subject?.paths ?? [])], values: [] }
    }
  }
}

/** A lambda's body with its name bound to `context` (`_` keeps the enclosing context). */
function lambda(e: Extract<Expr, { kind: 'lambda' }>, context: TargetPath[], scope: Scope): TargetPath[] {
  if (e.name === '_') return expr(e.body, scope).paths
  const named = new Map(scope.named)
  named.set(e.name, context)
  return expr(e.body, { main: scope.main, named }).paths
}

function call(name: string, args: Expr[], scope: Scope): Reads {
  const argPaths = all(args, scope)
  switch (name) {
    case 'json': {
      const p = args.length === 0 ? '' : literalString(args[0])
      if (p === undefined) return { paths: argPaths, values: [] }
      const paths: TargetPath[] = [{ type: 'value', path: p === '' ? [] : dotPathToSlice(p) }]
      return { paths, values: paths }
    }
    case 'meta':
    case 'metadata':
    case 'root_meta': {
      const k = args.length === 0 ? '' : literalString(args[0])
      if (k === undefined) return { paths: argPaths, values: [] }
      const paths: TargetPath[] = [{ type: 'metadata', path: k === '' ? [] : [k] }]
      return { paths, values: paths }
    }
    default:
      return { paths: argPaths, values: [] }
  }
}
