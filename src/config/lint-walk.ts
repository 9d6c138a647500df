/**
 * The lint walk: FieldSpec trees checked against YAML nodes, rule for rule and message for message
 * as the reference's `internal/docs/format_yaml.go`. Positions come from the nodes, so findings
 * point into the raw text as submitted; a node without a position (built from a value or by
 * `--set`) borrows its parent's.
 */
import { isAlias, isMap, isScalar, isSeq, type Pair } from 'yaml'
import type { ComponentKind, FieldSpec, SpecLookup } from '../spec/index.js'
import type { BloblangChecker } from './bloblang-check.js'
import { SECRET_MARKER } from './secrets.js'
import { canLabel, componentHint, componentKindOf, inferComponentType, reservedKeys } from './component.js'
import { didYouMean } from './suggest.js'
import { goList, isPlainObject } from './values.js'
import { deref, formatPath, isBlockLiteral, keyString, mergedPairs, nodePosition, shortTag, valueOrigin, type ConfigPath, type Position, type YamlDoc } from './yaml.js'

export type LintLevel = 'error' | 'warning'

export type LintType =
  | 'custom'
  | 'failed_read'
  | 'missing_env_var'
  | 'invalid_option'
  | 'bad_label'
  | 'missing_label'
  | 'duplicate_label'
  | 'bad_bloblang'
  | 'should_omit'
  | 'component_missing'
  | 'component_not_found'
  | 'unknown'
  | 'missing'
  | 'expected_array'
  | 'expected_object'
  | 'expected_scalar'
  | 'deprecated'

export interface LintFinding {
  line: number
  /** 1 for almost every rule; Bloblang errors point at the column inside the field. */
  col: number
  message: string
  /** Config path of the offending node, e.g. `pipeline.processors[2].mapping` (`''` = root). */
  path: string
  level: LintLevel
  type: LintType
  /**
   * "did you mean `mapping`?" for an unknown name close to a known one. Shown by `weir lint` and
   * in logs; never part of `message`, which stays the reference's text.
   */
  hint?: string
}

export interface LintWalkOptions {
  /** `--deprecated`: deprecated components and fields are findings. */
  rejectDeprecated?: boolean
  /** `--labels`: components that can have a label must have one. */
  requireLabels?: boolean
  bloblang: BloblangChecker
  /** Called for every component whose type is known (e.g. the strict-mode `catch` check). */
  onComponent?: (c: WalkedComponent) => void
}

export interface WalkedComponent {
  kind: ComponentKind
  name: string
  line: number
  path: string
}

const LABEL_RE = /^[a-z0-9_-]+$/
const BAD_LABEL = 'should match the regular expression /^[a-z0-9_\\-]+$/ and must not start with an underscore'

export class LintWalk {
  readonly findings: LintFinding[] = []
  /** Label → line of first definition; one table per linted document, as in the reference. */
  readonly #labels = new Map<string, number>()
  readonly #doc: YamlDoc
  readonly #lookup: SpecLookup
  readonly #opts: LintWalkOptions

  constructor(doc: YamlDoc, lookup: SpecLookup, opts: LintWalkOptions) {
    this.#doc = doc
    this.#lookup = lookup
    this.#opts = opts
  }

  #pos(node: unknown, fallback: Position): Position {
    return nodePosition(this.#doc, node) ?? fallback
  }

  #add(level: LintLevel, type: LintType, at: Position, path: ConfigPath, message: string, col = 1, hint?: string): void {
    this.findings.push({ line: at.line, col, message, path: formatPath(path), level, type, ...(hint ? { hint } : {}) })
  }

  /** An object whose keys are described by `fields` (`FieldSpecs.LintYAML`). */
  fields(fields: readonly FieldSpec[], raw: unknown, path: ConfigPath, fb: Position): void {
    const node = deref(this.#doc, raw)
    const at = this.#pos(node, fb)
    if (!isMap(node)) {
      this.#add('error', 'expected_object', at, path, `expected object value, got ${shortTag(node)}`)
      return
    }
    const byName = new Map(fields.map((f) => [f.name, f]))
    const seen = new Set<string>()
    this.#walkPairs(node.items as Pair[], (pair) => {
      const key = keyString(pair)
      const spec = byName.get(key)
      const keyAt = this.#pos(pair.key, at)
      if (!spec) {
        if (!isAlias(pair.value)) this.#add('error', 'unknown', keyAt, [...path, key], `field ${key} not recognised`, 1, didYouMean(key, byName.keys()))
        return
      }
      seen.add(key)
      this.field(spec, pair.value, [...path, key], keyAt)
    })
    for (const f of fields) {
      if (seen.has(f.name)) continue
      const core = componentKindOf(f) !== undefined
      const hasChildren = (f.children?.length ?? 0) > 0
      if (!f.optional && !f.deprecated && f.default === undefined && !core && (f.kind ?? 'scalar') === 'scalar' && !hasChildren) {
        this.#add('error', 'missing', at, path, `field ${f.name} is required`)
      }
    }
  }

  /** Own pairs in order, and the pairs of `<<` merge sources where they appear. */
  #walkPairs(items: readonly Pair[], visit: (p: Pair) => void): void {
    for (const pair of items) {
      if (isScalar(pair.key) && typeof pair.key.value === 'symbol') {
        const src = deref(this.#doc, pair.value)
        for (const s of isSeq(src) ? src.items : [src]) {
          const m = deref(this.#doc, s)
          if (isMap(m)) this.#walkPairs(m.items as Pair[], visit)
        }
        continue
      }
      visit(pair)
    }
  }

  /** One field's value (`FieldSpec.LintYAML`). */
  field(field: FieldSpec, raw: unknown, path: ConfigPath, fb: Position): void {
    const node = deref(this.#doc, raw)
    const at = this.#pos(node, fb)
    if (this.#opts.rejectDeprecated && field.deprecated) this.#add('error', 'deprecated', at, path, `field ${field.name} is deprecated`)
    const kind = field.kind ?? 'scalar'
    if (kind === 'scalar') this.#custom(field, node, path, at)
    if (kind === 'array') {
      if (!isSeq(node)) {
        this.#add('error', 'expected_array', at, path, 'expected array value')
        return
      }
      const item: FieldSpec = { ...field, kind: 'scalar', deprecated: false }
      node.items.forEach((it, i) => this.field(item, it, [...path, i], at))
      return
    }
    if (kind === 'map') {
      if (!isMap(node)) {
        this.#add('error', 'expected_object', at, path, `expected object value, got ${shortTag(node)}`)
        return
      }
      const item: FieldSpec = { ...field, kind: 'scalar', deprecated: false }
      this.#walkPairs(node.items as Pair[], (p) => this.field(item, p.value, [...path, keyString(p)], this.#pos(p.key, at)))
      return
    }
    const core = componentKindOf(field)
    if (core) {
      this.component(core, node, path, at)
      return
    }
    if (field.type === 'object' && (field.children?.length ?? 0) > 0) {
      this.fields(field.children!, node, path, at)
      return
    }
    switch (field.type) {
      case 'bool':
      case 'string':
      case 'int':
      case 'float':
      case 'duration':
      case 'interp':
      case 'bloblang':
        if (isMap(node) || isSeq(node)) this.#add('error', 'expected_scalar', at, path, `expected ${scalarTypeName(field)} value`)
        break
      case 'object':
        if (!isMap(node)) this.#add('error', 'expected_object', at, path, `expected object value, got ${shortTag(node)}`)
        break
    }
  }

  /** Options, the field's own lint function and Bloblang compilation, at the value's position. */
  #custom(field: FieldSpec, node: unknown, path: ConfigPath, at: Position): void {
    const value = this.#toJS(node)
    // Block literals start on the line after the `|`.
    const line = at.line + (isBlockLiteral(node) ? 1 : 0)
    const here: Position = { line, col: 1 }
    if (field.options && !isMap(node) && !isSeq(node)) {
      const s = value === null || value === undefined ? 'null' : String(value)
      if (!field.options.some((o) => o.toLowerCase() === s.toLowerCase())) {
        this.#add('error', 'invalid_option', here, path, `value ${field.secret ? SECRET_MARKER : s} is not a valid option for this field`)
      }
    }
    if (field.lint) {
      let msgs: string[]
      try {
        msgs = field.lint(value)
      } catch (err) {
        msgs = [`field lint failed: ${err instanceof Error ? err.message : String(err)}`]
      }
      // Lint findings end up in logs and API bodies: a secret's value must not ride along.
      const secret = field.secret ? scalarString(value) : undefined
      for (const msg of msgs) this.#add('error', 'custom', here, path, secret ? msg.split(secret).join(SECRET_MARKER) : msg)
    }
    const str = scalarString(value)
    if ((field.type === 'interp' || field.type === 'bloblang') && str !== undefined && str !== '') {
      const p = field.type === 'interp' ? this.#opts.bloblang.interpolation(str) : this.#opts.bloblang.mapping(str)
      if (p) {
        const origin = valueOrigin(this.#doc, node) ?? { line, col: at.col }
        if (p.line !== undefined) this.#add('error', 'bad_bloblang', { line: origin.line + p.line - 1, col: 1 }, path, p.message, origin.col + (p.col ?? 0))
        else this.#add('error', 'bad_bloblang', here, path, p.message)
      }
    }
  }

  /** A component object (`LintYAML(ctx, cType, node)`). */
  component(kind: ComponentKind, raw: unknown, path: ConfigPath, fb: Position): void {
    const node = deref(this.#doc, raw)
    const at = this.#pos(node, fb)
    if (isSeq(node)) {
      this.#add('error', 'expected_object', at, path, `expected object value, got ${shortTag(node)}`)
      return
    }
    // A scalar or empty component has no keys to check; building it reports the problem.
    if (!isMap(node) || node.items.length === 0) return
    const pairs = mergedPairs(this.#doc, node)
    let name = ''
    const keys: string[] = []
    for (const p of pairs) {
      const k = keyString(p)
      if (k === 'type') {
        const v = deref(this.#doc, p.value)
        name = isScalar(v) && v.value !== null && v.value !== undefined ? String(v.value) : ''
        break
      }
      keys.push(k)
    }
    if (name === '') {
      const inf = inferComponentType(kind, keys, undefined, this.#lookup)
      if (!inf.ok) {
        const what = keys.length === 1 ? keys[0]! : goList(keys)
        this.#add('warning', 'component_missing', at, path, `unable to infer component type: ${what}`, 1, componentHint(kind, keys, this.#lookup))
        return
      }
      name = inf.name
    }
    const spec = this.#lookup.get(kind, name)
    if (!spec) {
      this.#add('warning', 'component_not_found', at, path, `failed to obtain docs for ${kind} type ${name}`, 1, didYouMean(name, this.#lookup.names(kind)))
      return
    }
    this.#opts.onComponent?.({ kind, name, line: at.line, path: formatPath(path) })
    if (this.#opts.rejectDeprecated && spec.status === 'deprecated') this.#add('error', 'deprecated', at, path, `component ${spec.name} is deprecated`)

    const own = pairs.find((p) => keyString(p) === name)
    if (own) this.field(spec.config, own.value, [...path, name], this.#pos(own.key, at))

    const reserved = reservedKeys(kind)
    let parentValue: unknown
    const parent = (): unknown => (parentValue ??= this.#toJS(node))
    let hasLabel = false
    for (const p of pairs) {
      const key = keyString(p)
      if (key === name || key === 'type') continue
      const keyAt = this.#pos(p.key, at)
      if (key === 'plugin') this.#add('error', 'should_omit', keyAt, [...path, key], 'plugin object is ineffective')
      hasLabel ||= key === 'label'
      if (!reserved.has(key)) {
        this.#add('error', 'unknown', keyAt, [...path, key], `field ${key} is invalid when the component type is ${name} (${kind})`, 1, didYouMean(key, reserved))
        continue
      }
      this.#reserved(key, p.value, [...path, key], keyAt, parent)
    }
    if (this.#opts.requireLabels && canLabel(kind) && !hasLabel && name !== 'resource') {
      this.#add('error', 'missing_label', at, path, `label is required for ${spec.name}`)
    }
  }

  #reserved(key: string, raw: unknown, path: ConfigPath, fb: Position, parent: () => unknown): void {
    const node = deref(this.#doc, raw)
    const at = this.#pos(node, fb)
    const value = this.#toJS(node)
    switch (key) {
      case 'label': {
        const pv = parent()
        const p = isPlainObject(pv) ? pv : {}
        if (p.type === 'resource' || (typeof p.resource === 'string' && p.resource !== '')) {
          this.#add('error', 'should_omit', at, path, 'label field should be omitted when pointing to a resource')
        }
        if (isMap(node) || isSeq(node)) {
          this.#add('error', 'expected_scalar', at, path, 'expected string value')
          return
        }
        this.#label(value, at.line + (isBlockLiteral(node) ? 1 : 0), path)
        return
      }
      case 'processors':
        if (Array.isArray(value) && value.length === 0) {
          this.#add('error', 'should_omit', at, path, 'field processors is empty and can be removed')
        }
        this.field({ name: 'processors', type: 'processor', kind: 'array' }, node, path, at)
        return
      case 'mapping':
        this.field({ name: 'mapping', type: 'bloblang', default: '' }, node, path, at)
        return
      case 'meta':
        this.field({ name: 'meta', type: 'any', kind: 'map', optional: true }, node, path, at)
        return
      case 'plugin':
        this.field({ name: 'plugin', type: 'object', optional: true }, node, path, at)
        return
    }
  }

  #label(raw: unknown, line: number, path: ConfigPath): void {
    const value = scalarString(raw)
    if (value === undefined || value === '') return
    if (value.startsWith('_') || value.startsWith('-') || !LABEL_RE.test(value)) {
      this.#add('error', 'bad_label', { line, col: 1 }, path, `invalid label '${value}': ${BAD_LABEL}`)
      return
    }
    const prev = this.#labels.get(value)
    if (prev !== undefined) {
      this.#add('error', 'duplicate_label', { line, col: 1 }, path, `label '${value}' collides with a previously defined label at line ${prev}`)
      return
    }
    this.#labels.set(value, line)
  }

  #toJS(node: unknown): unknown {
    if (node === null || node === undefined) return null
    if (isScalar(node)) return typeof node.value === 'symbol' ? '<<' : node.value
    if (isMap(node) || isSeq(node)) {
      try {
        return node.toJS(this.#doc.document)
      } catch {
        return undefined
      }
    }
    return undefined
  }
}

function scalarTypeName(field: FieldSpec): string {
  if (field.type === 'duration' || field.type === 'interp' || field.type === 'bloblang') return 'string'
  return field.type
}

/** A scalar as the string a Go string field would decode it to (numbers and bools included). */
function scalarString(v: unknown): string | undefined {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  return undefined
}
