/** Values as plain JavaScript data (for hosts, tests and JSON-ish APIs). */
import { formatRfc3339Nano } from '../value/timestamp.js'
import { Float, JsonNumber, Sized, Timestamp, UInt64, isObject, type Result } from '../value/value-types.js'

/**
 * Plain JS view: numbers as JS numbers (int64 beyond 2^53 as bigint), bytes as Uint8Array,
 * timestamps as RFC 3339 strings, sentinels as null.
 */
export function toPlain(v: Result): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
    case 'number':
      return v
    case 'bigint':
      return Number(v)
    case 'symbol':
      return null
  }
  if (v === null) return null
  if (Array.isArray(v)) return v.map(toPlain)
  if (isObject(v)) {
    const o: Record<string, unknown> = {}
    for (const k of Object.keys(v)) o[k] = toPlain(v[k]!)
    return o
  }
  if (v instanceof Uint8Array) return v
  if (v instanceof Float || v instanceof Sized) return v.v
  if (v instanceof JsonNumber) return Number(v.text)
  if (v instanceof UInt64) return Number(v.v)
  if (v instanceof Timestamp) return formatRfc3339Nano(v)
  return null
}
