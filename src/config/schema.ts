/**
 * The top-level config schemas as FieldSpec data: stream files (§3.3), the root/observability
 * config (§3.1, §7.1, §14), resource files (§3.2) and the full schema `weir lint` checks against.
 * Component-typed fields are looked up in a SpecLookup when linted or defaulted.
 */
import { f, type FieldSpec, type SpecLookup } from '../spec/index.js'
import { applyDefaults } from './component.js'
import { isPlainObject } from './values.js'
import { RESOURCE_KINDS } from './resource-kinds.js'
import { PARALLEL_FIELD, TESTS_FIELD } from './test-fields.js'

const RESOURCE_LABEL_MESSAGE = 'the label field for resources must be unique and not empty'

/** Stream fields with their defaults; `stdin`/`stdout` only when the registry has them. */
export function streamFields(lookup?: SpecLookup): FieldSpec[] {
  const input = !lookup || lookup.get('input', 'stdin') ? { stdin: {} } : { inproc: '' }
  const output =
    !lookup || lookup.get('output', 'stdout')
      ? { stdout: {} }
      : { reject: 'message rejected by default because an output is not configured' }
  return [
    f.component('input', 'input', { default: input }),
    f.component('buffer', 'buffer', { default: { none: {} } }),
    f.object('pipeline', [f.int('threads', { default: -1 }), f.array(f.component('processors', 'processor', { default: [] }))]),
    f.component('output', 'output', { default: output }),
    // Weir-only: the `x_weir_` prefix cannot clash with a Redpanda Connect field.
    f.int('x_weir_heap_limit_mb', { optional: true, advanced: true, description: 'Heap ceiling of this stream\'s worker in MB (overrides `weir.heap_limit_mb`).' }),
  ]
}

export const STREAM_FIELD_NAMES: readonly string[] = ['input', 'buffer', 'pipeline', 'output']

export function resourceFields(): FieldSpec[] {
  return RESOURCE_KINDS.map(({ field, kind }) =>
    f.array(
      f.component(field, kind, {
        default: [],
        advanced: true,
        lint: (v) => (isPlainObject(v) && (typeof v.label !== 'string' || v.label === '') ? [RESOURCE_LABEL_MESSAGE] : []),
      }),
    ),
  )
}

export function httpField(): FieldSpec {
  return f.object('http', [
    f.bool('enabled', { default: true }),
    f.string('address', { default: '0.0.0.0:4195' }),
    f.string('root_path', { default: '/benthos' }),
    f.bool('debug_endpoints', { default: false }),
    f.string('cert_file', { default: '', advanced: true }),
    f.string('key_file', { default: '', advanced: true }),
    f.object('cors', [f.bool('enabled', { default: false }), f.array(f.string('allowed_origins', { default: [] }))], { advanced: true }),
    f.object(
      'basic_auth',
      [
        f.bool('enabled', { default: false }),
        f.string('realm', { default: 'restricted' }),
        f.string('username', { default: '' }),
        f.string('password_hash', { default: '', secret: true }),
        f.string('algorithm', { default: 'sha256' }),
        f.string('salt', { default: '', secret: true }),
      ],
      { advanced: true },
    ),
  ])
}

export function loggerField(): FieldSpec {
  return f.object('logger', [
    // The reference documents the levels but deliberately does not lint them (any case is accepted).
    f.string('level', { default: 'INFO' }),
    f.string('format', { default: 'logfmt', options: ['json', 'logfmt'] }),
    f.bool('add_timestamp', { default: true }),
    f.string('level_name', { default: 'level', advanced: true }),
    f.string('timestamp_name', { default: 'time', advanced: true }),
    f.string('message_name', { default: 'msg', advanced: true }),
    f.map(f.string('static_fields', { default: { '@service': 'benthos' } })),
    f.object(
      'file',
      [f.string('path', { default: '' }), f.bool('rotate', { default: false }), f.int('rotate_max_age_days', { default: 0 })],
      { advanced: true },
    ),
  ])
}

/** Fields of the root config in streams mode (the full schema minus the stream fields). */
export function rootFields(lookup?: SpecLookup): FieldSpec[] {
  const exporter = !lookup || lookup.get('metrics', 'prometheus') ? 'prometheus' : 'none'
  return [
    httpField(),
    ...resourceFields(),
    loggerField(),
    f.component('metrics', 'metrics', { default: { mapping: '', [exporter]: {} } }),
    f.component('tracer', 'tracer', { default: { none: {} } }),
    f.string('shutdown_delay', { default: '0s' }),
    f.string('shutdown_timeout', { default: '20s' }),
    f.object('error_handling', [f.bool('strict', { default: false })], { advanced: true }),
    TESTS_FIELD,
    PARALLEL_FIELD,
    // Weir's own settings (not in the reference schema).
    f.object(
      'weir',
      [f.int('heap_limit_mb', { optional: true }), f.string('state_dir', { optional: true }), f.int('rss_limit_mb', { optional: true })],
      { optional: true, advanced: true },
    ),
  ]
}

/** Stream file schema: the stream fields plus `tests` (API bodies use `streamFields` alone). */
export function streamFileFields(lookup?: SpecLookup): FieldSpec[] {
  return [...streamFields(lookup), TESTS_FIELD, PARALLEL_FIELD]
}

export function resourceFileFields(): FieldSpec[] {
  return [TESTS_FIELD, PARALLEL_FIELD, ...resourceFields()]
}

/** Everything `weir lint` accepts in one file: root, stream and resource fields. */
export function fullFields(lookup?: SpecLookup): FieldSpec[] {
  const root = rootFields(lookup)
  return [root[0]!, ...streamFields(lookup), ...root.slice(1)]
}

export interface StreamWithDefaults {
  /** Raw component configs (resolved when built). */
  input: unknown
  buffer: unknown
  pipeline: { threads: number; processors: unknown[] }
  output: unknown
}

/**
 * A stream config with the §3.3 defaults for omitted (or null) sections; components stay raw.
 *
 * @example withStreamDefaults({ output: { drop: {} } }, registry).input // { stdin: {} }
 */
export function withStreamDefaults(config: Record<string, unknown>, lookup?: SpecLookup): StreamWithDefaults {
  const out: Record<string, unknown> = {}
  for (const field of streamFields(lookup)) {
    const v = config[field.name]
    out[field.name] = applyDefaults(field, v === null ? undefined : v)
  }
  const pipeline = isPlainObject(out.pipeline) ? out.pipeline : {}
  return {
    input: out.input,
    buffer: out.buffer,
    pipeline: {
      threads: typeof pipeline.threads === 'number' ? pipeline.threads : -1,
      processors: Array.isArray(pipeline.processors) ? pipeline.processors : [],
    },
    output: out.output,
  }
}
