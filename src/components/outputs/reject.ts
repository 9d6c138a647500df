/**
 * `reject` output (spec components §7.10): every write fails with the interpolated message, so the
 * batch is nacked upstream (the output layer logs it at DEBUG as `Rejecting message: ...`, as the
 * reference does for an output of type `reject`: a rejection is intended, not a fault).
 */
import { compileInterpolation } from '../../bloblang/index.js'
import { defineComponent, f, type Output } from '../../spec/index.js'
import { atField, invalid } from '../shared/field-error.js'
import { errorText } from '../shared/batch-error.js'

export default defineComponent({
  kind: 'output',
  name: 'reject',
  status: 'stable',
  summary: 'Rejects all messages, treating them as though the output destination failed to publish them.',
  config: f.interp('', { default: '' }),
  examples: [
    {
      title: 'Rejecting failed messages',
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
          reject: "processing failed due to: \${! error() }"
`,
      input: ['{"name":"ada","age":"36"}', '{"name":"bob","age":"old"}', '{"name":"cy","age":"7"}'],
      // Only the messages processed cleanly reach the file; the other one is nacked at its input.
      output: ['{"age":36,"name":"ada"}', '{"age":7,"name":"cy"}'],
    },
  ],
  build: (c, ctx): Output => {
    if (c === '') throw invalid('', 'an error message must be provided in order to provide context for the rejection')
    const text = atField('', () => compileInterpolation(c, { configDir: ctx.configDir }))
    const reject = (batch: Parameters<Output['write']>[0]): never => {
      let msg: string
      try {
        msg = text.string(batch, 0)
      } catch (err) {
        ctx.logger.error(`Reject message interpolation error: ${errorText(err)}`)
        throw new Error(`reject message interpolation error: ${errorText(err)}`)
      }
      throw new Error(msg)
    }
    return {
      maxInFlight: 1,
      connect: async () => {},
      connected: () => true,
      close: async () => {},
      write: async (batch) => reject(batch),
      writeSync: reject,
    }
  },
})
