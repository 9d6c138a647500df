/**
 * `retry` processor (spec components §6.15): each message runs through the children on its own,
 * from a fresh copy of the message as it arrived (its error flag cleared); while any result is
 * flagged it waits (exponential back-off) and tries again, until success, `max_retries` attempts
 * or `backoff.max_elapsed_time`. Results carry `retry_count` and `backoff_duration` (ns) metadata.
 */
import type { Batch, Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { ComponentContext, Processor } from '../../spec/index.js'
import { sleep } from '../../util/backoff.js'
import { buildChildren, closeAll, flatten, PipelineStopped, runAll } from '../shared/child-processors.js'
import { durationField } from '../shared/durations.js'
import { ExponentialBackoff, STOP, type ExponentialBackoffOptions } from '../shared/exponential-backoff.js'
import { invalid } from '../shared/field-error.js'

export default defineComponent({
  kind: 'processor',
  name: 'retry',
  status: 'beta',
  summary: 'Attempts to execute a series of child processors until success.',
  config: f.object('', [
    f.object(
      'backoff',
      [
        f.duration('initial_interval', { default: '500ms', description: 'The initial period to wait between retry attempts.' }),
        f.duration('max_interval', { default: '10s', description: 'The maximum period to wait between retry attempts' }),
        f.duration('max_elapsed_time', {
          default: '1m',
          description: 'The maximum overall period of time to spend on retry attempts before the request is aborted. Setting this value to a zeroed duration (such as `0s`) will result in unbounded retries.',
        }),
      ],
      { description: 'Determine time intervals and cut offs for retry attempts.' },
    ),
    f.array(f.component('processors', 'processor', { description: 'A list of processors to execute on each message.' })),
    f.bool('parallel', {
      default: false,
      description: 'When processing batches of messages these batches are ignored and the processors apply to each message sequentially. However, when this field is set to `true` each message will be processed in parallel.',
    }),
    f.int('max_retries', {
      default: 0,
      description: 'The maximum number of retry attempts before the request is aborted. Setting this value to `0` will result in unbounded number of retries.',
    }),
  ]),
  examples: [
    {
      title: 'Succeeds without retrying',
      config: `pipeline:
  processors:
    - retry:
        backoff:
          initial_interval: 10ms
        max_retries: 3
        processors:
          - mapping: 'root.doubled = this.n * 2'
`,
      input: ['{"n":2}'],
      output: [{ content: '{"doubled":4}', metadata: { retry_count: 0, backoff_duration: 0 } }],
    },
  ],
  build: async (c, ctx): Promise<Processor> => {
    if (c.processors.length === 0) throw invalid('processors', 'at least one child processor must be specified')
    const boff: ExponentialBackoffOptions = {
      initialMs: durationField('backoff.initial_interval', c.backoff.initial_interval),
      maxMs: durationField('backoff.max_interval', c.backoff.max_interval),
      maxElapsedMs: durationField('backoff.max_elapsed_time', c.backoff.max_elapsed_time),
    }
    const children = await buildChildren(ctx, 'retry.processors', c.processors)
    const dispatch = (m: Message): Promise<Batch[]> => retryMessage(ctx, children, boff, c.max_retries, m)
    return {
      async process(batch: Batch): Promise<Batch[]> {
        if (!c.parallel) {
          const out: Batch[] = []
          for (const m of batch) out.push(...(await dispatch(m)))
          return flatten(out)
        }
        const settled = await Promise.allSettled(batch.map(dispatch))
        const failed = settled.find((s) => s.status === 'rejected')
        if (failed) throw failed.reason
        return flatten(settled.flatMap((s) => (s.status === 'fulfilled' ? s.value : [])))
      },
      close: () => closeAll(children),
    }
  },
})

async function retryMessage(ctx: ComponentContext, children: Processor[], o: ExponentialBackoffOptions, maxRetries: number, m: Message): Promise<Batch[]> {
  const boff = new ExponentialBackoff(o)
  let retries = 0
  let sleptNs = 0
  m.error = undefined
  for (;;) {
    const results = await runAll(ctx, children, [[m.copy()]])
    const failed = results.find((b) => b.some((x) => x.error !== undefined))?.find((x) => x.error !== undefined)
    let done = failed === undefined
    if (!done) {
      retries++
      if (retries === maxRetries) {
        ctx.logger.debug('Error occurred and maximum number of retries was reached.', { error: failed!.error!.message })
        done = true
      }
    }
    let wait = 0
    if (!done) {
      wait = boff.next()
      if (wait === STOP) {
        ctx.logger.debug('Error occurred and maximum wait period was reached.', { error: failed!.error!.message })
        done = true
      }
    }
    if (done) {
      for (const b of results) {
        for (const r of b) {
          const meta = r.metaMut()
          meta.set('retry_count', retries)
          meta.set('backoff_duration', sleptNs)
        }
      }
      return results
    }
    sleptNs += Math.round(wait * 1e6)
    ctx.logger.debug('Error occurred, sleeping for next backoff period.', { error: failed!.error!.message, backoff: `${wait.toFixed(3)}ms` })
    if (!(await sleep(wait, ctx.signal))) throw new PipelineStopped()
  }
}
