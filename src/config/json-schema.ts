/**
 * A JSON Schema (draft-07) of a config document, generated from the same FieldSpec data that lint
 * and defaults walk, for editors (yaml-language-server completion, hover and validation).
 *
 * Component kinds become `definitions/<kind>`: one object whose properties are every component
 * name of that kind plus the reserved keys (`label`, `processors`, ...), with exactly one component
 * name required. The reference (`internal/jsonschema`) uses `anyOf` over open objects, which lets a
 * misspelled component name through; closing the object is what makes "did you mean" errors
 * possible in an editor.
 */
import type { ComponentKind, FieldSpec, SpecLookup } from '../spec/index.js'
import { canLabel, componentKindOf, reservedKeys } from './component.js'

export type JsonSchema = Record<string, unknown>

export const COMPONENT_KINDS: readonly ComponentKind[] = ['input', 'buffer', 'processor', 'output', 'cache', 'rate_limit', 'scanner', 'metrics', 'tracer']

// Env references are resolved before a config is decoded, so any scalar may be written as one.
const ENV_STRING: JsonSchema = { type: 'string', pattern: '^\\s*\\$\\{[0-9A-Za-z_.]+(:((\\$\\{[^}]+\\})|[^}])*)?(\\|[0-9A-Za-z]+)?\\}\\s*$' }

const LABEL: JsonSchema = {
  type: 'string',
  pattern: '^[a-z0-9][a-z0-9_-]*$',
  description: 'A unique label that identifies the component in logs, metrics and the API.',
}

/**
 * The schema of a document whose top-level keys are `fields` (e.g. `streamFileFields(lookup)`).
 *
 * @example JSON.stringify(documentSchema(streamFileFields(reg), withBuiltins(reg)))
 */
export function documentSchema(fields: readonly FieldSpec[], lookup: SpecLookup, title = 'Weir stream config'): JsonSchema {
  const definitions: Record<string, JsonSchema> = {}
  for (const kind of COMPONENT_KINDS) definitions[kind] = kindSchema(kind, lookup)
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title,
    ...objectSchema(fields),
    // A document may be empty (every field takes its default).
    type: ['object', 'null'],
    definitions,
  }
}

function kindSchema(kind: ComponentKind, lookup: SpecLookup): JsonSchema {
  const names = lookup.names(kind)
  const properties: Record<string, JsonSchema> = {}
  for (const name of names) {
    const spec = lookup.get(kind, name)!
    const s = fieldSchema(spec.config)
    const about = [spec.summary, spec.status && spec.status !== 'stable' ? `(${spec.status})` : ''].filter(Boolean).join(' ')
    properties[name] = about ? { ...s, description: about } : s
  }
  for (const key of reservedKeys(kind)) {
    if (key === 'label' && canLabel(kind)) properties.label = LABEL
    else if (key === 'processors') properties.processors = { type: 'array', items: { $ref: '#/definitions/processor' }, description: 'Processors applied to messages of this component only.' }
    else if (key === 'type') properties.type = { type: 'string', enum: names, description: 'The component type (legacy form; the type key alone is enough).' }
    else if (key === 'mapping') properties.mapping = { type: 'string', description: 'A Bloblang mapping applied to metric names and labels.' }
    else if (key === 'plugin') properties.plugin = { type: ['object', 'null'] }
    else if (key === 'meta') properties.meta = { type: 'object' }
  }
  return {
    type: 'object',
    properties,
    additionalProperties: false,
    // Exactly one component name: two are ambiguous, none names nothing.
    ...(names.length ? { oneOf: names.map((n) => ({ required: [n] })) } : {}),
  }
}

/** Whether lint reports a field as missing when it is left out (`LintWalk.fields`). */
function isRequired(f: FieldSpec): boolean {
  return !f.optional && !f.deprecated && f.default === undefined && componentKindOf(f) === undefined && (f.kind ?? 'scalar') === 'scalar' && !(f.children?.length ?? 0)
}

function objectSchema(fields: readonly FieldSpec[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {}
  for (const f of fields) properties[f.name] = fieldSchema(f)
  const required = fields.filter(isRequired).map((f) => f.name)
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false }
}

/** One field, with its annotations (description, default, enum). */
export function fieldSchema(f: FieldSpec): JsonSchema {
  const s = shape(f)
  const description = [f.description, f.deprecated ? 'Deprecated.' : '', f.secret ? 'Secret: write it as an ${ENV_VAR} reference.' : ''].filter(Boolean).join(' ')
  if (description) s.description = description
  if (f.default !== undefined) s.default = f.default
  return s
}

function shape(f: FieldSpec): JsonSchema {
  const kind = f.kind ?? 'scalar'
  if (kind === 'array') return { type: 'array', items: shape({ ...f, kind: 'scalar' }) }
  if (kind === 'map') return { type: 'object', additionalProperties: shape({ ...f, kind: 'scalar' }) }
  const core = componentKindOf(f)
  if (core) return { $ref: `#/definitions/${core}` }
  switch (f.type) {
    case 'object':
      // A key with nothing after it (`stdout:`) is null and means "all defaults".
      return f.children ? { ...objectSchema(f.children), type: ['object', 'null'] } : { type: ['object', 'null'] }
    case 'string':
    case 'duration':
    case 'interp':
    case 'bloblang':
      // Go decodes a YAML number or bool into a string field, so those are accepted too.
      return f.options ? { anyOf: [{ enum: caseVariants(f.options) }, ENV_STRING] } : { type: ['string', 'number', 'boolean'] }
    case 'int':
      return { anyOf: [{ type: 'integer' }, ENV_STRING] }
    case 'float':
      return { anyOf: [{ type: 'number' }, ENV_STRING] }
    case 'bool':
      return { anyOf: [{ type: 'boolean' }, ENV_STRING] }
    case 'any':
      return {}
    default:
      return {}
  }
}

/** Lint compares options case-insensitively; list the common spellings so editors accept them too. */
function caseVariants(options: readonly string[]): string[] {
  return [...new Set(options.flatMap((o) => [o, o.toLowerCase(), o.toUpperCase()]))]
}
