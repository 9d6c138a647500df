/**
 * `switch` processor (spec components §6.10): messages are tested against the cases in order and
 * each runs the first case it matches (`fallthrough` also runs the next case unchecked, `continue`
 * tests the next case too). Messages of a batch matching a case are processed together; a check
 * that fails flags its message, which then leaves the switch unchanged. The result is one batch in
 * the original order.
 */
import { compileMapping, type Mapping } from '../../bloblang/index.js'
import type { Batch, Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { allSteps, allSynchronous, buildChildren, closeAll } from '../shared/child-processors.js'
import { drive, type Steps } from '../shared/maybe-async.js'
import { atField, invalid } from '../shared/field-error.js'
import { SortGroup } from '../shared/sort-group.js'

interface Case {
  check: Mapping | undefined
  processors: Processor[]
  fallthrough: boolean
  continueOn: boolean
}

export default defineComponent({
  kind: 'processor',
  name: 'switch',
  status: 'stable',
  summary: 'Conditionally processes messages based on their contents.',
  config: f.array(
    f.object('', [
      f.bloblang('check', {
        default: '',
        description: 'A Bloblang query that should return a boolean value indicating whether a message should have the processors of this case executed on it. If left empty the case always passes.',
      }),
      f.array(f.component('processors', 'processor', { default: [], description: 'A list of processors to execute on a message.' })),
      f.bool('fallthrough', {
        default: false,
        advanced: true,
        description: 'Indicates whether, if this case passes for a message, the next case should also be executed.',
      }),
      f.bool('continue', {
        default: false,
        advanced: true,
        description: 'Indicates whether, if this case passes for a message, the next case should also be tested.',
      }),
    ]),
  ),
  examples: [
    {
      title: 'Route by content',
      config: `pipeline:
  processors:
    - switch:
        - check: this.user.name.first != "George"
          processors:
            - mapping: 'root.greeting = "hello " + this.user.name.first'
        - processors:
            - mapping: root = deleted()
`,
      input: ['{"user":{"name":{"first":"Ada"}}}', '{"user":{"name":{"first":"George"}}}', '{"user":{"name":{"first":"Grace"}}}'],
      output: ['{"greeting":"hello Ada"}', '{"greeting":"hello Grace"}'],
    },
  ],
  build: async (conf, ctx): Promise<Processor> => {
    const cases: Case[] = []
    try {
      for (const [i, c] of conf.entries()) {
        if (c.fallthrough && c.continue) throw invalid(`[${i}]`, `case '${i}' parse error: a case cannot have both 'fallthrough' and 'continue' set to true`)
        const check = c.check !== '' ? atField(`[${i}].check`, () => compileMapping(c.check, { configDir: ctx.configDir })) : undefined
        if (c.processors.length === 0) {
          throw invalid(`[${i}].processors`, `case '${i}' parse error: case has no processors, in order to have a no-op case use a \`noop\` processor`)
        }
        const processors = await buildChildren(ctx, `switch[${i}].processors`, c.processors)
        cases.push({ check, processors, fallthrough: c.fallthrough, continueOn: c.continue })
      }
    } catch (err) {
      await closeAll(cases.flatMap((c) => c.processors))
      throw err
    }
    const errors = ctx.metrics.counter('processor_error')
    function* steps(batch: Batch): Steps<Batch[]> {
      const group = new SortGroup(batch)
      const result: Message[] = []
      let remaining: Message[] = [...batch]
      let carryOver: Message[] = []
      for (const [i, sc] of cases.entries()) {
        const passed = carryOver
        const failed: Message[] = []
        const tested = remaining
        for (let j = 0; j < tested.length; j++) {
          const m = tested[j]!
          let pass = sc.check === undefined
          if (sc.check !== undefined) {
            try {
              pass = sc.check.queryBool(tested, j)
            } catch (err) {
              const text = err instanceof Error ? err.message : String(err)
              ctx.logger.error(`Failed to test case ${i}: ${text}`)
              errors.inc()
              ctx.logger.debug(`Processor failed: failed to test case ${i}: ${text}`)
              m.error = { message: text }
              result.push(m)
              continue
            }
          }
          if (pass) passed.push(m)
          else failed.push(m)
        }
        carryOver = []
        remaining = failed
        if (passed.length === 0) continue
        for (const b of yield* allSteps(ctx, sc.processors, [passed])) {
          for (const m of b) {
            if (sc.fallthrough) carryOver.push(m)
            else if (sc.continueOn) remaining.push(m)
            else result.push(m)
          }
        }
      }
      // The reference loses messages that fall through past the last case; Weir keeps them.
      result.push(...remaining, ...carryOver)
      const out = group.reorder(result)
      return out.length > 0 ? [out] : []
    }
    return {
      synchronous: allSynchronous(...cases.map((c) => c.processors)),
      process: (batch: Batch) => drive(steps(batch)),
      close: () => closeAll(cases.flatMap((c) => c.processors)),
    }
  },
})
