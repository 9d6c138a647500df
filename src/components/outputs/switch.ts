/**
 * `switch` output (spec components §7.7): each message is tested against the cases in order and a
 * shallow copy goes to the first match (and on to later cases while `continue` is set); messages
 * of one batch routed to the same case travel as one batch. Unmatched messages are dropped, or
 * nack the batch under `strict_mode`. Case failures come back as a per-message batch error.
 */
import { compileMapping, type Mapping } from '../../bloblang/index.js'
import type { Batch, Message } from '../../message/message.js'
import { defineComponent, f, type Logger, type Output } from '../../spec/index.js'
import { buildChildOutput, closeAll, connectAll } from '../shared/child-output.js'
import { watchEach } from '../../util/connection-watch.js'
import { INDEFINITE, RetryingOutput } from '../shared/retry-output.js'
import { atField, invalid } from '../shared/field-error.js'
import { BatchError, asError, errorText } from '../shared/batch-error.js'
import { isPlainObject } from '../../config/values.js'

const REJECT_LINT =
  "a 'switch' output with a 'reject' case output must have the field 'switch.retry_until_success' set to 'false', otherwise the 'reject' child output will result in infinite retries"

export default defineComponent({
  kind: 'output',
  name: 'switch',
  status: 'stable',
  summary: 'The switch output type allows you to route messages to different outputs based on their contents.',
  config: f.object(
    '',
    [
      f.bool('retry_until_success', {
        default: false,
        description: 'If a selected output fails to send a message this field determines whether it is reattempted indefinitely. If set to false the error is instead propagated back to the input level.',
      }),
      f.bool('strict_mode', {
        default: false,
        advanced: true,
        description: 'This field determines whether an error should be reported if no condition is met. If set to true, an error is propagated back to the input level. The default behavior is false, which will drop the message.',
      }),
      f.array(
        f.object(
          'cases',
          [
            f.bloblang('check', { default: '', description: 'A Bloblang query that should return a boolean value indicating whether a message should be routed to the case output. If left empty the case always passes.' }),
            f.component('output', 'output', { description: 'An output for messages that pass the check to be routed to.' }),
            f.bool('continue', { default: false, advanced: true, description: 'Indicates whether, if this case passes for a message, the next case should also be tested.' }),
          ],
          { description: 'A list of switch cases, outlining outputs that can be routed to.' },
        ),
      ),
    ],
    { lint: lintRejectRetry },
  ),
  examples: [
    {
      title: 'Reject failed messages',
      config: `pipeline:
  processors:
    - mutation: 'root.age = this.age.number()'
output:
  switch:
    retry_until_success: false
    cases:
      - check: '!errored()'
        output:
          file:
            path: ./data/valid.jsonl
      - output:
          reject: 'processing failed due to: \${! error() }'
`,
      input: ['{"name":"ada","age":"36"}', '{"name":"bob","age":"old"}', '{"name":"cy","age":"7"}'],
      // Only the messages processed cleanly reach the file; the other one is nacked at its input.
      output: ['{"age":36,"name":"ada"}', '{"age":7,"name":"cy"}'],
    },
  ],
  build: async (c, ctx): Promise<Output> => {
    if (c.cases.length < 2) throw invalid('cases', 'attempting to create switch with fewer than 2 cases')
    const cases: Case[] = []
    for (const [i, k] of c.cases.entries()) {
      const child = await buildChildOutput(ctx, k.output, `switch.cases[${i}].output`)
      const check = k.check === '' ? undefined : atField(`cases[${i}].check`, () => compileMapping(k.check, { configDir: ctx.configDir }))
      cases.push({ check, cont: k.continue, output: c.retry_until_success ? new RetryingOutput(child, INDEFINITE, ctx.logger) : child })
    }
    return new SwitchOutput(cases, c.strict_mode, ctx.logger)
  },
})

/** The reference's lint: a `reject` case with `retry_until_success` would retry forever. */
function lintRejectRetry(v: unknown): string[] {
  if (!isPlainObject(v) || v.retry_until_success !== true || !Array.isArray(v.cases)) return []
  const rejects = v.cases.some((k) => isPlainObject(k) && isPlainObject(k.output) && (k.output.type === 'reject' || typeof k.output.reject === 'string'))
  return rejects ? [REJECT_LINT] : []
}

interface Case {
  check: Mapping | undefined
  cont: boolean
  output: Output
}

class SwitchOutput implements Output {
  readonly maxInFlight: number
  readonly #cases: Case[]
  readonly #strict: boolean
  readonly #logger: Logger

  constructor(cases: Case[], strict: boolean, logger: Logger) {
    this.#cases = cases
    this.#strict = strict
    this.#logger = logger
    this.maxInFlight = Math.max(1, ...cases.map((k) => k.output.maxInFlight))
  }

  connect(signal: AbortSignal): Promise<void> {
    return connectAll(this.#cases.map((k) => k.output), signal)
  }

  /** Every case's output, as the reference's switch lists each one's status. */
  connected(): boolean {
    return this.#cases.every((k) => k.output.connected())
  }

  watchConnection(onChange: () => void): void {
    watchEach(this.#cases.map((k) => k.output), onChange)
  }

  endOfInput(): void {
    for (const k of this.#cases) k.output.endOfInput?.()
  }

  close(): Promise<void> {
    return closeAll(this.#cases.map((k) => k.output))
  }

  async write(batch: Batch, signal: AbortSignal): Promise<void> {
    const routed: { msgs: Message[]; indexes: number[] }[] = this.#cases.map(() => ({ msgs: [], indexes: [] }))
    for (let i = 0; i < batch.length; i++) {
      let matched = false
      for (let j = 0; j < this.#cases.length; j++) {
        const k = this.#cases[j]!
        let hit = true
        if (k.check) {
          try {
            hit = k.check.queryBool(batch, i)
          } catch (err) {
            hit = false
            this.#logger.error(`Failed to test case ${j}: ${errorText(err)}`)
          }
        }
        if (!hit) continue
        matched = true
        routed[j]!.msgs.push(batch[i]!.copy())
        routed[j]!.indexes.push(i)
        if (!k.cont) break
      }
      if (!matched && this.#strict) {
        this.#logger.error('Message failed to match against at least one output check with strict mode enabled, it will be nacked and/or re-processed')
        throw new Error('no switch output conditions were met by message')
      }
    }
    let batchErr: BatchError | undefined
    await Promise.all(
      routed.map(async (r, j) => {
        if (r.msgs.length === 0) return
        try {
          await this.#cases[j]!.output.write(r.msgs, signal)
        } catch (e) {
          const err = asError(e)
          for (const [n, i] of r.indexes.entries()) {
            const own = err instanceof BatchError ? err.failed.get(n) : err
            if (!own) continue
            batchErr ??= new BatchError(own)
            batchErr.fail(i, own)
          }
        }
      }),
    )
    if (batchErr) throw batchErr
  }
}
