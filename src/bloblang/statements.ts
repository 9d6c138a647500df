/**
 * Assignment statements (spec §6-§8): `root...`, `meta`, `let`. Values are deep-copied when
 * stored so later edits never alias (unless the expression built them fresh).
 */
import type { ExecContext } from './context.js'
import type { Node } from './compiler.js'
import { deepCopy } from '../value/equality.js'
import { goTypeOf } from './fmt/index.js'
import { PathCollision, deletePathIn, describeCollision, setPathIn, sliceToDotPath } from './paths.js'
import { MappingError, errorMessage } from '../value/value-errors.js'
import { DELETE, NOTHING, isObject, type Result, type Value } from '../value/value-types.js'

function owned(v: Value, fresh: boolean): Value {
  return fresh ? v : deepCopy(v)
}

/** `copy`: later statements edit below this target in place, so store a private copy. */
export function assignStatement(path: string[], node: Node, copy = true): (c: ExecContext) => void {
  const f = node.fn
  const fresh = node.fresh === true || !copy
  const dotted = sliceToDotPath(path)
  return (c) => assignValue(c, path, dotted, f(c), fresh)
}

/** Stores `v` at `path` of the document being built (`dotted` is the path for messages). */
export function assignValue(c: ExecContext, path: string[], dotted: string, v: Result, fresh: boolean): void {
  if (v === NOTHING) return
  if (path.length === 0) {
    c.root = v === DELETE ? DELETE : owned(v, fresh)
    return
  }
  let root: Result = c.root
  if (root === NOTHING || root === null) {
    root = {}
    c.root = root
  }
  if (v === DELETE) {
    if (typeof root === 'object' && root !== null) deletePathIn(root as Value, path)
    return
  }
  if (!isObject(root) && !Array.isArray(root)) throw new MappingError(describeCollision(root, path))
  try {
    setPathIn(root, path, owned(v, fresh))
  } catch (err) {
    if (err instanceof PathCollision) throw new MappingError(describeCollision(root, path))
    throw new MappingError(`unable to set target path ${dotted}: ${errorMessage(err)}`)
  }
}

export function metaStatement(key: string | undefined, node: Node): (c: ExecContext) => void {
  const f = node.fn
  const fresh = node.fresh === true
  return (c) => metaValue(c, key, f(c), fresh)
}

export function metaValue(c: ExecContext, key: string | undefined, v: Result, fresh: boolean): void {
  if (v === NOTHING) return
  const meta = c.metaMut()
  if (meta === undefined) throw new MappingError('unable to assign metadata in the current context')
  if (key === undefined) {
    if (v === DELETE) {
      meta.clear()
      return
    }
    if (!isObject(v)) throw new MappingError(`setting root meta object requires object value, received: ${goTypeOf(v)}`)
    const copy = owned(v, fresh) as Record<string, Value>
    meta.clear()
    for (const k of Object.keys(copy)) meta.set(k, copy[k]!)
    return
  }
  if (v === DELETE) meta.delete(key)
  else meta.set(key, owned(v, fresh))
}

export function letStatement(name: string, node: Node): (c: ExecContext) => void {
  const f = node.fn
  const fresh = node.fresh === true
  return (c) => letValue(c, name, f(c), fresh)
}

export function letValue(c: ExecContext, name: string, v: Result, fresh: boolean): void {
  if (v === NOTHING) return
  if (v === DELETE) c.vars.delete(name)
  else c.vars.set(name, owned(v, fresh))
}
