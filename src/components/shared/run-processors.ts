/**
 * Runs batches through a list of child processors in order (the reference's `ExecuteAll`): each
 * step takes every batch the previous step produced; an empty result ends the chain early.
 */
import type { Batch, Processor } from '../../spec/index.js'

export async function runProcessors(processors: readonly Processor[], batches: Batch[]): Promise<Batch[]> {
  let current = batches
  for (const p of processors) {
    const next: Batch[] = []
    for (const b of current) {
      const r = p.process(b)
      for (const out of r instanceof Promise ? await r : r) if (out.length > 0) next.push(out)
    }
    current = next
    if (current.length === 0) break
  }
  return current
}
