/**
 * A meeting point for transactions and readers on the main thread: each offered transaction goes
 * to exactly one reader (the longest waiting), so streams reading one input resource or one
 * inproc name consume competitively. Offers wait for a reader; readers wait for an offer.
 *
 *   offer(tx) ──▶ [offers] ◀──▶ [readers] ◀── read(signal)
 */
import { END_OF_INPUT, type ReadResult, type Transaction } from '../spec/index.js'
import { abortError } from '../util/channel.js'

interface Reader {
  resolve(r: ReadResult): void
}

export class TxExchange {
  readonly #offers: Transaction[] = []
  readonly #readers: Reader[] = []
  #ended = false
  /** Called when a reader waits and nothing is on offer (a producer may fetch more). */
  readonly #onDemand: () => void

  constructor(onDemand: () => void = () => {}) {
    this.#onDemand = onDemand
  }

  /** Readers now waiting with nothing on offer. */
  get demand(): number {
    return this.#readers.length
  }

  offer(tx: Transaction): void {
    const r = this.#readers.shift()
    if (r) r.resolve(tx)
    else this.#offers.push(tx)
  }

  /** Take back an offer nobody has read yet; false when a reader already has it. */
  withdraw(tx: Transaction): boolean {
    const i = this.#offers.indexOf(tx)
    if (i < 0) return false
    this.#offers.splice(i, 1)
    return true
  }

  /** No more offers will come: waiting and later readers get END_OF_INPUT once offers run out. */
  end(): void {
    this.#ended = true
    for (const r of this.#readers.splice(0)) r.resolve(END_OF_INPUT)
  }

  /** A new source replaced an ended one: readers wait for offers again. */
  reopen(): void {
    this.#ended = false
  }

  read(signal: AbortSignal): Promise<ReadResult> {
    const tx = this.#offers.shift()
    if (tx) return Promise.resolve(tx)
    if (this.#ended) return Promise.resolve(END_OF_INPUT)
    if (signal.aborted) return Promise.reject(abortError(signal))
    return new Promise<ReadResult>((resolve, reject) => {
      const reader: Reader = {
        resolve: (r) => {
          signal.removeEventListener('abort', onAbort)
          resolve(r)
        },
      }
      const onAbort = (): void => {
        const i = this.#readers.indexOf(reader)
        if (i >= 0) this.#readers.splice(i, 1)
        reject(abortError(signal))
      }
      signal.addEventListener('abort', onAbort, { once: true })
      this.#readers.push(reader)
      this.#onDemand()
    })
  }
}
