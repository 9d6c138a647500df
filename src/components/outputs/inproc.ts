/**
 * `inproc` output: hands each batch to an `inproc` input of the same name in any stream of this
 * host and waits for that reader's ack (no reader yet: the write waits, as the reference's
 * unbuffered pipe does).
 */
import { defineComponent, f } from '../../spec/index.js'
import type { Output } from '../../spec/index.js'

export default defineComponent({
  kind: 'output',
  name: 'inproc',
  status: 'stable',
  summary: 'Sends data directly to Redpanda Connect inputs by connecting to a unique ID.',
  config: f.string('', { default: '' }),
  examples: [
    {
      title: 'Send to the stream reading `events`',
      config: `output:
  inproc: events
`,
    },
  ],
  build: (name, ctx): Output => ctx.resources.inprocOutput(name),
})
