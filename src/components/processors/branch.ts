/**
 * `branch` processor (spec components §6.11): a request built from each message by `request_map`
 * goes through the children, and `result_map` maps the result back onto the original. Failures
 * flag the message concerned; a child pipeline that changes the message count flags them all.
 */
import type { Batch, Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { BranchCore, branchFields } from '../shared/branch-core.js'
import { drive, type Steps } from '../shared/maybe-async.js'

export default defineComponent({
  kind: 'processor',
  name: 'branch',
  status: 'stable',
  summary:
    'The `branch` processor allows you to create a new request message via a Bloblang mapping, execute a list of processors on the request messages, and, finally, map the result back into the source message using another mapping.',
  config: f.object('', branchFields),
  examples: [
    {
      title: 'Enrich without losing the original',
      config: `pipeline:
  processors:
    - branch:
        request_map: 'root = this.name'
        processors:
          - mapping: 'root = content().string().uppercase()'
        result_map: 'root.shout = content().string()'
`,
      input: ['{"id":1,"name":"ada"}'],
      output: ['{"id":1,"name":"ada","shout":"ADA"}'],
    },
    {
      title: 'Conditional branching',
      config: `pipeline:
  processors:
    - branch:
        request_map: 'root = if this.type != "foo" { deleted() } else { this.doc }'
        processors:
          - mutation: 'root.seen = true'
        result_map: 'root.result = this'
`,
      input: ['{"type":"foo","doc":{"a":1}}', '{"type":"bar","doc":{"a":2}}'],
      output: ['{"doc":{"a":1},"result":{"a":1,"seen":true},"type":"foo"}', '{"type":"bar","doc":{"a":2}}'],
    },
  ],
  build: async (c, ctx): Promise<Processor> => {
    const core = await BranchCore.build(c, ctx, '', 'branch.')
    function* steps(batch: Batch): Steps<Batch[]> {
      const parts = batch.map((m) => {
        const p = m.copy()
        p.error = undefined
        return p
      })
      const out: Message[] = [...batch]
      const r = yield* core.createResult(parts, batch)
      if (r.batchError !== undefined) {
        for (const m of out) m.error = { message: r.batchError }
        for (const e of r.errors) out[e.index]!.error = { message: e.error }
        return [out]
      }
      for (const e of r.errors) {
        out[e.index]!.error = { message: e.error }
        ctx.logger.debug(`Branch error: ${e.error}`)
      }
      const o = core.overlay(out, r.results)
      if (o.batchError !== undefined) {
        for (const m of out) m.error = { message: o.batchError }
        return [out]
      }
      for (const e of o.errors) {
        out[e.index]!.error = { message: e.error }
        ctx.logger.error(`Branch error: ${e.error}`)
      }
      return [out]
    }
    return {
      synchronous: core.synchronous,
      process: (batch: Batch) => drive(steps(batch)),
      close: () => core.close(),
    }
  },
})
