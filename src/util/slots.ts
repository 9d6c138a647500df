/**
 * A counting semaphore: at most `size` holders at once, the rest wait in arrival order.
 *
 * @example await slots.acquire(); try { await work() } finally { slots.release() }
 */
export class Slots {
  readonly size: number
  #free: number
  #waiting: (() => void)[] = []

  constructor(size: number) {
    this.size = size
    this.#free = size
  }

  /** Resolves once a slot is held (at once when one is free). */
  acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free -= 1
      return Promise.resolve()
    }
    return new Promise((resolve) => this.#waiting.push(resolve))
  }

  /** Gives a held slot back: to the longest waiter, else to the pool. */
  release(): void {
    const next = this.#waiting.shift()
    if (next) next()
    else this.#free = Math.min(this.size, this.#free + 1)
  }

  /** Holders waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length
  }
}
