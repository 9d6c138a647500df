/**
 * How long the calling thread waited for a core: Linux's per-thread schedstat (the second field,
 * nanoseconds spent runnable but not running; the third, how many times it got a core). The
 * supervisor reads its own to notice when stream threads starve it (supervisor/priority-guard.ts).
 */
import { readFileSync } from 'node:fs'

/** One window: milliseconds waited, and how many times the thread got a core meanwhile. */
export interface WaitSample {
  waitedMs: number
  slices: number
}

export class RunQueueWait {
  #last: { ns: number; slices: number } | undefined
  readonly #available = process.platform === 'linux'

  /** The window since the previous call (zeros on the first); undefined where not measurable. */
  sample(): WaitSample | undefined {
    if (!this.#available) return undefined
    let fields: string[]
    try {
      fields = readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')
    } catch {
      return undefined
    }
    const ns = Number(fields[1])
    const slices = Number(fields[2])
    if (!Number.isFinite(ns) || !Number.isFinite(slices)) return undefined
    const prev = this.#last
    this.#last = { ns, slices }
    if (prev === undefined) return { waitedMs: 0, slices: 0 }
    return { waitedMs: Math.max(0, (ns - prev.ns) / 1e6), slices: Math.max(0, slices - prev.slices) }
  }
}
