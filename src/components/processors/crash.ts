/**
 * `crash` processor (spec components §10, Tier 3; reference `processor_crash.go`): the first
 * message that reaches it ends the process with a fatal error carrying the interpolated text. In
 * Weir the "process" is the stream's worker thread: the error escapes to the worker's fatal path,
 * which records it as the stream's `last_error` and exits the thread; the supervisor restarts it
 * and every other stream carries on.
 */
import { compileInterpolation } from '../../bloblang/index.js'
import { weirError } from '../../errors.js'
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { atField } from '../shared/field-error.js'

export default defineComponent({
  kind: 'processor',
  name: 'crash',
  status: 'beta',
  summary: 'Crashes the process using a fatal log message. The log message can be set using function interpolations, which allows you to log the contents and metadata of messages.',
  config: f.interp('', { description: 'The fatal message, interpolated per message.' }),
  build: (conf): Processor => {
    const text = atField('', () => compileInterpolation(String(conf)))
    return {
      process(batch: Batch): Promise<Batch[]> {
        let message: string
        try {
          message = text.string(batch, 0)
        } catch (err) {
          message = `failed to interpolate crash message: ${err instanceof Error ? err.message : String(err)}`
        }
        // Thrown outside the processing promise so nothing downstream can catch it, as a fatal
        // log cannot be caught in the reference; the batch is never answered.
        setImmediate(() => {
          throw weirError('STREAM_CRASHED', message)
        })
        return new Promise<Batch[]>(() => {})
      },
      close: async () => {},
    }
  },
})
