/**
 * `filter` and `map_each` with a named lambda over an array, run inline in generated code: a loop
 * with the lambda's parameter in a local, where the registered method would call a generated
 * query function per element (a call, a slot saved and restored in try/finally).
 *
 * The target may be read without boxing (`Atom.taint`): the parameter then stands for an element
 * of a document whose fractions are still plain numbers, its reads box what escapes (see
 * ExprGen#named) and arithmetic takes them as they are. `filter` keeps its elements unboxed only
 * for a consumer that tracks taint (a `map_each` after it); otherwise it boxes what it keeps.
 *
 * Only a lambda body made of generated code alone is run inline: a closure, a query function or
 * arguments evaluated per message would read the slot the loop never writes. Such a body, or a
 * target that is not an array at run time, takes the registered method.
 */
import type { Expr } from '../ast.js'
import type { MethodDef } from '../registry.js'
import { filterMethod, mapEachMethod } from '../methods/collections.js'
import type { Atom, ExprGen, Of, Unboxed } from './exprs.js'

type Lambda = Extract<Expr, { kind: 'lambda' }>

/** The named lambda of a `filter` / `map_each` call the loop can run, if any. */
export function inlineLambda(def: MethodDef, e: Of<'method'>): Lambda | undefined {
  if (def !== filterMethod && def !== mapEachMethod) return undefined
  const a = e.args[0]
  if (e.args.length !== 1 || a === undefined || (a.name !== undefined && a.name !== def.params[0]!.name)) return undefined
  const l = a.value
  return l.kind === 'lambda' && l.name !== '_' ? l : undefined
}

/**
 * The loop for `target` (already generated), or undefined (nothing emitted) when the body needs
 * the slot: the caller then calls the registered method.
 */
export function arrayLambda(g: ExprGen, def: MethodDef, lambda: Lambda, target: Atom, unboxed: Unboxed): Atom | undefined {
  const isFilter = def === filterMethod
  const mark = g.u.mark()
  const escapes = g.escapes
  const fallbacks = g.fallbacks().length
  const out = g.u.temp()
  const i = g.u.temp()
  const v = g.u.temp()
  const taint = target.taint
  const box = (x: string): string => (taint === undefined ? x : `(${taint} ? ${g.u.helper('boxRead')}(c, ${x}) : ${x})`)
  g.u.emit(`if (Array.isArray(${target.ref})) {`)
  g.u.emit(`${out} = [];`)
  g.u.emit('try {')
  g.u.emit(`for (${i} = 0; ${i} < ${target.ref}.length; ${i}++) {`)
  g.u.emit(`${v} = ${target.ref}[${i}];`)
  const slot = g.cx.pushSlot(lambda.name)
  g.bindSlot(slot, v, taint)
  let body: Atom
  try {
    body = g.expr(lambda.body)
  } finally {
    g.unbindSlot(slot)
    g.cx.popSlot()
  }
  if (g.escapes !== escapes) {
    g.u.cut(mark)
    g.fallbacks().length = fallbacks
    g.escapes = escapes
    return undefined
  }
  const tann = JSON.stringify(target.ann)
  const keepsTaint = isFilter && unboxed === 'track' && taint !== undefined
  if (isFilter) {
    g.u.emit(`if (${body.ref} === true) ${out}.push(${keepsTaint ? v : box(v)});`)
    g.u.emit('}')
    g.u.emit(`} catch (err) { throw ${g.u.helper('errFrom')}(err, ${tann}); }`)
  } else {
    g.u.emit(`if (${body.ref} !== ${g.u.helper('DELETE')}) ${out}.push(${body.ref} === ${g.u.helper('NOTHING')} ? ${box(v)} : ${body.ref});`)
    g.u.emit('}')
    g.u.emit(`} catch (err) { throw ${g.u.helper('errFrom')}(${g.u.helper('elementFailure')}(${i}, err, ${JSON.stringify(body.ann)}), ${tann}); }`)
  }
  g.u.emit('} else {')
  return { ref: out, ann: `method ${def.name}`, ...(keepsTaint ? { taint } : {}) }
}
