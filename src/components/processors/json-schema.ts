/**
 * `json_schema` processor: checks each message against a JSON Schema (drafts 4, 6 and 7, with
 * the reference's library semantics and messages, see `src/bloblang/json-schema/`). A message that fails
 * is flagged with every violation, one per line, and continues unchanged.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { request } from 'undici'
import { compileJsonSchema, compileJsonSchemaText, parseSchemaText, type SchemaResult } from '../../bloblang/json-schema/index.js'
import { SchemaError } from '../../bloblang/json-schema/compile.js'
import { openMessage } from '../../config/read-file.js'
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { invalid } from '../shared/field-error.js'
import { errorFlagger } from '../shared/processor-error.js'

const PERSON = `{
  "type": "object",
  "properties": {
    "firstName": { "type": "string" },
    "age": { "type": "integer", "minimum": 0 }
  }
}`

/** Reads a schema file; one that does not open fails with Go's text (`open <path>: no such file or directory`). */
function readSchemaFile(url: string): ReturnType<typeof parseSchemaText> {
  const path = fileURLToPath(url)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    return { ok: false, error: openMessage(path, err) }
  }
  return parseSchemaText(text)
}

/** `file://` (relative to the working directory, as in the reference) or `http://` schemas. */
async function loadSchemaPath(schemaPath: string): Promise<SchemaResult> {
  if (schemaPath.startsWith('http://')) {
    let text: string
    try {
      const res = await request(schemaPath, { headersTimeout: 30_000, bodyTimeout: 30_000 })
      text = await res.body.text()
      if (res.statusCode !== 200) return { ok: false, error: `Could not read schema from HTTP, response status is ${res.statusCode}` }
    } catch (err) {
      return { ok: false, error: (err as Error).message }
    }
    const parsed = parseSchemaText(text)
    return parsed.ok ? compileJsonSchema(parsed.doc) : parsed
  }
  const url = pathToFileURL(resolve(decodeURIComponent(schemaPath.slice('file://'.length)))).href
  const parsed = readSchemaFile(url)
  if (!parsed.ok) return parsed
  return compileJsonSchema(parsed.doc, url, (ref) => {
    const r = readSchemaFile(ref)
    if (!r.ok) throw new SchemaError(r.error)
    return r.doc
  })
}

export default defineComponent({
  kind: 'processor',
  name: 'json_schema',
  status: 'stable',
  summary: 'Checks messages against a JSON Schema and flags those that do not match; payloads are never changed.',
  config: f.object('', [
    f.string('schema', { optional: true, description: 'A schema to apply. Use either this or the `schema_path` field.' }),
    f.string('schema_path', { optional: true, description: 'The path of a schema document to apply (`file://` or `http://`). Use either this or the `schema` field.' }),
  ]),
  examples: [
    {
      title: 'Flag people with a negative age',
      config: `pipeline:
  processors:
    - json_schema:
        schema: '${PERSON.replace(/\s+/g, ' ')}'
    - mapping: 'root = if errored() { error() } else { this }'
`,
      input: ['{"firstName":"John","age":-21}'],
      output: ['age must be greater than or equal to 0'],
    },
  ],
  build: async (c, ctx): Promise<Processor> => {
    let compiled: SchemaResult
    if (c.schema_path !== undefined && c.schema_path !== '') {
      if (!c.schema_path.startsWith('file://') && !c.schema_path.startsWith('http://')) {
        throw invalid('schema_path', 'invalid schema_path provided, must start with file:// or http://')
      }
      compiled = await loadSchemaPath(c.schema_path)
      if (!compiled.ok) throw invalid('schema_path', `failed to load JSON schema definition: ${compiled.error}`)
    } else if (c.schema !== undefined && c.schema !== '') {
      compiled = compileJsonSchemaText(c.schema)
      if (!compiled.ok) throw invalid('schema', `failed to load JSON schema definition: ${compiled.error}`)
    } else {
      throw invalid('schema', 'either schema or schema_path must be provided')
    }
    const schema = compiled.schema
    const flag = errorFlagger(ctx, 'json_schema')
    return {
      synchronous: true,
      process(batch: Batch): Batch[] {
        for (const m of batch) {
          try {
            const failure = schema.check(m.structured())
            if (failure !== undefined) flag(m, new Error(failure))
          } catch (err) {
            flag(m, err)
          }
        }
        return [batch]
      },
      close: async () => {},
    }
  },
})
