/**
 * A JSON Schema document compiled into a tree of sub-schemas, with gojsonschema's rules (the
 * library behind the reference's `json_schema`): drafts 4, 6 and 7 chosen by `$schema`, or its
 * "hybrid" reading of all three when there is none; local `$ref`s through `$id`s and JSON
 * pointers; and its error texts for a schema it refuses.
 */
import { compileRe2, type Re2 } from '../regex/index.js'
import { canonical, isMap, Num, type Doc, type DocMap } from './document.js'
import { decIsInt, type Dec } from './decimal.js'

export const DRAFT4 = 4
export const DRAFT6 = 6
export const DRAFT7 = 7
/** No `$schema`: every draft's keywords are understood (gojsonschema's `Hybrid`). */
export const HYBRID = 0x7fffffff
export type Draft = typeof DRAFT4 | typeof DRAFT6 | typeof DRAFT7 | typeof HYBRID

const DRAFT_URLS: ReadonlyMap<string, Draft> = new Map([
  ['http://json-schema.org/draft-04/schema', DRAFT4],
  ['http://json-schema.org/draft-06/schema', DRAFT6],
  ['http://json-schema.org/draft-07/schema', DRAFT7],
])

const JSON_TYPES = ['array', 'boolean', 'integer', 'number', 'null', 'object', 'string']

/** A pattern and the text it was written as (messages quote the text). */
export interface Pattern {
  readonly source: string
  readonly re: Re2
}

export interface SubSchema {
  draft: Draft
  /** Boolean schema (draft 6 and later): true passes everything, false nothing. */
  pass?: boolean
  /** The schema a `$ref` names; when set, validation uses it alone. */
  refSchema?: SubSchema
  /** `$ref` target (absolute where it could be made so), inherited by children. */
  ref: string
  types: string[]
  properties: { name: string; schema: SubSchema }[]
  items: SubSchema[]
  itemsIsSingle: boolean
  additionalItems?: boolean | SubSchema
  additionalProperties?: boolean | SubSchema
  patternProperties?: { pattern: Pattern; schema: SubSchema }[]
  propertyNames?: SubSchema
  dependencies?: Map<string, string[] | SubSchema>
  multipleOf?: Dec
  minimum?: Dec
  maximum?: Dec
  exclusiveMinimum?: Dec
  exclusiveMaximum?: Dec
  minLength?: number
  maxLength?: number
  pattern?: Pattern
  format: string
  minProperties?: number
  maxProperties?: number
  required: string[]
  minItems?: number
  maxItems?: number
  uniqueItems: boolean
  contains?: SubSchema
  constKey?: string
  enumKeys: string[]
  oneOf: SubSchema[]
  anyOf: SubSchema[]
  allOf: SubSchema[]
  not?: SubSchema
  if?: SubSchema
  then?: SubSchema
  else?: SubSchema
}

/** A schema the reference refuses, in its words. */
export class SchemaError extends Error {}

/** Reads a referenced document that is not in the schema itself (a `file://` URL, say). */
export type RefLoader = (url: string) => Doc

// --- references -------------------------------------------------------------------------------

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/

/** A reference as gojsonreference prints it: an empty fragment is dropped. */
function normRef(s: string): string {
  return s.endsWith('#') ? s.slice(0, -1) : s
}

function withoutFragment(s: string): string {
  const i = s.indexOf('#')
  return i < 0 ? s : s.slice(0, i)
}

function fragmentOf(s: string): string {
  const i = s.indexOf('#')
  if (i < 0) return ''
  try {
    return decodeURIComponent(s.slice(i + 1))
  } catch {
    return s.slice(i + 1)
  }
}

/** `child` resolved against `parent` (RFC 3986 where the parent is absolute). */
function inherit(parent: string, child: string): string {
  if (SCHEME.test(child)) return normRef(child)
  const base = withoutFragment(parent)
  if (SCHEME.test(base)) {
    try {
      return normRef(new URL(child, base).href)
    } catch {
      return normRef(child)
    }
  }
  if (child === '') return base
  if (child.startsWith('#')) return normRef(base + child)
  if (child.startsWith('/')) return normRef(child)
  // Go's ResolveReference roots a relative path even against a relative (or empty) base.
  const dir = base.slice(0, base.lastIndexOf('/') + 1)
  return normRef((dir.startsWith('/') ? dir : '/' + dir) + child)
}

/** Whether a reference may be loaded from outside the schema (full URL or file path). */
function isCanonical(ref: string): boolean {
  if (/^file:\/\/\/?/i.test(ref)) return true
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]+/.test(ref)
}

/** gojsonpointer's Get; a malformed pointer selects the whole document, as there. */
function pointerGet(doc: Doc, pointer: string): Doc {
  if (pointer === '' || !pointer.startsWith('/')) return doc
  let node: Doc = doc
  for (const raw of pointer.slice(1).split('/')) {
    if (isMap(node)) {
      const key = raw.replaceAll('~1', '/').replaceAll('~0', '~')
      const next = node.get(key)
      if (next === undefined) throw new SchemaError(`Object has no key '${key}'`)
      node = next
    } else if (Array.isArray(node)) {
      if (!/^[+-]?\d+$/.test(raw)) throw new SchemaError(`Invalid array index '${raw}'`)
      const i = Number(raw)
      if (i < 0 || i >= node.length) throw new SchemaError(`Out of bound array[0,${node.length}] index '${i}'`)
      node = node[i]!
    } else {
      throw new SchemaError(`Invalid token reference '${raw}'`)
    }
  }
  return node
}

function draftOf(doc: Doc): Draft | undefined {
  if (typeof doc === 'boolean') return undefined
  if (!isMap(doc)) throw new SchemaError('schema is invalid')
  if (!doc.has('$schema')) return undefined
  const s = doc.get('$schema')
  if (typeof s !== 'string') throw new SchemaError('$schema must be of type string')
  return DRAFT_URLS.get(normRef(s))
}

interface PoolDoc {
  doc: Doc
  draft: Draft | undefined
}

/** Documents by reference: the root, every `$id` inside it, and whatever was loaded. */
class Pool {
  readonly #docs = new Map<string, PoolDoc>()
  constructor(readonly load: RefLoader | undefined) {}

  /** Registers `doc` (and its `$id`s) under `ref`, making its `$ref`s absolute in place. */
  add(doc: Doc, ref: string): void {
    const key = normRef(ref)
    if (this.#docs.has(key)) throw new SchemaError(`Reference already exists: "${key}"`)
    const draft = draftOf(doc)
    this.#walk(doc, key, draft)
    this.#docs.set(key, { doc, draft })
  }

  #walk(doc: Doc, ref: string, draft: Draft | undefined): void {
    if (Array.isArray(doc)) {
      for (const v of doc) this.#walk(v, ref, draft)
      return
    }
    if (!isMap(doc)) return
    let local = ref
    const id = doc.has('id') ? doc.get('id') : doc.get('$id')
    if (typeof id === 'string') {
      local = inherit(ref, id)
      if (this.#docs.has(local)) throw new SchemaError(`Reference already exists: "${local}"`)
      this.#docs.set(local, { doc, draft })
    }
    const r = doc.get('$ref')
    if (typeof r === 'string') doc.set('$ref', inherit(local, r))
    for (const [k, v] of doc) {
      if (k === 'const' || k === 'enum') continue
      if ((k === 'properties' || k === 'dependencies' || k === 'patternProperties') && isMap(v)) {
        for (const child of v.values()) this.#walk(child, local, draft)
      } else {
        this.#walk(v, local, draft)
      }
    }
  }

  get(ref: string): PoolDoc {
    const hit = this.#docs.get(ref)
    if (hit !== undefined) return hit
    const base = withoutFragment(ref)
    const holder = this.#docs.get(base)
    if (holder !== undefined) {
      const found = { doc: pointerGet(holder.doc, fragmentOf(ref)), draft: holder.draft }
      this.#docs.set(ref, found)
      return found
    }
    if (!isCanonical(ref)) throw new SchemaError(`Reference ${ref} must be canonical`)
    if (this.load === undefined || !/^file:/i.test(ref)) {
      throw new SchemaError(`cannot load the referenced schema ${ref}: Weir resolves references inside the schema and file:// URLs only`)
    }
    const doc = this.load(base)
    this.add(doc, base)
    return { doc: pointerGet(doc, fragmentOf(ref)), draft: draftOf(doc) }
  }
}

// --- keywords ---------------------------------------------------------------------------------

function numberArg(v: Doc | undefined): Dec | undefined {
  return v instanceof Num ? v.dec : undefined
}

/** gojsonschema's `mustBeInteger`: integral text that Go's ParseInt accepts. */
function integerArg(v: Doc | undefined): number | undefined {
  if (!(v instanceof Num) || !decIsInt(v.dec) || !/^-?\d+$/.test(v.text)) return undefined
  const n = BigInt(v.text)
  return n > 9223372036854775807n || n < -9223372036854775808n ? undefined : Number(n)
}

function isSchemaNode(v: Doc | undefined): boolean {
  return isMap(v) || typeof v === 'boolean'
}

function invalidType(expected: string, given: string): SchemaError {
  return new SchemaError(`Invalid type. Expected: ${expected}, given: ${given}`)
}

function tryRe2(source: string): Re2 | undefined {
  try {
    return compileRe2(source)
  } catch {
    return undefined
  }
}

function newSub(draft: Draft, ref: string): SubSchema {
  return { draft, ref, types: [], properties: [], items: [], itemsIsSingle: false, format: '', required: [], uniqueItems: false, enumKeys: [], oneOf: [], anyOf: [], allOf: [] }
}

class Compiler {
  readonly #refs = new Map<string, SubSchema>()
  constructor(readonly pool: Pool) {}

  /** A child of `parent` that takes its draft unless `draft` says otherwise. */
  child(node: Doc | undefined, parent: SubSchema, draft?: Draft): SubSchema {
    const s = newSub(draft ?? parent.draft, parent.ref)
    this.parse(node ?? null, s)
    return s
  }

  parse(node: Doc, s: SubSchema): void {
    if (s.draft >= DRAFT6 && typeof node === 'boolean') {
      s.pass = node
      return
    }
    if (!isMap(node)) throw new SchemaError('Expected: valid schema, given: Invalid JSON')
    const m = node
    const keyId = s.draft === DRAFT4 ? 'id' : s.draft === HYBRID && m.has('id') ? 'id' : '$id'
    if (m.has(keyId) && typeof m.get(keyId) !== 'string') throw invalidType('string', keyId)

    if (m.has('definitions')) {
      const defs = m.get('definitions')
      if (isMap(defs)) {
        for (const dv of defs.values()) {
          if (!isSchemaNode(dv)) throw invalidType('array of schemas', 'definitions')
          this.child(dv, s)
        }
      } else if (typeof defs !== 'boolean') {
        throw invalidType('array of schemas', 'definitions')
      }
    }
    for (const k of ['title', 'description']) {
      if (m.has(k) && typeof m.get(k) !== 'string') throw invalidType('string', k)
    }

    if (m.has('$ref')) {
      const ref = m.get('$ref')
      if (typeof ref !== 'string') throw invalidType('string', '$ref')
      s.ref = ref
      const known = this.#refs.get(ref)
      if (known === undefined) {
        this.#parseReference(s)
        return
      }
      // gojsonschema reads the rest of the node too when the target is already compiled.
      s.refSchema = known
    }

    this.#types(m, s)
    if (m.has('properties')) {
      const props = m.get('properties')
      if (!isMap(props)) throw new SchemaError('properties must be of type object')
      for (const [name, v] of props) s.properties.push({ name, schema: this.child(v, s) })
    }
    if (m.has('additionalProperties')) s.additionalProperties = this.#boolOrSchema(m.get('additionalProperties'), s, 'additionalProperties')
    if (m.has('patternProperties')) {
      const pp = m.get('patternProperties')
      if (!isMap(pp)) throw invalidType('valid schema', 'patternProperties')
      if (pp.size > 0) s.patternProperties = []
      for (const [source, v] of pp) {
        const re = tryRe2(source)
        if (re === undefined) throw new SchemaError(`Invalid regex pattern '${source}'`)
        s.patternProperties!.push({ pattern: { source, re }, schema: this.child(v, s) })
      }
    }
    if (m.has('propertyNames') && s.draft >= DRAFT6) {
      const pn = m.get('propertyNames')
      if (!isSchemaNode(pn)) throw invalidType('valid schema', 'patternProperties')
      s.propertyNames = this.child(pn, s)
    }
    if (m.has('dependencies')) this.#dependencies(m.get('dependencies'), s)
    if (m.has('items')) {
      const items = m.get('items')
      if (Array.isArray(items)) {
        for (const it of items) {
          if (!isSchemaNode(it)) throw invalidType('valid schema/array of schemas', 'items')
          s.items.push(this.child(it, s))
          s.itemsIsSingle = false
        }
      } else if (isSchemaNode(items)) {
        s.items.push(this.child(items, s))
        s.itemsIsSingle = true
      } else {
        throw invalidType('valid schema/array of schemas', 'items')
      }
    }
    if (m.has('additionalItems')) s.additionalItems = this.#boolOrSchema(m.get('additionalItems'), s, 'additionalItems')
    this.#numbers(m, s)
    this.#strings(m, s)
    this.#objects(m, s)
    this.#arrays(m, s)
    if (m.has('const') && s.draft >= DRAFT6) s.constKey = canonical(m.get('const')!)
    if (m.has('enum')) {
      const e = m.get('enum')
      if (!Array.isArray(e)) throw new SchemaError('enum must be of an array')
      for (const v of e) {
        const key = canonical(v)
        if (s.enumKeys.includes(key)) throw new SchemaError('enum items must be unique')
        s.enumKeys.push(key)
      }
    }
    // allOf's message names anyOf: gojsonschema's wording.
    for (const [k, list, label] of [
      ['oneOf', s.oneOf, 'oneOf'],
      ['anyOf', s.anyOf, 'anyOf'],
      ['allOf', s.allOf, 'anyOf'],
    ] as const) {
      if (!m.has(k)) continue
      const arr = m.get(k)
      if (!Array.isArray(arr)) throw new SchemaError(`${label} must be of an array`)
      for (const v of arr) list.push(this.child(v, s))
    }
    if (m.has('not')) {
      const n = m.get('not')
      if (!isSchemaNode(n)) throw new SchemaError('not must be of an object')
      s.not = this.child(n, s)
    }
    if (s.draft >= DRAFT7) {
      for (const k of ['if', 'then', 'else'] as const) {
        if (!m.has(k)) continue
        const v = m.get(k)
        if (!isSchemaNode(v)) throw new SchemaError(`${k} must be of an object`)
        s[k] = this.child(v, s)
      }
    }
  }

  #parseReference(s: SubSchema): void {
    const target = newSub(s.draft, s.ref)
    this.#refs.set(s.ref, target)
    const found = this.pool.get(s.ref)
    if (found.draft !== undefined) target.draft = found.draft
    if (!isSchemaNode(found.doc)) throw new SchemaError('valid schema must be of type object')
    this.parse(found.doc, target)
    s.refSchema = target
  }

  #types(m: DocMap, s: SubSchema): void {
    if (!m.has('type')) return
    const t = m.get('type')
    const add = (name: string): void => {
      if (!JSON_TYPES.includes(name)) {
        throw new SchemaError(`has a primitive type that is NOT VALID -- given: /${name}/ Expected valid values are:[${JSON_TYPES.join(' ')}]`)
      }
      if (s.types.includes(name)) throw new SchemaError(`${name} type is duplicated`)
      s.types.push(name)
    }
    if (typeof t === 'string') add(t)
    else if (Array.isArray(t)) {
      for (const name of t) {
        if (typeof name !== 'string') throw invalidType('string/array of strings', 'type')
        add(name)
      }
    } else throw invalidType('string/array of strings', 'type')
  }

  #boolOrSchema(v: Doc | undefined, s: SubSchema, key: string): boolean | SubSchema {
    if (typeof v === 'boolean') return v
    if (isMap(v)) return this.child(v, s)
    throw invalidType('boolean/valid schema', key)
  }

  #dependencies(v: Doc | undefined, s: SubSchema): void {
    if (!isMap(v)) throw new SchemaError('dependencies must be of type object')
    s.dependencies = new Map()
    for (const [k, dep] of v) {
      if (Array.isArray(dep)) {
        const names: string[] = []
        for (const name of dep) {
          if (typeof name !== 'string') throw new SchemaError('dependency must be of type schema or array of strings')
          names.push(name)
          s.dependencies.set(k, names)
        }
      } else if (isSchemaNode(dep)) {
        s.dependencies.set(k, this.child(dep, s))
      } else {
        throw new SchemaError('dependency must be of type schema or array of strings')
      }
    }
  }

  #numbers(m: DocMap, s: SubSchema): void {
    if (m.has('multipleOf')) {
      const d = numberArg(m.get('multipleOf'))
      if (d === undefined) throw invalidType('number', 'multipleOf')
      if (d.neg || d.digits === 0n) throw new SchemaError('multipleOf must be strictly greater than 0')
      s.multipleOf = d
    }
    for (const [key, exclusive] of [
      ['minimum', 'exclusiveMinimum'],
      ['maximum', 'exclusiveMaximum'],
    ] as const) {
      if (m.has(key)) {
        const d = numberArg(m.get(key))
        if (d === undefined) throw new SchemaError(`${key} must be of a number`)
        s[key] = d
      }
      if (!m.has(exclusive)) continue
      const ex = m.get(exclusive)
      // Draft 4 spells an exclusive bound as a boolean beside the bound; later drafts as the number.
      const boolForm = s.draft === DRAFT4 || (s.draft === HYBRID && typeof ex === 'boolean')
      if (boolForm) {
        if (typeof ex !== 'boolean') throw invalidType('boolean', exclusive)
        if (s[key] === undefined) throw new SchemaError(`${exclusive} cannot be used without ${key}`)
        if (ex) {
          s[exclusive] = s[key]
          s[key] = undefined
        }
      } else {
        const d = numberArg(ex)
        if (d === undefined) throw invalidType(s.draft === HYBRID ? 'boolean/number' : 'number', exclusive)
        s[exclusive] = d
      }
    }
  }

  /** A non-negative integer keyword, or undefined when absent. */
  #count(m: DocMap, key: string): number | undefined {
    if (!m.has(key)) return undefined
    const n = integerArg(m.get(key))
    if (n === undefined) throw new SchemaError(`${key} must be of an integer`)
    if (n < 0) throw new SchemaError(`${key} must be greater than or equal to 0`)
    return n
  }

  #strings(m: DocMap, s: SubSchema): void {
    s.minLength = this.#count(m, 'minLength')
    s.maxLength = this.#count(m, 'maxLength')
    if (s.minLength !== undefined && s.maxLength !== undefined && s.minLength > s.maxLength) {
      throw new SchemaError('minLength cannot be greater than maxLength')
    }
    if (m.has('pattern')) {
      const p = m.get('pattern')
      if (typeof p !== 'string') throw new SchemaError('pattern must be of a string')
      const re = tryRe2(p)
      if (re === undefined) throw new SchemaError('pattern must be a valid regex')
      s.pattern = { source: p, re }
    }
    if (m.has('format')) {
      const f = m.get('format')
      if (typeof f !== 'string') throw new SchemaError('format must be of type string')
      s.format = f
    }
  }

  #objects(m: DocMap, s: SubSchema): void {
    s.minProperties = this.#count(m, 'minProperties')
    s.maxProperties = this.#count(m, 'maxProperties')
    if (s.minProperties !== undefined && s.maxProperties !== undefined && s.minProperties > s.maxProperties) {
      throw new SchemaError('minProperties cannot be greater than maxProperties')
    }
    if (m.has('required')) {
      const r = m.get('required')
      if (!Array.isArray(r)) throw new SchemaError('required must be of an array')
      for (const name of r) {
        if (typeof name !== 'string') throw new SchemaError('required items must be string')
        if (s.required.includes(name)) throw new SchemaError('required items must be unique')
        s.required.push(name)
      }
    }
  }

  #arrays(m: DocMap, s: SubSchema): void {
    s.minItems = this.#count(m, 'minItems')
    s.maxItems = this.#count(m, 'maxItems')
    if (m.has('uniqueItems')) {
      const u = m.get('uniqueItems')
      if (typeof u !== 'boolean') throw new SchemaError('uniqueItems must be of a boolean')
      s.uniqueItems = u
    }
    if (m.has('contains') && s.draft >= DRAFT6) s.contains = this.child(m.get('contains'), s)
  }
}

/**
 * Compiles a parsed schema document. `ref` names it (empty for inline text, a file:// URL for a
 * schema read from a file, against which relative references resolve). Throws SchemaError.
 */
export function compileSchemaDoc(doc: Doc, ref: string, load?: RefLoader): SubSchema {
  const pool = new Pool(load)
  pool.add(doc, ref)
  const draft = draftOf(doc) ?? HYBRID
  const root = newSub(draft, normRef(ref))
  new Compiler(pool).parse(doc, root)
  return root
}
