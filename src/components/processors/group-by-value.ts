/**
 * `group_by_value` processor (spec components §9.2): one batch per distinct interpolated value, in
 * order of first appearance. A failed interpolation flags the message, which joins the group of
 * the text resolved so far.
 */
import { compileInterpolation } from '../../bloblang/index.js'
import type { Batch, Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { atField } from '../shared/field-error.js'
import { errorText } from '../shared/error-text.js'
import { errorFlagger } from '../shared/processor-error.js'

export default defineComponent({
  kind: 'processor',
  name: 'group_by_value',
  status: 'stable',
  summary:
    'Splits a batch of messages into N batches, where each resulting batch contains a group of messages determined by a function interpolated string evaluated per message.',
  config: f.object('', [f.interp('value', { description: 'The interpolated string to group based on.' })]),
  examples: [
    {
      title: 'Group by key',
      config: `pipeline:
  processors:
    - group_by_value:
        value: '\${! meta("kafka_key") }'
`,
      input: [{ content: 'a', metadata: { kafka_key: 'k1' } }],
      output: [{ content: 'a', metadata: { kafka_key: 'k1' } }],
    },
  ],
  build: (c, ctx): Processor => {
    const value = atField('value', () => compileInterpolation(c.value, { configDir: ctx.configDir }))
    const flag = errorFlagger(ctx, 'group_by_value')
    return {
      synchronous: true,
      process(batch: Batch): Batch[] {
        const groups = new Map<string, Message[]>()
        for (let i = 0; i < batch.length; i++) {
          const m = batch[i]!
          let key = ''
          try {
            key = value.string(batch, i)
          } catch (err) {
            ctx.logger.error(`Group value interpolation error: ${errorText(err)}`)
            flag(m, new Error(`group value interpolation error: ${errorText(err)}`))
          }
          const g = groups.get(key)
          if (g) g.push(m)
          else {
            ctx.logger.trace(`New group formed: ${key}`)
            groups.set(key, [m])
          }
        }
        return [...groups.values()]
      },
      close: async () => {},
    }
  },
})
