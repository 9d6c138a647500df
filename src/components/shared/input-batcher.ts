/**
 * An input-side batch policy (spec components §3.3): messages read from the source accumulate
 * until a trigger or the period fires, then leave as one transaction whose result acks every
 * transaction that contributed. A read in progress is kept across calls, so a period flush never
 * drops what the source was about to hand over. At the end of the source what is pending leaves
 * as a last batch.
 */
import type { Message } from '../../message/message.js'
import { END_OF_INPUT, type Input, type ReadResult, type Transaction } from '../../spec/index.js'
import { abortError } from '../../util/channel.js'
import type { AckFn } from '../../util/ack.js'
import type { Batcher } from './batch-policy.js'
import { asError } from './batch-error.js'

export class BatchedInput implements Input {
  readonly #inner: Input
  readonly #batcher: Batcher
  /** Resolves when the source has no new data (see ChildInput.sourceEnded). */
  readonly #sourceEnded: Promise<void> | undefined
  #sourceDone = false
  #acks: AckFn[] = []
  #reading: Promise<ReadResult> | undefined
  #ended = false

  constructor(inner: Input, batcher: Batcher, sourceEnded?: Promise<void>) {
    this.#inner = inner
    this.#batcher = batcher
    this.#sourceEnded = sourceEnded?.then(() => void (this.#sourceDone = true))
  }

  connect(signal: AbortSignal): Promise<void> {
    return this.#inner.connect(signal)
  }

  connected(): boolean {
    return this.#inner.connected()
  }

  watchConnection(onChange: () => void): void {
    this.#inner.watchConnection?.(onChange)
  }

  close(): Promise<void> {
    return Promise.allSettled([this.#inner.close(), this.#batcher.close()]).then(() => {})
  }

  async read(signal: AbortSignal): Promise<ReadResult> {
    for (;;) {
      if (this.#ended) {
        if (this.#batcher.size === 0) return END_OF_INPUT
        const tx = await this.#flush()
        if (tx) return tx
        continue
      }
      this.#reading ??= this.#inner.read(signal)
      let r: ReadResult | 'period' | 'drain'
      try {
        r = await this.#raceperiod(this.#reading, signal)
      } catch (err) {
        this.#reading = undefined
        throw err
      }
      if (r === 'drain') {
        const tx = await this.#flush()
        if (tx) return tx
        continue
      }
      if (r === 'period') {
        if (!this.#batcher.periodDue()) continue
        const tx = await this.#flush()
        if (tx) return tx
        continue
      }
      this.#reading = undefined
      if (r === END_OF_INPUT) {
        this.#ended = true
        continue
      }
      this.#acks.push(r.ack.bind(r))
      let triggered = false
      for (const m of r.batch) triggered = this.#batcher.add(m) || triggered
      if (triggered || this.#sourceDone) {
        const tx = await this.#flush()
        if (tx) return tx
      }
    }
  }

  /**
   * The read's result; 'period' once the period trigger is due with messages pending; 'drain' when
   * the source has ended while messages are pending (a replaying source waits for their acks).
   */
  #raceperiod(read: Promise<ReadResult>, signal: AbortSignal): Promise<ReadResult | 'period' | 'drain'> {
    const pending = this.#batcher.size > 0
    if (pending && this.#sourceDone) return Promise.resolve('drain')
    const wait = pending ? this.#batcher.untilPeriod() : Infinity
    const drain = pending ? this.#sourceEnded : undefined
    if (wait === Infinity && !drain) return read
    return new Promise((resolve, reject) => {
      const timer = wait === Infinity ? undefined : setTimeout(() => resolve('period'), Math.max(0, wait))
      void drain?.then(() => resolve('drain'))
      const onAbort = (): void => {
        clearTimeout(timer)
        reject(abortError(signal))
      }
      signal.addEventListener('abort', onAbort, { once: true })
      read.then(
        (v) => {
          clearTimeout(timer)
          signal.removeEventListener('abort', onAbort)
          resolve(v)
        },
        (e: unknown) => {
          clearTimeout(timer)
          signal.removeEventListener('abort', onAbort)
          reject(asError(e))
        },
      )
    })
  }

  /** The pending messages as one transaction; undefined when batch processors dropped them all. */
  async #flush(): Promise<Transaction | undefined> {
    const acks = this.#acks
    this.#acks = []
    let batch: Message[]
    try {
      batch = await this.#batcher.flush()
    } catch (err) {
      for (const a of acks) a(asError(err))
      return undefined
    }
    if (batch.length === 0) {
      for (const a of acks) a()
      return undefined
    }
    let done = false
    return {
      batch,
      ack: (err) => {
        if (done) return
        done = true
        for (const a of acks) a(err)
      },
    }
  }
}
