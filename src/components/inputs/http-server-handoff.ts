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
import { CLOSED } from '../../util/channel.js'
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

/** A reader waiting in `take`; it watches the read signal itself (no closures per wait). */
class Reader<T> implements AbortWatch {
  readonly resolve: (v: T | typeof CLOSED) => void
  readonly reject: (err: Error) => void
  readonly #owner: Handoff<T>
  readonly #signal: AbortSignal
  readonly #abortError: (s: AbortSignal) => Error
  #watch = -1

  constructor(owner: Handoff<T>, signal: AbortSignal, abortError: (s: AbortSignal) => Error, resolve: (v: T | typeof CLOSED) => void, reject: (err: Error) => void) {
    this.#owner = owner
    this.#signal = signal
    this.#abortError = abortError
    this.resolve = resolve
    this.reject = reject
    this.#watch = watchAbort(signal, this)
  }

  /** Stops watching the signal (the reader got an item or the hand-off closed). */
  stop(): void {
    unwatchAbort(this.#signal, this.#watch)
  }

  onAbort(): void {
    this.#owner.dropReader(this)
    this.reject(this.#abortError(this.#signal))
  }
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
      r.stop()
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
    // Withdrawn offers at the front go now; others when they reach it (timeouts come in order).
    const q = this.#offers
    while (q.length > 0 && !q[0]!.waiting) q.shift()
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
      this.#readers.push(new Reader(this, signal, abortError, resolve, reject))
    })
  }

  /** A reader whose signal aborted leaves the queue. */
  dropReader(r: Reader<T>): void {
    const i = this.#readers.indexOf(r)
    if (i !== -1) this.#readers.splice(i, 1)
  }

  /** No more offers: waiting readers get CLOSED, offers nobody took are refused. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    for (const r of this.#readers.splice(0)) {
      r.stop()
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

/** Something to tell when a signal aborts. */
export interface AbortWatch {
  onAbort(): void
}

/**
 * Calls `w.onAbort()` once when `signal` aborts and returns a handle for `unwatchAbort`. Every
 * watcher of one signal shares a single listener: most requests watch the same stream-wide
 * signals, and adding and removing EventTarget listeners per request is what this avoids (its
 * listener list, like a Map or Set churned per request, keeps dead requests alive through
 * scavenges: util/slot-table.ts).
 */
export function watchAbort(signal: AbortSignal, w: AbortWatch): number {
  if (signal.aborted) {
    queueMicrotask(() => w.onAbort())
    return -1
  }
  let table = watchers.get(signal)
  if (!table) {
    const t = new SlotTable<AbortWatch>()
    table = t
    watchers.set(signal, t)
    signal.addEventListener(
      'abort',
      () => {
        watchers.delete(signal)
        for (const x of t.drain()) x.onAbort()
      },
      { once: true },
    )
  }
  return table.add(w)
}

export function unwatchAbort(signal: AbortSignal, handle: number): void {
  if (handle >= 0) watchers.get(signal)?.delete(handle)
}

const watchers = new WeakMap<AbortSignal, SlotTable<AbortWatch>>()
