/**
 * `command` processor (spec components, tier 3): runs a command per message with the message on
 * its stdin; stdout becomes the message, stderr (if any) the `command_stderr` metadata, and the
 * exit code `exit_code`. A failed run flags the message with Go's error text and stderr.
 */
import { compileInterpolation, compileMapping } from '../../bloblang/index.js'
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { typeError, valueToString } from '../../value/index.js'
import { atField } from '../shared/field-error.js'
import { errorFlagger } from '../shared/processor-error.js'
import { runProcess } from '../shared/subprocess.js'

export default defineComponent({
  kind: 'processor',
  name: 'command',
  status: 'stable',
  summary: 'Executes a command for each message.',
  config: f.object('', [
    f.interp('name', { description: 'The name of the command to execute (`bash`, `${! @command }`).' }),
    f.bloblang('args_mapping', { optional: true, description: 'A mapping that resolves to an array of arguments to pass to the command (`[ "-c", this.script_path ]`).' }),
  ]),
  examples: [
    {
      title: 'Reverse each line with rev',
      config: `pipeline:
  processors:
    - command:
        name: tr
        args_mapping: '[ "a-z", "A-Z" ]'
`,
      input: ['hello world'],
      output: ['HELLO WORLD'],
    },
  ],
  build: (c, ctx): Processor => {
    const name = atField('name', () => compileInterpolation(c.name, { configDir: ctx.configDir }))
    const argsMapping = c.args_mapping !== undefined ? atField('args_mapping', () => compileMapping(c.args_mapping!, { configDir: ctx.configDir })) : undefined
    const flag = errorFlagger(ctx, 'command')
    return {
      async process(batch: Batch): Promise<Batch[]> {
        for (let i = 0; i < batch.length; i++) {
          const m = batch[i]!
          let cmd: string
          let args: string[] = []
          try {
            cmd = name.string(batch, i)
          } catch (err) {
            flag(m, new Error(`name interpolation error: ${(err as Error).message}`))
            continue
          }
          if (argsMapping) {
            try {
              const v = argsMapping.runOn(batch, i)
              if (!Array.isArray(v)) throw new Error(`args mapping result error: ${typeError(v, 'array').message}`)
              args = v.map((a) => valueToString(a))
            } catch (err) {
              const text = (err as Error).message
              flag(m, new Error(text.startsWith('args mapping result error') ? text : `args mapping error: ${text}`))
              continue
            }
          }
          const r = await runProcess(cmd, args, m.bytes(), ctx.signal)
          if (r.error !== undefined) {
            m.metaMut().set('exit_code', r.exitCode)
            flag(m, new Error(`execution error: ${r.error}: ${r.stderr.toString()}`))
            continue
          }
          m.setBytes(new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.byteLength))
          if (r.stderr.length > 0) m.metaMut().set('command_stderr', r.stderr.toString())
          m.metaMut().set('exit_code', 0)
        }
        return [batch]
      },
      close: async () => {},
    }
  },
})
