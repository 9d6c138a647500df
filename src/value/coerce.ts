/**
 * Coercions between value kinds, mirroring the reference's `IGet*` (accept only the right kind)
 * and `ITo*` (also parse strings) helper families, including their error texts.
 */
import { Buffer } from 'node:buffer'
import { formatFloat32G, formatFloat32Json, formatFloatG } from './format-number.js'
import { toJson } from './json-encode.js'
import { goQuote } from './text/strconv-quote.js'
import { parseRFC3339 } from './time/index.js'
import { Timestamp, formatRfc3339Nano, localZone } from './timestamp.js'
import { MappingError, setNumberText, typeError } from './value-errors.js'
import {
  Float,
  INT64_MAX,
  INT64_MIN,
  JsonNumber,
  Sized,
  UINT64_MAX,
  UInt64,
  makeInt,
  type Result,
} from './value-types.js'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** UTF-8 text of bytes (invalid sequences become U+FFFD). */
export function bytesToString(b: Uint8Array): string {
  return decoder.decode(b)
}
/** UTF-8 bytes of a string (lone surrogates become U+FFFD), as a plain Uint8Array. */
export function stringToBytes(s: string): Uint8Array {
  const n = s.length
  // TextEncoder.encode costs ~350-500 ns a call in Node 20 whatever the length; a short ASCII
  // string (mapping results such as ids and names) is copied by hand in a fifth of that. Longer
  // ones lose: past 64 bytes the array is no longer allocated on V8's heap.
  if (n <= SHORT_ASCII) {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i)
      if (c > 0x7f) return encoder.encode(s)
      out[i] = c
    }
    return out
  }
  return encoder.encode(s)
}
const SHORT_ASCII = 48

// ---- numbers ----------------------------------------------------------------------------------

/** Go IGetNumber: any number kind as a double; other kinds are a type error. */
export function toFloat(v: Result): number {
  switch (typeof v) {
    case 'number':
      return v
    case 'bigint':
      return Number(v)
  }
  if (v instanceof Float) return v.v
  if (v instanceof JsonNumber) return v.float()
  if (v instanceof UInt64) return Number(v.v)
  if (v instanceof Sized) return v.v
  throw typeError(v, 'number')
}

/** Go IGetInt: any number kind as int64 (floats truncated); other kinds are a type error. */
export function getInt(v: Result): number | bigint {
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) ? v : floatToInt64Trunc(v)
    case 'bigint':
      return v
  }
  if (v instanceof Float) return floatToInt64Trunc(v.v)
  if (v instanceof JsonNumber) {
    const n = v.value()
    return n instanceof Float ? floatToInt64Trunc(n.v) : typeof n === 'number' && !Number.isInteger(n) ? floatToInt64Trunc(n) : n
  }
  if (v instanceof UInt64) return makeInt(v.v)
  if (v instanceof Sized) return Math.trunc(v.v)
  throw typeError(v, 'number')
}

/** getInt as a JS number (saturating outside the safe range), for counts and indexes. */
export function getIntNumber(v: Result): number {
  const i = getInt(v)
  return typeof i === 'number' ? i : Number(i)
}

/** Go's int64(float) conversion (saturating; NaN → min int64 like amd64). */
function floatToInt64Trunc(f: number): number | bigint {
  if (Number.isNaN(f)) return INT64_MIN
  const t = Math.trunc(f)
  if (Number.isSafeInteger(t)) return t === 0 ? 0 : t
  if (t >= 9223372036854775807) return INT64_MIN // amd64 overflow result
  if (t < -9223372036854775808) return INT64_MIN
  return makeInt(BigInt(t))
}

/** Go IToInt (the `int64()` cast): numbers exactly, strings parsed with base prefixes. */
export function toInt64(v: Result): number | bigint {
  switch (typeof v) {
    case 'number':
      if (Number.isInteger(v)) return v
      return floatToInt64Checked(v, 'signed integer')
    case 'bigint':
      return v
    case 'string':
      return parseGoInt(v)
  }
  if (v instanceof Float) return floatToInt64Checked(v.v, 'signed integer')
  if (v instanceof JsonNumber) {
    if (v.isInt()) return v.value() as number | bigint
    throw new MappingError(`strconv.ParseInt: parsing ${goQuote(v.text)}: invalid syntax`)
  }
  if (v instanceof UInt64) {
    if (v.v > INT64_MAX) throw new MappingError('unsigned integer value is too large to be cast as a signed integer')
    return makeInt(v.v)
  }
  if (v instanceof Sized) return v.kind === 'float32' ? floatToInt64Checked(v.v, 'signed integer') : v.v
  if (v instanceof Uint8Array) return parseGoInt(bytesToString(v))
  throw typeError(v, 'number')
}

function floatToInt64Checked(f: number, what: 'signed integer'): number | bigint {
  if (!Number.isFinite(f)) {
    if (Number.isNaN(f)) throw new MappingError('cannot convert NAN to an integer')
    throw new MappingError('cannot convert +/-INF to an integer')
  }
  if (f > 9223372036854775807) throw new MappingError(`float value is too large to be cast as a ${what}`)
  if (f < -9223372036854775808) throw new MappingError(`float value is too small to be cast as a ${what}`)
  if (!Number.isInteger(f)) {
    throw new MappingError(
      `float value contains decimals and therefore cannot be cast as a ${what}, if you intend to round the value then call \`.round()\` explicitly before this cast`,
    )
  }
  return makeInt(Number.isSafeInteger(f) ? f : BigInt(f))
}

/** Go IToUint (the `uint64()` cast). */
export function toUint64(v: Result): bigint {
  switch (typeof v) {
    case 'number':
      if (Number.isInteger(v)) {
        if (v < 0) throw new MappingError('signed integer value is negative and cannot be cast as an unsigned integer')
        return BigInt(v)
      }
      return floatToUint(v)
    case 'bigint':
      if (v < 0n) throw new MappingError('signed integer value is negative and cannot be cast as an unsigned integer')
      return v
    case 'string':
      return parseGoUint(v)
  }
  if (v instanceof Float) return floatToUint(v.v)
  if (v instanceof JsonNumber) {
    if (!v.isInt()) throw new MappingError(`strconv.ParseInt: parsing ${goQuote(v.text)}: invalid syntax`)
    const i = v.value() as number | bigint
    if (i < 0) throw new MappingError('signed integer value is negative and cannot be cast as an unsigned integer')
    return BigInt(i)
  }
  if (v instanceof UInt64) return v.v
  if (v instanceof Sized) {
    if (v.kind === 'float32') return floatToUint(v.v)
    if (v.v < 0) throw new MappingError('signed integer value is negative and cannot be cast as an unsigned integer')
    return BigInt(v.v)
  }
  if (v instanceof Uint8Array) return parseGoUint(bytesToString(v))
  throw typeError(v, 'number')
}

function floatToUint(f: number): bigint {
  if (f < 0) throw new MappingError('float value is negative and cannot be cast as an unsigned integer')
  if (f === Infinity) throw new MappingError('cannot convert +/-INF to an unsigned integer')
  if (Number.isNaN(f)) throw new MappingError('cannot convert NAN to an unsigned integer')
  if (f > 18446744073709551615) throw new MappingError('float value is too large to be cast as an unsigned integer')
  if (!Number.isInteger(f)) {
    throw new MappingError(
      'float value contains decimals and therefore cannot be cast as an unsigned integer, if you intend to round the value then call `.round()` explicitly before this cast',
    )
  }
  return BigInt(f)
}

const SIZED_LIMITS: Record<Exclude<Sized['kind'], 'float32'>, [number, number, string]> = {
  int8: [-128, 127, 'an 8-bit signed integer'],
  int16: [-32768, 32767, 'a 16-bit signed integer'],
  int32: [-2147483648, 2147483647, 'a 32-bit signed integer'],
  uint8: [0, 255, 'an 8-bit unsigned integer'],
  uint16: [0, 65535, 'a 16-bit unsigned integer'],
  uint32: [0, 4294967295, 'a 32-bit unsigned integer'],
}

/** The sized integer casts (`int32()`, `uint8()`, ...). */
export function toSizedInt(v: Result, kind: Exclude<Sized['kind'], 'float32'>): Sized {
  if (v instanceof Sized && v.kind === kind) return v
  const [min, max, desc] = SIZED_LIMITS[kind]
  const unsigned = kind.startsWith('u')
  const i = unsigned ? toUint64(v) : toInt64(v)
  if (i > max) throw new MappingError(`value is too large to be cast as ${desc}`)
  if (!unsigned && i < min) throw new MappingError(`value is too small to be cast as ${desc}`)
  return new Sized(kind, Number(i))
}

/** Go IToFloat64 (the `float64()` cast, `number()`): numbers, or strings parsed. */
export function toFloat64(v: Result): number {
  if (typeof v === 'string') return parseGoFloat(v)
  if (v instanceof Uint8Array) return parseGoFloat(bytesToString(v))
  return toFloat(v)
}

/** Go IToFloat32. */
export function toFloat32(v: Result): number {
  if (typeof v === 'string') return Math.fround(parseGoFloat(v, 32))
  if (v instanceof Uint8Array) return Math.fround(parseGoFloat(bytesToString(v), 32))
  if (v instanceof JsonNumber) return Math.fround(parseGoFloat(v.text, 32))
  return Math.fround(toFloat(v))
}

// ---- Go strconv parsing ------------------------------------------------------------------------

function intSyntax(fn: string, s: string): MappingError {
  return new MappingError(`strconv.${fn}: parsing ${goQuote(s)}: invalid syntax`)
}

/** Magnitude in Go's base-0 integer syntax (prefixes, `_` separators); undefined on syntax error. */
function parseBase0(s: string): bigint | undefined {
  const m = /^0([xXbBoO])(_?[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*)$/.exec(s)
  if (m !== null) {
    const p = m[1]!.toLowerCase()
    const body = m[2]!.replace(/_/g, '')
    const ok = p === 'x' ? /^[0-9a-fA-F]+$/ : p === 'o' ? /^[0-7]+$/ : /^[01]+$/
    return ok.test(body) ? BigInt(`0${p}${body}`) : undefined
  }
  if (!/^[0-9]+(?:_[0-9]+)*$/.test(s)) return undefined
  const body = s.replace(/_/g, '')
  if (body.length > 1 && body[0] === '0') return /^[0-7]+$/.test(body) ? BigInt(`0o${body}`) : undefined
  return BigInt(body)
}

/** Go strconv.ParseInt(s, 0, 64). */
export function parseGoInt(s: string): number | bigint {
  let neg = false
  let body = s
  if (body[0] === '+' || body[0] === '-') {
    neg = body[0] === '-'
    body = body.slice(1)
  }
  const mag = body === '' ? undefined : parseBase0(body)
  if (mag === undefined) throw intSyntax('ParseInt', s)
  const v = neg ? -mag : mag
  if (v < INT64_MIN || v > INT64_MAX) throw new MappingError(`strconv.ParseInt: parsing ${goQuote(s)}: value out of range`)
  return makeInt(v)
}

/** Go strconv.ParseUint(s, 0, 64). */
export function parseGoUint(s: string): bigint {
  const mag = s === '' || s[0] === '+' || s[0] === '-' ? undefined : parseBase0(s)
  if (mag === undefined) throw intSyntax('ParseUint', s)
  if (mag > UINT64_MAX) throw new MappingError(`strconv.ParseUint: parsing ${goQuote(s)}: value out of range`)
  return mag
}

const DEC_FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?\d+)$/

/** Go strconv.ParseFloat(s, 64|32). */
export function parseGoFloat(s: string, bits: 32 | 64 = 64): number {
  const fn = 'ParseFloat'
  let v: number
  if (DEC_FLOAT.test(s)) v = Number(s)
  else {
    const lower = s.toLowerCase()
    const unsigned = lower.replace(/^[+-]/, '')
    if (unsigned === 'inf' || unsigned === 'infinity') return lower[0] === '-' ? -Infinity : Infinity
    if (unsigned === 'nan') return NaN
    const m = HEX_FLOAT.exec(s)
    if (m === null) throw intSyntax(fn, s)
    const intPart = (m[2] ?? '').replace(/_/g, '')
    const frac = (m[3] ?? '').replace(/_/g, '')
    if (intPart === '' && frac === '') throw intSyntax(fn, s)
    let mant = 0
    for (const ch of intPart + frac) mant = mant * 16 + parseInt(ch, 16)
    v = mant * Math.pow(2, Number(m[4]) - 4 * frac.length)
    if (m[1] === '-') v = -v
  }
  if (bits === 32) {
    const f = Math.fround(v)
    if (!Number.isFinite(f) && Number.isFinite(v)) throw new MappingError(`strconv.${fn}: parsing ${goQuote(s)}: value out of range`)
    return f
  }
  if (!Number.isFinite(v)) throw new MappingError(`strconv.${fn}: parsing ${goQuote(s)}: value out of range`)
  return v
}

// ---- bools, strings, bytes, timestamps ---------------------------------------------------------

/** Go IGetBool: booleans, and numbers by truthiness. */
export function getBool(v: Result): boolean {
  if (typeof v === 'boolean') return v
  if (typeof v === 'number') return v !== 0
  if (typeof v === 'bigint') return v !== 0n
  if (v instanceof JsonNumber) return v.text !== '0'
  if (v instanceof Float || v instanceof Sized) return v.v !== 0
  if (v instanceof UInt64) return v.v !== 0n
  throw typeError(v, 'bool')
}

const GO_BOOLS: Record<string, boolean> = {
  '1': true, t: true, T: true, TRUE: true, true: true, True: true,
  '0': false, f: false, F: false, FALSE: false, false: false, False: false,
}

/** Go IToBool (the `bool()` cast): also parses strings. */
export function toBool(v: Result): boolean {
  if (typeof v === 'string' || v instanceof Uint8Array) {
    const s = typeof v === 'string' ? v : bytesToString(v)
    const b = GO_BOOLS[s]
    if (b !== undefined && Object.hasOwn(GO_BOOLS, s)) return b
    throw typeError(v, 'bool')
  }
  return getBool(v)
}

/** Go IGetString: strings, bytes (decoded) and timestamps (RFC 3339); else a type error. */
export function getString(v: Result): string {
  if (typeof v === 'string') return v
  if (v instanceof Uint8Array) return bytesToString(v)
  if (v instanceof Timestamp) return formatRfc3339Nano(v)
  throw typeError(v, 'string')
}

/** Go IGetBytes. */
export function getBytes(v: Result): Uint8Array {
  if (v instanceof Uint8Array) return v
  if (typeof v === 'string') return stringToBytes(v)
  if (v instanceof Timestamp) return stringToBytes(formatRfc3339Nano(v))
  throw typeError(v, 'bytes')
}

/**
 * Go IGetTimestamp: timestamps, unix seconds (local zone) or strings parsed as Go's
 * `time.Parse(time.RFC3339Nano, s)` does, with its error text.
 */
export function getTimestamp(v: Result): Timestamp {
  if (v instanceof Timestamp) return v
  if (typeof v === 'string' || v instanceof Uint8Array) {
    const r = parseRFC3339(typeof v === 'string' ? v : bytesToString(v))
    if (!r.ok) throw new MappingError(r.error)
    return r.time
  }
  let f: number
  if (typeof v === 'bigint') return new Timestamp(Number(v), 0, localZone())
  if (typeof v === 'number' && Number.isInteger(v)) return new Timestamp(v, 0, localZone())
  if (v instanceof JsonNumber && v.isInt()) return new Timestamp(Number(v.value()), 0, localZone())
  if (v instanceof UInt64) return new Timestamp(Number(v.v), 0, localZone())
  try {
    f = toFloat(v)
  } catch {
    throw typeError(v, 'number', 'string')
  }
  const whole = Math.trunc(f)
  let ns = Math.trunc((f - whole) * 1e9)
  let sec = whole
  if (ns < 0) {
    ns += 1e9
    sec -= 1
  }
  return new Timestamp(sec, ns, localZone())
}

/** Go `%v` of a number value. */
export function numberToString(v: Result): string {
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) ? String(v) : formatFloatG(v)
    case 'bigint':
      return v.toString()
  }
  if (v instanceof Float) return formatFloatG(v.v)
  if (v instanceof JsonNumber) return v.text
  if (v instanceof UInt64) return v.v.toString()
  if (v instanceof Sized) return v.kind === 'float32' ? formatFloat32G(v.v) : String(v.v)
  return String(v)
}
setNumberText(numberToString)

/** Go IToString (`.string()`, interpolation, `meta()` reads): spec §10. Sentinels read as null. */
export function valueToString(v: Result): string {
  switch (typeof v) {
    case 'string':
      return v
    case 'number':
      return Number.isInteger(v) ? String(v) : formatFloatG(v)
    case 'boolean':
      return v ? 'true' : 'false'
    case 'bigint':
      return v.toString()
    case 'symbol':
      return 'null'
  }
  if (v === null) return 'null'
  if (v instanceof Uint8Array) return bytesToString(v)
  if (v instanceof Timestamp) return formatRfc3339Nano(v)
  if (v instanceof Float) return formatFloatG(v.v)
  if (v instanceof JsonNumber) return v.text
  if (v instanceof UInt64) return v.v.toString()
  if (v instanceof Sized) return v.kind === 'float32' ? formatFloat32Json(v.v) : String(v.v)
  try {
    return toJson(v, { escapeHtml: true })
  } catch {
    return 'null'
  }
}

/** Go IToBytes (`.bytes()`): bytes as is, everything else its string conversion. */
export function valueToBytesConv(v: Result): Uint8Array {
  if (v instanceof Uint8Array) return v
  return stringToBytes(valueToString(v))
}

/** Bytes of a Node Buffer or any Uint8Array view, as a plain Uint8Array value. */
export function asBytesValue(b: Uint8Array): Uint8Array {
  return b instanceof Buffer ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : b
}
