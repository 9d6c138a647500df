/**
 * `while` processor (spec components §9.2): runs its children over the whole batch for as long as
 * the check, evaluated against the first message of the first resulting batch, is true. A check
 * error counts as false (logged). The loop ends when everything was filtered, at `max_loops`, or
 * by nack when the stream stops mid-loop.
 */
import { compileMapping, type Mapping } from '../../bloblang/index.js'
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { allSteps, buildChildren, closeAll, PipelineStopped } from '../shared/child-processors.js'
import { drive, type Steps } from '../shared/maybe-async.js'
import { fieldError, invalid } from '../shared/field-error.js'

const YIELD_EVERY = 256

export default defineComponent({
  kind: 'processor',
  name: 'while',
  status: 'stable',
  summary: 'A processor that checks a Bloblang query against each batch of messages and executes child processors on them for as long as the query resolves to true.',
  config: f.object('', [
    f.bool('at_least_once', { default: false, description: 'Whether to always run the child processors at least one time.' }),
    f.int('max_loops', { default: 0, advanced: true, description: 'An optional maximum number of loops to execute. Helps protect against accidentally creating infinite loops.' }),
    f.bloblang('check', { default: '', description: 'A Bloblang query that should return a boolean value indicating whether the while loop should execute again.' }),
    f.array(f.component('processors', 'processor', { description: 'A list of child processors to execute on each loop.' })),
  ]),
  examples: [
    {
      title: 'Count up (the check reads the first message of the batch)',
      config: `pipeline:
  processors:
    - while:
        check: this.n < 3
        processors:
          - mapping: 'root.n = this.n + 1'
`,
      input: ['{"n":0}', '{"n":5}'],
      output: ['{"n":3}', '{"n":8}'],
    },
  ],
  build: async (c, ctx): Promise<Processor> => {
    if (c.check === '') throw invalid('check', 'a check query is required')
    let check: Mapping
    try {
      check = compileMapping(c.check, { configDir: ctx.configDir })
    } catch (err) {
      const e = fieldError('check', err)
      throw e.code === 'BLOBLANG_PARSE' ? e : invalid('check', `failed to parse check query: ${e.message}`)
    }
    const children = await buildChildren(ctx, 'while.processors', c.processors)
    let closed = false
    const test = (b: Batch): boolean => {
      try {
        return check.queryBool(b, 0)
      } catch (err) {
        ctx.logger.error(`Query failed for loop: ${err instanceof Error ? err.message : String(err)}`)
        return false
      }
    }
    function* steps(batch: Batch): Steps<Batch[]> {
      let batches: Batch[] = [batch]
      let loops = 0
      let cond = c.at_least_once || test(batch)
      while (cond) {
        if (closed || ctx.signal.aborted) throw new PipelineStopped()
        if (c.max_loops > 0 && loops >= c.max_loops) {
          ctx.logger.trace('Reached max loops count')
          break
        }
        ctx.logger.trace('Looped')
        // Let the worker's event loop in now and then: a long loop over synchronous children
        // would otherwise starve everything else, including the stop that ends it.
        if (loops > 0 && loops % YIELD_EVERY === 0) yield new Promise((r) => setImmediate(r))
        batches = yield* allSteps(ctx, children, batches)
        if (batches.length === 0) return []
        cond = test(batches[0]!)
        loops++
      }
      return batches
    }
    return {
      process: (batch: Batch) => drive(steps(batch)),
      close: async () => {
        closed = true
        await closeAll(children)
      },
    }
  },
})
