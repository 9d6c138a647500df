/**
 * Processor execution: each processor is wrapped once with its standard metrics (spec §9.3
 * `processor_*`), and a chain applies processors in order to every batch the previous one
 * produced (§3.5). Synchronous processors are never awaited, so a chain of plain mappings costs no
 * extra microtasks.
 */
import type { Batch } from '../message/message.js'
import type { MetricsView, Processor } from '../spec/index.js'
import type { TapBoard } from './taps.js'

/** Processor with `processor_received`/`_sent`/`_batch_*`/`_latency_ns` recorded around it. */
export class MeteredProcessor implements Processor {
  readonly #inner: Processor
  readonly #received
  readonly #batchReceived
  readonly #sent
  readonly #batchSent
  readonly #latency
  /** Set only on top-level pipeline processors: tap point `processor:N` (see taps.ts). */
  #taps: TapBoard | undefined
  #tapSlot = 0

  constructor(inner: Processor, metrics: MetricsView) {
    this.#inner = inner
    this.#received = metrics.counter('processor_received')
    this.#batchReceived = metrics.counter('processor_batch_received')
    this.#sent = metrics.counter('processor_sent')
    this.#batchSent = metrics.counter('processor_batch_sent')
    this.#latency = metrics.timer('processor_latency_ns')
    // `processor_error` is counted by the component where it flags a message (it alone knows).
    metrics.counter('processor_error')
  }

  /** Make what this processor emits visible at `slot` of `taps`. */
  tapAt(taps: TapBoard, slot: number): void {
    this.#taps = taps
    this.#tapSlot = slot
  }

  get synchronous(): boolean {
    return this.#inner.synchronous === true
  }

  process(batch: Batch): Promise<Batch[]> | Batch[] {
    this.#received.inc(batch.length)
    this.#batchReceived.inc()
    const started = performance.now()
    const r = this.#inner.process(batch)
    if (Array.isArray(r)) return this.#done(r, started)
    return r.then((out) => this.#done(out, started))
  }

  close(): Promise<void> {
    return this.#inner.close()
  }

  #done(out: Batch[], started: number): Batch[] {
    this.#latency.observe(Math.round((performance.now() - started) * 1e6))
    let n = 0
    let b = 0
    for (const batch of out) {
      if (batch.length === 0) continue
      n += batch.length
      b++
    }
    if (n > 0) {
      this.#sent.inc(n)
      this.#batchSent.inc(b)
    }
    const kept = b === out.length ? out : out.filter((x) => x.length > 0)
    if (this.#taps !== undefined && this.#taps.on[this.#tapSlot] === 1) this.#taps.offer(this.#tapSlot, kept)
    return kept
  }
}

/**
 * Runs `procs` in order over `batch`. Returns the non-empty resulting batches (none = everything
 * was filtered). Rejects only on a pipeline error (cancellation), which nacks the transaction.
 */
export function runChain(procs: readonly Processor[], batch: Batch): Promise<Batch[]> | Batch[] {
  let batches: Batch[] = [batch]
  for (let i = 0; i < procs.length; i++) {
    const p = procs[i]!
    if (batches.length === 1) {
      const r = p.process(batches[0]!)
      if (!Array.isArray(r)) return r.then((out) => continueChain(procs, i + 1, out))
      batches = r
    } else {
      const next: Batch[] = []
      for (let j = 0; j < batches.length; j++) {
        const r = p.process(batches[j]!)
        if (!Array.isArray(r)) return r.then((out) => finishStep(procs, i, batches, j, next, out))
        for (const x of r) if (x.length) next.push(x)
      }
      batches = next
    }
    if (batches.length === 0) return batches
  }
  return batches
}

async function continueChain(procs: readonly Processor[], from: number, batches: Batch[]): Promise<Batch[]> {
  let current = batches.filter((b) => b.length > 0)
  for (let i = from; i < procs.length && current.length > 0; i++) {
    const next: Batch[] = []
    for (const b of current) for (const x of await procs[i]!.process(b)) if (x.length) next.push(x)
    current = next
  }
  return current
}

async function finishStep(procs: readonly Processor[], i: number, batches: Batch[], j: number, next: Batch[], first: Batch[]): Promise<Batch[]> {
  for (const x of first) if (x.length) next.push(x)
  for (let k = j + 1; k < batches.length; k++) for (const x of await procs[i]!.process(batches[k]!)) if (x.length) next.push(x)
  return continueChain(procs, i + 1, next)
}
