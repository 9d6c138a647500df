/**
 * `memory` buffer (spec components §5.2, streams-mode §13.6): batches are copied in and their
 * transactions acked at once (weakening delivery guarantees); writers block while `limit` bytes
 * are held. Reads are FIFO, optionally re-batched by `batch_policy`; a downstream nack puts the
 * messages back at the front, an ack frees their bytes. Several reads may be in flight.
 */
import type { Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import { END_OF_INPUT, type Buffer, type ComponentContext, type ReadResult, type Transaction } from '../../spec/index.js'
import { Batcher, batchPolicyFields, type BatchPolicyConf } from '../shared/batch-policy.js'
import { Notifier } from '../shared/notifier.js'


interface Entry {
  batch: Message[]
  bytes: number
}

export default defineComponent({
  kind: 'buffer',
  name: 'memory',
  status: 'stable',
  summary: 'Stores consumed messages in memory and acknowledges them at the input level. During shutdown Benthos will make a best attempt at flushing all remaining messages before exiting cleanly.',
  config: f.object('', [
    f.int('limit', { default: 524288000, description: 'The maximum buffer size (in bytes) to allow before applying backpressure upstream.' }),
    f.object('batch_policy', [f.bool('enabled', { default: false, description: 'Whether to batch messages as they are flushed.' }), ...batchPolicyFields], {
      description: 'Optionally configure a policy to flush buffered messages in batches.',
    }),
  ]),
  build: async (c, ctx): Promise<Buffer> => {
    const batcher = c.batch_policy.enabled ? await Batcher.create(c.batch_policy, ctx, 'memory.batch_policy', 'batch_policy') : undefined
    return new MemoryBuffer(c.limit, batcher, ctx)
  },
})

function sizeOf(batch: Message[]): number {
  let n = 0
  for (const m of batch) n += m.bytes().length
  return n
}

class MemoryBuffer implements Buffer {
  readonly #limit: number
  readonly #batcher: Batcher | undefined
  readonly #ctx: ComponentContext
  readonly #queue: Entry[] = []
  /** Entries taken into the batcher but not flushed yet. */
  #gathering: Entry[] = []
  #bytes = 0
  #inFlight = 0
  #ended = false
  readonly #space = new Notifier()
  readonly #data = new Notifier()

  constructor(limit: number, batcher: Batcher | undefined, ctx: ComponentContext) {
    this.#limit = limit
    this.#batcher = batcher
    this.#ctx = ctx
  }

  async write(tx: Transaction, signal: AbortSignal): Promise<void> {
    const size = sizeOf(tx.batch)
    if (size > this.#limit) {
      // The reference acks and drops such a batch; say so loudly instead of silently.
      this.#ctx.logger.error(`Message batch of ${size} bytes exceeds the buffer limit of ${this.#limit} bytes and was dropped`)
      tx.ack()
      return
    }
    while (this.#bytes + size > this.#limit) await this.#space.wait(signal, this.#space.seq)
    this.#queue.push({ batch: tx.batch.map((m) => m.copy()), bytes: size })
    this.#bytes += size
    tx.ack()
    this.#data.notify()
  }

  endOfInput(): void {
    this.#ended = true
    this.#data.notify()
  }

  async read(signal: AbortSignal): Promise<ReadResult> {
    for (;;) {
      const seen = this.#data.seq
      if (!this.#batcher) {
        const e = this.#queue.shift()
        if (e) return this.#tx([e], e.batch.map((m) => m.copy()))
      } else {
        const r = await this.#readBatched()
        if (r) return r
      }
      if (this.#ended && this.#queue.length === 0 && this.#gathering.length === 0 && this.#inFlight === 0) return END_OF_INPUT
      const until = this.#batcher && this.#gathering.length ? this.#batcher.untilPeriod() : Infinity
      await this.#data.wait(signal, seen, Number.isFinite(until) ? until : undefined)
    }
  }

  async close(): Promise<void> {
    await this.#batcher?.close()
  }

  /** Moves queued messages into the batcher; returns a batch when a trigger fired. */
  async #readBatched(): Promise<Transaction | undefined> {
    const b = this.#batcher!
    let triggered = false
    while (!triggered) {
      const e = this.#queue.shift()
      if (!e) break
      this.#gathering.push(e)
      // A policy never splits an incoming batch: the whole entry goes in before flushing.
      for (const m of e.batch) if (b.add(m.copy())) triggered = true
    }
    const flushNow = triggered || b.periodDue() || (this.#ended && this.#queue.length === 0 && this.#gathering.length > 0)
    if (!flushNow) return undefined
    const entries = this.#gathering
    this.#gathering = []
    const batch = await b.flush()
    if (batch.length === 0) {
      this.#release(entries)
      return undefined
    }
    return this.#tx(entries, batch)
  }

  #tx(entries: Entry[], batch: Message[]): Transaction {
    this.#inFlight++
    let done = false
    return {
      batch,
      ack: (err) => {
        if (done) return
        done = true
        this.#inFlight--
        if (err) {
          // Back at the front, in their original order, for another attempt (entries keep
          // pristine messages; downstream only ever saw copies). A batch being gathered goes
          // back too, behind them, so the order survives the retry.
          this.#queue.unshift(...entries, ...this.#gathering)
          this.#gathering = []
          this.#batcher?.discard()
        } else {
          this.#release(entries)
        }
        this.#data.notify()
      },
    }
  }

  #release(entries: Entry[]): void {
    for (const e of entries) this.#bytes -= e.bytes
    this.#space.notify()
  }
}
