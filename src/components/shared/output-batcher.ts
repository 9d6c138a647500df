/**
 * An output-level `batching` policy (spec components §3.3, §3.4) in front of a batch output:
 * writes join the pending batch and wait; a count/size/check trigger, the period timer, upstream
 * closing or the output closing flushes it as one write to the inner output, and every write that
 * contributed is acknowledged with that write's result. Upstream layers wait for acknowledgements
 * before they close, so, as in the reference, a partial batch drains on stop only with a `period`.
 *
 *   write ─▶ [pending messages + their waiters] ─flush─▶ inner.write (≤ max_in_flight at once)
 *                                                          └─▶ resolve / reject every waiter
 *
 * The engine gives an output one writer per `maxInFlight`; this output asks for the inner output's
 * count plus room for a full pending batch, so a policy larger than `max_in_flight` still fills up.
 */
import type { Batch } from '../../message/message.js'
import type { Output } from '../../spec/index.js'
import type { Batcher } from './batch-policy.js'
import { abortError } from '../../util/channel.js'

/** Pending writes held at most when no count bounds the batch (a size or check policy). */
const DEFAULT_PENDING_CAP = 1024

interface Waiter {
  resolve(): void
  reject(err: Error): void
}

export class BatchedOutput implements Output {
  readonly maxInFlight: number
  readonly #inner: Output
  readonly #batcher: Batcher
  readonly #pendingCap: number
  readonly #sendLimit: number
  #waiters: Waiter[] = []
  #sending = 0
  #sendQueue: (() => void)[] = []
  #timer: NodeJS.Timeout | undefined
  #signal: AbortSignal | undefined

  constructor(inner: Output, batcher: Batcher, countTrigger: number) {
    this.#inner = inner
    this.#batcher = batcher
    this.#sendLimit = Math.max(1, inner.maxInFlight)
    this.#pendingCap = countTrigger > 0 ? countTrigger : DEFAULT_PENDING_CAP
    this.maxInFlight = this.#sendLimit + this.#pendingCap
  }

  connect(signal: AbortSignal): Promise<void> {
    return this.#inner.connect(signal)
  }

  connected(): boolean {
    return this.#inner.connected()
  }

  watchConnection(onChange: () => void): void {
    this.#inner.watchConnection?.(onChange)
  }

  write(batch: Batch, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(abortError(signal))
    this.#watch(signal)
    let triggered = false
    for (const m of batch) triggered = this.#batcher.add(m) || triggered
    const done = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }))
    if (triggered || this.#waiters.length >= this.#pendingCap) void this.#flush()
    else this.#armTimer()
    return done
  }

  endOfInput(): void {
    if (this.#waiters.length) void this.#flush()
  }

  async close(): Promise<void> {
    clearTimeout(this.#timer)
    if (this.#waiters.length) await this.#flush()
    await Promise.allSettled([this.#inner.close(), this.#batcher.close()])
  }

  async #flush(): Promise<void> {
    clearTimeout(this.#timer)
    this.#timer = undefined
    const waiters = this.#waiters
    this.#waiters = []
    let batch: Batch
    try {
      batch = await this.#batcher.flush()
    } catch (err) {
      // The batch processors failed as a whole: every contributing write is nacked.
      for (const w of waiters) w.reject(err instanceof Error ? err : new Error(String(err)))
      return
    }
    if (batch.length === 0) {
      for (const w of waiters) w.resolve()
      return
    }
    await this.#slot()
    try {
      await this.#inner.write(batch, this.#signal ?? new AbortController().signal)
      for (const w of waiters) w.resolve()
    } catch (err) {
      for (const w of waiters) w.reject(err instanceof Error ? err : new Error(String(err)))
    } finally {
      this.#release()
    }
  }

  #armTimer(): void {
    if (this.#timer !== undefined || this.#batcher.size === 0) return
    const wait = this.#batcher.untilPeriod()
    if (wait === Infinity) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      if (this.#batcher.periodDue()) void this.#flush()
      else this.#armTimer()
    }, Math.max(0, wait))
  }

  /** A forced stop nacks what is still pending instead of sending it. */
  #watch(signal: AbortSignal): void {
    if (this.#signal === signal) return
    this.#signal = signal
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(this.#timer)
        this.#batcher.discard()
        const err = abortError(signal)
        for (const w of this.#waiters.splice(0)) w.reject(err)
        for (const r of this.#sendQueue.splice(0)) r()
      },
      { once: true },
    )
  }

  #slot(): Promise<void> {
    if (this.#sending < this.#sendLimit) {
      this.#sending++
      return Promise.resolve()
    }
    return new Promise((resolve) =>
      this.#sendQueue.push(() => {
        this.#sending++
        resolve()
      }),
    )
  }

  #release(): void {
    this.#sending--
    this.#sendQueue.shift()?.()
  }
}
