/** Pause/resume for the input layer: reads wait while the gate is closed. */
import { abortError } from '../util/channel.js'

export class Gate {
  #open: boolean
  #waiters: (() => void)[] = []

  constructor(open: boolean) {
    this.#open = open
  }

  get isOpen(): boolean {
    return this.#open
  }

  open(): void {
    this.#open = true
    for (const w of this.#waiters.splice(0)) w()
  }

  close(): void {
    this.#open = false
  }

  /** Resolves once open (immediately when it already is); rejects when `signal` aborts first. */
  wait(signal: AbortSignal): Promise<void> | undefined {
    if (this.#open) return undefined
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(abortError(signal))
      const onAbort = (): void => {
        const i = this.#waiters.indexOf(done)
        if (i !== -1) this.#waiters.splice(i, 1)
        reject(abortError(signal))
      }
      const done = (): void => {
        signal.removeEventListener('abort', onAbort)
        resolve()
      }
      signal.addEventListener('abort', onAbort, { once: true })
      this.#waiters.push(done)
    })
  }
}
