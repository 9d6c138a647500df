/**
 * Compiling function and method calls against the registry: argument binding (positional or
 * named, defaults, counts), coercion, compile-time construction for constant arguments, folding,
 * and the per-message path for dynamic arguments.
 */
import type { Arg, Expr } from './ast.js'
import type { Compiler } from './compiler.js'
import { compileError, foldContext, literalNode, constQuery, type Node } from './compile-support.js'
import type { ExecContext } from './context.js'
import { lineCol } from './parser.js'
import { Args, coerceArg, foldsWith, type CallSite, type FunctionDef, type MethodDef, type MethodImpl, type ParamDef, type Query } from './registry.js'
import { MappingError, errFrom, errorMessage } from '../value/value-errors.js'
import type { Result, Value } from '../value/value-types.js'

function callSite(cx: Compiler, name: string, pos: number, targetAnnotation: string): CallSite {
  const lc = lineCol(cx.source.text, pos)
  return { name, targetAnnotation, configDir: cx.env.configDir, line: lc.line, col: lc.col }
}

/** Matches call arguments to parameters (names, counts, defaults). */
function bindArgs(cx: Compiler, def: { params: ParamDef[]; variadic?: boolean }, args: Arg[], end: number): (Expr | ParamDef | undefined)[] {
  const named = args.filter((a) => a.name !== undefined)
  if (named.length > 0 && named.length !== args.length) throw compileError('cannot mix named and nameless arguments', end, cx.source)
  if (def.variadic) {
    if (named.length > 0) throw compileError('named arguments are not supported by this function', end, cx.source)
    return args.map((a) => a.value)
  }
  const params = def.params
  const out: (Expr | ParamDef | undefined)[] = new Array(params.length).fill(undefined)
  if (named.length > 0) {
    const seen = new Set<string>()
    const unknown: string[] = []
    for (const a of args) {
      if (seen.has(a.name!)) throw compileError(`duplicate named arg: ${a.name}`, end, cx.source)
      seen.add(a.name!)
      const i = params.findIndex((p) => p.name === a.name)
      if (i < 0) unknown.push(a.name!)
      else out[i] = a.value
    }
    const missing = params.filter((p, i) => out[i] === undefined && p.default === undefined && !p.optional).map((p) => p.name)
    if (unknown.length > 0) {
      unknown.sort()
      const opt = missing.length === 1 ? `, did you mean ${missing[0]}?` : missing.length > 1 ? `, expected ${missing.join(', ')}` : ''
      throw compileError(`unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}${opt}`, end, cx.source)
    }
    if (missing.length > 0) throw compileError(`missing parameter${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`, end, cx.source)
  } else {
    if (args.length > params.length) {
      throw compileError(`wrong number of arguments, expected ${params.length}, got ${args.length}`, end, cx.source)
    }
    args.forEach((a, i) => (out[i] = a.value))
    const missing = params.filter((p, i) => out[i] === undefined && p.default === undefined && !p.optional).map((p) => p.name)
    if (missing.length > 0) throw compileError(`missing parameter${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`, end, cx.source)
  }
  return params.map((p, i) => (out[i] !== undefined ? out[i] : p.default !== undefined ? p : undefined))
}

/**
 * Compiles arguments. Returns a constant Args (when nothing is dynamic) or a builder that
 * evaluates dynamic arguments per message.
 */
function compileArgs(
  cx: Compiler,
  def: MethodDef | FunctionDef,
  args: Arg[],
  end: number,
  query: (e: Expr) => Query = (e) => cx.query(e),
): { constant: Args | undefined; dynamic: ((c: ExecContext) => Args) | undefined; allLiteral: boolean } {
  const bound = bindArgs(cx, def, args, end)
  if (def.variadic) {
    const nodes = (bound as Expr[]).map((e) => cx.expr(e))
    if (nodes.every((n) => n.lit !== undefined)) {
      const rest = nodes.map((n) => n.lit!.v).filter((v): v is Value => typeof v !== 'symbol')
      return { constant: new Args([], [], rest), dynamic: undefined, allLiteral: true }
    }
    const fns = nodes.map((n) => n.fn)
    return {
      constant: undefined,
      allLiteral: false,
      dynamic: (c) => {
        const rest: Value[] = []
        for (let i = 0; i < fns.length; i++) {
          let v: Result
          try {
            v = fns[i]!(c)
          } catch (err) {
            throw new MappingError(`failed to extract input arg '${i}': ${errorMessage(err)}`)
          }
          rest.push(v as Value)
        }
        return new Args([], [], rest)
      },
    }
  }
  const params = def.params
  const values: unknown[] = new Array(params.length)
  const dyn: { i: number; node: Node }[] = []
  let allLiteral = true
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!
    const b = bound[i]
    if (b === undefined) {
      values[i] = undefined
      continue
    }
    if (b === p) {
      values[i] = p.type === 'query' ? constQuery(p.default as Value) : coerceArg(p, p.default as Value)
      continue
    }
    const e = b as Expr
    if (p.type === 'query') {
      const q = query(e)
      values[i] = q
      if (!q.constant) allLiteral = false
      continue
    }
    const n = cx.expr(e)
    if (n.lit !== undefined) {
      try {
        values[i] = coerceArg(p, n.lit.v)
      } catch (err) {
        throw compileError(`field ${p.name}: ${errorMessage(err)}`, end, cx.source)
      }
      continue
    }
    if (p.noDynamic) throw compileError(`param ${p.name} must not be dynamic`, end, cx.source)
    allLiteral = false
    dyn.push({ i, node: n })
  }
  if (dyn.length === 0) return { constant: new Args(params, values), dynamic: undefined, allLiteral }
  return {
    constant: undefined,
    allLiteral: false,
    dynamic: (c) => {
      const vals = values.slice()
      for (const d of dyn) {
        const p = params[d.i]!
        try {
          vals[d.i] = coerceArg(p, d.node.fn(c))
        } catch (err) {
          throw new MappingError(`failed to extract input arg '${p.name}': ${errorMessage(err)}`)
        }
      }
      return new Args(params, vals)
    },
  }
}

/** Runs compile-time work (a constructor, a constant fold); its failure is a compile error at `end`. */
function construct<T>(cx: Compiler, ctor: () => T, end: number): T {
  try {
    return ctor()
  } catch (err) {
    throw compileError(errorMessage(err), end, cx.source)
  }
}

export function compileCall(cx: Compiler, e: Extract<Expr, { kind: 'call' }>): Node {
  const def = cx.env.registry.fn(e.name)
  if (def === undefined) throw compileError(`unrecognised function '${e.name}'`, e.end, cx.source)
  const site = callSite(cx, e.name, e.pos, '')
  const { constant, dynamic, allLiteral } = compileArgs(cx, def, e.args, e.end)
  const ann = `function ${e.name}`
  if (constant !== undefined) {
    const impl = construct(cx, () => def.ctor(constant, site), e.end)
    if (allLiteral && foldsWith(def, constant)) return construct(cx, () => literalNode(impl(foldContext()), ann), e.end)
    return { ann, fn: impl }
  }
  const build = dynamic!
  return {
    ann,
    dynamicArgs: true,
    fn: (c) => {
      const args = build(c)
      return def.ctor(args, site)(c)
    },
  }
}

export function compileMethod(cx: Compiler, e: Extract<Expr, { kind: 'method' }>): Node {
  const def = cx.env.registry.method(e.name)
  if (def === undefined) throw compileError(`unrecognised method '${e.name}'`, e.end, cx.source)
  const target = cx.expr(e.target)
  const site = callSite(cx, e.name, e.pos, target.ann)
  const { constant, dynamic, allLiteral } = compileArgs(cx, def, e.args, e.end)
  const ann = `method ${e.name}`
  const tf = target.fn
  const tann = target.ann
  if (constant !== undefined) {
    const impl = construct(cx, () => def.ctor(constant, site), e.end)
    if (allLiteral && target.lit !== undefined && foldsWith(def, constant)) {
      try {
        return literalNode(impl(target.lit.v, foldContext()), ann)
      } catch (err) {
        throw compileError(errorMessage(errFrom(err, tann)), e.end, cx.source)
      }
    }
    const f = impl
    return {
      ann,
      fn: (c) => {
        const t = tf(c)
        try {
          return f(t, c)
        } catch (err) {
          throw errFrom(err, tann)
        }
      },
    }
  }
  const run = dynamicMethod(def, site, dynamic!, tann)
  return { ann, fn: (c) => run(tf(c), c) }
}

/**
 * A method call with per-message arguments: evaluates them after the target, builds the
 * implementation (reused while the argument values repeat, e.g. a per-message regex) and runs it;
 * its errors are annotated with the target, the arguments' are not.
 */
function dynamicMethod(def: MethodDef, site: CallSite, build: (c: ExecContext) => Args, tann: string): MethodImpl {
  let lastKey: string | undefined
  let lastImpl: MethodImpl | undefined
  return (t, c) => {
    const args = build(c)
    const key = argsKey(args, def.params)
    let impl = key !== undefined && key === lastKey ? lastImpl : undefined
    if (impl === undefined) {
      impl = def.ctor(args, site)
      if (key !== undefined) {
        lastKey = key
        lastImpl = impl
      }
    }
    try {
      return impl(t, c)
    } catch (err) {
      throw errFrom(err, tann)
    }
  }
}

/** Cache key for dynamic argument values (primitives only; undefined = don't cache). */
function argsKey(args: Args, params: ParamDef[]): string | undefined {
  if (params.length === 0) return undefined
  let key = ''
  for (const p of params) {
    if (p.type === 'query') return undefined
    const v = args.optValue(p.name) as unknown
    if (v === undefined) key += 'u|'
    else if (typeof v === 'string') key += `s${v.length}:${v}|`
    else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') key += `${typeof v}${String(v)}|`
    else return undefined
  }
  return key
}

/**
 * For generated code: a method call whose target is already compiled (`tann` its annotation), as
 * a function of the target value. With constant arguments it is the registered implementation,
 * built now (constructor errors are compile errors, as in `compileMethod`; the caller annotates
 * its errors); with dynamic ones (`dynamic` true) it evaluates them per call and annotates its own
 * errors. Queries are compiled by `query`. The caller handles literal targets (folding) itself.
 */
export function methodImpl(
  cx: Compiler,
  def: MethodDef,
  e: Extract<Expr, { kind: 'method' }>,
  tann: string,
  query: (e: Expr) => Query,
): { impl: MethodImpl; dynamic: boolean } {
  const site = callSite(cx, e.name, e.pos, tann)
  const { constant, dynamic } = compileArgs(cx, def, e.args, e.end, query)
  if (constant === undefined) return { impl: dynamicMethod(def, site, dynamic!, tann), dynamic: true }
  return { impl: construct(cx, () => def.ctor(constant, site), e.end), dynamic: false }
}
