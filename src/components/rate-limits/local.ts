/**
 * `local` rate limit (spec components §8.3): a fixed window of `count` accesses per `interval`,
 * shared by everything that names the resource. Built on the main thread and reached from workers
 * over the port, so it keeps no worker state. `byte_size` is accepted for config compatibility;
 * accesses carry no size here, so only `0` (disabled) has an effect.
 */
import { defineComponent, f } from '../../spec/index.js'
import type { RateLimit } from '../../spec/index.js'
import { durationField } from '../shared/durations.js'
import { invalid } from '../shared/field-error.js'


export default defineComponent({
  kind: 'rate_limit',
  name: 'local',
  status: 'stable',
  summary: 'A simple X every Y rate limit that can be shared across any number of components within a pipeline but does not support distributed rate limits across instances.',
  config: f.object('', [
    f.int('count', { default: 1000, description: 'The maximum number of requests to allow for a given period of time.' }),
    f.duration('interval', { default: '1s', description: 'The time window to limit requests by.' }),
    f.int('byte_size', { default: 0, advanced: true, description: 'The maximum number of bytes to allow for a given period of time. If `0` disables size based rate-limiting.' }),
  ]),
  build: (c, ctx): RateLimit => {
    if (c.count <= 0) throw invalid('count', 'count must be larger than zero')
    if (c.byte_size > 0) ctx.logger.warn('byte_size is not supported by this host and is ignored')
    const periodMs = durationField('interval', c.interval)
    const checked = ctx.metrics.counter('rate_limit_checked')
    const triggered = ctx.metrics.counter('rate_limit_triggered')
    ctx.metrics.counter('rate_limit_error')
    let bucket = c.count
    let lastRefresh = performance.now()
    return {
      async access(): Promise<number> {
        checked.inc()
        bucket--
        if (bucket < 0) {
          bucket = 0
          const remaining = periodMs - (performance.now() - lastRefresh)
          if (remaining > 0) {
            triggered.inc()
            return remaining
          }
          bucket = c.count - 1
          lastRefresh = performance.now()
        }
        return 0
      },
      close: async () => {},
    }
  },
})
