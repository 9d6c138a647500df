/**
 * `retry` output (spec components §7.9): failed writes are retried against the child with an
 * exponential back-off instead of nacking upstream; once `max_retries` or
 * `backoff.max_elapsed_time` is used up the batch is nacked with "message failed to reach a
 * target destination".
 */
import { defineComponent, f, type Output } from '../../spec/index.js'
import { buildChildOutput } from '../shared/child-output.js'
import { RetryingOutput, retryFields, retryPolicyOf } from '../shared/retry-output.js'

export default defineComponent({
  kind: 'output',
  name: 'retry',
  status: 'stable',
  summary:
    'Attempts to write messages to a child output and if the write fails for any reason the message is retried either until success or, if the retries or max elapsed time fields are non-zero, either is reached.',
  config: f.object('', [...retryFields(0, '500ms', '3s', '0s'), f.component('output', 'output', { description: 'A child output.' })]),
  examples: [
    {
      title: 'Retry an HTTP endpoint three times',
      config: `output:
  retry:
    max_retries: 3
    backoff:
      initial_interval: 100ms
      max_interval: 1s
    output:
      http_client:
        url: http://127.0.0.1:4195/post
`,
    },
  ],
  build: async (c, ctx): Promise<Output> => {
    const policy = retryPolicyOf(c)
    const child = await buildChildOutput(ctx, c.output, 'retry.output')
    return new RetryingOutput(child, policy, ctx.logger)
  },
})
