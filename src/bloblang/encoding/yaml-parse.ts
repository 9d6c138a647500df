/**
 * `parse_yaml`: the first YAML document as a value, typed the way gopkg.in/yaml.v3 types data
 * decoded into `any` (plain scalars resolved by its rules, timestamps left as strings, merge keys
 * `<<` honoured with explicit keys winning). The `yaml` package does the syntax; typing is ours.
 */
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml'
import { MappingError, hasKey, isObject, makeFloat, makeInt, makeUint, setKey, valueToString, type Value, type VObject } from '../../value/index.js'
import { resolvePlain } from './yaml-resolve.js'

const TAG = 'tag:yaml.org,2002:'

/** Parse YAML text; throws MappingError("failed to parse value as YAML: ...") on bad syntax. */
export function parseYaml(text: string): Value {
  const docs: unknown = parseAllDocuments(text, { schema: 'failsafe', prettyErrors: false, uniqueKeys: true })
  // An input with no documents (empty, comments only) parses as null, as yaml.v3 does.
  if (!Array.isArray(docs)) return null
  const doc = docs[0] as Document | undefined
  if (doc === undefined) return null
  if (doc.errors.length > 0) throw new MappingError(`failed to parse value as YAML: ${doc.errors[0]!.message}`)
  return convert(doc, doc.contents as Node | null, 0)
}

function scalarValue(value: unknown, type: string | undefined, tag: string | undefined): Value {
  if (value instanceof Uint8Array) return new Uint8Array(value)
  const s = typeof value === 'string' ? value : String(value)
  if (tag === TAG + 'str' || tag === '!') return s
  if (tag === undefined && type !== 'PLAIN') return s
  const r = resolvePlain(s)
  switch (r.tag) {
    case 'null':
      return null
    case 'bool':
      return r.value
    case 'int':
      return r.unsigned ? makeUint(BigInt(r.value)) : makeInt(r.value)
    case 'float':
      return makeFloat(r.value)
    default:
      return s
  }
}

function convert(doc: Document, node: Node | null | undefined, depth: number): Value {
  if (depth > 10_000) throw new MappingError('failed to parse value as YAML: document nested too deeply')
  if (node === null || node === undefined) return null
  if (isAlias(node)) return convert(doc, node.resolve(doc) as Node | undefined, depth + 1)
  if (isScalar(node)) return scalarValue(node.value, node.type, node.tag)
  if (isSeq(node)) return node.items.map((item) => convert(doc, item as Node, depth + 1))
  if (isMap(node)) {
    const out: VObject = {}
    const merges: Node[] = []
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null
      if (isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.tag === undefined && keyNode.value === '<<') {
        merges.push(pair.value as Node)
        continue
      }
      const key = convert(doc, keyNode, depth + 1)
      setKey(out, typeof key === 'string' ? key : valueToString(key), convert(doc, pair.value as Node | null, depth + 1))
    }
    for (const m of merges) {
      const sources = isSeq(m) ? m.items.map((i) => convert(doc, i as Node, depth + 1)) : [convert(doc, m, depth + 1)]
      for (const src of sources) {
        if (!isObject(src)) {
          throw new MappingError('failed to parse value as YAML: map merge requires map or sequence of maps as the value')
        }
        for (const [k, v] of Object.entries(src)) if (!hasKey(out, k)) setKey(out, k, v)
      }
    }
    return out
  }
  return null
}
