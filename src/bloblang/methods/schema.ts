/**
 * Schema methods (spec §23.7): `json_schema` validates against a JSON Schema with the
 * reference's library semantics (see `src/bloblang/json-schema/`); `infer_schema` describes a value in
 * the reference's common schema format, fingerprint included.
 */
import { crypto } from '../../util/lazy-builtins.js'
import { defineMethod, type MethodDef } from '../registry.js'
import { compileJsonSchemaText, type JsonSchema } from '../json-schema/index.js'
import {
  Float,
  JsonNumber,
  MappingError,
  Sized,
  Timestamp,
  UInt64,
  compareBytewise,
  getKey,
  isObject,
  newObject,
  setKey,
  typeError,
  type Result,
  type Value,
  type VObject,
} from '../../value/index.js'

const CACHE_LIMIT = 64
const cache = new Map<string, JsonSchema | string>()

/** A compiled schema for this text, or the reference's error; dynamic schemas are cached. */
function schemaFor(text: string): JsonSchema {
  let hit = cache.get(text)
  if (hit === undefined) {
    const r = compileJsonSchemaText(text)
    hit = r.ok ? r.schema : `failed to parse json schema definition: ${r.error}`
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string)
    cache.set(text, hit)
  }
  if (typeof hit === 'string') throw new MappingError(hit)
  return hit
}

// The reference's CommonType numbers and names (its schema package).
const T = {
  BOOLEAN: 1,
  INT32: 2,
  INT64: 3,
  FLOAT32: 4,
  FLOAT64: 5,
  STRING: 6,
  BYTE_ARRAY: 7,
  OBJECT: 8,
  ARRAY: 10,
  NULL: 11,
  TIMESTAMP: 13,
} as const
type TypeName = keyof typeof T

interface Common {
  name: string
  type: TypeName
  children: Common[]
}

/** Go's `%T` for the sized kinds the common schema has no type for. */
const GO_TYPE_NAMES: Record<string, string> = { int8: 'int8', int16: 'int16', uint8: 'uint8', uint16: 'uint16', uint32: 'uint32' }

/** The reference's `inferFromAny`; errors carry the path the same way (`.foo.0 ...`). */
function infer(name: string, v: Result): Common {
  const c: Common = { name, type: 'NULL', children: [] }
  if (v === null) return c
  if (typeof v === 'boolean') c.type = 'BOOLEAN'
  else if (typeof v === 'string') c.type = 'STRING'
  else if (typeof v === 'number') c.type = Number.isInteger(v) ? 'INT64' : 'FLOAT64'
  else if (typeof v === 'bigint') c.type = 'INT64'
  else if (v instanceof Float) c.type = 'FLOAT64'
  else if (v instanceof JsonNumber) {
    if (v.isInt()) c.type = 'INT64'
    else if (Number.isFinite(v.float())) c.type = 'FLOAT64'
    else throw new MappingError(` json.Number value "${v.text}" is not parseable as int64 or float64`)
  } else if (v instanceof Sized) {
    if (v.kind === 'int32') c.type = 'INT32'
    else if (v.kind === 'float32') c.type = 'FLOAT32'
    else throw new MappingError(` unsupported data type: ${GO_TYPE_NAMES[v.kind]}`)
  } else if (v instanceof UInt64) throw new MappingError(' unsupported data type: uint64')
  else if (v instanceof Uint8Array) c.type = 'BYTE_ARRAY'
  else if (v instanceof Timestamp) c.type = 'TIMESTAMP'
  else if (Array.isArray(v)) {
    c.type = 'ARRAY'
    for (let i = 0; i < v.length; i++) {
      const e = inferAt(String(i), '', v[i]!)
      if (i === 0) c.children = [e]
      else if (c.children[0]!.type !== e.type) throw new MappingError(`.${i} mismatched array types, found ${c.children[0]!.type} and ${e.type}`)
    }
  } else if (isObject(v)) {
    c.type = 'OBJECT'
    for (const k of Object.keys(v).sort(compareBytewise)) c.children.push(inferAt(k, k, getKey(v, k)!))
  } else {
    throw typeError(v, 'value')
  }
  return c
}

/** A child's schema; its errors gain the child's place as a prefix. */
function inferAt(place: string, name: string, v: Value): Common {
  try {
    return infer(name, v)
  } catch (e) {
    if (e instanceof MappingError) throw new MappingError(`.${place}${e.message}`)
    throw e
  }
}

function fingerprintText(c: Common): string {
  let s = `T:${T[c.type]}|N:${c.name}|O:0|C:${c.children.length}|`
  for (let i = 0; i < c.children.length; i++) s += `[${i}:${fingerprintText(c.children[i]!)}]`
  return s
}

function toValue(c: Common): VObject {
  const o = newObject()
  setKey(o, 'type', c.type)
  setKey(o, 'fingerprint', crypto().createHash('sha256').update(fingerprintText(c), 'utf8').digest('hex'))
  if (c.name !== '') setKey(o, 'name', c.name)
  if (c.children.length > 0) setKey(o, 'children', c.children.map(toValue))
  return o
}

export const schemaMethods: MethodDef[] = [
  defineMethod({
    name: 'json_schema',
    description: 'Checks the value against a JSON Schema (drafts 4, 6 and 7) and returns it unchanged, or fails with every violation.',
    params: [{ name: 'schema', type: 'string', description: 'The schema to check values against.' }],
    examples: [
      {
        mapping: 'root = this.json_schema("""{"type":"object","properties":{"foo":{"type":"string"}}}""")',
        input: '{"foo":5}',
        error: 'foo invalid type. expected: string, given: integer',
      },
    ],
    ctor: (args) => {
      const schema = schemaFor(args.string('schema'))
      return (target) => {
        if (typeof target === 'symbol') throw typeError(target, 'value')
        const failure = schema.check(target)
        if (failure !== undefined) throw new MappingError(failure)
        return target
      }
    },
  }),
  defineMethod({
    name: 'infer_schema',
    description: "Describes the value's structure in the common schema format (type, name, children, fingerprint).",
    params: [],
    examples: [{ mapping: 'root = this.infer_schema().type', input: '{"a":1}', output: 'OBJECT' }],
    ctor: () => (target) => toValue(infer('', target)),
  }),
]
