/**
 * `subprocess` output (spec components, tier 3): runs a command and writes each message to its
 * stdin as a line. If the command exits, what it printed is logged and the next write starts it
 * again (the engine reconnects with back-off).
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import { NotConnectedError, type ComponentContext, type Output } from '../../spec/index.js'
import { exitText, startProcess } from '../shared/subprocess.js'

export default defineComponent({
  kind: 'output',
  name: 'subprocess',
  status: 'beta',
  summary: 'Executes a command, runs it as a subprocess, and writes messages to it over stdin.',
  config: f.object('', [
    f.string('name', { description: 'The command to execute as a subprocess.' }),
    f.array(f.string('args', { default: [], description: 'A list of arguments to provide the command.' })),
    f.string('codec', { default: 'lines', options: ['lines'], description: 'The way in which messages should be written to the subprocess.' }),
  ]),
  build: (c, ctx): Output => new SubprocessOutput(c.name, c.args, ctx),
})

class SubprocessOutput implements Output {
  readonly maxInFlight = 1
  #proc: ChildProcessWithoutNullStreams | undefined

  constructor(
    readonly name: string,
    readonly args: readonly string[],
    readonly ctx: ComponentContext,
  ) {}

  connected(): boolean {
    return this.#proc !== undefined
  }

  async connect(): Promise<void> {
    if (this.#proc) return
    const proc = await startProcess(this.name, this.args)
    const out: Buffer[] = []
    const err: Buffer[] = []
    proc.stdout.on('data', (d: Buffer) => out.push(d))
    proc.stderr.on('data', (d: Buffer) => err.push(d))
    proc.once('close', (code, signal) => {
      if (this.#proc === proc) this.#proc = undefined
      const stdout = Buffer.concat(out)
      this.ctx.logger.debug(stdout.length ? `Process exited with: ${stdout.toString()}` : 'Process exited')
      if (code === 0) return
      const stderr = Buffer.concat(err)
      if (stderr.length) this.ctx.logger.error(`Process exited with error: ${stderr.toString()}`)
      else this.ctx.logger.error(`Process exited with code ${code ?? -1}: ${exitText(code, signal)}`)
    })
    this.#proc = proc
  }

  async write(batch: Batch): Promise<void> {
    const proc = this.#proc
    if (!proc) throw new NotConnectedError()
    for (const m of batch) {
      // Go's Fprintln: the message and a newline, always.
      const data = Buffer.concat([m.bytes(), Buffer.from('\n')])
      await new Promise<void>((resolve, reject) => proc.stdin.write(data, (e) => (e ? reject(e) : resolve())))
    }
  }

  async close(): Promise<void> {
    const proc = this.#proc
    this.#proc = undefined
    if (!proc) return
    // The command is expected to finish once its stdin closes; it gets a moment before a kill.
    await new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve()
      const t = setTimeout(() => proc.kill('SIGKILL'), 2000)
      proc.once('close', () => {
        clearTimeout(t)
        resolve()
      })
      proc.stdin.end()
    })
  }
}
