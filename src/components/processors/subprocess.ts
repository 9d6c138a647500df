/**
 * `subprocess` processor (spec components, tier 3): one long-lived child process; each message
 * (each line of it, with the `lines` codec) is written to its stdin and replaced by the next
 * response on stdout. A response on stderr instead flags the message with that text. The child
 * is restarted when it exits, as in the reference (with a short back-off here, so a command that
 * exits at once cannot spin a core).
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import type { Batch, Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { ComponentContext, Processor } from '../../spec/index.js'
import { Backoff, sleep } from '../../util/backoff.js'
import { Notifier } from '../shared/notifier.js'
import { errorFlagger } from '../shared/processor-error.js'
import { frameFor, MAX_SCAN_TOKEN_SIZE, SUBPROCESS_CODECS, TokenSplitter } from '../shared/subprocess-codecs.js'
import { startProcess } from '../shared/subprocess.js'

export default defineComponent({
  kind: 'processor',
  name: 'subprocess',
  status: 'stable',
  summary: 'Executes a command as a subprocess and, for each message, will pipe its contents to the stdin stream of the process followed by a newline.',
  config: f.object('', [
    f.string('name', { description: 'The command to execute as a subprocess (`cat`, `sed`, `awk`).' }),
    f.array(f.string('args', { default: [], description: 'A list of arguments to provide the command.' })),
    f.int('max_buffer', { default: MAX_SCAN_TOKEN_SIZE, advanced: true, description: 'The maximum expected response size.' }),
    f.string('codec_send', { default: 'lines', options: SUBPROCESS_CODECS, advanced: true, description: 'How messages written to the subprocess are encoded.' }),
    f.string('codec_recv', { default: 'lines', options: SUBPROCESS_CODECS, advanced: true, description: 'How messages read from the subprocess are decoded.' }),
  ]),
  examples: [
    {
      title: 'Upper-case through a long-lived process',
      config: `pipeline:
  processors:
    - subprocess:
        name: sed
        args: [ "-u", "s/.*/\\\\U&/" ]
`,
      input: ['hello', 'two\nlines'],
      output: ['HELLO', 'TWO\nLINES'],
    },
  ],
  build: async (c, ctx): Promise<Processor> => {
    const child = new Child(c.name, c.args, c.codec_recv, c.max_buffer, ctx)
    await child.start()
    return new SubprocessProcessor(child, c.codec_send, ctx)
  },
})

/** The "type was closed" error the reference gives when the child is gone mid-request. */
const CLOSED_TEXT = 'type was closed'

/** The running child and what it has said, restarted whenever it exits. */
class Child {
  #proc: ChildProcessWithoutNullStreams | undefined
  #out: Buffer[] = []
  #err: Buffer[] = []
  /** Output arrived or the child went. */
  readonly #changed = new Notifier()
  #closing = false
  /** Whether a request is waiting for an answer (leftover output is then its answer, not a log line). */
  #asking = false
  readonly #stop = new AbortController()
  readonly #backoff = new Backoff(100, 5000)

  constructor(
    readonly name: string,
    readonly args: readonly string[],
    readonly codec: string,
    readonly maxBuffer: number,
    readonly ctx: ComponentContext,
  ) {}

  async start(): Promise<void> {
    const proc = await startProcess(this.name, this.args)
    this.#proc = proc
    this.#out = []
    this.#err = []
    const out = new TokenSplitter(this.codec, this.maxBuffer)
    const err = new TokenSplitter('lines', this.maxBuffer)
    const feed = (splitter: TokenSplitter, into: () => Buffer[], what: string) => (d: Buffer) => {
      try {
        for (const t of splitter.push(d)) into().push(t)
      } catch (e) {
        this.ctx.logger.error(`Failed to read subprocess ${what}: ${(e as Error).message}`)
        proc.kill('SIGKILL')
      }
      this.#changed.notify()
    }
    proc.stdout.on('data', feed(out, () => this.#out, 'output'))
    proc.stderr.on('data', feed(err, () => this.#err, 'error output'))
    proc.once('close', () => {
      for (const t of out.finish()) this.#out.push(t)
      for (const t of err.finish()) this.#err.push(t)
      if (this.#proc === proc) this.#proc = undefined
      this.#changed.notify()
      if (this.#closing) return
      this.ctx.logger.warn('Subprocess exited')
      if (!this.#asking) this.#logLeftovers()
      void this.#restart()
    })
    this.ctx.logger.info('Subprocess started')
  }

  #logLeftovers(): void {
    if (this.#out.length) this.ctx.logger.info(Buffer.concat(this.#out).toString())
    if (this.#err.length) this.ctx.logger.error(Buffer.concat(this.#err).toString())
    this.#out = []
    this.#err = []
  }

  async #restart(): Promise<void> {
    while (!this.#closing && this.#proc === undefined) {
      if (!(await sleep(this.#backoff.next(), this.#stop.signal))) return
      try {
        await this.start()
        this.#backoff.reset()
      } catch (err) {
        this.ctx.logger.error(`Failed to restart subprocess: ${(err as Error).message}`)
      }
    }
  }

  /** Writes one framed message and waits for the answer (Go's Send). */
  async send(parts: Buffer[]): Promise<Buffer> {
    const proc = this.#proc
    if (proc === undefined) throw new Error(CLOSED_TEXT)
    this.#asking = true
    try {
      for (const p of parts) proc.stdin.write(p)
      for (;;) {
        const since = this.#changed.seq
        const out = this.#out.shift()
        if (out !== undefined) return out
        if (this.#err.length) break
        if (this.#proc !== proc) throw new Error(CLOSED_TEXT)
        await this.#changed.wait(this.#stop.signal, since)
      }
      // An error answer may span several stderr lines: gather them for up to a second.
      const errs: Buffer[] = []
      const deadline = Date.now() + 1000
      for (;;) {
        const since = this.#changed.seq
        while (this.#err.length) errs.push(this.#err.shift()!)
        if (this.#proc !== proc || Date.now() >= deadline) break
        await this.#changed.wait(this.#stop.signal, since, deadline - Date.now())
      }
      throw new Error(Buffer.concat(errs).toString())
    } finally {
      this.#asking = false
    }
  }

  async close(): Promise<void> {
    this.#closing = true
    const proc = this.#proc
    this.#proc = undefined
    // Waiting requests see the child gone ("type was closed") before the stop signal, which would
    // fail them with an abort instead.
    this.#changed.notify()
    this.#stop.abort()
    if (!proc) return
    await new Promise<void>((resolve) => {
      proc.once('close', () => resolve())
      proc.kill('SIGKILL')
    })
  }
}

class SubprocessProcessor implements Processor {
  #queue: Promise<unknown> = Promise.resolve()
  readonly #flag

  constructor(
    readonly child: Child,
    readonly codec: string,
    readonly ctx: ComponentContext,
  ) {
    this.#flag = errorFlagger(ctx, 'subprocess')
  }

  process(batch: Batch): Promise<Batch[]> {
    // One conversation with the child at a time, in order.
    const run = this.#queue.then(async () => {
      for (const m of batch) await this.#one(m)
      return [batch]
    })
    this.#queue = run.catch(() => undefined)
    return run
  }

  async #one(m: Message): Promise<void> {
    try {
      if (this.codec !== 'lines') {
        m.setBytes(new Uint8Array(await this.child.send(frameFor(this.codec, m.bytes()))))
        return
      }
      // Each line is its own request; an empty last line (a trailing newline) answers itself.
      const lines = Buffer.from(m.bytes()).toString('latin1').split('\n')
      const results: Buffer[] = []
      for (let j = 0; j < lines.length; j++) {
        if (lines[j] === '' && lines.length > 1 && j === lines.length - 1) {
          results.push(Buffer.alloc(0))
          continue
        }
        results.push(await this.child.send(frameFor('lines', Buffer.from(lines[j]!, 'latin1'))))
      }
      const joined: Buffer[] = []
      results.forEach((r, i) => (i === 0 ? joined.push(r) : joined.push(Buffer.from('\n'), r)))
      m.setBytes(new Uint8Array(Buffer.concat(joined)))
    } catch (err) {
      this.ctx.logger.error(`Failed to send message to subprocess: ${(err as Error).message}`)
      this.#flag(m, err)
    }
  }

  async close(): Promise<void> {
    await this.child.close()
  }
}
