/**
 * Request deadlines of one `http_server` input. Every request gets the same timeout, so in start
 * order the deadlines are also in expiry order: one timer for the oldest serves them all. A
 * setTimeout, refresh and clearTimeout per request was about 3 % of the worker's CPU on the
 * stream endpoint path.
 *
 * Cancelled deadlines are dropped when they reach the front of the queue, which requests
 * finishing in about the order they came keeps short.
 */

export interface Expiring {
  expire(): void
}

export interface Deadline {
  readonly at: number
  readonly owner: Expiring
  live: boolean
}

export class Deadlines {
  readonly #ms: number
  #queue: Deadline[] = []
  #timer: NodeJS.Timeout | undefined
  /** When the armed timer fires (performance.now time); Infinity when none is armed. */
  #armedAt = Infinity

  constructor(timeoutMs: number) {
    this.#ms = timeoutMs
  }

  /** `owner.expire()` runs once the timeout has passed, unless cancelled first. */
  start(owner: Expiring): Deadline {
    const d: Deadline = { at: performance.now() + this.#ms, owner, live: true }
    this.#queue.push(d)
    if (this.#queue.length === 1 || d.at < this.#armedAt) this.#arm(d.at)
    return d
  }

  /** The same owner, with the full timeout counted again from now. */
  restart(d: Deadline): Deadline {
    this.cancel(d)
    return this.start(d.owner)
  }

  cancel(d: Deadline): void {
    if (!d.live) return
    d.live = false
    const q = this.#queue
    while (q.length > 0 && !q[0]!.live) q.shift()
    if (q.length === 0) this.#disarm()
  }

  #arm(at: number): void {
    this.#disarm()
    this.#armedAt = at
    this.#timer = setTimeout(this.#fire, Math.max(0, at - performance.now()))
    // A waiting request must not keep the thread alive on its own (the stream's stop decides).
    this.#timer.unref()
  }

  #disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    this.#armedAt = Infinity
  }

  #fire = (): void => {
    this.#timer = undefined
    this.#armedAt = Infinity
    const q = this.#queue
    const now = performance.now()
    while (q.length > 0) {
      const d = q[0]!
      if (d.live && d.at > now) break
      q.shift()
      if (!d.live) continue
      d.live = false
      d.owner.expire()
    }
    const next = q.find((d) => d.live)
    if (next) this.#arm(next.at)
  }
}
