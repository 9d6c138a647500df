/**
 * `subprocess` input (spec components, tier 3): runs a command and reads its stdout line by line,
 * each line a message. Each stderr line is reported as a read error. When the command exits the
 * input ends, or with `restart_on_exit` the command runs again (with the engine's back-off).
 * A nacked message is replayed by the engine.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import { END_OF_INPUT, NotConnectedError, type Input, type ReadResult } from '../../spec/index.js'
import { Notifier } from '../shared/notifier.js'
import { MAX_SCAN_TOKEN_SIZE, TokenSplitter } from '../shared/subprocess-codecs.js'
import { startProcess } from '../shared/subprocess.js'

export default defineComponent({
  kind: 'input',
  name: 'subprocess',
  status: 'beta',
  summary: 'Executes a command, runs it as a subprocess, and consumes messages from it over stdout.',
  config: f.object('', [
    f.string('name', { description: 'The command to execute as a subprocess (`cat`, `sed`, `awk`).' }),
    f.array(f.string('args', { default: [], description: 'A list of arguments to provide the command.' })),
    f.string('codec', { default: 'lines', options: ['lines'], description: 'The way in which messages should be consumed from the subprocess.' }),
    f.bool('restart_on_exit', { default: false, description: 'Whether the command should be re-executed each time the subprocess ends.' }),
    f.int('max_buffer', { default: MAX_SCAN_TOKEN_SIZE, advanced: true, description: 'The maximum expected size of an individual message.' }),
  ]),
  examples: [
    {
      title: 'Lines printed by a command',
      config: `input:
  subprocess:
    name: printf
    args: [ "a\\\\nb\\\\n" ]
`,
      output: ['a', 'b'],
    },
  ],
  build: (c): Input => new SubprocessInput(c.name, c.args, c.restart_on_exit, c.max_buffer),
})

type Item = { line: Buffer } | { err: string } | { end: true }

/** Queued lines at which the command's stdout is paused, and at which it is resumed. */
const HIGH_WATER = 10_000
const LOW_WATER = 1_000

class SubprocessInput implements Input {
  // The reference drops a nacked line (its stdout is gone); here the engine replays it instead,
  // so a failed write downstream loses nothing.
  readonly replayNacks = true
  #proc: ChildProcessWithoutNullStreams | undefined
  #items: Item[] = []
  /** An item arrived or the input closed. */
  readonly #changed = new Notifier()
  #running = false
  #closed = false

  constructor(
    readonly name: string,
    readonly args: readonly string[],
    readonly restart: boolean,
    readonly maxBuffer: number,
  ) {}

  connected(): boolean {
    return this.#running
  }

  async connect(): Promise<void> {
    if (this.#running || this.#closed) return
    const proc = await startProcess(this.name, this.args)
    proc.stdin.end()
    this.#proc = proc
    this.#items = []
    this.#running = true
    const push = (i: Item): void => {
      this.#items.push(i)
      this.#changed.notify()
    }
    const out = new TokenSplitter('lines', this.maxBuffer)
    const err = new TokenSplitter('lines', this.maxBuffer)
    let streams = 2
    const ended = (): void => {
      if (--streams === 0) push({ end: true })
    }
    proc.stdout.on('data', (d: Buffer) => {
      // Back pressure: a command that prints faster than the pipeline takes waits on its pipe.
      if (this.#items.length >= HIGH_WATER) proc.stdout.pause()
      try {
        for (const t of out.push(d)) push({ line: t })
      } catch (e) {
        push({ err: (e as Error).message })
        proc.stdout.destroy()
      }
    })
    proc.stderr.on('data', (d: Buffer) => {
      try {
        for (const t of err.push(d)) push({ err: t.toString() })
      } catch (e) {
        push({ err: (e as Error).message })
        proc.stderr.destroy()
      }
    })
    proc.stdout.once('close', () => {
      for (const t of out.finish()) push({ line: t })
      ended()
    })
    proc.stderr.once('close', () => {
      for (const t of err.finish()) push({ err: t.toString() })
      ended()
    })
  }

  async read(signal: AbortSignal): Promise<ReadResult> {
    for (;;) {
      const since = this.#changed.seq
      const item = this.#items.shift()
      if (this.#items.length === LOW_WATER) this.#proc?.stdout.resume()
      if (item === undefined) {
        if (!this.#running) throw new NotConnectedError()
        await this.#changed.wait(signal, since)
        continue
      }
      if ('line' in item) return { batch: [new Message(new Uint8Array(item.line))], ack: () => {} }
      if ('err' in item) throw new Error(item.err)
      this.#running = false
      this.#proc = undefined
      if (this.restart && !this.#closed) throw new NotConnectedError('subprocess exited')
      return END_OF_INPUT
    }
  }

  async close(): Promise<void> {
    this.#closed = true
    this.#running = false
    this.#proc?.kill('SIGKILL')
    this.#proc = undefined
    this.#changed.notify()
  }
}
