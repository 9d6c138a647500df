/**
 * Equality (spec §9.3) and deep copies. `valuesEqual` is the reference's structural comparison
 * (numbers by double value, strings equal to bytes, bools against numeric truthiness); `opEqual`
 * adds what the `==` operator does on top (exact 64-bit integer comparison, left-bool quirk).
 */
import { formatRfc3339Nano } from './timestamp.js'
import { bytesToString, getBool, toFloat } from './coerce.js'
import {
  Float,
  JsonNumber,
  Sized,
  Timestamp,
  UInt64,
  isNumber,
  isObject,
  setKey,
  type Result,
  type Value,
  type VObject,
} from './value-types.js'

/** Go RestrictForComparison's view of strings: string, bytes and timestamps compare as text. */
function asText(v: Result): string | undefined {
  if (typeof v === 'string') return v
  if (v instanceof Uint8Array) return bytesToString(v)
  if (v instanceof Timestamp) return formatRfc3339Nano(v)
  return undefined
}

/** Go ICompare: structural equality used by `contains`, `unique`, match literals, nested `==`. */
export function valuesEqual(a: Result, b: Result): boolean {
  if (a === null) return b === null
  const ta = typeof a
  if (ta === 'string') return typeof b === 'string' ? a === b : asText(b) === a
  if (ta === 'number' && typeof b === 'number') return a === b
  if (ta === 'boolean') {
    if (typeof b === 'boolean') return a === b
    try {
      return getBool(b) === a
    } catch {
      return false
    }
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i]!, b[i]!)) return false
    return true
  }
  if (isNumber(a)) {
    if (!isNumber(b)) return false
    return toFloat(a) === toFloat(b)
  }
  if (ta === 'symbol') return false
  const at = asText(a)
  if (at !== undefined) return asText(b) === at
  if (isObject(a)) {
    if (!isObject(b)) return false
    const ka = Object.keys(a)
    if (ka.length !== Object.keys(b).length) return false
    for (const k of ka) {
      const bv = Object.hasOwn(b, k) ? b[k]! : null
      if (!valuesEqual(a[k]!, bv)) return false
    }
    return true
  }
  return false
}

/** Number kinds after Go's ISanitize: 'i' int64, 'u' uint64, 'f' float64. */
export type NumClass = 'i' | 'u' | 'f'

/** The number kind of `v` after Go's ISanitize (undefined for non-numbers). */
export function numClass(v: Result): NumClass | undefined {
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) ? 'i' : 'f'
    case 'bigint':
      return 'i'
  }
  if (v instanceof Float) return 'f'
  if (v instanceof JsonNumber) return v.isInt() ? 'i' : 'f'
  if (v instanceof UInt64) return 'u'
  if (v instanceof Sized) return v.kind === 'float32' ? 'f' : v.kind.startsWith('u') ? 'u' : 'i'
  return undefined
}

/** Exact integer view of an int/uint number value. */
export function exactInt(v: Result): bigint {
  if (typeof v === 'number') return BigInt(v)
  if (typeof v === 'bigint') return v
  if (v instanceof JsonNumber) return BigInt(v.value() as number | bigint)
  if (v instanceof UInt64) return v.v
  if (v instanceof Sized) return BigInt(v.v)
  return BigInt(Math.trunc(toFloat(v)))
}

/**
 * Numeric comparison following Go's number degradation: float if either side is a float, else
 * exact integers. Returns -1/0/1, or NaN when unordered (NaN operands).
 */
export function compareNumbers(a: Result, b: Result): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN
  const ca = numClass(a)
  const cb = numClass(b)
  if (ca === 'f' || cb === 'f') {
    const x = toFloat(a)
    const y = toFloat(b)
    return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN
  }
  if (ca === 'i' && cb === 'u') {
    // Go converts the unsigned side to int64 (wrapping).
    const y = BigInt.asIntN(64, exactInt(b))
    const x = exactInt(a)
    return x < y ? -1 : x > y ? 1 : 0
  }
  if (ca === 'u' && cb === 'i') {
    const x = BigInt.asIntN(64, exactInt(a))
    const y = exactInt(b)
    return x < y ? -1 : x > y ? 1 : 0
  }
  const x = exactInt(a)
  const y = exactInt(b)
  return x < y ? -1 : x > y ? 1 : 0
}

/** The `==` operator (spec §9.3), never throws. */
export function opEqual(l: Result, r: Result): boolean {
  if (typeof l === 'number' && typeof r === 'number') return l === r
  if (typeof l === 'string' && typeof r === 'string') return l === r
  if (isNumber(l)) {
    if (isNumber(r)) return compareNumbers(l, r) === 0
    return false
  }
  if (typeof l === 'boolean') {
    try {
      return getBool(r) === l
    } catch {
      return false
    }
  }
  return valuesEqual(l, r)
}

/** Deep copy of arrays and objects (other values are immutable and shared). */
export function deepCopy<T extends Value>(v: T): T {
  if (typeof v !== 'object' || v === null) return v
  if (Array.isArray(v)) {
    const out = new Array<Value>(v.length)
    for (let i = 0; i < v.length; i++) out[i] = deepCopy(v[i]!)
    return out as T
  }
  if (isObject(v)) {
    const out: VObject = {}
    for (const k in v) {
      if (k === '__proto__') setKey(out, k, deepCopy(v[k]!))
      else out[k] = deepCopy(v[k]!)
    }
    return out as T
  }
  return v
}
