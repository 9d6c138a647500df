/**
 * JSON Schema validation with the semantics and messages of gojsonschema 1.2.0, the library the
 * reference's `json_schema` method and processor use. Compiling returns a value (a schema or
 * the reason there is none); validating returns the reference's error text or undefined.
 */
import { MappingError, parseJson, JsonSyntaxError, type Value } from '../../value/index.js'
import { compileSchemaDoc, SchemaError, type RefLoader, type SubSchema } from './compile.js'
import { fromValue, type Doc } from './document.js'
import { ROOT, violationsText } from './messages.js'
import { validateDoc } from './validate.js'

export type SchemaResult = { ok: true; schema: JsonSchema } | { ok: false; error: string }

export class JsonSchema {
  readonly #root: SubSchema
  constructor(root: SubSchema) {
    this.#root = root
  }
  /**
   * The reference's text for every way `value` fails the schema, one per line; undefined when
   * it passes. Throws a MappingError for a value JSON cannot hold (NaN), as the reference does.
   */
  check(value: Value): string | undefined {
    let errors
    try {
      errors = validateDoc(this.#root, fromValue(value), ROOT)
    } catch (e) {
      // A schema that refers to itself without descending into the document (`{"$ref":"#"}`,
      // `{"allOf":[{"$ref":"#"}]}`) never ends; gojsonschema overflows its stack and takes the
      // process down. Here it is this value's error.
      if (e instanceof RangeError) throw new MappingError('json schema validation did not terminate: the schema refers to itself without descending into the document')
      throw e
    }
    return errors.length === 0 ? undefined : violationsText(errors)
  }
}

/**
 * Schema text as Go's json.Decoder reads it: the first value only, with its error texts
 * (`EOF` for nothing at all, `unexpected EOF` for a cut-off document).
 */
export function parseSchemaText(text: string): { ok: true; doc: Doc } | { ok: false; error: string } {
  let v: Value
  try {
    v = parseJson(text, 'preserve')
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e
    if (e.message.endsWith('after top-level value')) return parseSchemaText(text.slice(0, e.offset))
    if (e.message === 'unexpected end of JSON input') return { ok: false, error: text.trim() === '' ? 'EOF' : 'unexpected EOF' }
    return { ok: false, error: e.message }
  }
  return { ok: true, doc: fromValue(v, 'source') }
}

/** Compiles a parsed schema; `ref` names its document (a file:// URL, or '' for inline text). */
export function compileJsonSchema(doc: Doc, ref = '', load?: RefLoader): SchemaResult {
  try {
    return { ok: true, schema: new JsonSchema(compileSchemaDoc(doc, ref, load)) }
  } catch (e) {
    if (e instanceof SchemaError || e instanceof MappingError) return { ok: false, error: e.message }
    throw e
  }
}

/** Compiles schema text (the `json_schema` method's argument, the processor's `schema`). */
export function compileJsonSchemaText(text: string, load?: RefLoader): SchemaResult {
  const parsed = parseSchemaText(text)
  return parsed.ok ? compileJsonSchema(parsed.doc, '', load) : parsed
}

export type { RefLoader }
