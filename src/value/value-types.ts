/**
 * The Bloblang value representation. Chosen for speed on the common path: strings, booleans, null,
 * arrays and plain objects are the JavaScript values themselves, and most numbers are plain JS
 * numbers. Go distinguishes int64 from float64, so the number encoding is:
 *
 *   JS number, integral (safe range)  → int64
 *   JS number, non-integral/NaN/±Inf  → float64
 *   bigint                            → int64 outside ±(2^53-1) (never inside: always normalised)
 *   Float box                         → float64 whose value is integral (3.0, -0, 1e21)
 *   UInt64 box                        → uint64 (only from explicit casts)
 *   Sized box                         → int8..uint32 / float32 from the sized casts
 *   JsonNumber                        → number read from input JSON, original text preserved
 *
 * Always build numbers with `makeInt` / `makeFloat` so the invariants hold.
 * Objects are plain `{}` objects (prototype Object.prototype) and must be accessed through
 * `getKey`/`setKey` so keys like `__proto__` or `toString` behave as data.
 */
import { Timestamp } from './timestamp.js'

export { Timestamp }

/** Float64 whose value is a whole number (kept apart from int64, e.g. `8 / 4`). */
export class Float {
  constructor(readonly v: number) {}
}

/** Unsigned 64-bit integer (from `uint64()` etc.). */
export class UInt64 {
  constructor(readonly v: bigint) {}
}

export type SizedKind = 'int8' | 'int16' | 'int32' | 'uint8' | 'uint16' | 'uint32' | 'float32'

/** Result of a sized cast: behaves as a number but keeps its Go type (see §9.2 `+` quirk). */
export class Sized {
  constructor(
    readonly kind: SizedKind,
    readonly v: number,
  ) {}
}

/** A number from input JSON (Go `json.Number`): prints as its original text. */
export class JsonNumber {
  /** Undefined while the text is String(#parsed) not yet computed (see `fraction`). */
  #text: string | undefined
  #parsed: number | bigint | Float | undefined
  #isInt = false
  readonly #intSyntax: boolean
  /** `intSyntax`: the text has no fraction or exponent (computed when not given). */
  constructor(text: string, intSyntax?: boolean) {
    this.#text = text
    this.#intSyntax = intSyntax ?? !/[.eE]/.test(text)
  }
  /**
   * A non-integral number whose source text is known to be JavaScript's shortest form of it
   * (String(v)): that conversion costs more than the rest of parsing the number, so it waits
   * until the text is asked for, which most mappings never do.
   */
  static fraction(v: number): JsonNumber {
    const n = new JsonNumber('', false)
    n.#text = undefined
    n.#parsed = v
    return n
  }
  /** The source text. */
  get text(): string {
    if (this.#text === undefined) this.#text = String(this.#parsed)
    return this.#text
  }
  /** The number as Go's ISanitize sees it: int64 when the text parses as one, else float64. */
  value(): number | bigint | Float {
    if (this.#parsed === undefined) {
      const i = this.#intSyntax ? parseDecimalInt64(this.#text!) : undefined
      if (i !== undefined) {
        this.#parsed = i
        this.#isInt = true
      } else {
        this.#parsed = makeFloat(Number(this.#text))
      }
    }
    return this.#parsed
  }
  /** Whether the text is an int64 (Go `json.Number.Int64()` succeeds). */
  isInt(): boolean {
    this.value()
    return this.#isInt
  }
  /** The value as a JS double (Go `json.Number.Float64()`). */
  float(): number {
    return this.#text === undefined ? (this.#parsed as number) : Number(this.#text)
  }
}

export interface VObject {
  [key: string]: Value
}

export type Value =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | Value[]
  | VObject
  | Timestamp
  | Float
  | UInt64
  | Sized
  | JsonNumber

/** Sentinel: remove the assignment target / drop the message. */
export const DELETE: unique symbol = Symbol('delete')
/** Sentinel: skip the assignment / drop the element. */
export const NOTHING: unique symbol = Symbol('nothing')
export type Sentinel = typeof DELETE | typeof NOTHING

/** What an expression yields: a value or one of the sentinels. */
export type Result = Value | Sentinel

/** Fine-grained kinds; `typeName` folds the number kinds into "number". */
export const K = {
  Null: 0,
  Bool: 1,
  Int: 2,
  Float: 3,
  UInt: 4,
  Sized: 5,
  JsonNumber: 6,
  String: 7,
  Bytes: 8,
  Array: 9,
  Object: 10,
  Timestamp: 11,
  Delete: 12,
  Nothing: 13,
} as const
export type Kind = (typeof K)[keyof typeof K]

export function kindOf(v: Result): Kind {
  switch (typeof v) {
    case 'string':
      return K.String
    case 'number':
      return Number.isInteger(v) ? K.Int : K.Float
    case 'boolean':
      return K.Bool
    case 'bigint':
      return K.Int
    case 'symbol':
      return v === DELETE ? K.Delete : K.Nothing
  }
  if (v === null) return K.Null
  if (Array.isArray(v)) return K.Array
  const proto = Object.getPrototypeOf(v)
  if (proto === Object.prototype || proto === null) return K.Object
  if (v instanceof Uint8Array) return K.Bytes
  if (v instanceof JsonNumber) return K.JsonNumber
  if (v instanceof Float) return K.Float
  if (v instanceof Timestamp) return K.Timestamp
  if (v instanceof UInt64) return K.UInt
  if (v instanceof Sized) return K.Sized
  return K.Object
}

export type TypeName = 'null' | 'bool' | 'number' | 'string' | 'bytes' | 'array' | 'object' | 'timestamp' | 'delete' | 'nothing'

const TYPE_NAMES: TypeName[] = [
  'null', 'bool', 'number', 'number', 'number', 'number', 'number',
  'string', 'bytes', 'array', 'object', 'timestamp', 'delete', 'nothing',
]

/** The `.type()` name (also used in error messages). */
export function typeName(v: Result): TypeName {
  return TYPE_NAMES[kindOf(v)]!
}

// ---- guards ---------------------------------------------------------------------------------

export function isObject(v: Result): v is VObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}
export function isArray(v: Result): v is Value[] {
  return Array.isArray(v)
}
export function isBytes(v: Result): v is Uint8Array {
  return v instanceof Uint8Array
}
export function isTimestamp(v: Result): v is Timestamp {
  return v instanceof Timestamp
}
export function isNumber(v: Result): v is number | bigint | Float | UInt64 | Sized | JsonNumber {
  const t = typeof v
  if (t === 'number' || t === 'bigint') return true
  return v instanceof JsonNumber || v instanceof Float || v instanceof UInt64 || v instanceof Sized
}
export function isSentinel(v: Result): v is Sentinel {
  return typeof v === 'symbol'
}
/** Go IIsNull: null, delete and nothing. */
export function isNullish(v: Result): boolean {
  return v === null || typeof v === 'symbol'
}

// ---- number constructors ----------------------------------------------------------------------

export const INT64_MIN = -(2n ** 63n)
export const INT64_MAX = 2n ** 63n - 1n
export const UINT64_MAX = 2n ** 64n - 1n

/** An int64 value from a JS integer or bigint (wrapped to 64 bits, normalised to number when safe). */
export function makeInt(i: number | bigint): number | bigint {
  if (typeof i === 'number') {
    if (Number.isSafeInteger(i)) return i === 0 ? 0 : i
    return makeInt(BigInt(Math.trunc(i)))
  }
  if (i >= -9007199254740991n && i <= 9007199254740991n) return Number(i)
  return BigInt.asIntN(64, i)
}

/** A float64 value (boxed when integral so it stays a float). */
export function makeFloat(x: number): number | Float {
  return Number.isInteger(x) || Object.is(x, -0) ? new Float(x) : x
}

export function makeUint(u: bigint): UInt64 {
  return new UInt64(BigInt.asUintN(64, u))
}

/** Go `strconv.ParseInt(s, 10, 64)` on JSON number text; undefined when it fails. */
export function parseDecimalInt64(s: string): number | bigint | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined
  if (s.length <= 15) return makeInt(Number(s))
  const b = BigInt(s)
  if (b < INT64_MIN || b > INT64_MAX) return undefined
  return makeInt(b)
}

// ---- objects ----------------------------------------------------------------------------------

const hasOwn = Object.prototype.hasOwnProperty

/** A new empty object value. */
export function newObject(): VObject {
  return {}
}

/** Own property read (undefined when absent): safe for keys such as `__proto__` or `toString`. */
export function getKey(o: VObject, k: string): Value | undefined {
  const v = o[k]
  if (v === undefined) return undefined
  if (typeof v === 'function' || k === '__proto__') return hasOwn.call(o, k) ? v : undefined
  return v
}

export function hasKey(o: VObject, k: string): boolean {
  return hasOwn.call(o, k)
}

/** Own property write; `__proto__` becomes a data property. */
export function setKey(o: VObject, k: string, v: Value): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true })
  else o[k] = v
}

export function deleteKey(o: VObject, k: string): void {
  delete o[k]
}

/** Byte-wise (UTF-8) string order, as Go sorts map keys. */
export function compareBytewise(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    let ca = a.charCodeAt(i)
    let cb = b.charCodeAt(i)
    if (ca === cb) continue
    if (ca >= 0xd800 && cb >= 0xd800) {
      // UTF-16 puts surrogates (U+10000+) below U+E000..U+FFFF; UTF-8 does not.
      ca = ca <= 0xdfff ? ca + 0x2000 : ca - 0x800
      cb = cb <= 0xdfff ? cb + 0x2000 : cb - 0x800
    }
    return ca < cb ? -1 : 1
  }
  return a.length - b.length
}

const WIDE = /[\ud800-\uffff]/

// Objects of one shape repeat (array elements, successive messages): remember the sorted order of
// recently seen key lists so the sort runs once per shape.
const SHAPES = 16
const shapeKeys: (string[] | undefined)[] = new Array(SHAPES)
const shapeSorted: (string[] | undefined)[] = new Array(SHAPES)
let shapeNext = 0

function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Object keys in byte-wise order (the returned array must not be modified). */
export function sortedKeys(o: VObject): string[] {
  const keys = Object.keys(o)
  const n = keys.length
  if (n < 2) return keys
  // Most recently stored first: objects of one shape tend to come in runs.
  for (let j = 0; j < SHAPES; j++) {
    const i = (shapeNext - 1 - j + SHAPES) % SHAPES
    const k = shapeKeys[i]
    if (k !== undefined && sameKeys(k, keys)) return shapeSorted[i]!
  }
  let sorted = true
  let wide = false
  for (let i = 0; i < n; i++) {
    const k = keys[i]!
    if (WIDE.test(k)) wide = true
    if (sorted && i > 0 && keys[i - 1]! > k) sorted = false
  }
  const out = wide ? keys.slice().sort(compareBytewise) : sorted ? keys : keys.slice().sort()
  if (n <= 64) {
    shapeKeys[shapeNext] = keys
    shapeSorted[shapeNext] = out
    shapeNext = (shapeNext + 1) % SHAPES
  }
  return out
}
