/**
 * `sequence` input (spec components §9.1): reads the first child until it ends, then the next, and
 * so on; the sequence ends after the last child. Each child connects only when its turn comes and
 * is closed once it has ended. `sharded_join` (experimental in the reference) joins what the
 * children read by an id instead of passing it on (see sequence-join.ts).
 */
import { END_OF_INPUT, defineComponent, f, type Input, type Logger, type ReadResult, type Transaction } from '../../spec/index.js'
import type { Message } from '../../message/message.js'
import { abortError } from '../../util/channel.js'
import { Joiner } from './sequence-join.js'
import { buildChildInput, type ChildInput } from '../shared/child-input.js'
import { invalid } from '../shared/field-error.js'
import { ConnectionWatchers } from '../../util/connection-watch.js'

export default defineComponent({
  kind: 'input',
  name: 'sequence',
  status: 'stable',
  summary:
    'Reads messages from a sequence of child inputs, starting with the first and once that input gracefully terminates starts consuming from the next, and so on.',
  config: f.object('', [
    f.object(
      'sharded_join',
      [
        f.string('type', { default: 'none', options: ['none', 'full-outer', 'outer', 'full-outter', 'outter'], description: 'The type of join to perform.' }),
        f.string('id_path', { default: '', description: 'A dot path that points to a common field within messages of each fragmented data set and can be used to join them.' }),
        f.int('iterations', { default: 1, description: 'The total number of iterations (shards), increasing this number will increase the overall time taken to process the data, but reduces the memory used in the process.' }),
        f.string('merge_strategy', { default: 'array', options: ['array', 'replace', 'keep'], description: 'The chosen strategy to use when a data join would otherwise result in a collision of field values.' }),
      ],
      { advanced: true, description: 'EXPERIMENTAL: Provides a way to perform outer joins of arbitrarily structured and unordered data resulting from the input sequence.' },
    ),
    f.array(f.component('inputs', 'input', { description: 'An array of inputs to read from sequentially.' })),
  ]),
  examples: [
    {
      title: 'End of stream message',
      config: `input:
  sequence:
    inputs:
      - file:
          paths: [ ./dataset.jsonl ]
      - generate:
          count: 1
          mapping: 'root = {"status":"finished"}'
`,
      // Lines of ./dataset.jsonl, then the generated message once the file is exhausted.
      input: ['{"id":1}', '{"id":2}'],
      output: ['{"id":1}', '{"id":2}', '{"status":"finished"}'],
    },
  ],
  build: async (c, ctx): Promise<Input> => {
    if (c.inputs.length === 0) throw invalid('inputs', 'requires at least one child input')
    const joiner = Joiner.of(c.sharded_join)
    const makers = c.inputs.map((raw, i) => () => buildChildInput(ctx, raw, `sequence.inputs[${i}]`))
    const first: ChildInput[] = []
    for (const make of makers) first.push(await make())
    return new SequenceInput(first, makers, joiner, ctx.logger)
  },
})

/**
 * Children are read in turn. With a sharded join, what they read is joined instead of passed on
 * (and acked at once); each joined message is a transaction of its own, re-sent every second until
 * acked; an iteration ends once its joins are acked, and the next one reads freshly built children.
 */
class SequenceInput implements Input {
  readonly #makers: (() => Promise<ChildInput>)[]
  readonly #joiner: Joiner | undefined
  readonly #logger: Logger
  #children: ChildInput[]
  #at = 0
  /** Told when the current child's connection changes, or another child becomes current. */
  readonly #watchers = new ConnectionWatchers()
  #closed = false
  /** Joined messages ready to go, and how many sent ones are not yet acked. */
  readonly #joined: Message[] = []
  #unacked = 0
  #wake: (() => void) | undefined
  #retries = new Set<NodeJS.Timeout>()
  /** This iteration's joins were flushed; it was the last iteration. */
  #flushed = false
  #last = false

  constructor(children: ChildInput[], makers: (() => Promise<ChildInput>)[], joiner: Joiner | undefined, logger: Logger) {
    this.#makers = makers
    this.#joiner = joiner
    this.#logger = logger
    this.#children = children.map((c) => this.#watched(c))
  }

  /** Only the current child connects; later ones connect when they are reached. */
  connect(signal: AbortSignal): Promise<void> {
    const child = this.#children[this.#at]
    return child ? child.connect(signal) : Promise.resolve()
  }

  /** The current child's, as the reference reports only the input it is reading. */
  connected(): boolean {
    return !this.#closed && (this.#children[this.#at]?.connected() ?? true)
  }

  watchConnection(onChange: () => void): void {
    this.#watchers.add(onChange)
  }

  async read(signal: AbortSignal): Promise<ReadResult> {
    for (;;) {
      const joined = this.#joined.shift()
      if (joined) return this.#send(joined)
      const child = this.#children[this.#at]
      if (!child) {
        if (!this.#joiner) {
          this.#logger.info('Exhausted all sequence inputs, shutting down.')
          return END_OF_INPUT
        }
        if (!(await this.#nextIteration(signal))) return END_OF_INPUT
        continue
      }
      const r = await child.read(signal)
      if (r === END_OF_INPUT) {
        // Acks of what it already handed out still reach it: closing stops reading, not acking.
        void child.close()
        this.#at++
        this.#watchers.notify()
        continue
      }
      if (!this.#joiner) return r
      this.#joiner.add(r.batch, this.#at === this.#children.length - 1, (m) => this.#joined.push(m))
      r.ack()
    }
  }

  async close(): Promise<void> {
    this.#closed = true
    for (const t of this.#retries) clearTimeout(t)
    this.#wake?.()
    await Promise.allSettled(this.#children.map((c) => c.close()))
  }

  /**
   * At the end of an iteration: once what was sent is acked, flush its joins; once those are acked
   * too, start the next iteration (fresh children) or, after the last, end (false).
   */
  async #nextIteration(signal: AbortSignal): Promise<boolean> {
    const joiner = this.#joiner!
    await this.#settled(signal)
    if (this.#joined.length > 0) return true
    if (!this.#flushed) {
      this.#logger.debug(`Finished sharded iteration ${joiner.iteration}.`)
      this.#last = joiner.finish((m) => this.#joined.push(m))
      this.#flushed = true
      return true
    }
    if (this.#last) {
      this.#logger.info('Finished all sharded iterations and exhausted all sequence inputs, shutting down.')
      return false
    }
    this.#children = []
    for (const make of this.#makers) this.#children.push(this.#watched(await make()))
    this.#at = 0
    this.#watchers.notify()
    this.#flushed = false
    return true
  }

  /** `child`, telling this input's watchers of its changes (only the current one counts, when asked). */
  #watched(child: ChildInput): ChildInput {
    this.#watchers.follow(child)
    return child
  }

  /** A joined message as a transaction; a nack sends it again a second later. */
  #send(m: Message): Transaction {
    this.#unacked++
    let done = false
    return {
      batch: [m.copy()],
      ack: (err) => {
        if (done) return
        done = true
        if (!err) {
          this.#unacked--
          this.#notify()
          return
        }
        this.#logger.error(`Failed to send joined message: ${err.message}`)
        const timer = setTimeout(() => {
          this.#retries.delete(timer)
          this.#unacked--
          this.#joined.push(m)
          this.#notify()
        }, 1000)
        this.#retries.add(timer)
      },
    }
  }

  #notify(): void {
    const w = this.#wake
    this.#wake = undefined
    w?.()
  }

  /** Resolves when nothing sent is waiting for an ack (or something is ready to send again). */
  #settled(signal: AbortSignal): Promise<void> {
    if (this.#unacked === 0 || this.#joined.length > 0 || this.#closed) return Promise.resolve()
    if (signal.aborted) return Promise.reject(abortError(signal))
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => reject(abortError(signal))
      signal.addEventListener('abort', onAbort, { once: true })
      this.#wake = () => {
        signal.removeEventListener('abort', onAbort)
        resolve()
      }
    }).then(() => this.#settled(signal))
  }
}
