/**
 * Statements as generated functions: each top-level statement becomes one `(c) => void` built with
 * `new Function`, with the semantics of the closure statements (src/bloblang/statements.ts, whose
 * store functions it calls) and the same error texts.
 */
import type { Stmt } from '../ast.js'
import type { CompiledStmt } from '../compile-support.js'
import type { Compiler } from '../compiler.js'
import { sliceToDotPath } from '../paths.js'
import { ExprGen } from './exprs.js'
import { Unit } from './unit.js'

export function generateStatements(cx: Compiler, stmts: Stmt[]): CompiledStmt[] {
  return stmts.map((s) => {
    const u = new Unit()
    statement(new ExprGen(cx, u), s)
    return { exec: u.build<(c: unknown) => void>('c'), line: s.line }
  })
}

function statement(g: ExprGen, s: Stmt): void {
  const u = g.u
  switch (s.kind) {
    case 'assign': {
      const v = g.expr(s.value)
      const fresh = v.fresh === true || !g.cx.mustCopy(s.path)
      const general = `${u.helper('assignValue')}(c, ${u.constRef(s.path)}, ${JSON.stringify(sliceToDotPath(s.path))}, ${v.ref}, ${fresh});`
      const k = s.path[0]
      if (s.path.length !== 1 || k === '__proto__') {
        u.emit(general)
        return
      }
      // `root.k = v` on an object root (every statement after the first): a constant-key store
      // here, so documents built in one order share one shape.
      const root = u.temp()
      const value = fresh ? v.ref : `${u.helper('deepCopy')}(${v.ref})`
      u.emit(`${root} = c.root;`)
      u.emit(`if (typeof ${v.ref} !== 'symbol' && ${u.helper('isObject')}(${root})) ${root}[${JSON.stringify(k)}] = ${value};`)
      u.emit(`else ${general}`)
      return
    }
    case 'meta': {
      const v = g.expr(s.value)
      u.emit(`${u.helper('metaValue')}(c, ${s.key === undefined ? 'undefined' : JSON.stringify(s.key)}, ${v.ref}, ${v.fresh === true});`)
      return
    }
    case 'let': {
      const v = g.expr(s.value)
      u.emit(`${u.helper('letValue')}(c, ${JSON.stringify(s.name)}, ${v.ref}, ${v.fresh === true});`)
      return
    }
    case 'if': {
      const label = u.temp().replace('t', 'L')
      u.emit(`${label}: {`)
      s.branches.forEach((b, i) => {
        const cond = u.temp()
        u.emit('try {')
        const c = g.expr(b.cond)
        u.emit(`${cond} = ${c.ref};`)
        u.emit(`} catch (err) { throw ${u.helper('ifStmtCondError')}(${i}, err); }`)
        u.emit(`if (typeof ${cond} !== 'boolean') throw ${u.helper('nonBool')}(${JSON.stringify(c.ann)}, ${cond});`)
        u.emit(`if (${cond}) {`)
        for (const x of b.body) statement(g, x)
        u.emit(`break ${label};`)
        u.emit('}')
      })
      if (s.otherwise !== undefined) for (const x of s.otherwise) statement(g, x)
      u.emit('}')
      return
    }
  }
}
