/**
 * The processing layer (spec §3.3 `pipeline.threads`): N concurrent workers take transactions from
 * upstream, run the processor chain and hand every resulting batch downstream. A transaction split
 * into several batches is acked once all of them are; a fully filtered one is acked at once. Also
 * used, with one worker, for output-level processors.
 */
import type { Logger, Processor, Transaction } from '../spec/index.js'
import type { Batch } from '../message/message.js'
import { splitAck } from '../util/ack.js'
import { CLOSED, type Rendezvous } from '../util/channel.js'
import { runChain } from './processors.js'
import { asError, message } from './input-layer.js'

export interface PipelineLayerOptions {
  processors: readonly Processor[]
  threads: number
  in: Rendezvous<Transaction>
  out: Rendezvous<Transaction>
  logger: Logger
  hard: AbortSignal
}

export class PipelineLayer {
  readonly #o: PipelineLayerOptions
  #busy = 0

  constructor(o: PipelineLayerOptions) {
    this.#o = o
  }

  /** Workers currently holding a transaction. */
  get busy(): number {
    return this.#busy
  }

  /** Resolves once upstream closed, every worker finished and the downstream channel is closed. */
  async run(): Promise<void> {
    const workers: Promise<void>[] = []
    for (let i = 0; i < Math.max(1, this.#o.threads); i++) workers.push(this.#worker())
    await Promise.all(workers)
    this.#o.out.close()
  }

  /**
   * The direct lane: runs the (synchronous) chain over `tx` and hands each resulting batch to
   * `next` within this call. A chain that turns out asynchronous still completes, later.
   */
  direct(tx: Transaction, next: (tx: Transaction) => void): void {
    this.#busy++
    let r
    try {
      r = runChain(this.#o.processors, tx.batch)
    } catch (err) {
      this.#busy--
      tx.ack(asError(err))
      return
    }
    if (!Array.isArray(r)) {
      r.then(
        (batches) => {
          this.#busy--
          fanOut(tx, batches, next)
        },
        (err: unknown) => {
          this.#busy--
          tx.ack(asError(err))
        },
      )
      return
    }
    this.#busy--
    fanOut(tx, r, next)
  }

  async #worker(): Promise<void> {
    const { in: input, out, processors } = this.#o
    for (;;) {
      let tx
      try {
        tx = await input.take()
      } catch {
        return
      }
      if (tx === CLOSED) return
      this.#busy++
      try {
        const r = runChain(processors, tx.batch)
        const batches = Array.isArray(r) ? r : await r
        if (batches.length === 0) {
          tx.ack()
          continue
        }
        const acks = splitAck(batches.length, tx.ack)
        for (let i = 0; i < batches.length; i++) {
          try {
            await out.put(batches.length === 1 && batches[0] === tx.batch ? tx : { batch: batches[i]!, ack: acks[i]! })
          } catch (err) {
            for (let j = i; j < batches.length; j++) acks[j]!(asError(err))
            break
          }
        }
      } catch (err) {
        // A pipeline error (cancellation) nacks the whole transaction (spec §13.3).
        this.#o.logger.debug(`processing aborted: ${message(err)}`)
        tx.ack(asError(err))
      } finally {
        this.#busy--
      }
    }
  }
}

/** Each batch of a transaction's result downstream; acked at once when everything was filtered. */
function fanOut(tx: Transaction, batches: Batch[], next: (tx: Transaction) => void): void {
  if (batches.length === 0) return tx.ack()
  if (batches.length === 1 && batches[0] === tx.batch) return next(tx)
  const acks = splitAck(batches.length, tx.ack)
  for (let i = 0; i < batches.length; i++) next({ batch: batches[i]!, ack: acks[i]! })
}
