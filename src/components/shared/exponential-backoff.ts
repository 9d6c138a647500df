/**
 * Exponential back-off with the semantics of the Go library the reference uses
 * (`cenkalti/backoff/v4` `ExponentialBackOff` with its defaults): intervals grow by 1.5 up to a
 * maximum, each randomised by ±50 %, and the sequence stops once the elapsed time plus the next
 * interval would pass `max_elapsed_time` (0 = never).
 */
export const STOP = -1

export interface ExponentialBackoffOptions {
  initialMs: number
  maxMs: number
  /** 0: unbounded. */
  maxElapsedMs: number
  multiplier?: number
  randomization?: number
  /** For tests: a source of numbers in [0, 1). */
  random?: () => number
}

export class ExponentialBackoff {
  readonly #o: Required<ExponentialBackoffOptions>
  #current: number
  #started: number

  constructor(o: ExponentialBackoffOptions) {
    this.#o = { multiplier: 1.5, randomization: 0.5, random: Math.random, ...o }
    this.#current = o.initialMs
    this.#started = performance.now()
  }

  reset(): void {
    this.#current = this.#o.initialMs
    this.#started = performance.now()
  }

  /** The next wait in milliseconds, or STOP when the elapsed-time budget is spent. */
  next(): number {
    const elapsed = performance.now() - this.#started
    const delta = this.#o.randomization * this.#current
    const min = this.#current - delta
    const max = this.#current + delta
    // Go adds one nanosecond to the span so the maximum itself can be drawn.
    const wait = min + this.#o.random() * (max - min + 1e-6)
    if (this.#current >= this.#o.maxMs / this.#o.multiplier) this.#current = this.#o.maxMs
    else this.#current *= this.#o.multiplier
    if (this.#o.maxElapsedMs !== 0 && elapsed + wait > this.#o.maxElapsedMs) return STOP
    return wait
  }
}
