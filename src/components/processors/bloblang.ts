/** `bloblang` processor (spec components §6.3): the older name of `mapping`, same behaviour. */
import { compileMapping } from '../../bloblang/index.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { mappingProcessor } from './mapping.js'

export default defineComponent({
  kind: 'processor',
  name: 'bloblang',
  status: 'stable',
  summary: 'Executes a Bloblang mapping on messages (an older name for the `mapping` processor).',
  config: f.bloblang('', { default: '', description: 'A Bloblang mapping.' }),
  build: (conf, ctx): Processor => mappingProcessor(compileMapping(String(conf ?? ''), { configDir: ctx.configDir }), ctx, 'bloblang'),
})
