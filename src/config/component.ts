/**
 * Component configs (spec §3.4): which type a `{ <type>: {...}, label, processors }` object names
 * (including the legacy `{ type: x, x: {...} }` form), and its config with defaults filled in from
 * the FieldSpec, ready for `spec.build(conf, ctx)`.
 */
import { weirError } from '../errors.js'
import type { ComponentKind, ComponentSpec, FieldSpec, SpecLookup } from '../spec/index.js'
import { cloneValue, goList, isPlainObject } from './values.js'
import { formatPath, parsePath, type ConfigPath } from './yaml.js'
import { didYouMean } from './suggest.js'

const COMPONENT_KINDS: ReadonlySet<string> = new Set(['input', 'buffer', 'processor', 'output', 'cache', 'rate_limit', 'scanner', 'metrics', 'tracer'])
const LABELLED: ReadonlySet<ComponentKind> = new Set(['input', 'processor', 'output', 'cache', 'rate_limit'])

/** The kind a field holds when its type is a nested component, else undefined. */
export function componentKindOf(field: FieldSpec): ComponentKind | undefined {
  return COMPONENT_KINDS.has(field.type) ? (field.type as ComponentKind) : undefined
}

/** Keys that sit beside the type key without being a component type (`internal/docs/config.go`). */
export function reservedKeys(kind: ComponentKind): ReadonlySet<string> {
  const keys = new Set(['type', 'plugin', 'meta'])
  if (kind === 'input' || kind === 'output') keys.add('processors')
  if (kind === 'metrics') keys.add('mapping')
  if (LABELLED.has(kind)) keys.add('label')
  return keys
}

export function canLabel(kind: ComponentKind): boolean {
  return LABELLED.has(kind)
}

/** A hint for keys that name no component of `kind`: the first key that is a near miss. */
export function componentHint(kind: ComponentKind, keys: readonly string[], lookup: SpecLookup): string | undefined {
  const reserved = reservedKeys(kind)
  for (const k of keys) {
    if (reserved.has(k)) continue
    const hint = didYouMean(k, lookup.names(kind))
    if (hint) return hint
  }
  return undefined
}

export type Inference<K extends ComponentKind = ComponentKind> = { ok: true; name: string; spec: ComponentSpec<K> } | { ok: false; message: string }

/**
 * Infers the component type from an object's keys (in order). `typeValue` is the value of a
 * `type` key when present (legacy form), which wins when it is a non-empty string.
 */
export function inferComponentType<K extends ComponentKind>(kind: K, keys: readonly string[], typeValue: unknown, lookup: SpecLookup): Inference<K> {
  if (typeof typeValue === 'string' && typeValue !== '') {
    const spec = lookup.get(kind, typeValue)
    if (!spec) return { ok: false, message: `${kind} type '${typeValue}' was not recognised` }
    return { ok: true, name: typeValue, spec }
  }
  const reserved = reservedKeys(kind)
  const candidates: string[] = []
  let inferred: { name: string; spec: ComponentSpec<K> } | undefined
  for (const k of keys) {
    if (reserved.has(k)) continue
    candidates.push(k)
    const spec = lookup.get(kind, k)
    if (!spec) continue
    if (inferred) {
      const [a, b] = [inferred.name, k].sort()
      return { ok: false, message: `unable to infer ${kind} type, multiple candidates '${a}' and '${b}'` }
    }
    inferred = { name: k, spec }
  }
  if (candidates.length === 0) return { ok: false, message: `an explicit ${kind} type must be specified` }
  if (!inferred) return { ok: false, message: `unable to infer ${kind} type from candidates: ${goList([...candidates].sort())}` }
  return { ok: true, ...inferred }
}

export interface ResolvedComponent<K extends ComponentKind = ComponentKind> {
  kind: K
  name: string
  /** `''` when the component has no label. */
  label: string
  /** The value under the type key with defaults applied (an object for object configs). */
  conf: unknown
  /** Raw processor configs of an input or output (each is resolved when built). */
  processors?: unknown[]
  spec: ComponentSpec<K>
}

/**
 * Resolves a raw component object. Throws a WeirError with `path` set (`CONFIG_TYPE`,
 * `CONFIG_UNKNOWN_COMPONENT` or `CONFIG_REQUIRED`); the caller adds line and column.
 *
 * @example resolveComponent('processor', { mapping: 'root = 1' }, registry, 'pipeline.processors[0]')
 */
export function resolveComponent<K extends ComponentKind>(kind: K, raw: unknown, lookup: SpecLookup, path: string | ConfigPath): ResolvedComponent<K> {
  const segs = typeof path === 'string' ? parsePath(path) : [...path]
  const where = formatPath(segs)
  if (!isPlainObject(raw)) {
    throw weirError('CONFIG_TYPE', `unexpected value, expected object, got ${describe(raw)}`, { path: where })
  }
  const inf = inferComponentType(kind, Object.keys(raw), raw.type, lookup)
  if (!inf.ok) throw weirError('CONFIG_UNKNOWN_COMPONENT', inf.message, { path: where, hint: unknownTypeHint(kind, raw, lookup) })

  const out: ResolvedComponent<K> = { kind, name: inf.name, label: typeof raw.label === 'string' ? raw.label : '', conf: undefined, spec: inf.spec }
  if ((kind === 'input' || kind === 'output') && raw.processors !== undefined && raw.processors !== null) {
    if (!Array.isArray(raw.processors)) {
      throw weirError('CONFIG_TYPE', `processors: unexpected value, expected array got ${describe(raw.processors)}`, { path: formatPath([...segs, 'processors']) })
    }
    out.processors = raw.processors
  }
  let value = raw[inf.name]
  if (value === null || value === undefined) value = raw.plugin ?? undefined
  const missing: string[] = []
  out.conf = fillField(inf.spec.config, value === null ? undefined : value, '', missing, true)
  if (missing.length) {
    throw weirError('CONFIG_REQUIRED', `field '${missing[0]}' is required and was not present in the config`, {
      path: formatPath([...segs, inf.name, ...missing[0]!.split('.')]),
    })
  }
  return out
}

/**
 * The value with defaults applied recursively per the field spec: missing fields get their
 * defaults (cloned), objects get their children filled, array items and map values are filled
 * per element. Nested components are left raw (they are resolved when built); unknown keys are
 * kept. Never throws: required fields without a value are simply absent.
 */
export function applyDefaults(field: FieldSpec, value: unknown): unknown {
  return fillField(field, value, field.name, [], false)
}

function needsDefault(field: FieldSpec): boolean {
  return !field.optional && !field.deprecated
}

function hasChildren(field: FieldSpec): boolean {
  return field.type === 'object' && (field.children?.length ?? 0) > 0
}

function join(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`
}

/** The value of a field that was left out, or `undefined` (recording it when required). */
function defaultFor(field: FieldSpec, path: string, missing: string[], top: boolean): unknown {
  if (field.default !== undefined) {
    const d = cloneValue(field.default)
    if (hasChildren(field) && (field.kind ?? 'scalar') === 'scalar' && isPlainObject(d)) return fillChildren(field, d, path, missing)
    return d
  }
  if (field.kind === 'array') return []
  if (field.kind === 'map') return {}
  if (hasChildren(field) || (top && field.type === 'object')) return fillChildren(field, {}, path, missing)
  if (needsDefault(field) && !top) missing.push(path)
  return undefined
}

function fillField(field: FieldSpec, value: unknown, path: string, missing: string[], top = false): unknown {
  if (value === undefined) return defaultFor(field, path, missing, top)
  const kind = field.kind ?? 'scalar'
  if (kind === 'array') {
    if (!Array.isArray(value)) return value
    const item: FieldSpec = { ...field, kind: 'scalar', default: undefined }
    return value.map((v) => fillField(item, v, path, missing))
  }
  if (kind === 'map') {
    if (!isPlainObject(value)) return value
    const item: FieldSpec = { ...field, kind: 'scalar', default: undefined }
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = fillField(item, v, join(path, k), missing)
    return out
  }
  if (componentKindOf(field)) return value
  if (field.type === 'object') {
    // A null object (`stdout:` with nothing after it) means "all defaults", as in the reference.
    if (value === null) return fillChildren(field, {}, path, missing)
    if (isPlainObject(value)) return fillChildren(field, value, path, missing)
  }
  return value
}

function fillChildren(field: FieldSpec, value: Record<string, unknown>, path: string, missing: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...value }
  for (const child of field.children ?? []) {
    const filled = fillField(child, value[child.name], join(path, child.name), missing)
    if (filled !== undefined) out[child.name] = filled
  }
  return out
}

/** The hint for an object whose type is not known: its `type` value or its keys, near a known name. */
export function unknownTypeHint(kind: ComponentKind, raw: Record<string, unknown>, lookup: SpecLookup): string | undefined {
  if (typeof raw.type === 'string' && raw.type !== '') return didYouMean(raw.type, lookup.names(kind))
  return componentHint(kind, Object.keys(raw), lookup)
}

function describe(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  return typeof v
}
