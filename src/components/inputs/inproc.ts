/**
 * `inproc` input: reads what an `inproc` output of the same name writes, from any stream of this
 * host (streams run on different threads, so the exchange lives on the main thread). Several
 * readers of one name share its messages round-robin; each write is acked by the reader that got it.
 */
import { defineComponent, f } from '../../spec/index.js'
import type { Input } from '../../spec/index.js'

export default defineComponent({
  kind: 'input',
  name: 'inproc',
  status: 'stable',
  summary: 'Directly connect to an output within a Redpanda Connect process by referencing it by a chosen ID.',
  config: f.string('', { default: '' }),
  examples: [
    {
      title: 'Read what another stream sends to `events`',
      config: `input:
  inproc: events
`,
    },
  ],
  build: (name, ctx): Input => ctx.resources.inprocInput(name),
})
