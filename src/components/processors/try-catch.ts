/**
 * `try_catch` processor (spec components §6.9): `processors` run with try semantics per message;
 * a message that failed has its error moved into a metadata object (`what`, and `name`, `label`,
 * `path` when the failing component is known), its flag cleared, and then runs `catch`.
 */
import type { Batch, Message } from '../../message/message.js'
import type { VObject } from '../../value/value-types.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { allSteps, allSynchronous, buildChildren, closeAll, flatten, singles, tryAllSteps } from '../shared/child-processors.js'
import { drive } from '../shared/maybe-async.js'

export default defineComponent({
  kind: 'processor',
  name: 'try_catch',
  status: 'beta',
  summary: 'Executes a list of child `processors` on each message and, if any of them fail, executes a separate list of `catch` processors to recover from or react to the error.',
  config: f.object('', [
    f.array(
      f.component('processors', 'processor', {
        default: [],
        description: 'A list of processors to execute on each message. If a processor fails for a given message the remaining `processors` are skipped for that message, and the message is routed to the `catch` processors.',
      }),
    ),
    f.array(
      f.component('catch', 'processor', {
        default: [],
        description: 'A list of processors to execute on each message that failed one of the `processors` above, with the error available as a metadata object.',
      }),
    ),
    f.string('error_metadata', {
      default: 'error',
      description: 'The metadata key under which the caught error is stored, as an object with a `what` field plus `name`, `label` and `path` fields describing the component that failed.',
    }),
  ]),
  examples: [
    {
      title: 'Recover with the error in metadata',
      config: `pipeline:
  processors:
    - try_catch:
        processors:
          - mapping: 'root = if this.ok { this } else { throw("not ok") }'
        catch:
          - mapping: 'root = "failed to process: " + @error.what'
`,
      input: ['{"ok":true}', '{"ok":false}'],
      output: ['{"ok":true}', 'failed to process: failed assignment (line 1): not ok'],
    },
  ],
  build: async (c, ctx): Promise<Processor> => {
    const tried = await buildChildren(ctx, 'try_catch.processors', c.processors)
    const caught = await buildChildren(ctx, 'try_catch.catch', c.catch)
    const key = c.error_metadata
    function* steps(batch: Batch) {
      const results = yield* tryAllSteps(ctx, tried, singles(batch))
      const next: Batch[] = []
      for (const b of results) {
        if (b[0]!.error === undefined) {
          next.push(b)
          continue
        }
        for (const m of b) moveError(m, key)
        if (caught.length === 0) next.push(b)
        else next.push(...(yield* allSteps(ctx, caught, [b])))
      }
      return flatten(next)
    }
    return {
      synchronous: allSynchronous(tried, caught),
      process: (batch: Batch) => drive(steps(batch)),
      close: async () => {
        await closeAll(tried)
        await closeAll(caught)
      },
    }
  },
})

function moveError(m: Message, key: string): void {
  const e = m.error
  if (e === undefined) return
  const obj: VObject = { what: e.message }
  if (e.sourceName !== undefined) {
    obj.name = e.sourceName
    obj.label = e.sourceLabel ?? ''
    obj.path = e.sourcePath ?? ''
  }
  m.metaMut().set(key, obj)
  m.error = undefined
}
