/**
 * Specs for the root-only component kinds (metrics exporters, tracers, §9.5). The host builds
 * these itself rather than through the registry, but lint and defaults need their fields, so a
 * registry that lacks them is extended with these.
 */
import { weirError } from '../errors.js'
import { f, ofKind, type ComponentKind, type ComponentSpec, type FieldSpec, type SpecLookup } from '../spec/index.js'

function hostBuilt(kind: ComponentKind, name: string, config: FieldSpec, summary: string): ComponentSpec {
  return {
    kind,
    name,
    summary,
    config,
    build: () => {
      throw weirError('INTERNAL', `${kind} ${name} is built by the host, not through the registry`)
    },
  }
}

const DEFAULT_QUANTILES = [
  { quantile: 0.5, error: 0.05 },
  { quantile: 0.9, error: 0.01 },
  { quantile: 0.99, error: 0.001 },
]

export const BUILTIN_SPECS: readonly ComponentSpec[] = [
  hostBuilt(
    'metrics',
    'prometheus',
    f.object('', [
      f.bool('use_histogram_timing', { default: false, advanced: true }),
      f.array(f.float('histogram_buckets', { default: [], advanced: true })),
      f.array(f.object('summary_quantiles_objectives', [f.float('quantile'), f.float('error')], { default: DEFAULT_QUANTILES, advanced: true })),
      f.bool('add_process_metrics', { default: false, advanced: true }),
      f.bool('add_go_metrics', { default: false, advanced: true }),
      f.string('push_url', { optional: true, advanced: true, url: 'password' }),
      f.string('push_interval', { optional: true, advanced: true }),
      f.string('push_job_name', { default: 'benthos_push', advanced: true }),
      f.object('push_basic_auth', [f.string('username', { default: '' }), f.string('password', { default: '', secret: true })], { advanced: true }),
      f.string('file_output_path', { default: '', advanced: true }),
    ]),
    'Host endpoints to be scraped by Prometheus.',
  ),
  hostBuilt('metrics', 'json_api', f.object('', [], { default: {} }), 'Serves metrics as JSON object with the service wide HTTP service at the endpoints /stats and /metrics.'),
  hostBuilt('metrics', 'none', f.object('', [], { default: {} }), 'Disable metrics entirely.'),
  hostBuilt('metrics', 'logger', f.object('', [f.string('push_interval', { optional: true }), f.bool('flush_metrics', { default: false })]), 'Prints aggregated metrics through the logger.'),
  hostBuilt('tracer', 'none', f.object('', [], { default: {} }), 'Do not send tracing events anywhere.'),
]

/** A lookup that answers from `base` first and falls back to the built-in metrics/tracer specs. */
export function withBuiltins(base: SpecLookup): SpecLookup {
  return {
    get: (kind, name) => base.get(kind, name) ?? ofKind(BUILTIN_SPECS.find((s) => s.kind === kind && s.name === name), kind),
    names: (kind) => [...new Set([...base.names(kind), ...BUILTIN_SPECS.filter((s) => s.kind === kind).map((s) => s.name)])],
  }
}
