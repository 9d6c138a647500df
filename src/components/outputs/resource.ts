/**
 * `resource` output (spec components §7, §10): writes to the host-wide output resource of that
 * label. Every stream naming it writes to the same instance; each write's ack or nack returns to
 * the stream that made it.
 */
import { weirError } from '../../errors.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Output } from '../../spec/index.js'

export default defineComponent({
  kind: 'output',
  name: 'resource',
  status: 'stable',
  summary: 'Resource is an output type that channels messages to a resource output, identified by its name.',
  config: f.string('', { default: '' }),
  examples: [
    {
      title: 'One sink named by several streams',
      config: `output:
  resource: shared_out
output_resources:
  - label: shared_out
    file:
      path: ./data/all.jsonl
`,
      input: ['{"n":1}', '{"n":2}'],
      output: ['{"n":1}', '{"n":2}'],
    },
  ],
  build: (name, ctx): Output => {
    if (!ctx.resources.hasOutput(name)) throw weirError('RESOURCE_NOT_FOUND', `output resource '${name}' was not found`)
    return ctx.resources.output(name)
  },
})
