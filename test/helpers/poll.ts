/**
 * Waiting without sleeps: a probe is asked again and again until it answers or a deadline passes.
 * A probe that throws counts as "not yet" (a server still starting refuses connections), and the
 * last error it threw is in the timeout's message.
 */

/** Truthy when the wait is over; its value is what the wait resolves with. */
export type Probe<T> = () => Promise<T | undefined | false> | T | undefined | false

export interface PollOptions {
  timeoutMs: number
  intervalMs: number
  /** More to say when the deadline passed (a host's output, say). */
  detail?: () => string
}

export async function pollUntil<T>(what: string, fn: Probe<T>, opts: PollOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs
  let last: unknown
  for (;;) {
    try {
      const v = await fn()
      if (v) return v
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}${opts.detail?.() ?? ''}`)
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs))
  }
}
