/**
 * Methods the compiler builds itself because they need the unevaluated target or the compiler's
 * state: `catch`, `or`, `from`, `from_all`, `map`, `not`, `apply`, and `bool` / `number` /
 * `timestamp` (whose default also covers a failing target).
 */
import type { Expr } from './ast.js'
import type { Compiler } from './compiler.js'
import { FailedAssignment, MAX_APPLY_DEPTH, compileError, loadSelfOrNull, typeNameOf, type Node } from './compile-support.js'
import type { ExecContext } from './context.js'
import { getTimestamp, toBool, toFloat64 } from '../value/coerce.js'
import * as ops from './operators.js'
import { coerceArg } from './registry.js'
import { AnnotatedError, MappingError, errFrom, errorMessage } from '../value/value-errors.js'
import { NOTHING, makeFloat, type Result, type Value } from '../value/value-types.js'
/** Methods that need the unevaluated target or the compiler's state. */
export function intrinsicMethod(cx: Compiler, e: Extract<Expr, { kind: 'method' }>): Node | undefined {
  const one = (what: string): Expr | undefined => {
    if (e.args.length > 1) throw compileError(`wrong number of arguments, expected 1, got ${e.args.length}`, e.end, cx.source)
    const a = e.args[0]
    if (a === undefined) return undefined
    if (a.name !== undefined && a.name !== what) throw compileError(`unknown parameter ${a.name}, did you mean ${what}?`, e.end, cx.source)
    return a.value
  }
  switch (e.name) {
    case 'catch': {
      const arg = one('fallback')
      if (arg === undefined) throw compileError('missing parameter: fallback', e.end, cx.source)
      const target = cx.expr(e.target)
      const q = cx.query(arg)
      const tf = target.fn
      return {
        ann: 'method catch',
        fn: (c) => {
          try {
            return tf(c)
          } catch (err) {
            if (err instanceof RangeError) throw err
            return q(c, errorMessage(err))
          }
        },
      }
    }
    case 'or': {
      const arg = one('fallback')
      if (arg === undefined) throw compileError('missing parameter: fallback', e.end, cx.source)
      const target = cx.expr(e.target)
      const fb = arg.kind === 'lambda' ? cx.query(arg) : undefined
      const fbNode = arg.kind === 'lambda' ? undefined : cx.expr(arg)
      const tf = target.fn
      return {
        ann: 'method or',
        fn: (c) => {
          try {
            const v = tf(c)
            if (v !== null && typeof v !== 'symbol') return v
          } catch (err) {
            if (err instanceof RangeError) throw err
          }
          return fb !== undefined ? fb(c, loadSelfOrNull(c)) : fbNode!.fn(c)
        },
      }
    }
    case 'from': {
      const arg = one('index')
      if (arg === undefined) throw compileError('missing parameter: index', e.end, cx.source)
      const target = cx.expr(e.target)
      const idx = cx.expr(arg)
      if (idx.lit === undefined) throw compileError('param index must not be dynamic', e.end, cx.source)
      let i: number
      try {
        i = Number(coerceArg({ name: 'index', type: 'int' }, idx.lit.v))
      } catch (err) {
        throw compileError(`field index: ${errorMessage(err)}`, e.end, cx.source)
      }
      const tf = target.fn
      return {
        ann: `${target.ann} from ${i}`,
        fn: (c) => {
          const saved = c.index
          c.index = i < 0 ? c.batch.length + i : i
          try {
            return tf(c)
          } finally {
            c.index = saved
          }
        },
      }
    }
    case 'from_all': {
      if (e.args.length > 0) throw compileError(`wrong number of arguments, expected 0, got ${e.args.length}`, e.end, cx.source)
      const tf = cx.expr(e.target).fn
      return {
        ann: 'method from_all',
        fn: (c) => {
          const saved = c.index
          const out: Value[] = []
          try {
            for (let i = 0; i < c.batch.length; i++) {
              c.index = i
              out.push(tf(c) as Value)
            }
          } finally {
            c.index = saved
          }
          return out
        },
      }
    }
    case 'map': {
      const arg = one('query')
      if (arg === undefined) throw compileError('missing parameter: query', e.end, cx.source)
      const target = cx.expr(e.target)
      const q = cx.query(arg)
      const tf = target.fn
      return { ann: q.ann ?? 'method map', fn: (c) => q(c, tf(c)) }
    }
    case 'not': {
      if (e.args.length > 0) throw compileError(`wrong number of arguments, expected 0, got ${e.args.length}`, e.end, cx.source)
      const target = cx.expr(e.target)
      const tf = target.fn
      const ann = target.ann
      return { ann: `not ${ann}`, fn: (c) => ops.notValue(tf(c), ann) }
    }
    case 'apply':
      return applyMethod(cx, e)
    case 'bool':
    case 'number':
    case 'timestamp': {
      const arg = one('default')
      const target = cx.expr(e.target)
      let dflt: Result | undefined
      if (arg !== undefined) {
        const n = cx.expr(arg)
        if (n.lit === undefined) throw compileError('param default must not be dynamic', e.end, cx.source)
        const type = e.name === 'bool' ? 'bool' : e.name === 'number' ? 'float' : 'timestamp'
        try {
          const raw = coerceArg({ name: 'default', type }, n.lit.v)
          dflt = type === 'float' ? makeFloat(raw as number) : (raw as Value)
        } catch (err) {
          throw compileError(`field default: ${errorMessage(err)}`, e.end, cx.source)
        }
      }
      const conv: (v: Result) => Result =
        e.name === 'bool' ? toBool : e.name === 'number' ? (v) => makeFloat(toFloat64(v)) : getTimestamp
      const tf = target.fn
      const tann = target.ann
      return {
        ann: `method ${e.name}`,
        fn: (c) => {
          let v: Result
          try {
            v = tf(c)
          } catch (err) {
            if (dflt !== undefined) return dflt
            throw err
          }
          try {
            return conv(v)
          } catch (err) {
            if (dflt !== undefined) return dflt
            throw errFrom(err, tann)
          }
        },
      }
    }
  }
  return undefined
}

function applyMethod(cx: Compiler, e: Extract<Expr, { kind: 'method' }>): Node {
  if (e.args.length !== 1) {
    if (e.args.length === 0) throw compileError('missing parameter: mapping', e.end, cx.source)
    throw compileError(`wrong number of arguments, expected 1, got ${e.args.length}`, e.end, cx.source)
  }
  const target = cx.expr(e.target)
  const nameNode = cx.expr(e.args[0]!.value)
  const maps = cx.env.maps
  const tf = target.fn
  const run = (c: ExecContext, name: string): Result => {
    const m = maps.get(name)
    if (m === undefined) {
      if (maps.size === 0) throw new MappingError('no maps were found')
      throw new MappingError(`map ${name} was not found`)
    }
    const v = tf(c)
    if (c.depth >= MAX_APPLY_DEPTH) {
      throw new AnnotatedError(`entering map ${name} exceeded maximum allowed stacks of ${MAX_APPLY_DEPTH}, this could be due to unbounded recursion`)
    }
    const savedSelf = c.self
    const savedRoot = c.root
    const savedVars = c.vars
    c.self = v
    c.root = NOTHING
    c.vars = new Map()
    c.depth++
    try {
      for (const st of m.stmts) {
        try {
          st.exec(c)
        } catch (err) {
          if (err instanceof RangeError) {
            throw new AnnotatedError(`entering map ${name} exceeded maximum allowed stacks of ${MAX_APPLY_DEPTH}, this could be due to unbounded recursion`)
          }
          if (err instanceof FailedAssignment || (err instanceof AnnotatedError && err.message.startsWith('entering map '))) throw err
          throw new FailedAssignment(st.line, errorMessage(err))
        }
      }
      return c.root
    } finally {
      c.self = savedSelf
      c.root = savedRoot
      c.vars = savedVars
      c.depth--
    }
  }
  if (nameNode.lit !== undefined) {
    if (typeof nameNode.lit.v !== 'string') throw compileError(`field mapping: wrong argument type, expected string, got ${typeNameOf(nameNode.lit.v)}`, e.end, cx.source)
    const name = nameNode.lit.v
    return { ann: `map ${name}`, fn: (c) => run(c, name) }
  }
  const nf = nameNode.fn
  return {
    ann: 'method apply',
    fn: (c) => {
      const n = nf(c)
      if (typeof n !== 'string') throw new MappingError(`failed to extract input arg 'mapping': wrong argument type, expected string, got ${typeNameOf(n)}`)
      return run(c, n)
    },
  }
}
