/**
 * Documents as the validator sees them. The reference hands gojsonschema a value that it
 * marshals to JSON and decodes again with `UseNumber`, so a number is its JSON text, bytes are
 * base64 text, timestamps RFC 3339 text, and object keys come in marshalled (sorted) order. The
 * schema document takes the same shape, so one walk serves both.
 */
import { Buffer } from 'node:buffer'
import { formatRfc3339Nano } from '../../value/timestamp.js'
import { Timestamp, compareBytewise, formatFloatJson, getKey, isObject, numberJson, quoteJsonString, sortedKeys, type Value } from '../../value/index.js'
import { decIsInt, parseDec, type Dec } from './decimal.js'

/** A JSON number kept as its text (Go `json.Number`). */
export class Num {
  #dec: Dec | undefined
  constructor(readonly text: string) {}
  /** The exact value. */
  get dec(): Dec {
    // Texts come from JSON encoders and decoders, so they always parse; NaN cannot reach here.
    return (this.#dec ??= parseDec(this.text)!)
  }
  get isInt(): boolean {
    return decIsInt(this.dec)
  }
}

export type DocMap = Map<string, Doc>
export type Doc = null | boolean | string | Num | Doc[] | DocMap

export function isMap(d: Doc | undefined): d is DocMap {
  return d instanceof Map
}

/**
 * A Bloblang value as the validator sees it; NaN and infinities throw Go's marshal error.
 * `keyOrder`: 'sorted' for a validated value, which the reference marshals (sorting keys) before
 * decoding into the maps gojsonschema walks; 'source' for a schema, decoded straight from its
 * text. Go's map iteration only rotates so small a map's insertion order at random, so these are
 * the orders its failures most often come in.
 */
export function fromValue(v: Value, keyOrder: 'sorted' | 'source' = 'sorted'): Doc {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v
  if (Array.isArray(v)) return v.map((e) => fromValue(e, keyOrder))
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')
  if (v instanceof Timestamp) return formatRfc3339Nano(v)
  if (isObject(v)) {
    const m: DocMap = new Map()
    for (const k of keyOrder === 'sorted' ? sortedKeys(v) : Object.keys(v)) m.set(k, fromValue(getKey(v, k)!, keyOrder))
    return m
  }
  return new Num(numberJson(v))
}

/**
 * The reference's `marshalWithoutNumber`: JSON text after a round trip through float64, with
 * sorted keys and HTML escaping. `enum` and `const` compare these texts.
 */
export function canonical(d: Doc): string {
  if (d === null) return 'null'
  if (typeof d === 'boolean') return d ? 'true' : 'false'
  if (typeof d === 'string') return quoteJsonString(d, true)
  if (d instanceof Num) {
    const f = Number(d.text)
    return Number.isFinite(f) ? formatFloatJson(f) : d.text
  }
  if (Array.isArray(d)) return '[' + d.map(canonical).join(',') + ']'
  const keys = [...d.keys()].sort(compareBytewise)
  return '{' + keys.map((k) => quoteJsonString(k, true) + ':' + canonical(d.get(k)!)).join(',') + '}'
}

/** The JSON type name the reference reports as `given` (`integer` for whole numbers). */
export function docType(d: Doc): string {
  if (d === null) return 'null'
  if (typeof d === 'boolean') return 'boolean'
  if (typeof d === 'string') return 'string'
  if (d instanceof Num) return d.isInt ? 'integer' : 'number'
  return Array.isArray(d) ? 'array' : 'object'
}
