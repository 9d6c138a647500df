/**
 * Running lists of child processors for the composition processors (try, catch, switch, branch,
 * ...), with the reference's execution rules (`internal/component/processor/execute.go`): every
 * processor runs over every batch the previous one produced; empty batches drop out. Written as
 * steps (see maybe-async.ts): synchronous children are never awaited.
 */
import type { Batch } from '../../message/message.js'
import type { ComponentContext, Processor } from '../../spec/index.js'
import { drive, type Steps } from './maybe-async.js'

/** Builds `list` as nested processors at `<field>[i]` (field relative to the component, type key included). */
export async function buildChildren(ctx: ComponentContext, field: string, list: readonly unknown[]): Promise<Processor[]> {
  const out: Processor[] = []
  try {
    for (const [i, raw] of list.entries()) out.push(await ctx.build('processor', raw, `${field}[${i}]`))
  } catch (err) {
    await closeAll(out)
    throw err
  }
  return out
}

/** Whether every processor of every list answers synchronously. */
export function allSynchronous(...lists: readonly (readonly Processor[])[]): boolean {
  return lists.every((l) => l.every((p) => p.synchronous === true))
}

/**
 * The stream is stopping: a composition processor gives up on the batch (it is nacked and
 * replayed), as the reference returns the context error.
 */
export class PipelineStopped extends Error {
  constructor() {
    super('context canceled')
    this.name = 'PipelineStopped'
  }
}

export function checkStopped(ctx: ComponentContext): void {
  if (ctx.signal.aborted) throw new PipelineStopped()
}

function* step(ctx: ComponentContext, p: Processor, b: Batch, into: Batch[]): Steps<void> {
  const r = p.process(b)
  const out = Array.isArray(r) ? r : ((yield r) as Batch[])
  for (let i = 0; i < out.length; i++) if (out[i]!.length > 0) into.push(out[i]!)
  checkStopped(ctx)
}

/** `ExecuteAll`: every processor over every batch, in order. */
export function* allSteps(ctx: ComponentContext, procs: readonly Processor[], batches: Batch[]): Steps<Batch[]> {
  let current = batches.filter((b) => b.length > 0)
  for (let i = 0; i < procs.length && current.length > 0; i++) {
    const next: Batch[] = []
    for (const b of current) yield* step(ctx, procs[i]!, b, next)
    current = next
  }
  return current
}

/** `allSteps` driven: synchronous when the children are. */
export function runAll(ctx: ComponentContext, procs: readonly Processor[], batches: Batch[]): Batch[] | Promise<Batch[]> {
  return drive(allSteps(ctx, procs, batches))
}

/** `ExecuteTryAll`: a batch whose first message is flagged skips the remaining processors. */
export function* tryAllSteps(ctx: ComponentContext, procs: readonly Processor[], batches: Batch[]): Steps<Batch[]> {
  let current = batches.filter((b) => b.length > 0)
  for (let i = 0; i < procs.length && current.length > 0; i++) {
    const next: Batch[] = []
    for (const b of current) {
      if (b[0]!.error !== undefined) next.push(b)
      else yield* step(ctx, procs[i]!, b, next)
    }
    current = next
  }
  return current
}

/**
 * `ExecuteCatchAll`: only batches whose first message is flagged run the processors; each input
 * batch keeps its own lineage so a clean one is never touched.
 */
export function* catchAllSteps(ctx: ComponentContext, procs: readonly Processor[], batches: Batch[]): Steps<Batch[]> {
  const lanes = batches.map((b) => ({ batches: b.length > 0 ? [b] : [], caught: b.length > 0 && b[0]!.error !== undefined }))
  for (const p of procs) {
    for (const lane of lanes) {
      if (!lane.caught || lane.batches.length === 0) continue
      const next: Batch[] = []
      for (const b of lane.batches) yield* step(ctx, p, b, next)
      lane.batches = next
    }
  }
  return lanes.flatMap((l) => l.batches)
}

/** One batch of one message per message of `batch`. */
export function singles(batch: Batch): Batch[] {
  return batch.map((m) => [m])
}

/** All messages of `batches` as one batch; no batch when there are none. */
export function flatten(batches: readonly Batch[]): Batch[] {
  const out: Batch = []
  for (const b of batches) for (const m of b) out.push(m)
  return out.length > 0 ? [out] : []
}

/** Closes every processor, in order (close errors of one do not stop the others). */
export async function closeAll(procs: readonly Processor[]): Promise<void> {
  let first: unknown
  for (const p of procs) {
    try {
      await p.close()
    } catch (err) {
      first ??= err
    }
  }
  if (first !== undefined) throw first
}
