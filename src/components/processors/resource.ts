/**
 * `resource` processor (spec components §6, §10): runs the processor resource of that label. A
 * processor holds no shared state, so each stream builds its own from the resource's config; when
 * the resource is replaced (API or resource file) the next batch runs the new one, no restart.
 */
import { weirError } from '../../errors.js'
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { ComponentContext, Processor } from '../../spec/index.js'

export default defineComponent({
  kind: 'processor',
  name: 'resource',
  status: 'stable',
  summary: 'Resource is a processor type that runs a processor resource identified by its label.',
  config: f.string('', { default: '' }),
  examples: [
    {
      title: 'Shared mapping',
      config: `pipeline:
  processors:
    - resource: shout
processor_resources:
  - label: shout
    mapping: root = content().uppercase()
`,
      input: ['hello'],
      output: ['HELLO'],
    },
  ],
  build: async (name, ctx): Promise<Processor> => {
    const conf = ctx.resources.componentConfig('processor', name)
    if (conf === undefined) throw weirError('RESOURCE_NOT_FOUND', `processor resource '${name}' was not found`)
    return new ResourceProcessor(name, conf, await ctx.build('processor', conf, 'resource'), ctx)
  },
})

class ResourceProcessor implements Processor {
  readonly #name: string
  readonly #ctx: ComponentContext
  #conf: unknown
  #inner: Processor

  constructor(name: string, conf: unknown, inner: Processor, ctx: ComponentContext) {
    this.#name = name
    this.#conf = conf
    this.#inner = inner
    this.#ctx = ctx
  }

  async process(batch: Batch): Promise<Batch[]> {
    const conf = this.#ctx.resources.componentConfig('processor', this.#name)
    if (conf !== undefined && conf !== this.#conf) await this.#swap(conf)
    return this.#inner.process(batch)
  }

  async #swap(conf: unknown): Promise<void> {
    this.#conf = conf
    try {
      const next = await this.#ctx.build('processor', conf, 'resource')
      const old = this.#inner
      this.#inner = next
      await old.close()
    } catch (err) {
      this.#ctx.logger.error(`Failed to obtain processor resource '${this.#name}': ${err instanceof Error ? err.message : String(err)}`)
    }
  }

  close(): Promise<void> {
    return this.#inner.close()
  }
}
