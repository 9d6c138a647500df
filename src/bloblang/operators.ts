/**
 * Runtime semantics of the binary operators (spec §9), following the reference's "number
 * degradation": float if either side is a float, else signed int64 (wrapping), else uint64.
 * Each operator has a fast path for two plain JS numbers / two strings.
 */
import { bytesToString, getBool, getString, toFloat } from '../value/coerce.js'
import { compareNumbers, exactInt, numClass, opEqual } from '../value/equality.js'
import { AnnotatedError, typeError, typeMismatch } from '../value/value-errors.js'
import {
  Float,
  JsonNumber,
  Sized,
  Timestamp,
  UInt64,
  compareBytewise,
  isNumber,
  makeFloat,
  makeInt,
  type Result,
  type Value,
} from '../value/value-types.js'

/** int64 view (floats truncated like Go's IGetInt). */
function asInt(v: Result): bigint {
  if (typeof v === 'number') return BigInt(Number.isInteger(v) ? v : Math.trunc(v))
  if (v instanceof Float) return BigInt(Math.trunc(v.v))
  if (v instanceof JsonNumber && !v.isInt()) return BigInt(Math.trunc(v.float()))
  if (v instanceof Sized && v.kind === 'float32') return BigInt(Math.trunc(v.v))
  return BigInt.asIntN(64, exactInt(v))
}

function intResult(b: bigint): number | bigint {
  return makeInt(BigInt.asIntN(64, b))
}

type Op = '+' | '-' | '*'

function degrade(op: Op, opName: string, l: Result, r: Result, la: string, ra: string): Value {
  const cl = numClass(l)
  const cr = numClass(r)
  if (cl === undefined || cr === undefined) throw typeMismatch(opName, l, r, la, ra)
  if (cl === 'f' || cr === 'f') {
    const x = toFloat(l)
    const y = toFloat(r)
    return makeFloat(op === '+' ? x + y : op === '-' ? x - y : x * y)
  }
  if (cl === 'i' || cr === 'i') {
    const x = asInt(l)
    const y = asInt(r)
    return intResult(op === '+' ? x + y : op === '-' ? x - y : x * y)
  }
  const x = exactInt(l)
  const y = exactInt(r)
  return new UInt64(BigInt.asUintN(64, op === '+' ? x + y : op === '-' ? x - y : x * y))
}

/** Both JS numbers: integer fast path when exact, else float. */
function fastNum(op: Op, a: number, b: number): Value {
  const r = op === '+' ? a + b : op === '-' ? a - b : a * b
  if (Number.isInteger(a) && Number.isInteger(b)) {
    if (Number.isSafeInteger(r)) return r === 0 ? 0 : r
    return intResult(op === '+' ? BigInt(a) + BigInt(b) : op === '-' ? BigInt(a) - BigInt(b) : BigInt(a) * BigInt(b))
  }
  return Number.isInteger(r) || r === 0 ? new Float(r) : r
}

/** Input numbers behave as their parsed value in arithmetic. */
function unwrap(v: Result): Result {
  return v instanceof JsonNumber ? v.value() : v
}

export function add(l: Result, r: Result, la: string, ra: string): Value {
  if (typeof l === 'number' && typeof r === 'number') return fastNum('+', l, r)
  if (l instanceof JsonNumber || r instanceof JsonNumber) return add(unwrap(l), unwrap(r), la, ra)
  if (typeof l === 'string') {
    if (typeof r === 'string') return l + r
    if (r instanceof Uint8Array || r instanceof Timestamp) return l + getString(r)
    throw typeMismatch('add', l, r, la, ra)
  }
  if (l instanceof Uint8Array) {
    if (typeof r === 'string' || r instanceof Uint8Array || r instanceof Timestamp) return bytesToString(l) + getString(r)
    throw typeMismatch('add', l, r, la, ra)
  }
  // The reference's left-operand test omits the sized kinds (int32(), float32(), ...).
  if (typeof l === 'number' || typeof l === 'bigint' || l instanceof Float || l instanceof UInt64 || l instanceof JsonNumber) {
    return degrade('+', 'add', l, r, la, ra)
  }
  throw typeMismatch('add', l, r, la, ra)
}

export function sub(l: Result, r: Result, la: string, ra: string): Value {
  if (typeof l === 'number' && typeof r === 'number') return fastNum('-', l, r)
  if (l instanceof JsonNumber || r instanceof JsonNumber) return sub(unwrap(l), unwrap(r), la, ra)
  return degrade('-', 'subtract', l, r, la, ra)
}

export function mul(l: Result, r: Result, la: string, ra: string): Value {
  if (typeof l === 'number' && typeof r === 'number') return fastNum('*', l, r)
  if (l instanceof JsonNumber || r instanceof JsonNumber) return mul(unwrap(l), unwrap(r), la, ra)
  return degrade('*', 'multiply', l, r, la, ra)
}

export function div(l: Result, r: Result, la: string, ra: string): Value {
  if (!isNumber(l) || !isNumber(r)) throw typeMismatch('divide', l, r, la, ra)
  const y = toFloat(r)
  if (y === 0) throw new AnnotatedError(`${ra}: attempted to divide by zero`)
  return makeFloat(toFloat(l) / y)
}

export function mod(l: Result, r: Result, la: string, ra: string): Value {
  if (!isNumber(l) || !isNumber(r)) throw typeMismatch('modulo', l, r, la, ra)
  if (typeof l === 'number' && typeof r === 'number' && Number.isInteger(l) && Number.isInteger(r)) {
    if (r === 0) throw new AnnotatedError(`${ra}: attempted to divide by zero`)
    const m = l % r
    return m === 0 ? 0 : m
  }
  const x = asInt(l)
  const y = asInt(r)
  if (y === 0n) throw new AnnotatedError(`${ra}: attempted to divide by zero`)
  return intResult(x % y)
}

export type CompareOp = '>' | '>=' | '<' | '<='

function ordered(op: CompareOp, c: number): boolean {
  switch (op) {
    case '>':
      return c > 0
    case '>=':
      return c >= 0
    case '<':
      return c < 0
    case '<=':
      return c <= 0
  }
}

/** Ordering comparisons: number/number or string/string (bytes and timestamps count as strings). */
export function compare(op: CompareOp, l: Result, r: Result, la: string, ra: string): boolean {
  if (typeof l === 'number' && typeof r === 'number') {
    switch (op) {
      case '>':
        return l > r
      case '>=':
        return l >= r
      case '<':
        return l < r
      case '<=':
        return l <= r
    }
  }
  if (l instanceof JsonNumber || r instanceof JsonNumber) return compare(op, unwrap(l), unwrap(r), la, ra)
  if (typeof l === 'string' || l instanceof Uint8Array || l instanceof Timestamp) {
    if (typeof r === 'string' || r instanceof Uint8Array || r instanceof Timestamp) {
      return ordered(op, compareBytewise(getString(l), getString(r)))
    }
    throw typeMismatch('compare', l, r, la, ra)
  }
  if (isNumber(l) && isNumber(r)) {
    const c = compareNumbers(l, r)
    return Number.isNaN(c) ? false : ordered(op, c)
  }
  throw typeMismatch('compare', l, r, la, ra)
}

export { opEqual }

/** Truthiness for `&&` / `||` (bools, numbers non-zero). */
export function boolOperand(v: Result): boolean {
  if (typeof v === 'boolean') return v
  return getBool(v)
}

/** `!x`: a real boolean only. */
export function notValue(v: Result, ann: string): boolean {
  if (typeof v === 'boolean') return !v
  throw typeError(v, 'bool').setFrom(ann)
}
