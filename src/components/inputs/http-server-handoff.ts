/**
 * The `http_server` input's hand-off from request handlers to `read()`, with the per-request
 * deadlines and stop signals of spec streams-mode §8.2, built without a per-request
 * AbortController: on the stream endpoint path, creating and linking AbortSignals cost more worker
 * CPU than everything else the input does per request (measured with --cpu-prof, bench/README.md).
 *
 *   handler ──offer──▶ [ waiting requests ] ⇄ [ waiting readers ] ◀──take── read()
 *
 * Like a rendezvous channel, an offer completes only when a reader takes it, so back pressure
 * reaches the HTTP clients. A request can be withdrawn while it waits (timeout, stop).
 */
import { CLOSED } from '../../stream/channel.js'
import { SlotTable } from '../../util/slot-table.js'

export interface Offer<T> {
  item: T
  /** Called once when a reader takes the item. */
  taken: () => void
  /** Called once when the hand-off closes before anyone took the item. */
  refused: () => void
  /** Set by the hand-off: queued and neither taken nor withdrawn yet. */
  waiting?: boolean
}

interface Reader<T> {
  resolve: (v: T | typeof CLOSED) => void
  reject: (err: Error) => void
  stop: (() => void) | undefined
}

export class Handoff<T> {
  /**
   * Queued offers, oldest first. A withdrawn offer stays in place with `waiting` cleared and is
   * skipped by `take` (a queue, not a Set: see util/slot-table.ts for what hash churn costs here).
   */
  #offers: Offer<T>[] = []
  #readers: Reader<T>[] = []
  #closed = false

  get closed(): boolean {
    return this.#closed
  }

  /** false when the hand-off is closed (the caller answers 503). */
  offer(o: Offer<T>): boolean {
    if (this.#closed) return false
    const r = this.#readers.shift()
    if (r) {
      r.stop?.()
      r.resolve(o.item)
      o.taken()
      return true
    }
    o.waiting = true
    this.#offers.push(o)
    return true
  }

  /** Removes an offer nobody took yet; false when it was already taken. */
  withdraw(o: Offer<T>): boolean {
    if (!o.waiting) return false
    o.waiting = false
    return true
  }

  take(signal: AbortSignal, abortError: (s: AbortSignal) => Error): Promise<T | typeof CLOSED> {
    for (let o = this.#offers.shift(); o !== undefined; o = this.#offers.shift()) {
      if (!o.waiting) continue
      o.waiting = false
      o.taken()
      return Promise.resolve(o.item)
    }
    if (this.#closed) return Promise.resolve(CLOSED)
    if (signal.aborted) return Promise.reject(abortError(signal))
    return new Promise((resolve, reject) => {
      const r: Reader<T> = { resolve, reject, stop: undefined }
      r.stop = onAbort(signal, () => {
        const i = this.#readers.indexOf(r)
        if (i !== -1) this.#readers.splice(i, 1)
        reject(abortError(signal))
      })
      this.#readers.push(r)
    })
  }

  /** No more offers: waiting readers get CLOSED, offers nobody took are refused. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    for (const r of this.#readers.splice(0)) {
      r.stop?.()
      r.resolve(CLOSED)
    }
    const left = this.#offers.splice(0)
    for (const o of left) {
      if (!o.waiting) continue
      o.waiting = false
      o.refused()
    }
  }
}

/**
 * Calls `fn` once when `signal` aborts; returns the unsubscribe. Every subscriber of one signal
 * shares a single listener: most requests watch the same stream-wide signals, and adding and
 * removing EventTarget listeners per request is what this avoids.
 */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  if (signal.aborted) {
    queueMicrotask(fn)
    return noop
  }
  let subs = watchers.get(signal)
  if (!subs) {
    const table = new SlotTable<() => void>()
    subs = table
    watchers.set(signal, table)
    signal.addEventListener(
      'abort',
      () => {
        watchers.delete(signal)
        for (const f of table.drain()) f()
      },
      { once: true },
    )
  }
  const table = subs
  const handle = table.add(fn)
  return () => {
    table.delete(handle)
  }
}

const noop = (): void => {}
// Slot tables, not Sets, and one EventTarget listener per signal: per-request listeners churn
// hash tables and EventTarget's linked list, both of which keep dead requests alive through
// scavenges (util/slot-table.ts).
const watchers = new WeakMap<AbortSignal, SlotTable<() => void>>()
