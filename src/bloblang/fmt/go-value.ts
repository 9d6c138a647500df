/**
 * The Go value each Bloblang value is when `format` hands it to Go's fmt.Sprintf: literals and
 * arithmetic give int64/float64, input JSON numbers are json.Number (a Stringer, so `%v` prints
 * the text and `%d` is a bad verb), arrays are []interface {}, objects map[string]interface {}
 * (keys sorted), bytes []uint8, timestamps time.Time (a Stringer) and the sentinels named nil
 * pointers (value.Delete, value.Nothing).
 */
import { DELETE, Float, JsonNumber, Sized, Timestamp, UInt64, isObject, type Result, type Value } from '../../value/value-types.js'

/** A Go integer of any width; `t` is its type name (int64, uint8 ...). */
export type GoInt = { k: 'int'; t: string; v: bigint; signed: boolean }
/** A Go operand; a `nil` with a type `t` is a typed nil pointer, one without is an untyped nil. */
export type GoVal =
  | { k: 'nil'; t?: string }
  | { k: 'bool'; v: boolean }
  | GoInt
  | { k: 'float'; t: string; v: number; size: 32 | 64 }
  | { k: 'string'; t: string; v: string; stringer: boolean }
  | { k: 'bytes'; v: Uint8Array }
  | { k: 'slice'; v: readonly Value[] }
  | { k: 'map'; v: Record<string, Value> }
  | { k: 'time'; v: Timestamp }

/** The Go operand a Bloblang value becomes. */
export function goVal(v: Result): GoVal {
  switch (typeof v) {
    case 'string':
      return { k: 'string', t: 'string', v, stringer: false }
    case 'boolean':
      return { k: 'bool', v }
    case 'number':
      return Number.isInteger(v) ? { k: 'int', t: 'int64', v: BigInt(v), signed: true } : { k: 'float', t: 'float64', v, size: 64 }
    case 'bigint':
      return { k: 'int', t: 'int64', v, signed: true }
    case 'symbol':
      return { k: 'nil', t: v === DELETE ? 'value.Delete' : 'value.Nothing' }
  }
  if (v === null) return { k: 'nil' }
  if (Array.isArray(v)) return { k: 'slice', v }
  if (v instanceof Uint8Array) return { k: 'bytes', v }
  if (v instanceof Float) return { k: 'float', t: 'float64', v: v.v, size: 64 }
  if (v instanceof JsonNumber) return { k: 'string', t: 'json.Number', v: v.text, stringer: true }
  if (v instanceof UInt64) return { k: 'int', t: 'uint64', v: v.v, signed: false }
  if (v instanceof Sized) {
    if (v.kind === 'float32') return { k: 'float', t: 'float32', v: v.v, size: 32 }
    return { k: 'int', t: v.kind, v: BigInt(v.v), signed: !v.kind.startsWith('u') }
  }
  if (v instanceof Timestamp) return { k: 'time', v }
  if (isObject(v)) return { k: 'map', v }
  return { k: 'nil' }
}

/** Go `%T` of an operand. */
export function goTypeName(g: GoVal): string {
  switch (g.k) {
    case 'nil':
      return g.t ?? '<nil>'
    case 'bool':
      return 'bool'
    case 'int':
    case 'float':
    case 'string':
      return g.t
    case 'bytes':
      return '[]uint8'
    case 'slice':
      return '[]interface {}'
    case 'map':
      return 'map[string]interface {}'
    case 'time':
      return 'time.Time'
  }
}

/** Whether the operand is Go's untyped nil (fmt prints it without a type). */
export function isUntypedNil(g: GoVal): boolean {
  return g.k === 'nil' && g.t === undefined
}
