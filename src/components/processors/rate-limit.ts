/**
 * `rate_limit` processor (spec components §6): each message waits until the named rate limit
 * resource grants an access. The resource is one instance for the host, so its limit holds across
 * every stream that uses it.
 */
import { weirError } from '../../errors.js'
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { sleep } from '../../util/backoff.js'

export default defineComponent({
  kind: 'processor',
  name: 'rate_limit',
  status: 'stable',
  summary: 'Throttles the throughput of a pipeline according to a specified `rate_limit` resource. Rate limits are shared across components and therefore apply globally to all processing pipelines.',
  config: f.object('', [f.string('resource', { description: 'The target `rate_limit` resource.' })]),
  examples: [
    {
      title: 'At most 100 messages per second across every stream',
      config: `pipeline:
  processors:
    - rate_limit:
        resource: hundred_per_second
rate_limit_resources:
  - label: hundred_per_second
    local:
      count: 100
      interval: 1s
`,
      // Well under the limit: every message passes at once, unchanged.
      input: ['a', 'b', 'c'],
      output: ['a', 'b', 'c'],
    },
  ],
  build: (c, ctx): Processor => {
    if (!ctx.resources.hasRateLimit(c.resource)) throw weirError('RESOURCE_NOT_FOUND', `rate limit resource '${c.resource}' was not found`)
    const rl = ctx.resources.rateLimit(c.resource)
    const closed = new AbortController()
    // Stopping the stream (ctx.signal) or closing the processor ends a wait early.
    const stop = AbortSignal.any([closed.signal, ctx.signal])
    const wait = async (): Promise<void> => {
      for (;;) {
        let waitMs: number
        try {
          waitMs = await rl.access()
        } catch (err) {
          ctx.logger.error(`Failed to access rate limit: ${err instanceof Error ? err.message : String(err)}`)
          waitMs = 1000
        }
        if (waitMs <= 0) return
        if (!(await sleep(waitMs, stop))) return
      }
    }
    return {
      process: async (batch: Batch): Promise<Batch[]> => {
        for (let i = 0; i < batch.length; i++) await wait()
        return [batch]
      },
      close: async () => closed.abort(),
    }
  },
})
