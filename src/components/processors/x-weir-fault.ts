/**
 * `x_weir_fault` processor (Weir-only, for fault-injection tests; the `x_weir_` prefix cannot
 * clash with a Redpanda Connect component). Each message that reaches it triggers one fault in
 * the stream's worker thread:
 *
 * - `throw_in_callback`: throws `message` from a timer callback, outside any promise chain (a
 *   component bug no `try` can catch);
 * - `exit`: calls `process.exit(exit_code)` (a library that exits);
 * - `block`: spins the event loop for `duration` (a runaway synchronous loop), so the worker stops
 *   answering heartbeats.
 *
 * No real component can do the first and third on purpose; `crash` covers fatal exits too.
 */
import { parseDuration } from '../../config/duration.js'
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { invalid } from '../shared/field-error.js'


const MODES: readonly string[] = ['throw_in_callback', 'exit', 'block']

export default defineComponent({
  kind: 'processor',
  name: 'x_weir_fault',
  status: 'experimental',
  summary: 'Weir-only fault injection for tests: throws from a callback, exits the worker, or blocks its event loop.',
  config: f.object('', [
    f.string('mode', { options: MODES, description: 'The fault to trigger for each message.' }),
    f.string('message', { default: 'injected fault', description: 'Error text for `throw_in_callback`.' }),
    f.int('exit_code', { default: 1, description: 'Exit code for `exit`.' }),
    f.string('duration', { default: '1h', description: 'How long `block` spins the event loop.' }),
  ]),
  build: (c): Processor => {
    const blockMs = parseDuration(c.duration)
    if (blockMs === undefined) throw invalid('duration', `time: invalid duration "${c.duration}"`)
    if (!MODES.includes(c.mode)) throw invalid('mode', `unknown fault mode ${JSON.stringify(c.mode)}, expected one of ${MODES.join(', ')}`)
    return {
      process(batch: Batch): Batch[] | Promise<Batch[]> {
        switch (c.mode) {
          case 'throw_in_callback':
            setTimeout(() => {
              throw new Error(c.message)
            }, 0)
            return new Promise<Batch[]>(() => {})
          case 'exit':
            return process.exit(c.exit_code)
          case 'block': {
            const until = Date.now() + blockMs
            while (Date.now() < until) {
              /* spinning on purpose */
            }
            return [batch]
          }
          default:
            return [batch]
        }
      },
      close: async () => {},
    }
  },
})
