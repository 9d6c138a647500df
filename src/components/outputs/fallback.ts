/**
 * `fallback` output (spec components §7.8): a batch goes to the first output; when it fails it
 * goes to the next one with metadata `fallback_error` set to the failure, and so on; the last
 * failure nacks upstream. After a batch error only the failed messages move on.
 */
import type { Batch, Message } from '../../message/message.js'
import { defineComponent, f, type Output } from '../../spec/index.js'
import { buildChildOutput, closeAll, connectAll } from '../shared/child-output.js'
import { watchEach } from '../../util/connection-watch.js'
import { invalid } from '../shared/field-error.js'
import { BatchError, asError } from '../shared/batch-error.js'

export default defineComponent({
  kind: 'output',
  name: 'fallback',
  status: 'stable',
  summary:
    'Attempts to send each message to a child output, starting from the first output on the list. If an output attempt fails then the next output in the list is attempted, and so on.',
  config: f.array(f.component('', 'output', { default: [] })),
  examples: [
    {
      title: 'Dead letter file',
      config: `pipeline:
  processors:
    - mutation: 'root.total = this.price * this.quantity'
output:
  fallback:
    - reject_errored:
        file:
          path: ./data/orders.jsonl
    - file:
        path: ./data/failed.txt
      processors:
        - mapping: 'root = "failed to send: " + @fallback_error'
`,
      input: ['{"price":2,"quantity":3}', '{"price":2}'],
      // Files in name order: why the second order failed, then the order the first output took.
      output: [
        'failed to send: rejecting due to failed processing: failed assignment (line 1): cannot multiply types number (from field `this.price`) and null (from field `this.quantity`)',
        '{"price":2,"quantity":3,"total":6}',
      ],
    },
  ],
  build: async (c, ctx): Promise<Output> => {
    if (c.length === 0) throw invalid('', 'attempting to create broker output type with no outputs')
    const tiers: Output[] = []
    for (const [i, raw] of c.entries()) tiers.push(await buildChildOutput(ctx, raw, `fallback[${i}]`))
    return new FallbackOutput(tiers)
  },
})

class FallbackOutput implements Output {
  readonly maxInFlight: number
  readonly #tiers: Output[]

  constructor(tiers: Output[]) {
    this.#tiers = tiers
    this.maxInFlight = Math.max(1, tiers[0]!.maxInFlight)
  }

  connect(signal: AbortSignal): Promise<void> {
    return connectAll(this.#tiers, signal)
  }

  /** Every tier, as the reference lists each tier's status and is ready only when all are up. */
  connected(): boolean {
    return this.#tiers.every((t) => t.connected())
  }

  watchConnection(onChange: () => void): void {
    watchEach(this.#tiers, onChange)
  }

  endOfInput(): void {
    for (const t of this.#tiers) t.endOfInput?.()
  }

  close(): Promise<void> {
    return closeAll(this.#tiers)
  }

  async write(batch: Batch, signal: AbortSignal): Promise<void> {
    let current: Message[] = batch.map((m) => m.copy())
    for (let t = 0; ; t++) {
      try {
        await this.#tiers[t]!.write(current, signal)
        return
      } catch (e) {
        const err = asError(e)
        if (t === this.#tiers.length - 1 || signal.aborted) throw err
        current = nextTier(current, err)
      }
    }
  }
}

/** The messages the next tier gets: the failed ones of a batch error, else all, tagged. */
function nextTier(batch: Message[], err: Error): Message[] {
  if (batch.length > 1 && err instanceof BatchError && err.failed.size > 0) {
    const out: Message[] = []
    for (const [i, e] of [...err.failed].sort((a, b) => a[0] - b[0])) {
      const m = batch[i]?.copy()
      if (!m) continue
      m.metaMut().set('fallback_error', e.message)
      out.push(m)
    }
    if (out.length > 0) return out
  }
  return batch.map((m) => {
    const c = m.copy()
    c.metaMut().set('fallback_error', err.message)
    return c
  })
}
