/**
 * Nested inputs and outputs (broker children, switch cases, wrapped outputs) keep their own
 * `processors`. The routing components split them off the raw config here and build them beside
 * the child at `<rel>.processors[i]`, so the child wrappers (child-input.ts, child-output.ts) run
 * them inside their own ack and back-off handling; `ctx.build` applies a nested component's
 * processors the same way for every other caller (stream/nested.ts).
 */
import { isPlainObject } from '../../config/values.js'
import type { ComponentContext, Processor } from '../../spec/index.js'
import type { Batch } from '../../message/message.js'

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

export async function buildProcessors(ctx: ComponentContext, raws: readonly unknown[], rel: string): Promise<Processor[]> {
  const out: Processor[] = []
  for (const [i, p] of raws.entries()) out.push(await ctx.build('processor', p, `${rel}.processors[${i}]`))
  return out
}

/** Runs `procs` in order over `batch`; the non-empty batches that come out (none = all filtered). */
export async function runProcessors(procs: readonly Processor[], batch: Batch): Promise<Batch[]> {
  let batches: Batch[] = [batch]
  for (const p of procs) {
    const next: Batch[] = []
    for (const b of batches) for (const r of await p.process(b)) if (r.length > 0) next.push(r)
    batches = next
    if (batches.length === 0) break
  }
  return batches
}
