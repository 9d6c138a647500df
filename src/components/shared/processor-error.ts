/**
 * How a processor reports a failed message (spec components §2.5): flag the message with the error
 * and where it happened, count `processor_error`, log, and let the message continue unchanged.
 */
import type { Message } from '../../message/message.js'
import type { ComponentContext } from '../../spec/index.js'

export type FlagError = (msg: Message, err: unknown) => void

/**
 * @param level `error` for processors whose failures the reference logs loudly (mapping,
 *   mutation), `debug` for the generic "Processor failed" line.
 */
export function errorFlagger(ctx: ComponentContext, name: string, level: 'error' | 'debug' = 'debug'): FlagError {
  const counter = ctx.metrics.counter('processor_error')
  return (msg, err) => {
    const text = err instanceof Error ? err.message : String(err)
    counter.inc()
    if (level === 'error') ctx.logger.error(text)
    else ctx.logger.debug(`Processor failed: ${text}`)
    msg.error = { message: text, sourceName: name, sourceLabel: ctx.label, sourcePath: ctx.path }
  }
}
