/**
 * Passing connection changes up through components that hold others (brokers, fallback, switch,
 * retries, batchers, nested child wrappers). The engine reads `connected()` only when told that
 * it may have changed, so a wrapper that did not pass on its children's `watchConnection` kept
 * reporting what it saw at the last connect, however long a NATS link inside it was down.
 */

/** What inputs and outputs share for this: both may report changes. */
export interface Watchable {
  watchConnection?(onChange: () => void): void
}

/** The callbacks given to one component's `watchConnection`, for changes it sees itself. */
export class ConnectionWatchers {
  readonly #fns: (() => void)[] = []

  /** Returns what takes `fn` off again (a holder that goes away before this object must call it). */
  add(fn: () => void): () => void {
    this.#fns.push(fn)
    return () => {
      const i = this.#fns.indexOf(fn)
      if (i !== -1) this.#fns.splice(i, 1)
    }
  }

  notify(): void {
    for (const fn of this.#fns) fn()
  }

  /**
   * Passes on the changes `source` reports, while `current()` holds (a component that swaps the
   * child it reads or writes keeps hearing an old one, which no longer counts).
   */
  follow(source: Watchable, current: () => boolean = () => true): void {
    source.watchConnection?.(() => {
      if (current()) this.notify()
    })
  }
}

/** Subscribes `onChange` to every one of `children` that reports changes. */
export function watchEach(children: readonly Watchable[], onChange: () => void): void {
  for (const c of children) c.watchConnection?.(onChange)
}
