/**
 * Templates (`-t` files, the reference's `internal/template`): a component defined by fields and a
 * Bloblang mapping that renders its config into another component config of the same kind. A
 * template becomes an ordinary `ComponentSpec` with a `render` hook, so lint, defaults, docs and the
 * JSON schema treat it like any built-in.
 */
import { weirError, type ErrorData } from '../errors.js'
import { compileMapping, fromPlain, toPlain } from '../bloblang/index.js'
import { Message } from '../message/message.js'
import type { ComponentKind, ComponentSpec, FieldSpec, FieldType } from '../spec/index.js'
import { readConfigText } from './stream-file.js'
import { isPlainObject } from './values.js'
import { isBlockLiteral, locate, nodeAt, parseYamlText, type ConfigPath, type YamlDoc } from './yaml.js'

/** Kinds a template may define (`registerTemplate` in the reference). */
const TEMPLATE_KINDS: ReadonlySet<string> = new Set(['cache', 'input', 'output', 'processor', 'rate_limit'])
const TEMPLATE_KEYS: ReadonlySet<string> = new Set(['name', 'type', 'status', 'categories', 'summary', 'description', 'fields', 'mapping', 'metrics_mapping', 'tests'])
const FIELD_KEYS: ReadonlySet<string> = new Set(['name', 'description', 'type', 'kind', 'default', 'advanced', 'options'])
const PLAIN_TYPES: Readonly<Record<string, FieldType>> = {
  string: 'string',
  int: 'int',
  float: 'float',
  bool: 'bool',
  object: 'object',
  unknown: 'any',
  bloblang: 'bloblang',
  input: 'input',
  buffer: 'buffer',
  cache: 'cache',
  processor: 'processor',
  rate_limit: 'rate_limit',
  output: 'output',
  metrics: 'metrics',
  tracer: 'tracer',
  scanner: 'scanner',
}
const STATUSES: ReadonlySet<string> = new Set(['stable', 'beta', 'experimental', 'deprecated'])

export interface TemplateSource {
  file: string
  text: string
}

export type TemplateRead = { ok: true; spec: ComponentSpec; source: TemplateSource } | { ok: false; error: ErrorData }

/** Reads and compiles one template file. */
export function readTemplateFile(file: string): TemplateRead {
  const raw = readConfigText(file)
  if (!raw.ok) return { ok: false, error: { ...raw.error, file } }
  return compileTemplate({ file, text: raw.text })
}

/**
 * Compiles a template's text into a component spec; errors are located in the template file
 * (`fields[1].type`, line and column), as the reference's `template <path>: field 1: ...`.
 */
export function compileTemplate(source: TemplateSource): TemplateRead {
  const parsed = parseYamlText(source.text, source.file)
  if (!parsed.ok) return { ok: false, error: { ...parsed.error, file: source.file } }
  const doc = parsed.doc
  const fail = (path: ConfigPath, message: string): TemplateRead => {
    const pos = locate(doc, path)
    return { ok: false, error: weirError('CONFIG_TEMPLATE', `template ${source.file}: ${message}`, { file: source.file, ...(pos ? { line: pos.line, col: pos.col } : {}) }).data }
  }
  const t = parsed.value
  if (!isPlainObject(t)) return fail([], 'expected an object')
  for (const k of Object.keys(t)) if (!TEMPLATE_KEYS.has(k)) return fail([k], `field ${k} not recognised`)
  const name = t.name
  if (typeof name !== 'string' || name === '') return fail(['name'], 'a template must have a name')
  const kind = t.type
  if (typeof kind !== 'string' || !TEMPLATE_KINDS.has(kind)) return fail(['type'], `unable to register template for component type ${String(kind ?? '')}`)
  const status = t.status ?? 'stable'
  if (typeof status !== 'string' || !STATUSES.has(status)) return fail(['status'], `unrecognised status: ${String(status)}`)
  const fieldsRaw = t.fields ?? []
  if (!Array.isArray(fieldsRaw)) return fail(['fields'], 'expected fields to be a list')
  const children: FieldSpec[] = []
  for (const [i, fr] of fieldsRaw.entries()) {
    const r = templateField(fr)
    if (typeof r === 'string') return fail(['fields', i], `field ${i}: ${r}`)
    children.push(r)
  }
  if (typeof t.mapping !== 'string') return fail(['mapping'], 'a template must have a mapping')
  let mapping
  try {
    mapping = compileMapping(t.mapping)
  } catch (err) {
    const e = err instanceof Error ? err.message : String(err)
    const at = mappingPosition(doc, err)
    return { ok: false, error: weirError('CONFIG_TEMPLATE', `template ${source.file}: parse mapping: ${e}`, { file: source.file, ...at }).data }
  }
  if (typeof t.metrics_mapping === 'string' && t.metrics_mapping !== '') {
    // Checked like the reference does at load; applying it to the template's series is not done yet.
    try {
      compileMapping(t.metrics_mapping)
    } catch (err) {
      return fail(['metrics_mapping'], `parse metrics mapping: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  const render = (conf: unknown, label: string): unknown => {
    const msg = Message.fromValue(fromPlain(conf), new Map([['label', fromPlain(label)]]))
    let out: Message | undefined
    try {
      out = mapping.execMapping([msg], 0)
    } catch (err) {
      throw weirError('STREAM_BUILD', `mapping failed for template component: ${err instanceof Error ? err.message : String(err)}`)
    }
    if (!out) throw weirError('STREAM_BUILD', 'mapping for template component resulted in invalid config: message deleted')
    try {
      return toPlain(out.structured())
    } catch (err) {
      throw weirError('STREAM_BUILD', `mapping for template component resulted in invalid config: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  const templateKind = kind as ComponentKind
  const spec: ComponentSpec = {
    kind: templateKind,
    name,
    status: status as NonNullable<ComponentSpec['status']>,
    summary: typeof t.summary === 'string' ? t.summary : '',
    config: { name: '', type: 'object', children },
    render,
    // Kinds without input/output-level processors need no merging: build what the mapping rendered.
    build: (conf, ctx) => ctx.build(templateKind, render(conf, ctx.label), ''),
  }
  return { ok: true, spec, source }
}

/** One entry of `fields:` as a field spec, or what is wrong with it. */
function templateField(raw: unknown): FieldSpec | string {
  if (!isPlainObject(raw)) return 'expected an object'
  for (const k of Object.keys(raw)) if (!FIELD_KEYS.has(k)) return `field ${k} not recognised`
  if (typeof raw.name !== 'string' || raw.name === '') return 'missing name field'
  if (raw.type === undefined) return 'missing type field'
  if (typeof raw.type !== 'string') return 'expected type to be a string'
  const spec: FieldSpec = { name: raw.name, type: 'any' }
  if (typeof raw.description === 'string') spec.description = raw.description
  if (raw.advanced === true) spec.advanced = true
  if (raw.default !== undefined) spec.default = raw.default
  if (raw.type === 'string_enum') {
    if (!Array.isArray(raw.options)) return `expected options to be an array, got: ${goTypeName(raw.options)}`
    if (raw.options.length === 0) return 'at least one option must be provided'
    if (!raw.options.every((o) => typeof o === 'string')) return 'only string options are allowed'
    const opts = [...(raw.options as string[])].sort()
    if (new Set(opts).size !== opts.length) return 'duplicate options are not allowed'
    spec.type = 'string'
    spec.options = opts
  } else if (raw.type === 'string_annotated_enum') {
    if (!isPlainObject(raw.options)) return `expected options to be an object, got: ${goTypeName(raw.options)}`
    const keys = Object.keys(raw.options).sort()
    if (keys.length === 0) return 'at least one annotated option must be provided'
    for (const k of keys) if (typeof raw.options[k] !== 'string') return `expected the annotation for option "${k}" to be a string, got: ${goTypeName(raw.options[k])}`
    spec.type = 'string'
    spec.options = keys
  } else {
    const type = PLAIN_TYPES[raw.type]
    if (!type) return `unrecognised type: ${raw.type}`
    spec.type = type
  }
  const kind = raw.kind ?? 'scalar'
  if (kind === 'list') spec.kind = 'array'
  else if (kind === 'map') spec.kind = 'map'
  else if (kind !== 'scalar') return `unrecognised kind: ${String(kind)}`
  return spec
}

function goTypeName(v: unknown): string {
  if (v === undefined || v === null) return '<nil>'
  if (Array.isArray(v)) return '[]interface {}'
  if (typeof v === 'object') return 'map[string]interface {}'
  return typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float64') : typeof v
}

/** The file position of a Bloblang parse error inside the template's `mapping:` block. */
function mappingPosition(doc: YamlDoc, err: unknown): { line?: number; col?: number } {
  const at = locate(doc, ['mapping'])
  const data = err && typeof err === 'object' && 'data' in err ? (err as { data: ErrorData }).data : undefined
  if (!at) return {}
  if (!data?.line) return { line: at.line, col: at.col }
  // A block scalar starts on the line after the key; its text is indented.
  return { line: at.line + data.line - (isBlockLiteral(nodeAt(doc, ['mapping'])?.node) ? 0 : 1), col: data.col ?? 1 }
}

/**
 * Reads every template file; the first failure stops the load, as the reference refuses to start
 * with a broken template.
 */
export function loadTemplates(files: readonly string[]): { ok: true; specs: ComponentSpec[]; sources: TemplateSource[] } | { ok: false; error: ErrorData } {
  const specs: ComponentSpec[] = []
  const sources: TemplateSource[] = []
  for (const file of files) {
    const r = readTemplateFile(file)
    if (!r.ok) return r
    specs.push(r.spec)
    sources.push(r.source)
  }
  return { ok: true, specs, sources }
}

/** Specs from already-read sources (the worker side gets the text, not the files). */
export function templatesFromSources(sources: readonly TemplateSource[]): ComponentSpec[] {
  const out: ComponentSpec[] = []
  for (const s of sources) {
    const r = compileTemplate(s)
    if (r.ok) out.push(r.spec)
  }
  return out
}
