/**
 * `sleep` processor (spec components §6.6): waits the interpolated duration once per message,
 * one after another. A bad duration is logged and skipped. A forced stop interrupts the sleep and
 * the batch is nacked.
 */
import { compileInterpolation } from '../../bloblang/index.js'
import { parseDuration } from '../../config/duration.js'
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { atField } from '../shared/field-error.js'
import { sleep } from '../../util/backoff.js'
import { abortError } from '../../util/channel.js'

export default defineComponent({
  kind: 'processor',
  name: 'sleep',
  status: 'stable',
  summary: 'Sleep for a period of time specified as a duration string for each message. This processor will interpolate functions within the `duration` field.',
  config: f.object('', [f.interp('duration', { description: 'The duration of time to sleep for each execution.' })]),
  build: (conf, ctx): Processor => {
    const duration = atField('duration', () => compileInterpolation(conf.duration))
    return {
      async process(batch: Batch): Promise<Batch[]> {
        for (let i = 0; i < batch.length; i++) {
          let ms: number | undefined
          try {
            const s = duration.string(batch, i)
            ms = parseDuration(s)
            if (ms === undefined) throw new Error(`time: invalid duration ${JSON.stringify(s)}`)
          } catch (err) {
            ctx.logger.error(`Failed to parse duration: ${err instanceof Error ? err.message : String(err)}`)
            continue
          }
          if (ms > 0 && !(await sleep(ms, ctx.signal))) throw abortError(ctx.signal)
        }
        return [batch]
      },
      close: async () => {},
    }
  },
})
