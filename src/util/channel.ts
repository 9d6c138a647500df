/**
 * Rendezvous hand-off between layers (spec streams-mode §16.3): `put` resolves only once a consumer
 * has taken the item, so no layer buffers work the next one has not accepted. That is what makes
 * back pressure and the in-flight bound of §13.2 hold.
 *
 *   producer ──put──▶ [ waiting putters ] ⇄ [ waiting takers ] ◀──take── consumer
 *
 * At most one of the two queues is non-empty at any time.
 */

export const CLOSED: unique symbol = Symbol('channel-closed')

interface Putter<T> {
  item: T
  resolve: () => void
  reject: (err: Error) => void
  cleanup: () => void
}

interface Taker<T> {
  resolve: (v: T | typeof CLOSED) => void
  reject: (err: Error) => void
  cleanup: () => void
}

export class ChannelClosedError extends Error {
  constructor() {
    super('channel closed')
    this.name = 'ChannelClosedError'
  }
}

export class Rendezvous<T> {
  #putters: Putter<T>[] = []
  #takers: Taker<T>[] = []
  #closed = false
  #aborted: AbortSignal | undefined

  /**
   * `abort` (a forced stop) rejects every waiting and later `put`/`take` at once; one listener for
   * the channel instead of one per hand-off keeps the hot path free of listener churn.
   */
  constructor(abort?: AbortSignal) {
    if (!abort) return
    const fail = (): void => {
      this.#aborted = abort
      const err = abortError(abort)
      for (const t of this.#takers.splice(0)) {
        t.cleanup()
        t.reject(err)
      }
      for (const p of this.#putters.splice(0)) {
        p.cleanup()
        p.reject(err)
      }
    }
    if (abort.aborted) fail()
    else abort.addEventListener('abort', fail, { once: true })
  }

  get closed(): boolean {
    return this.#closed
  }

  /** Number of producers blocked in `put` (diagnostics for a stuck stop). */
  get waitingPutters(): number {
    return this.#putters.length
  }

  /** Resolves when a consumer took `item`; rejects when the channel closes or `signal` aborts first. */
  put(item: T, signal?: AbortSignal): Promise<void> {
    if (this.#aborted) return Promise.reject(abortError(this.#aborted))
    if (this.#closed) return Promise.reject(new ChannelClosedError())
    if (signal?.aborted) return Promise.reject(abortError(signal))
    const taker = this.#takers.shift()
    if (taker) {
      taker.cleanup()
      taker.resolve(item)
      return Promise.resolve()
    }
    return new Promise<void>((resolve, reject) => {
      const p: Putter<T> = { item, resolve, reject, cleanup: () => {} }
      if (signal) {
        const onAbort = (): void => {
          const i = this.#putters.indexOf(p)
          if (i !== -1) this.#putters.splice(i, 1)
          reject(abortError(signal))
        }
        signal.addEventListener('abort', onAbort, { once: true })
        p.cleanup = () => signal.removeEventListener('abort', onAbort)
      }
      this.#putters.push(p)
    })
  }

  /** The next item, or CLOSED once the channel is closed and no producer is waiting. */
  take(signal?: AbortSignal): Promise<T | typeof CLOSED> {
    if (this.#aborted) return Promise.reject(abortError(this.#aborted))
    const putter = this.#putters.shift()
    if (putter) {
      putter.cleanup()
      putter.resolve()
      return Promise.resolve(putter.item)
    }
    if (this.#closed) return Promise.resolve(CLOSED)
    if (signal?.aborted) return Promise.reject(abortError(signal))
    return new Promise((resolve, reject) => {
      const t: Taker<T> = { resolve, reject, cleanup: () => {} }
      if (signal) {
        const onAbort = (): void => {
          const i = this.#takers.indexOf(t)
          if (i !== -1) this.#takers.splice(i, 1)
          reject(abortError(signal))
        }
        signal.addEventListener('abort', onAbort, { once: true })
        t.cleanup = () => signal.removeEventListener('abort', onAbort)
      }
      this.#takers.push(t)
    })
  }

  /** No more puts: waiting takers get CLOSED; waiting producers (only on a forced stop) are rejected. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    for (const t of this.#takers.splice(0)) {
      t.cleanup()
      t.resolve(CLOSED)
    }
    for (const p of this.#putters.splice(0)) {
      p.cleanup()
      p.reject(new ChannelClosedError())
    }
  }
}

export function abortError(signal: AbortSignal): Error {
  const r: unknown = signal.reason
  if (r instanceof Error) return r
  const e = new Error('operation aborted')
  e.name = 'AbortError'
  return e
}

/** `p`, or a rejection as soon as `signal` aborts (the listener is removed either way). */
export function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal))
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal))
    signal.addEventListener('abort', onAbort, { once: true })
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(e instanceof Error ? e : new Error(String(e)))
      },
    )
  })
}
