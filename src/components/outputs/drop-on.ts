/**
 * `drop_on` output (spec components §7.12): writes to the child and acks (drops) instead of
 * nacking when the child fails with any error (`error: true`) or one matching `error_patterns`.
 * With `back_pressure`, a batch the child does not take within that time is dropped, and so is
 * every following batch until the child is ready again (nacked unless `error: true`).
 */
import type { Batch } from '../../message/message.js'
import { defineComponent, f, type Logger, type Output } from '../../spec/index.js'
import { compileRe2, re2Test } from '../../bloblang/regex/index.js'
import { buildChildOutput } from '../shared/child-output.js'
import { durationField } from '../shared/durations.js'
import { invalid } from '../shared/field-error.js'
import { asError, errorText } from '../shared/batch-error.js'
import { abortError } from '../../util/channel.js'

export default defineComponent({
  kind: 'output',
  name: 'drop_on',
  status: 'stable',
  summary:
    'Attempts to write messages to a child output and if the write fails for one of a list of configurable reasons the message is dropped (acked) instead of being reattempted (or nacked).',
  config: f.object('', [
    f.bool('error', { default: false, description: 'Whether messages should be dropped when the child output returns an error of any type.' }),
    f.array(f.string('error_patterns', { optional: true, description: 'A list of regular expressions (re2) where if the child output returns an error that matches any part of any of these patterns the message will be dropped.' })),
    f.duration('back_pressure', { optional: true, description: 'An optional duration string that determines the maximum length of time to wait for a given message to be accepted by the child output before the message should be dropped instead.' }),
    f.component('output', 'output', { description: 'A child output to wrap with this drop mechanism.' }),
  ]),
  examples: [
    {
      title: 'Dropping failed HTTP requests',
      config: `output:
  broker:
    pattern: fan_out
    outputs:
      - file:
          path: /tmp/all.jsonl
      - drop_on:
          error: true
          output:
            http_client:
              url: http://127.0.0.1:4195/post
`,
    },
  ],
  build: async (c, ctx): Promise<Output> => {
    const patterns: { test(s: string): boolean }[] = []
    if (c.error_patterns.length > 0) {
      if (c.error) throw invalid('error_patterns', "field 'error_patterns' is ineffective when 'error' is set to `true`")
      for (const [i, p] of c.error_patterns.entries()) {
        try {
          const re = compileRe2(p)
          patterns.push({ test: (s) => re2Test(re, s) })
        } catch (err) {
          throw invalid(`error_patterns[${i}]`, `error pattern ${i} failed to compile: ${errorText(err)}`)
        }
      }
    }
    const backPressureMs = c.back_pressure ? durationField('back_pressure', c.back_pressure) : 0
    const child = await buildChildOutput(ctx, c.output, 'drop_on.output')
    return new DropOn(child, c.error, patterns, backPressureMs, c.back_pressure ?? '', ctx.logger)
  },
})

class DropOn implements Output {
  readonly maxInFlight = 1
  readonly #child: Output
  readonly #onError: boolean
  readonly #patterns: { test(s: string): boolean }[]
  readonly #backPressureMs: number
  readonly #backPressureText: string
  readonly #logger: Logger
  /** A write outlived `back_pressure` and is still with the child: later batches drop at once. */
  #stalled: Promise<unknown> | undefined

  constructor(child: Output, onError: boolean, patterns: { test(s: string): boolean }[], backPressureMs: number, backPressureText: string, logger: Logger) {
    this.#child = child
    this.#onError = onError
    this.#patterns = patterns
    this.#backPressureMs = backPressureMs
    this.#backPressureText = backPressureText
    this.#logger = logger
  }

  connect(signal: AbortSignal): Promise<void> {
    return this.#child.connect(signal)
  }

  connected(): boolean {
    return this.#child.connected()
  }

  watchConnection(onChange: () => void): void {
    this.#child.watchConnection?.(onChange)
  }

  endOfInput(): void {
    this.#child.endOfInput?.()
  }

  close(): Promise<void> {
    return this.#child.close()
  }

  async write(batch: Batch, signal: AbortSignal): Promise<void> {
    let err: Error | undefined
    if (this.#backPressureMs > 0) err = await this.#writeWithin(batch, signal)
    else {
      try {
        await this.#child.write(batch, signal)
      } catch (e) {
        err = asError(e)
      }
    }
    if (!err || signal.aborted) {
      if (err) throw err
      return
    }
    if (this.#onError) {
      this.#logger.warn(`Message dropped due to: ${err.message}`)
      return
    }
    for (const [i, p] of this.#patterns.entries()) {
      if (p.test(err.message)) {
        this.#logger.warn(`Message dropped due to error matching pattern ${i}: ${err.message}`)
        return
      }
    }
    throw err
  }

  /** The child's result, or a back-pressure error when it takes longer than `back_pressure`. */
  async #writeWithin(batch: Batch, signal: AbortSignal): Promise<Error | undefined> {
    if (this.#stalled) return this.#dropped()
    const write = this.#child.write(batch, signal).then(
      () => undefined,
      (e: unknown) => asError(e),
    )
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.#backPressureMs)))
    const r = await Promise.race([write, timeout])
    clearTimeout(timer)
    if (signal.aborted) return abortError(signal)
    if (r !== 'timeout') return r
    const stalled = write.finally(() => {
      if (this.#stalled === stalled) this.#stalled = undefined
    })
    this.#stalled = stalled
    return this.#dropped()
  }

  #dropped(): Error | undefined {
    this.#logger.warn('Message dropped due to back pressure.')
    // With `error: true` a drop is an ack; otherwise it is the nack the reference gives.
    return this.#onError ? undefined : new Error(`experienced back pressure beyond: ${this.#backPressureText}`)
  }
}
