/** A counting semaphore: at most `limit` holders at once, waiters served in arrival order. */
import { abortError } from './channel.js'

export class Semaphore {
  readonly limit: number
  #held = 0
  readonly #waiters: { grant(): void; signal: AbortSignal | undefined }[] = []

  constructor(limit: number) {
    this.limit = Math.max(1, limit)
  }

  get free(): number {
    return this.limit - this.#held
  }

  /** Holders waiting for a slot. */
  get waiting(): number {
    return this.#waiters.length
  }

  /** Resolves once a slot is held; rejects when `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError(signal))
    if (this.#held < this.limit) {
      this.#held++
      return Promise.resolve()
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.#waiters.indexOf(w)
        if (i !== -1) this.#waiters.splice(i, 1)
        reject(abortError(signal!))
      }
      const w = {
        signal,
        grant: (): void => {
          signal?.removeEventListener('abort', onAbort)
          this.#held++
          resolve()
        },
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#waiters.push(w)
    })
  }

  /** Gives a held slot back, to the longest waiter if any; a release without a hold changes nothing. */
  release(): void {
    if (this.#held > 0) this.#held--
    this.#waiters.shift()?.grant()
  }
}
