/** "Something changed" wake-ups for loops that wait on shared state (buffers). */
import { abortError } from '../../util/channel.js'

export class Notifier {
  #waiters: (() => void)[] = []
  #seq = 0

  /** Changes with every `notify`; pass it to `wait` to not miss a notify that raced ahead. */
  get seq(): number {
    return this.#seq
  }

  notify(): void {
    this.#seq++
    const ws = this.#waiters
    if (ws.length === 0) return
    this.#waiters = []
    for (const w of ws) w()
  }

  /**
   * Resolves on the next `notify` after `since` (at once if one already happened), or after
   * `timeoutMs`; rejects when `signal` aborts.
   */
  wait(signal: AbortSignal, since: number, timeoutMs?: number): Promise<void> {
    if (signal.aborted) return Promise.reject(abortError(signal))
    if (since !== this.#seq) return Promise.resolve()
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined
      const onAbort = (): void => {
        cleanup()
        reject(abortError(signal))
      }
      const wake = (): void => {
        cleanup()
        resolve()
      }
      const cleanup = (): void => {
        if (timer) clearTimeout(timer)
        signal.removeEventListener('abort', onAbort)
        const i = this.#waiters.indexOf(wake)
        if (i !== -1) this.#waiters.splice(i, 1)
      }
      if (timeoutMs !== undefined) timer = setTimeout(wake, Math.max(0, timeoutMs))
      signal.addEventListener('abort', onAbort, { once: true })
      this.#waiters.push(wake)
    })
  }
}
