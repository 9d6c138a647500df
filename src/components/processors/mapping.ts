/**
 * `mapping` processor (spec components §6.1): each message is replaced by the result of a Bloblang
 * mapping (new document, input metadata kept); `deleted()` filters the message; an error flags it
 * and leaves it unchanged.
 */
import { compileMapping, type Mapping } from '../../bloblang/index.js'
import type { Batch, Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { ComponentContext, Processor } from '../../spec/index.js'
import { errorFlagger } from '../shared/processor-error.js'

const FANS = '{"id":"foo","description":"a show about foo","fans":[{"name":"bev","obsession":0.57},{"name":"grace","obsession":0.21},{"name":"ali","obsession":0.89},{"name":"vic","obsession":0.43}]}'
const LOCATIONS = '{"locations":[{"name":"Seattle","state":"WA"},{"name":"New York","state":"NY"},{"name":"Bellevue","state":"WA"},{"name":"Olympia","state":"WA"}]}'

export default defineComponent({
  kind: 'processor',
  name: 'mapping',
  status: 'stable',
  summary: 'Executes a Bloblang mapping on messages, creating a new document that replaces (or filters) the original message.',
  config: f.bloblang('', { description: 'A Bloblang mapping.' }),
  examples: [
    {
      title: 'Mapping',
      config: `pipeline:
  processors:
    - mapping: |
        root.id = this.id
        root.fans = this.fans.filter(fan -> fan.obsession > 0.5)
`,
      input: [FANS],
      output: ['{"fans":[{"name":"bev","obsession":0.57},{"name":"ali","obsession":0.89}],"id":"foo"}'],
    },
    {
      title: 'More Mapping',
      config: `pipeline:
  processors:
    - mapping: |
        root.Cities = this.locations.
                        filter(loc -> loc.state == "WA").
                        map_each(loc -> loc.name).
                        sort().join(", ")
`,
      input: [LOCATIONS],
      output: ['{"Cities":"Bellevue, Olympia, Seattle"}'],
    },
  ],
  build: (conf, ctx): Processor => mappingProcessor(compileMapping(String(conf ?? ''), { configDir: ctx.configDir }), ctx, 'mapping'),
})

/** Shared by `mapping` and its older name `bloblang`. */
export function mappingProcessor(mapping: Mapping, ctx: ComponentContext, name: string): Processor {
  const flag = errorFlagger(ctx, name, 'error')
  return {
    synchronous: true,
    process(batch: Batch): Batch[] {
      const out: Message[] = []
      for (let i = 0; i < batch.length; i++) {
        let m: Message | undefined
        try {
          m = mapping.execMapping(batch, i)
        } catch (err) {
          const orig = batch[i]!
          flag(orig, err)
          out.push(orig)
          continue
        }
        if (m !== undefined) out.push(m)
      }
      return out.length ? [out] : []
    },
    close: async () => {},
  }
}
