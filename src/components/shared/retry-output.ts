/**
 * Retrying writes against an output instead of nacking upstream: the `retry` output, and the
 * indefinite retry the reference wraps around `fan_out`/`fan_out_sequential` children and
 * `switch` cases with `retry_until_success`. While any batch is in its retry loop no new batch is
 * written (ordering of retries, back pressure), as in the reference's `indefiniteRetry`.
 */
import type { Batch } from '../../message/message.js'
import { f, type Logger, type ObjectOf, type Output } from '../../spec/index.js'
import { sleep } from '../../util/backoff.js'
import { abortError } from '../../util/channel.js'
import { durationField } from './durations.js'
import { errorText } from './batch-error.js'

export interface RetryPolicy {
  initialMs: number
  maxMs: number
  /** 0 = unbounded. */
  maxElapsedMs: number
  /** 0 = unbounded. */
  maxRetries: number
}

/** The wrapper brokers use: 500 ms growing to 3 s, forever. */
export const INDEFINITE: RetryPolicy = { initialMs: 500, maxMs: 3000, maxElapsedMs: 0, maxRetries: 0 }

/** `max_retries` and `backoff` (the reference's common retry back-off fields). */
export function retryFields(maxRetries: number, initial: string, max: string, maxElapsed: string) {
  return [
    f.int('max_retries', { default: maxRetries, advanced: true, description: 'The maximum number of retries before giving up on the request. If set to zero there is no discrete limit.' }),
    f.object(
      'backoff',
      [
        f.duration('initial_interval', { default: initial, description: 'The initial period to wait between retry attempts.' }),
        f.duration('max_interval', { default: max, description: 'The maximum period to wait between retry attempts.' }),
        f.duration('max_elapsed_time', { default: maxElapsed, description: 'The maximum period to wait before retry attempts are abandoned. If zero then no limit is used.' }),
      ],
      { advanced: true, description: 'Control time intervals between retry attempts.' },
    ),
  ] as const
}

type RetryConf = ObjectOf<ReturnType<typeof retryFields>>

export function retryPolicyOf(c: RetryConf): RetryPolicy {
  const d = (name: string, v: string): number => (v === '' ? 0 : durationField(`backoff.${name}`, v))
  return {
    initialMs: d('initial_interval', c.backoff.initial_interval),
    maxMs: d('max_interval', c.backoff.max_interval),
    maxElapsedMs: d('max_elapsed_time', c.backoff.max_elapsed_time),
    maxRetries: Math.max(0, c.max_retries),
  }
}

/**
 * The reference's exponential back-off (cenkalti/backoff: ×1.5 per attempt, ±50% jitter, capped
 * at the maximum); `next()` is undefined once retries or elapsed time are used up.
 */
export class ExponentialBackoff {
  readonly #p: RetryPolicy
  readonly #started = performance.now()
  #current: number
  #tries = 0

  constructor(p: RetryPolicy) {
    this.#p = p
    this.#current = p.initialMs
  }

  next(): number | undefined {
    if (this.#p.maxRetries > 0 && this.#tries >= this.#p.maxRetries) return undefined
    if (this.#p.maxElapsedMs > 0 && performance.now() - this.#started > this.#p.maxElapsedMs) return undefined
    this.#tries++
    const base = this.#current
    this.#current = this.#p.maxMs > 0 ? Math.min(this.#current * 1.5, this.#p.maxMs) : this.#current * 1.5
    return base * (0.5 + Math.random())
  }
}

export class RetryingOutput implements Output {
  readonly maxInFlight: number
  readonly #inner: Output
  readonly #policy: RetryPolicy
  readonly #logger: Logger
  #looping = 0
  #cleared: (() => void)[] = []

  constructor(inner: Output, policy: RetryPolicy, logger: Logger) {
    this.#inner = inner
    this.#policy = policy
    this.#logger = logger
    this.maxInFlight = inner.maxInFlight
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

  endOfInput(): void {
    this.#inner.endOfInput?.()
  }

  close(): Promise<void> {
    return this.#inner.close()
  }

  async write(batch: Batch, signal: AbortSignal): Promise<void> {
    while (this.#looping > 0) await this.#whenCleared(signal)
    let backoff: ExponentialBackoff | undefined
    let inLoop = false
    try {
      for (;;) {
        try {
          // Each attempt gets its own copies: a child's processors must not see the last attempt's edits.
          await this.#inner.write(batch.map((m) => m.copy()), signal)
          return
        } catch (err) {
          if (signal.aborted) throw err
          if (!inLoop) {
            inLoop = true
            this.#looping++
          }
          backoff ??= new ExponentialBackoff(this.#policy)
          const wait = backoff.next()
          if (wait === undefined) {
            this.#logger.error(`Failed to send message: ${errorText(err)}`)
            throw new Error('message failed to reach a target destination')
          }
          this.#logger.warn(`Failed to send message: ${errorText(err)}`)
          if (!(await sleep(wait, signal))) throw abortError(signal)
        }
      }
    } finally {
      if (inLoop && --this.#looping === 0) for (const w of this.#cleared.splice(0)) w()
    }
  }

  #whenCleared(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(abortError(signal))
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(abortError(signal))
      signal.addEventListener('abort', onAbort, { once: true })
      this.#cleared.push(() => {
        signal.removeEventListener('abort', onAbort)
        resolve()
      })
    })
  }
}
