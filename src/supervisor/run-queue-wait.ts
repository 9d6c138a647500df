/**
 * How long the calling thread waited for a core: Linux's per-thread schedstat (the second field,
 * nanoseconds spent runnable but not running). The supervisor reads its own to notice when stream
 * threads starve it (supervisor/priority-guard.ts).
 */
import { readFileSync } from 'node:fs'

export class RunQueueWait {
  #lastNs: number | undefined
  readonly #available = process.platform === 'linux'

  /** Milliseconds waited since the previous call (0 on the first); undefined where not measurable. */
  sampleMs(): number | undefined {
    if (!this.#available) return undefined
    let ns: number
    try {
      ns = Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[1])
    } catch {
      return undefined
    }
    if (!Number.isFinite(ns)) return undefined
    const prev = this.#lastNs
    this.#lastNs = ns
    return prev === undefined ? 0 : Math.max(0, (ns - prev) / 1e6)
  }
}
