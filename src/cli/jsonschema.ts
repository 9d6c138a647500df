/**
 * `weir jsonschema [stream|root|resources|full]`: the JSON Schema of a config document, for editors
 * (`# yaml-language-server: $schema=weir.schema.json` at the top of a stream file).
 */
import type { Registry } from '../components/registry.js'
import { withBuiltins } from '../config/builtin-specs.js'
import { documentSchema } from '../config/json-schema.js'
import { fullFields, resourceFileFields, rootFields, streamFileFields } from '../config/schema.js'

export type SchemaDocument = 'stream' | 'root' | 'resources' | 'full'

const DOCUMENTS: readonly SchemaDocument[] = ['stream', 'root', 'resources', 'full']

/** The schema of one document kind, as pretty-printed JSON. */
export function renderJsonSchema(registry: Registry, doc: SchemaDocument): string {
  const lookup = withBuiltins(registry)
  const fields = { stream: streamFileFields, root: rootFields, resources: () => resourceFileFields(), full: fullFields }[doc](lookup)
  const title = { stream: 'Weir stream config', root: 'Weir root config', resources: 'Weir resource file', full: 'Weir config' }[doc]
  return JSON.stringify(documentSchema(fields, lookup, title), null, 2)
}

export function runJsonSchema(argv: string[], io: { stdout: (l: string) => void; stderr: (l: string) => void; registry: Registry }): number {
  const doc = (argv[0] ?? 'stream') as SchemaDocument
  if (argv.length > 1 || !DOCUMENTS.includes(doc)) {
    io.stderr(`usage: weir jsonschema [${DOCUMENTS.join('|')}]`)
    return 1
  }
  io.stdout(renderJsonSchema(io.registry, doc))
  return 0
}
