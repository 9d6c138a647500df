/**
 * `reject_errored` output (spec components §7.11): messages flagged by a processor are nacked with
 * `rejecting due to failed processing: <error>`; clean ones go to the child. In a mixed batch the
 * clean messages are still written and the nack is a per-message batch error (so `fallback`
 * forwards only the flagged ones).
 */
import type { Batch, Message } from '../../message/message.js'
import { defineComponent, f, type Output } from '../../spec/index.js'
import { buildChildOutput } from '../shared/child-output.js'
import { BatchError, asError } from '../shared/batch-error.js'

export default defineComponent({
  kind: 'output',
  name: 'reject_errored',
  status: 'stable',
  summary: 'Rejects messages that have failed their processing steps, resulting in nack behavior at the input level, otherwise sends them to a child output.',
  config: f.component('', 'output'),
  examples: [
    {
      title: 'DLQing failed messages',
      config: `pipeline:
  processors:
    - mutation: 'root.age = this.fuzzy.age.int64()'
output:
  fallback:
    - reject_errored:
        file:
          path: ./data/processed.jsonl
    - file:
        path: ./data/failed.jsonl
`,
      input: ['{"fuzzy":{"age":"36"}}', '{"fuzzy":{"age":"old"}}'],
      // Files in name order: the failed message as it was, then the processed one.
      output: ['{"fuzzy":{"age":"old"}}', '{"age":36,"fuzzy":{"age":"36"}}'],
    },
  ],
  build: async (c, ctx): Promise<Output> => new RejectErrored(await buildChildOutput(ctx, c, 'reject_errored')),
})

function rejection(m: Message): Error | undefined {
  return m.error ? new Error(`rejecting due to failed processing: ${m.error.message}`) : undefined
}

class RejectErrored implements Output {
  readonly maxInFlight: number
  readonly #child: Output

  constructor(child: Output) {
    this.#child = child
    this.maxInFlight = child.maxInFlight
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
    if (batch.length === 1) {
      const err = rejection(batch[0]!)
      if (err) throw err
      return this.#child.write(batch, signal)
    }
    let batchErr: BatchError | undefined
    const clean: Message[] = []
    const cleanIndexes: number[] = []
    for (const [i, m] of batch.entries()) {
      const err = rejection(m)
      if (!err) {
        clean.push(m)
        cleanIndexes.push(i)
        continue
      }
      batchErr ??= new BatchError(err)
      batchErr.fail(i, err)
    }
    if (!batchErr) return this.#child.write(batch, signal)
    if (clean.length === 0) throw batchErr
    try {
      await this.#child.write(clean, signal)
    } catch (e) {
      const werr = asError(e)
      for (const [n, i] of cleanIndexes.entries()) {
        const own = werr instanceof BatchError ? werr.failed.get(n) : werr
        if (own) batchErr.fail(i, own)
      }
    }
    throw batchErr
  }
}
