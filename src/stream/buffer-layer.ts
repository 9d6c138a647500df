/**
 * The buffer layer (spec §5, §13.6): one loop writes upstream transactions into the buffer (which
 * may ack them early), another reads batches out and hands them downstream with `buffer_*`
 * metrics. Upstream closing tells the buffer to drain; downstream closes once it is empty.
 */
import { END_OF_INPUT, type Buffer, type Logger, type MetricsView, type Transaction } from '../spec/index.js'
import { CLOSED, type Rendezvous } from '../util/channel.js'
import { once } from '../util/ack.js'
import { asError, message } from './input-layer.js'

export interface BufferLayerOptions {
  buffer: Buffer
  in: Rendezvous<Transaction>
  out: Rendezvous<Transaction>
  metrics: MetricsView
  logger: Logger
  hard: AbortSignal
}

export class BufferLayer {
  readonly #o: BufferLayerOptions
  #reading = 0

  constructor(o: BufferLayerOptions) {
    this.#o = o
  }

  /** Batches read out of the buffer and not yet acknowledged downstream. */
  get busy(): number {
    return this.#reading
  }

  async run(): Promise<void> {
    await Promise.all([this.#writeLoop(), this.#readLoop()])
    this.#o.out.close()
  }

  async #writeLoop(): Promise<void> {
    const { buffer, hard, metrics, logger } = this.#o
    const received = metrics.counter('buffer_received')
    const batchReceived = metrics.counter('buffer_batch_received')
    try {
      for (;;) {
        const tx = await this.#o.in.take()
        if (tx === CLOSED) break
        received.inc(tx.batch.length)
        batchReceived.inc()
        try {
          await buffer.write(tx, hard)
        } catch (err) {
          tx.ack(asError(err))
          if (hard.aborted) break
          logger.error(`Failed to write to buffer: ${message(err)}`)
        }
      }
    } catch {
      // Forced stop: the take was aborted.
    }
    buffer.endOfInput()
  }

  async #readLoop(): Promise<void> {
    const { buffer, hard, metrics, out, logger } = this.#o
    const sent = metrics.counter('buffer_sent')
    const batchSent = metrics.counter('buffer_batch_sent')
    const latency = metrics.timer('buffer_latency_ns')
    for (;;) {
      let r
      try {
        r = await buffer.read(hard)
      } catch (err) {
        if (!hard.aborted) logger.error(`Failed to read from buffer: ${message(err)}`)
        return
      }
      if (r === END_OF_INPUT) return
      sent.inc(r.batch.length)
      batchSent.inc()
      const started = performance.now()
      this.#reading++
      const tx = r
      const ack = once((err) => {
        this.#reading--
        latency.observe(Math.round((performance.now() - started) * 1e6))
        tx.ack(err)
      })
      try {
        await out.put({ batch: tx.batch, ack })
      } catch (err) {
        ack(asError(err))
        return
      }
    }
  }
}
