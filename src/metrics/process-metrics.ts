/**
 * `add_process_metrics` and `add_go_metrics` for a Node.js host: prom-client's default collectors
 * on the main thread. `process_*` (CPU, memory, file descriptors, start time) are the analogue of
 * client_golang's process collector; `nodejs_*` (event loop lag, heap, GC) stand in for the Go
 * runtime metrics. Like the reference's, these series carry no `stream` label.
 */
import { Registry, collectDefaultMetrics } from 'prom-client'

export interface ProcessMetricsOptions {
  process: boolean
  runtime: boolean
}

/** A renderer for the selected families, or undefined when neither is enabled. */
export function processMetrics(opts: ProcessMetricsOptions): (() => Promise<string>) | undefined {
  if (!opts.process && !opts.runtime) return undefined
  const reg = new Registry()
  collectDefaultMetrics({ register: reg })
  const names = reg
    .getMetricsAsArray()
    .map((m) => m.name)
    .filter((n) => (n.startsWith('process_') ? opts.process : opts.runtime))
  // prom-client spells NaN `Nan`; Go's parser tolerates it, stricter ones do not.
  return async () => (await Promise.all(names.map((n) => reg.getSingleMetricAsString(n)))).join('\n').replace(/ Nan$/gm, ' NaN') + '\n'
}
