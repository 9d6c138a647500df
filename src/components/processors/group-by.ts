/**
 * `group_by` processor (spec components §9.2): each message joins the first group whose `check`
 * passes (a failing check counts as false and is logged); each group's processors run on its
 * batch; messages matching no group form a last batch, unprocessed.
 */
import { compileMapping, type Mapping } from '../../bloblang/index.js'
import type { Batch, Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { atField } from '../shared/field-error.js'
import { errorText } from '../shared/error-text.js'
import { runProcessors } from '../shared/run-processors.js'

export default defineComponent({
  kind: 'processor',
  name: 'group_by',
  status: 'stable',
  summary: 'Splits a batch of messages into N batches, where each resulting batch contains a group of messages determined by a Bloblang query.',
  config: f.array(
    f.object('', [
      f.bloblang('check', { description: 'A Bloblang query that should return a boolean value indicating whether a message belongs to a given group.' }),
      f.array(f.component('processors', 'processor', { default: [], description: 'A list of processors to execute on the newly formed group.' })),
    ]),
  ),
  examples: [
    {
      title: 'Grouped Processing',
      config: `pipeline:
  processors:
    - group_by:
      - check: content().contains("this is a foo")
        processors:
          - mapping: 'meta grouping = "foo"'
`,
      input: ['this is a foo', 'this is a bar'],
      output: [{ content: 'this is a foo', metadata: { grouping: 'foo' } }, 'this is a bar'],
    },
  ],
  build: async (groups, ctx): Promise<Processor> => {
    const built: { check: Mapping; processors: Processor[] }[] = []
    for (const [i, g] of groups.entries()) {
      const check = atField(`[${i}].check`, () => compileMapping(g.check, { configDir: ctx.configDir }))
      const processors: Processor[] = []
      for (const [j, p] of g.processors.entries()) processors.push(await ctx.build('processor', p, `group_by[${i}].processors[${j}]`))
      built.push({ check, processors })
    }
    return {
      async process(batch: Batch): Promise<Batch[]> {
        if (batch.length === 0) return []
        const members: Message[][] = built.map(() => [])
        const groupless: Message[] = []
        for (let i = 0; i < batch.length; i++) {
          let placed = false
          for (const [j, g] of built.entries()) {
            let hit = false
            try {
              hit = g.check.queryBool(batch, i)
            } catch (err) {
              ctx.logger.error(`Failed to test group ${j}: ${errorText(err)}`)
            }
            if (hit) {
              members[j]!.push(batch[i]!)
              placed = true
              break
            }
          }
          if (!placed) groupless.push(batch[i]!)
        }
        const out: Batch[] = []
        for (const [j, m] of members.entries()) {
          if (m.length > 0) out.push(...(await runProcessors(built[j]!.processors, [m])))
        }
        if (groupless.length > 0) out.push(groupless)
        return out
      },
      close: async () => {
        await Promise.allSettled(built.flatMap((g) => g.processors.map((p) => p.close())))
      },
    }
  },
})
