/**
 * `multilevel` cache: other cache resources as levels, read-through (a hit at a lower level is
 * copied into the levels above it) and write-through. The levels are host-wide resources too.
 */
import { defineComponent, f } from '../../spec/index.js'
import type { Cache, ComponentContext } from '../../spec/index.js'
import { invalid } from '../shared/field-error.js'
import { KEY_EXISTS } from '../shared/cache-errors.js'

export default defineComponent({
  kind: 'cache',
  name: 'multilevel',
  status: 'stable',
  summary: 'Combines multiple caches as levels, performing read-through and write-through operations across them.',
  config: f.array(f.string('', { description: 'Labels of the cache resources to use as levels, the first being the hottest.' })),
  examples: [
    {
      title: 'Hot and cold cache',
      config: `pipeline:
  processors:
    - cached:
        cache: leveled
        key: '\${! content() }'
        processors:
          - mapping: 'root = "%s #%d".format(content(), counter())'
cache_resources:
  - label: leveled
    multilevel: [ hot, cold ]
  - label: hot
    memory:
      default_ttl: 60s
  - label: cold
    file:
      directory: ./cold
`,
      // The second `a` is found in the cache: its processors do not run again.
      input: ['a', 'b', 'a'],
      output: ['a #1', 'b #2', 'a #1'],
    },
  ],
  build: (levels, ctx): Cache => {
    if (levels.length < 2) throw invalid('', `expected at least two cache levels, found ${levels.length}`)
    return new MultilevelCache(levels, ctx)
  },
})

class MultilevelCache implements Cache {
  readonly #levels: string[]
  readonly #ctx: ComponentContext

  constructor(levels: string[], ctx: ComponentContext) {
    this.#levels = levels
    this.#ctx = ctx
  }

  #level(name: string): Cache {
    if (!this.#ctx.resources.hasCache(name)) throw new Error(`unable to access cache '${name}': cache resource '${name}' was not found`)
    return this.#ctx.resources.cache(name)
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    for (let i = 0; i < this.#levels.length; i++) {
      const v = await this.#level(this.#levels[i]!).get(key)
      if (v === undefined) continue
      for (const upper of this.#levels.slice(0, i)) {
        try {
          await this.#level(upper).set(key, v)
        } catch (err) {
          this.#ctx.logger.error(`Unable to passively set key '${key}' for cache '${upper}': ${err instanceof Error ? err.message : String(err)}`)
        }
      }
      return v
    }
    return undefined
  }

  async set(key: string, value: Uint8Array, ttlMs?: number): Promise<void> {
    for (const name of this.#levels) await this.#level(name).set(key, value, ttlMs)
  }

  async add(key: string, value: Uint8Array, ttlMs?: number): Promise<void> {
    const last = this.#levels.length - 1
    for (let i = 0; i < last; i++) {
      if ((await this.#level(this.#levels[i]!).get(key)) !== undefined) throw new Error(KEY_EXISTS)
    }
    await this.#level(this.#levels[last]!).add(key, value, ttlMs)
    for (let i = last - 1; i >= 0; i--) await this.#level(this.#levels[i]!).add(key, value, ttlMs)
  }

  async delete(key: string): Promise<void> {
    for (const name of this.#levels) await this.#level(name).delete(key)
  }

  close(): Promise<void> {
    return Promise.resolve()
  }
}
