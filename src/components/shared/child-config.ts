/**
 * Nested inputs and outputs (broker children, switch cases, wrapped outputs) keep their own
 * `processors`. The routing components split them off the raw config here and build them beside
 * the child at `<rel>.processors[i]`, so the child wrappers (child-input.ts, child-output.ts) run
 * them inside their own ack and back-off handling; `ctx.build` applies a nested component's
 * processors the same way for every other caller (stream/nested.ts).
 */
import { isPlainObject } from '../../config/values.js'

export interface SplitConfig {
  /** The component config without `processors`. */
  component: unknown
  processors: unknown[]
}

export function splitProcessors(raw: unknown): SplitConfig {
  if (!isPlainObject(raw) || !Array.isArray(raw.processors)) return { component: raw, processors: [] }
  const { processors, ...component } = raw
  return { component, processors: processors as unknown[] }
}
