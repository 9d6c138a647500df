/**
 * `pipeline.threads` on a piscina pool owned by the stream's worker: each pool thread builds the
 * pipeline processors itself and runs whole batches through them, so CPU-bound processing uses
 * more than one core. Metrics made in pool threads are replayed on the stream's registry; a
 * message's per-request context stays on this side and is put back on the results.
 */
import { WeirError, toErrorData, type ErrorData } from '../errors.js'
import type { Batch, MessageContext } from '../message/message.js'
import type { MetricsView, Processor } from '../spec/index.js'
import type { PipelinePoolInit, PipelineResult } from '../protocol/messages.js'
import { MetricReplayer } from './recording-metrics.js'
import { decodeBatch, encodeBatch } from '../protocol/wire-batch.js'

const THREAD_URL = new URL('../../workers/pipeline-thread.js', import.meta.url).href
/** Pool threads idle this long are stopped; a busy stream keeps them. */
const IDLE_MS = 30_000

export type PoolStart = { ok: true; processor: Processor } | { ok: false; error: ErrorData }

/**
 * Starts a pool of up to `threads` threads and checks, on one of them, that the pipeline builds
 * there (a pipeline that needs caches, rate limits or endpoints does not).
 */
export async function startPipelinePool(init: PipelinePoolInit, threads: number, metrics: (path: string, label: string) => MetricsView): Promise<PoolStart> {
  // Loaded here, not at the top: only streams with `pipeline.threads` > 1 get here, and every
  // stream worker would otherwise load piscina when it starts.
  const { Piscina } = await import('piscina')
  const pool = new Piscina({ filename: THREAD_URL, workerData: init, minThreads: 1, maxThreads: threads, idleTimeout: IDLE_MS, concurrentTasksPerWorker: 1 })
  const replayer = new MetricReplayer(metrics)
  try {
    const probe = (await pool.run({ batch: encodeBatch([]).wire })) as PipelineResult
    if (!probe.ok) throw new WeirError(probe.error)
  } catch (err) {
    await pool.destroy().catch(() => undefined)
    return { ok: false, error: toErrorData(err, 'STREAM_BUILD') }
  }
  let closed: Promise<void> | undefined
  const processor: Processor = {
    async process(batch: Batch): Promise<Batch[]> {
      const contexts = batch.map((m) => m.context)
      const { wire, transfer } = encodeBatch(batch)
      const r = (await pool.run({ batch: wire }, { transferList: transfer })) as PipelineResult
      replayer.replay(r.metrics)
      if (!r.ok) throw new WeirError(r.error)
      return r.batches.map((w) => withContexts(decodeBatch(w), contexts))
    },
    close: () => (closed ??= pool.destroy()),
  }
  return { ok: true, processor }
}

/**
 * A pool thread may split or merge batches, so the per-request context (sync responses) of input
 * message `i` goes to output message `i`, or the last input's.
 */
function withContexts(batch: Batch, contexts: readonly MessageContext[]): Batch {
  if (contexts.length === 0) return batch
  for (let i = 0; i < batch.length; i++) batch[i]!.context = contexts[Math.min(i, contexts.length - 1)]!
  return batch
}
