/**
 * `mutation` processor (spec components §6.2): a Bloblang mapping applied to the message in place
 * (document and metadata); `deleted()` filters it; on error the message is flagged, and assignments
 * made before the failure stay applied.
 */
import { compileMapping } from '../../bloblang/index.js'
import type { Batch, Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { errorFlagger } from '../shared/processor-error.js'

const FANS = '{"id":"foo","description":"a show about foo","fans":[{"name":"bev","obsession":0.57},{"name":"grace","obsession":0.21},{"name":"ali","obsession":0.89},{"name":"vic","obsession":0.43}]}'
const LOCATIONS = '{"locations":[{"name":"Seattle","state":"WA"},{"name":"New York","state":"NY"},{"name":"Bellevue","state":"WA"},{"name":"Olympia","state":"WA"}]}'

export default defineComponent({
  kind: 'processor',
  name: 'mutation',
  status: 'stable',
  summary: 'Executes a Bloblang mapping and directly transforms the contents of messages, mutating (or deleting) them.',
  config: f.bloblang('', { description: 'A Bloblang mapping.' }),
  examples: [
    {
      title: 'Mapping',
      config: `pipeline:
  processors:
    - mutation: |
        root.description = deleted()
        root.fans = this.fans.filter(fan -> fan.obsession > 0.5)
`,
      input: [FANS],
      output: ['{"fans":[{"name":"bev","obsession":0.57},{"name":"ali","obsession":0.89}],"id":"foo"}'],
    },
    {
      title: 'More Mapping',
      config: `pipeline:
  processors:
    - mutation: |
        root.Cities = this.locations.
                        filter(loc -> loc.state == "WA").
                        map_each(loc -> loc.name).
                        sort().join(", ")
`,
      input: [LOCATIONS],
      output: ['{"Cities":"Bellevue, Olympia, Seattle","locations":[{"name":"Seattle","state":"WA"},{"name":"New York","state":"NY"},{"name":"Bellevue","state":"WA"},{"name":"Olympia","state":"WA"}]}'],
    },
  ],
  build: (conf, ctx): Processor => {
    const mapping = compileMapping(String(conf ?? ''), { configDir: ctx.configDir })
    const flag = errorFlagger(ctx, 'mutation', 'error')
    return {
      synchronous: true,
      process(batch: Batch): Batch[] {
        const out: Message[] = []
        for (let i = 0; i < batch.length; i++) {
          const m = batch[i]!
          try {
            if (mapping.execMutation(batch, i)) out.push(m)
          } catch (err) {
            flag(m, err)
            out.push(m)
          }
        }
        return out.length ? [out] : []
      },
      close: async () => {},
    }
  },
})
