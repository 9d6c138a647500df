/**
 * The root (observability) config of streams mode (spec §3.1): read, `--set` overrides, lint, and
 * a typed model with every default filled in.
 */
import { existsSync } from 'node:fs'
import { Document, LineCounter, isCollection, isMap, isSeq, type Node } from 'yaml'
import { toErrorData, type ErrorData } from '../errors.js'
import type { FieldSpec, SpecLookup } from '../spec/index.js'
import { withBuiltins } from './builtin-specs.js'
import { applyDefaults, resolveComponent } from './component.js'
import { applySet, arrayIndex, missingEnvMessage, parseSetExpression, type EnvLookup } from './env.js'
import { documentFinding, lintRootDoc, type LintFinding, type LintOptions } from './lint.js'
import { checkResourceLabels, resourceLists } from './resources.js'
import { httpField, loggerField } from './schema.js'
import { rememberSourceValue } from './secrets.js'
import { interpolateText, readConfigText } from './stream-file.js'
import { isPlainObject } from './values.js'
import { isLintDisabled, parseYamlText, type YamlDoc } from './yaml.js'

export interface HttpConfig {
  enabled: boolean
  address: string
  root_path: string
  debug_endpoints: boolean
  cert_file: string
  key_file: string
  cors: { enabled: boolean; allowed_origins: string[] }
  basic_auth: { enabled: boolean; realm: string; username: string; password_hash: string; algorithm: string; salt: string }
}

export interface LoggerConfig {
  level: string
  format: string
  add_timestamp: boolean
  level_name: string
  timestamp_name: string
  message_name: string
  static_fields: Record<string, string>
  file: { path: string; rotate: boolean; rotate_max_age_days: number }
}

export interface PrometheusConfig {
  use_histogram_timing: boolean
  histogram_buckets: number[]
  summary_quantiles_objectives: { quantile: number; error: number }[]
  add_process_metrics: boolean
  add_go_metrics: boolean
  push_url?: string
  push_interval?: string
  push_job_name: string
  push_basic_auth: { username: string; password: string }
  file_output_path: string
}

/** `mapping` plus exactly one exporter key (the one configured, or `prometheus` by default). */
export interface MetricsConfig {
  mapping: string
  prometheus?: PrometheusConfig
  json_api?: Record<string, never>
  none?: Record<string, never>
  logger?: { push_interval?: string; flush_metrics: boolean }
  [exporter: string]: unknown
}

export interface RootConfig {
  http: HttpConfig
  logger: LoggerConfig
  metrics: MetricsConfig
  /** One tracer key (`none` by default) with its config. */
  tracer: Record<string, unknown>
  shutdown_delay: string
  shutdown_timeout: string
  error_handling: { strict: boolean }
  /** Raw resource declarations (each resolved when built). */
  input_resources: unknown[]
  processor_resources: unknown[]
  output_resources: unknown[]
  cache_resources: unknown[]
  rate_limit_resources: unknown[]
  tests: unknown[]
  /** Weir's own settings. */
  weir?: { heap_limit_mb?: number; state_dir?: string; rss_limit_mb?: number }
}

/** Where the reference looks for a root config when none is given (§2.2); distributions rebrand it. */
export const DEFAULT_ROOT_PATHS: readonly string[] = ['/benthos.yaml', '/etc/benthos/config.yaml', '/etc/benthos.yaml']

export interface RootLoadOptions {
  /** `-o`/`-c`; when absent the first existing `defaultPaths` entry is used, if any. */
  file?: string
  /** `--set path=value` overrides, applied after env interpolation and before lint. */
  sets: readonly string[]
  env: EnvLookup
  lookup: SpecLookup
  defaultPaths?: readonly string[]
  lint?: LintOptions
}

export type RootLoad =
  | {
      ok: true
      config: RootConfig
      findings: LintFinding[]
      /** The file read (given, or found in a default path), if any. */
      file?: string
      /** True when `file` came from the default paths ("found in a default path"). */
      fromDefaultPath: boolean
    }
  | { ok: false; error: ErrorData }

/** The first existing default root path, if any. */
export function probeDefaultRoot(paths: readonly string[] = DEFAULT_ROOT_PATHS): string | undefined {
  return paths.find((p) => existsSync(p))
}

/**
 * Loads the root config: read + interpolate + parse (or an empty config), `--set`, lint (unless
 * `# BENTHOS LINT DISABLE`), then defaults. Fatal problems (unreadable file, YAML syntax, bad
 * `--set`, unknown metrics/tracer type, resource label clashes) are errors; the rest are findings.
 */
export function loadRootConfig(opts: RootLoadOptions): RootLoad {
  const probed = opts.file === undefined ? probeDefaultRoot(opts.defaultPaths) : undefined
  const file = opts.file ?? probed
  const lookup = withBuiltins(opts.lookup)
  const fail = (error: ErrorData): RootLoad => ({ ok: false, error: file ? { ...error, file } : error })
  const findings: LintFinding[] = []
  let doc: YamlDoc
  let lintable = true
  let before: string | undefined
  if (file !== undefined) {
    const raw = readConfigText(file)
    if (!raw.ok) return fail(raw.error)
    const interp = interpolateText(raw.text, opts.env)
    if (!interp.ok) return fail(interp.error)
    findings.push(...raw.findings)
    if (interp.missing.length) findings.push(documentFinding(missingEnvMessage(interp.missing), 'missing_env_var'))
    const parsed = parseYamlText(interp.text, file)
    if (!parsed.ok) return fail(parsed.error)
    doc = parsed.doc
    lintable = !isLintDisabled(interp.text)
    if (raw.text !== interp.text) before = raw.text
  } else {
    doc = { document: new Document({}, { version: '1.2', merge: true }), lines: new LineCounter(), text: '' }
  }
  for (const expr of opts.sets) {
    try {
      setInDocument(doc, expr)
    } catch (err) {
      return fail(toErrorData(err, 'CONFIG_INVALID'))
    }
  }
  if (lintable) findings.push(...lintRootDoc(doc, lookup, opts.lint))
  let config: RootConfig
  try {
    config = buildRootConfig(doc.document.toJS(), lookup)
  } catch (err) {
    return fail(toErrorData(err, 'CONFIG_INVALID'))
  }
  const labels = checkResourceLabels([config as unknown as Record<string, unknown>])
  if (labels) return fail(labels)
  if (before !== undefined) rememberRootSource(config, before, opts.sets)
  return { ok: true, config, findings, ...(file !== undefined ? { file } : {}), fromDefaultPath: probed !== undefined }
}

/**
 * The typed root config from a parsed value: every default applied, the metrics exporter and
 * tracer resolved (throws WeirError on an unknown type). Unknown top-level keys are dropped.
 */
export function buildRootConfig(value: unknown, lookup: SpecLookup): RootConfig {
  const v = isPlainObject(value) ? value : {}
  const full = withBuiltins(lookup)
  const obj = (field: FieldSpec): Record<string, unknown> => {
    const out = applyDefaults(field, v[field.name] === null ? undefined : v[field.name])
    return isPlainObject(out) ? out : (applyDefaults(field, undefined) as Record<string, unknown>)
  }
  const metricsRaw = isPlainObject(v.metrics) ? v.metrics : { mapping: '', [full.get('metrics', 'prometheus') ? 'prometheus' : 'none']: {} }
  const metrics = resolveComponent('metrics', metricsRaw, full, 'metrics')
  const tracerRaw = isPlainObject(v.tracer) ? v.tracer : { none: {} }
  const tracer = resolveComponent('tracer', tracerRaw, full, 'tracer')
  const strict = isPlainObject(v.error_handling) && typeof v.error_handling.strict === 'boolean' ? v.error_handling.strict : false
  const config: RootConfig = {
    http: obj(httpField()) as unknown as HttpConfig,
    logger: obj(loggerField()) as unknown as LoggerConfig,
    metrics: { mapping: typeof metricsRaw.mapping === 'string' ? metricsRaw.mapping : '', [metrics.name]: metrics.conf },
    tracer: { [tracer.name]: tracer.conf },
    shutdown_delay: typeof v.shutdown_delay === 'string' ? v.shutdown_delay : '0s',
    shutdown_timeout: typeof v.shutdown_timeout === 'string' ? v.shutdown_timeout : '20s',
    error_handling: { strict },
    ...(resourceLists(v) as Pick<RootConfig, 'input_resources' | 'processor_resources' | 'output_resources' | 'cache_resources' | 'rate_limit_resources' | 'tests'>),
  }
  if (isPlainObject(v.weir)) {
    const w = v.weir
    config.weir = {
      ...(typeof w.heap_limit_mb === 'number' ? { heap_limit_mb: w.heap_limit_mb } : {}),
      ...(typeof w.state_dir === 'string' ? { state_dir: w.state_dir } : {}),
      ...(typeof w.rss_limit_mb === 'number' ? { rss_limit_mb: w.rss_limit_mb } : {}),
    }
  }
  return config
}

/** The pre-interpolation root config, with the same `--set` overrides, for scrubbed echoes. */
function rememberRootSource(config: RootConfig, text: string, sets: readonly string[]): void {
  const parsed = parseYamlText(text)
  if (!parsed.ok || !isPlainObject(parsed.value)) return
  for (const expr of sets) {
    try {
      applySet(parsed.value, expr)
    } catch {
      return
    }
  }
  rememberSourceValue(config, parsed.value)
}

/** The name of the configured metrics exporter (`prometheus`, `json_api`, `none`, `logger`). */
export function metricsExporter(config: RootConfig): string {
  return Object.keys(config.metrics).find((k) => k !== 'mapping') ?? 'none'
}

/**
 * Applies one `--set` to the document so lint still sees positions for everything else. Arrays
 * are indexed by number (negative from the end, `-` appends); missing or scalar intermediates
 * become maps, as in the reference.
 */
function setInDocument(doc: YamlDoc, expr: string): void {
  const { path, value } = parseSetExpression(expr)
  const d = doc.document
  if (!isCollection(d.contents)) d.contents = d.createNode({}) as Node as typeof d.contents
  let cur = d.contents as unknown
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!
    const last = i === path.length - 1
    const created = last ? (d.createNode(value) as unknown) : undefined
    if (isSeq(cur)) {
      const idx = arrayIndex(seg, cur.items.length, expr)
      if (last) {
        cur.items[idx] = created
        return
      }
      if (!isCollection(cur.items[idx])) cur.items[idx] = d.createNode({})
      cur = cur.items[idx]
    } else if (isMap(cur)) {
      if (last) {
        cur.set(seg, created)
        return
      }
      let next = cur.get(seg, true) as unknown
      if (!isCollection(next)) {
        next = d.createNode({})
        cur.set(seg, next)
      }
      cur = next
    }
  }
}

export { loadResourceFile, checkResourceLabels } from './resources.js'
