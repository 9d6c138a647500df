/** `if` and `match` expressions in generated code (the closure compiler's semantics and errors). */
import type { Atom, ExprGen, Of } from './exprs.js'

export function ifExpr(g: ExprGen, e: Of<'if'>): Atom {
  const out = g.u.temp()
  const label = g.u.temp().replace('t', 'L')
  g.u.emit(`${label}: {`)
  e.branches.forEach((b, i) => {
    const cond = g.u.temp()
    g.u.emit('try {')
    const c = g.expr(b.cond)
    g.u.emit(`${cond} = ${c.ref};`)
    g.u.emit(`} catch (err) { throw ${g.u.helper('ifExprCondError')}(${i}, err); }`)
    g.u.emit(`if (${cond} === true) {`)
    const body = g.expr(b.body)
    g.u.emit(`${out} = ${body.ref}; break ${label};`)
    g.u.emit('}')
    g.u.emit(`if (${cond} !== false && ${cond} !== null) throw ${g.u.helper('nonBool')}(${JSON.stringify(c.ann)}, ${cond});`)
  })
  if (e.otherwise !== undefined) {
    const o = g.expr(e.otherwise)
    g.u.emit(`${out} = ${o.ref};`)
  } else g.u.emit(`${out} = ${g.u.helper('NOTHING')};`)
  g.u.emit('}')
  return { ref: out, ann: 'if expression' }
}

export function matchExpr(g: ExprGen, e: Of<'match'>): Atom {
  const subj = g.u.temp()
  if (e.subject !== undefined) {
    const s = g.expr(e.subject)
    g.u.emit(`${subj} = ${s.ref};`)
  } else g.u.emit(`${subj} = ${g.u.helper('loadSelfOrNull')}(c);`)
  const saved = g.u.temp()
  const out = g.u.temp()
  const label = g.u.temp().replace('t', 'L')
  g.u.emit(`${saved} = c.self; c.self = ${subj};`)
  g.u.emit(`try { ${label}: {`)
  e.cases.forEach((cs, i) => {
    if (cs.pattern === undefined) {
      const body = g.expr(cs.body)
      g.u.emit(`${out} = ${body.ref}; break ${label};`)
      return
    }
    const p = g.cx.expr(cs.pattern)
    const hit = g.u.temp()
    if (p.lit !== undefined) {
      g.u.emit(`${hit} = ${g.u.helper('valuesEqual')}(${subj}, ${g.u.constRef(p.lit.v)});`)
    } else {
      g.u.emit('try {')
      const pa = g.expr(cs.pattern)
      g.u.emit(`${hit} = ${pa.ref} === true;`)
      g.u.emit(`} catch (err) { throw ${g.u.helper('matchCaseError')}(${i}, err); }`)
    }
    g.u.emit(`if (${hit}) {`)
    const body = g.expr(cs.body)
    g.u.emit(`${out} = ${body.ref}; break ${label};`)
    g.u.emit('}')
  })
  g.u.emit(`${out} = ${g.u.helper('NOTHING')};`)
  g.u.emit(`} } finally { c.self = ${saved}; }`)
  return { ref: out, ann: 'match expression' }
}
