/**
 * `resource` input (spec components §4, §10): reads the host-wide input resource of that label.
 * The resource is one instance on the main thread; streams naming it compete for its
 * transactions, so each message reaches exactly one of them, and acks go back to it.
 */
import { weirError } from '../../errors.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Input } from '../../spec/index.js'

export default defineComponent({
  kind: 'input',
  name: 'resource',
  status: 'stable',
  summary: 'Resource is an input type that channels messages from a resource input, identified by its name.',
  config: f.string('', { default: '' }),
  examples: [
    {
      title: 'Two streams sharing one input',
      config: `input:
  resource: shared_in
input_resources:
  - label: shared_in
    generate:
      mapping: 'root = counter()'
      interval: 10ms
`,
      // With one stream reading, it gets every message; with more, each gets some of them.
      output: ['1', '2', '3'],
    },
  ],
  build: (name, ctx): Input => {
    if (!ctx.resources.hasInput(name)) throw weirError('RESOURCE_NOT_FOUND', `input resource '${name}' was not found`)
    return ctx.resources.input(name)
  },
})
