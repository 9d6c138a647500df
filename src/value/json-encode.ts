/**
 * JSON text of values, as Go's encoding/json writes it (spec §13): compact, keys sorted byte-wise,
 * U+2028/2029 escaped, bytes as base64, timestamps as RFC 3339 strings. The HTML-escaping variant
 * (`<>&` as \u003c...) is what `.string()` on structures and `format_json` produce.
 */
import { Buffer } from 'node:buffer'
import { formatFloat32Json, formatFloatJson } from './format-number.js'
import { formatRfc3339Nano } from './timestamp.js'
import { MappingError } from './value-errors.js'
import { Float, JsonNumber, Sized, Timestamp, UInt64, compareBytewise, isObject, sortedKeys, type Result, type VObject } from './value-types.js'

export interface JsonOptions {
  /** Escape `<`, `>`, `&` as \u003c, \u003e, \u0026 (Go's default, off for message output). */
  escapeHtml?: boolean
  /** Indent per level (Go MarshalIndent); undefined or '' with `pretty` false = compact. */
  indent?: string
}

// Strings with none of these characters are written as `"` + s + `"`.
const PLAIN = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/
const PLAIN_HTML = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff<>&]/
const NEEDS_FIX = /[\u2028\u2029]/
const HTML = /[<>&]/g
const HTML_TEST = /[<>&]/
const HTML_MAP: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026' }

// ES2024 string methods (present in Node 20; not in the ES2023 lib typings).
const wf = String.prototype as unknown as { isWellFormed(this: string): boolean; toWellFormed(this: string): string }

/** A JSON string literal with Go's escaping. */
export function quoteJsonString(s: string, escapeHtml = false): string {
  if (!(escapeHtml ? PLAIN_HTML : PLAIN).test(s)) return '"' + s + '"'
  if (!wf.isWellFormed.call(s)) s = wf.toWellFormed.call(s)
  let q = JSON.stringify(s)
  if (NEEDS_FIX.test(q)) q = q.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
  if (escapeHtml && HTML_TEST.test(q)) q = q.replace(HTML, (c) => HTML_MAP[c]!)
  return q
}

/** JSON text of a number value. Throws for NaN/Inf like Go. */
export function numberJson(v: number | bigint | Float | UInt64 | Sized | JsonNumber): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new MappingError(`json: unsupported value: ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'}`)
    return v === 0 ? formatFloatJson(v) : String(v)
  }
  if (typeof v === 'bigint') return v.toString()
  if (v instanceof JsonNumber) return v.text
  if (v instanceof Float) {
    if (!Number.isFinite(v.v)) throw new MappingError(`json: unsupported value: ${v.v > 0 ? '+Inf' : '-Inf'}`)
    return formatFloatJson(v.v)
  }
  if (v instanceof UInt64) return v.v.toString()
  if (v.kind === 'float32') {
    if (!Number.isFinite(v.v)) throw new MappingError(`json: unsupported value: ${Number.isNaN(v.v) ? 'NaN' : v.v > 0 ? '+Inf' : '-Inf'}`)
    return formatFloat32Json(v.v)
  }
  return String(v.v)
}

/** Serialise a value as JSON text. */
export function toJson(v: Result, opts: JsonOptions = {}): string {
  const html = opts.escapeHtml === true
  if (opts.indent !== undefined && opts.indent !== '') return pretty(v, html, opts.indent, '')
  return compact(v, html)
}

function compact(v: Result, html: boolean): string {
  switch (typeof v) {
    case 'string':
      return quoteJsonString(v, html)
    case 'number':
      // Plain numbers are never -0 (see makeInt/makeFloat); only non-finite ones need a check.
      if (v - v === 0) return '' + v
      return numberJson(v)
    case 'bigint':
      return numberJson(v)
    case 'boolean':
      return v ? 'true' : 'false'
    case 'symbol':
      return 'null'
  }
  if (v === null) return 'null'
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]'
    let s = '['
    for (let i = 0; i < v.length; i++) {
      if (i > 0) s += ','
      s += compact(v[i]!, html)
    }
    return s + ']'
  }
  if (v instanceof JsonNumber) return v.text
  const proto = Object.getPrototypeOf(v)
  if (proto === Object.prototype || proto === null) return compactObject(v as VObject, html)
  return scalarJson(v, html)
}

// Keys repeat across objects and messages: keep their quoted form.
const quotedKeys = new Map<string, string>()
const quotedKeysHtml = new Map<string, string>()

function quotedKey(k: string, html: boolean): string {
  const cache = html ? quotedKeysHtml : quotedKeys
  let q = cache.get(k)
  if (q === undefined) {
    q = quoteJsonString(k, html) + ':'
    if (cache.size >= 4096) cache.clear()
    cache.set(k, q)
  }
  return q
}

function compactObject(o: VObject, html: boolean): string {
  if (inByteOrder(o)) {
    // The common case (objects built in key order, such as most object literals and parsed
    // documents written by Go): no key array to allocate and no shape to look up.
    let s = '{'
    for (const k in o) {
      if (s.length > 1) s += ','
      s += quotedKey(k, html) + compact(o[k]!, html)
    }
    return s + '}'
  }
  const keys = sortedKeys(o)
  if (keys.length === 0) return '{}'
  let s = '{'
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!
    if (i > 0) s += ','
    s += quotedKey(k, html) + compact(o[k]!, html)
  }
  return s + '}'
}

/**
 * Whether `for...in` visits the keys of `o` in byte-wise order (it visits integer-like keys first,
 * then the others in insertion order; no plain object inherits enumerable keys).
 */
function inByteOrder(o: VObject): boolean {
  let prev: string | undefined
  for (const k in o) {
    if (prev !== undefined && compareBytewise(prev, k) >= 0) return false
    prev = k
  }
  return true
}

function scalarJson(v: Result, html: boolean): string {
  if (v instanceof Uint8Array) return `"${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')}"`
  if (v instanceof Timestamp) return quoteJsonString(formatRfc3339Nano(v), html)
  return numberJson(v as number)
}

function pretty(v: Result, html: boolean, indent: string, cur: string): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]'
    const next = cur + indent
    let s = '[\n'
    for (let i = 0; i < v.length; i++) {
      if (i > 0) s += ',\n'
      s += next + pretty(v[i]!, html, indent, next)
    }
    return s + '\n' + cur + ']'
  }
  if (isObject(v)) {
    const keys = sortedKeys(v)
    if (keys.length === 0) return '{}'
    const next = cur + indent
    let s = '{\n'
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!
      if (i > 0) s += ',\n'
      s += next + quoteJsonString(k, html) + ': ' + pretty(v[k]!, html, indent, next)
    }
    return s + '\n' + cur + '}'
  }
  return compact(v, html)
}
