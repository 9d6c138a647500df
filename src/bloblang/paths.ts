/**
 * Dot paths over values (reference: gabs `S`, `Set`, `Delete` and `DotPathToSlice`). Segments are
 * object keys, or array indexes when the value at that point is an array.
 */
import { MappingError } from '../value/value-errors.js'
import { getKey, isObject, setKey, typeName, type Result, type Value, type VObject } from '../value/value-types.js'

/** `a.b~1c` → ['a', 'b.c'] (`~1` is an escaped dot, `~0` an escaped tilde). */
export function dotPathToSlice(path: string): string[] {
  const parts = path.split('.')
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!
    if (p.includes('~')) parts[i] = p.replace(/~1/g, '.').replace(/~0/g, '~')
  }
  return parts
}

/** Inverse of dotPathToSlice. */
export function sliceToDotPath(segs: readonly string[]): string {
  return segs.map((s) => s.replace(/~/g, '~0').replace(/\./g, '~1')).join('.')
}

/** Go strconv.Atoi on an array index segment; undefined when not an integer. */
export function parseIndex(seg: string): number | undefined {
  const c = seg.charCodeAt(0)
  if (!((c >= 48 && c <= 57) || c === 43 || c === 45)) return undefined
  if (!/^[+-]?\d+$/.test(seg)) return undefined
  return Number(seg)
}

/** Reads a path; anything missing (or a scalar in the way) reads as undefined. */
export function getPath(v: Result, segs: readonly string[]): Value | undefined {
  let cur: Result = v
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!
    if (typeof cur !== 'object' || cur === null) return undefined
    if (Array.isArray(cur)) {
      if (seg === '*') {
        const rest = segs.slice(i + 1)
        if (rest.length === 0) return cur.length === 0 ? undefined : cur
        const out: Value[] = []
        for (const el of cur) {
          const r = getPath(el, rest)
          if (r !== undefined) out.push(r)
        }
        return out.length === 0 ? undefined : out
      }
      const idx = parseIndex(seg)
      if (idx === undefined || idx < 0 || idx >= cur.length) return undefined
      cur = cur[idx]!
    } else if (isObject(cur)) {
      const next = getKey(cur, seg)
      if (next === undefined) return undefined
      cur = next
    } else return undefined
  }
  return cur as Value
}

/** Whether a path exists (a key holding null exists). */
export function pathExists(v: Result, segs: readonly string[]): boolean {
  return getPath(v, segs) !== undefined
}

/** Thrown by setPath when a non-container is in the way (the caller words the message). */
export class PathCollision extends Error {}

/**
 * Sets `value` at `segs` inside `root` (which must be an object or array), creating objects as
 * needed. Mutates in place. Throws PathCollision or MappingError (array index problems).
 */
export function setPathIn(root: Value, segs: readonly string[], value: Value): void {
  let cur: Value = root
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!
    const last = i === segs.length - 1
    if (Array.isArray(cur)) {
      if (seg === '-') {
        if (i < 1) throw new MappingError('unable to append new array index at root of path')
        const el: Value = last ? value : {}
        cur.push(el)
        cur = el
        continue
      }
      const idx = parseIndex(seg)
      if (idx === undefined)
        throw new MappingError(
          `failed to resolve path segment '${i}': found array but segment value '${seg}' could not be parsed into array index: strconv.Atoi: parsing "${seg}": invalid syntax`,
        )
      if (idx < 0) throw new MappingError(`failed to resolve path segment '${i}': found array but index '${seg}' is invalid`)
      if (idx >= cur.length)
        throw new MappingError(`failed to resolve path segment '${i}': found array but index '${seg}' exceeded target array size of '${cur.length}'`)
      if (last) cur[idx] = value
      else {
        const next: Value = cur[idx]!
        if (next === null) throw new MappingError(`failed to resolve path segment '${i}': field '${seg}' was not found`)
        cur = next
      }
    } else if (isObject(cur)) {
      if (last) setKey(cur, seg, value)
      else {
        let next = getKey(cur, seg)
        if (next === undefined || next === null) {
          next = {}
          setKey(cur, seg, next)
        }
        cur = next
      }
    } else throw new PathCollision()
  }
}

/** Removes the value at `segs` (missing paths are ignored). Array elements are spliced out. */
export function deletePathIn(root: Value, segs: readonly string[]): void {
  if (segs.length === 0) return
  const parent = segs.length > 1 ? getPath(root, segs.slice(0, -1)) : root
  const last = segs[segs.length - 1]!
  if (parent === undefined || parent === null) return
  if (Array.isArray(parent)) {
    if (segs.length < 2) return
    const idx = parseIndex(last)
    if (idx === undefined || idx < 0 || idx >= parent.length) return
    parent.splice(idx, 1)
    return
  }
  if (isObject(parent)) delete (parent as VObject)[last]
}

/** The reference's description of what blocked a set: the first non-object along the path. */
export function describeCollision(root: Result, segs: readonly string[]): string {
  const path = sliceToDotPath(segs)
  if (!isObject(root)) {
    return `unable to set target path ${path} as the value of the root was a non-object type (${typeName(root)})`
  }
  let cur: Result = root
  const culprit: string[] = []
  for (const seg of segs) {
    culprit.push(sliceToDotPath([seg]))
    cur = getPath(cur, [seg]) ?? null
    if (!isObject(cur)) break
  }
  return `unable to set target path ${path} as the value of ${culprit.join('.')} was a non-object type (${typeName(cur)})`
}
