/**
 * Function and method calls in generated code: registered implementations called directly (built
 * once when their arguments are constant), and the intrinsics `not`, `catch`, `or` and `map`.
 * Other intrinsics stay closures (named fallbacks).
 */
import type { Expr } from '../ast.js'
import { methodImpl } from '../calls.js'
import { compileError } from '../compile-support.js'
import { arrayLambda, inlineLambda } from './array-lambdas.js'
import type { Atom, ExprGen, Of, Unboxed } from './exprs.js'

export function functionCall(g: ExprGen, e: Of<'call'>): Atom {
  const n = g.cx.expr(e)
  // Constant arguments: the node's function is the registered implementation itself.
  return g.fromNode(n, n.dynamicArgs === true ? `function ${e.name} with dynamic arguments` : undefined)
}

export function methodCall(g: ExprGen, e: Of<'method'>, unboxed: Unboxed): Atom {
  switch (e.name) {
    case 'not': {
      if (e.args.length > 0) return g.closure(e, undefined)
      return g.notOf(g.expr(e.target))
    }
    case 'catch':
      return catchCall(g, e)
    case 'or':
      return orCall(g, e)
    case 'map': {
      const a = oneArg(e, 'query')
      if (a === undefined) return g.closure(e, undefined)
      const t = g.expr(e.target)
      const q = g.query(a)
      return g.applyQuery(q, t.ref, q.ann ?? 'method map')
    }
    case 'from':
    case 'from_all':
    case 'apply':
    case 'bool':
    case 'number':
    case 'timestamp':
      return g.closure(e, `method ${e.name}`)
  }
  const def = g.cx.env.registry.method(e.name)
  if (def === undefined) throw compileError(`unrecognised method '${e.name}'`, e.end, g.cx.source)
  const lambda = inlineLambda(def, e)
  const target = g.expr(e.target, lambda !== undefined ? 'track' : 'box')
  // A literal target: the closure compiler folds it when it can.
  if (target.lit !== undefined) {
    const n = g.cx.expr(e)
    if (n.lit !== undefined) return g.fromNode(n, undefined)
  }
  const loop = lambda !== undefined && target.lit === undefined ? arrayLambda(g, def, lambda, target, unboxed) : undefined
  // The registered method (the loop's else branch, when there is a loop) sees boxed values.
  if (target.taint !== undefined) g.u.emit(`if (${target.taint}) ${target.ref} = ${g.u.helper('boxRead')}(c, ${target.ref});`)
  const { impl, dynamic } = methodImpl(g.cx, def, e, target.ann, (q) => g.query(q))
  const t = loop?.ref ?? g.u.temp()
  if (dynamic) {
    // Arguments evaluated per message stay closures; the call annotates its own errors.
    g.fallbacks().push(`arguments of method ${e.name}`)
    g.escapes++
    g.u.emit(`${t} = ${g.u.constRef(impl)}(${target.ref}, c);`)
  } else {
    g.u.emit(`try { ${t} = ${g.u.constRef(impl)}(${target.ref}, c); } catch (err) { throw ${g.u.helper('errFrom')}(err, ${JSON.stringify(target.ann)}); }`)
  }
  if (loop === undefined) return { ref: t, ann: `method ${e.name}` }
  g.u.emit('}')
  return loop
}

/** `x.or(fallback)`: the fallback when `x` fails or yields null (a lambda gets `this`). */
function orCall(g: ExprGen, e: Of<'method'>): Atom {
  const a = oneArg(e, 'fallback')
  if (a === undefined) return g.closure(e, undefined)
  const out = g.u.temp()
  const done = g.u.temp()
  g.u.emit(`${done} = false;`)
  g.u.emit('try {')
  const t = g.expr(e.target)
  g.u.emit(`if (${t.ref} !== null && typeof ${t.ref} !== 'symbol') { ${out} = ${t.ref}; ${done} = true; }`)
  g.u.emit('} catch (err) { if (err instanceof RangeError) throw err; }')
  g.u.emit(`if (!${done}) {`)
  if (a.kind === 'lambda') {
    const q = g.query(a)
    g.u.emit(`${out} = ${g.u.constRef(q)}(c, ${g.u.helper('loadSelfOrNull')}(c));`)
  } else {
    const f = g.expr(a)
    g.u.emit(`${out} = ${f.ref};`)
  }
  g.u.emit('}')
  return { ref: out, ann: 'method or' }
}

/** `x.catch(fallback)`: the fallback query gets the error message. */
function catchCall(g: ExprGen, e: Of<'method'>): Atom {
  const a = oneArg(e, 'fallback')
  if (a === undefined) return g.closure(e, undefined)
  const out = g.u.temp()
  g.u.emit('try {')
  const t = g.expr(e.target)
  g.u.emit(`${out} = ${t.ref};`)
  g.u.emit('} catch (err) {')
  g.u.emit('if (err instanceof RangeError) throw err;')
  const q = g.query(a)
  g.u.emit(`${out} = ${g.u.constRef(q)}(c, err instanceof Error ? err.message : String(err));`)
  g.u.emit('}')
  return { ref: out, ann: 'method catch' }
}

/**
 * The single argument of an intrinsic method (named `name` or positional); undefined when the
 * arguments are wrong, so that the closure compiler reports the error exactly.
 */
function oneArg(e: Of<'method'>, name: string): Expr | undefined {
  const a = e.args[0]
  if (e.args.length !== 1 || a === undefined || (a.name !== undefined && a.name !== name)) return undefined
  return a.value
}
