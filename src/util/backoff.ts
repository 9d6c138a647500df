/** Exponential back-off and abortable sleeps for the engine's retry loops (spec §13.2, §13.4). */

export class Backoff {
  readonly #initial: number
  readonly #max: number
  readonly #factor: number
  #current: number

  constructor(initialMs: number, maxMs: number, factor = 2) {
    this.#initial = initialMs
    this.#max = maxMs
    this.#factor = factor
    this.#current = initialMs
  }

  /** The wait before the next attempt; grows until `maxMs`. */
  next(): number {
    const d = this.#current
    this.#current = Math.min(this.#current * this.#factor, this.#max)
    return d
  }

  reset(): void {
    this.#current = this.#initial
  }
}

/** Waits `ms`; resolves false (early) when `signal` aborts. Never rejects. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false)
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer)
      resolve(false)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve(true)
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** Resolves when `signal` aborts (never rejects). */
export function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve()
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))
}
