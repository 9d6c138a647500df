/**
 * Go's `%v` and `%T` renderings of values, used verbatim in some reference error messages
 * ("... resolved to a non-boolean value 5 (int64)").
 */
import { numberToString, bytesToString } from './coerce.js'
import { civilOf } from './timestamp.js'
import { DELETE, Float, JsonNumber, NOTHING, Sized, Timestamp, UInt64, isObject, sortedKeys, type Result } from './value-types.js'

/** Go `%T` of the value's Go representation. */
export function goTypeName(v: Result): string {
  switch (typeof v) {
    case 'string':
      return 'string'
    case 'boolean':
      return 'bool'
    case 'number':
      return Number.isInteger(v) ? 'int64' : 'float64'
    case 'bigint':
      return 'int64'
    case 'symbol':
      return v === DELETE ? 'value.Delete' : 'value.Nothing'
  }
  if (v === null) return '<nil>'
  if (Array.isArray(v)) return '[]interface {}'
  if (isObject(v)) return 'map[string]interface {}'
  if (v instanceof Uint8Array) return '[]uint8'
  if (v instanceof Float) return 'float64'
  if (v instanceof JsonNumber) return 'json.Number'
  if (v instanceof UInt64) return 'uint64'
  if (v instanceof Sized) return v.kind
  if (v instanceof Timestamp) return 'time.Time'
  return 'unknown'
}

/** Go `%v` of the value's Go representation. */
export function goFormatV(v: Result): string {
  switch (typeof v) {
    case 'string':
      return v
    case 'boolean':
      return v ? 'true' : 'false'
    case 'symbol':
      return v === NOTHING || v === DELETE ? '<nil>' : ''
  }
  if (v === null) return '<nil>'
  if (Array.isArray(v)) return `[${v.map(goFormatV).join(' ')}]`
  if (isObject(v)) return `map[${sortedKeys(v).map((k) => `${k}:${goFormatV(v[k]!)}`).join(' ')}]`
  if (v instanceof Uint8Array) return `[${Array.from(v).join(' ')}]`
  if (v instanceof Timestamp) return goTimeString(v)
  if (typeof v === 'number' || typeof v === 'bigint' || v instanceof Float || v instanceof JsonNumber || v instanceof UInt64 || v instanceof Sized)
    return numberToString(v)
  return bytesToString(new Uint8Array(0))
}

/** Go `time.Time.String()`: `2006-01-02 15:04:05.999999999 -0700 MST`. */
function goTimeString(t: Timestamp): string {
  const off = t.offset()
  const c = civilOf(t.sec + off, t.nsec)
  const p2 = (n: number): string => String(n).padStart(2, '0')
  let frac = ''
  if (c.nsec !== 0) frac = '.' + String(c.nsec).padStart(9, '0').replace(/0+$/, '')
  const sign = off < 0 ? '-' : '+'
  const a = Math.abs(off)
  const zone = `${sign}${p2(Math.floor(a / 3600))}${p2(Math.floor((a % 3600) / 60))}`
  return `${String(c.year).padStart(4, '0')}-${p2(c.month)}-${p2(c.day)} ${p2(c.hour)}:${p2(c.minute)}:${p2(c.second)}${frac} ${zone} ${t.zone.abbrevAt(t.sec)}`
}
