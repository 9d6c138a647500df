/** `noop` cache: stores nothing; every get misses and every write succeeds. */
import { defineComponent, f } from '../../spec/index.js'
import type { Cache } from '../../spec/index.js'
import { meteredCache } from '../shared/metered-cache.js'

export default defineComponent({
  kind: 'cache',
  name: 'noop',
  status: 'stable',
  summary: 'Noop is a cache that stores nothing, all gets returns not found. Why? Sometimes doing nothing is the braver option.',
  config: f.object('', [], { default: {} }),
  examples: [
    {
      title: 'A cache that never hits',
      config: `pipeline:
  processors:
    - cached:
        cache: nothing
        key: '\${! content() }'
        processors:
          - mapping: 'root = "%s #%d".format(content(), counter())'
cache_resources:
  - label: nothing
    noop: {}
`,
      // The processors run every time: nothing is ever found.
      input: ['a', 'a'],
      output: ['a #1', 'a #2'],
    },
  ],
  build: (_c, ctx): Cache =>
    meteredCache(
      {
        get: async (key) => {
          ctx.logger.trace(`pretend to get key "${key}"`)
          return undefined
        },
        set: async () => {},
        add: async () => {},
        delete: async () => {},
        close: async () => {},
      },
      ctx,
    ),
})
