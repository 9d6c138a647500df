/**
 * `broker` input (spec components §4.6): every child is read in parallel and their transactions
 * merged (fan-in); acks go back to the child that produced them; the broker ends once every child
 * has ended. Each child's own processors run first, then the broker-level ones (the engine's). A
 * `batching` policy combines the feeds of all children.
 */
import { END_OF_INPUT, defineComponent, f, type Input, type ReadResult, type Transaction } from '../../spec/index.js'
import { CLOSED, Rendezvous } from '../../util/channel.js'
import { Batcher, batchingField, isNoopPolicy } from '../shared/batch-policy.js'
import { BatchedInput } from '../shared/input-batcher.js'
import { buildChildInput, type ChildInput } from '../shared/child-input.js'
import { invalid } from '../shared/field-error.js'
import { ConnectionWatchers, watchEach } from '../../util/connection-watch.js'

export default defineComponent({
  kind: 'input',
  name: 'broker',
  status: 'stable',
  summary: 'Allows you to combine multiple inputs into a single stream of data, where each input will be read in parallel.',
  config: f.object('', [
    f.int('copies', { default: 1, advanced: true, description: 'Whatever is specified within `inputs` will be created this many times.' }),
    f.array(f.component('inputs', 'input', { description: 'A list of inputs to create.' })),
    batchingField,
  ]),
  examples: [
    {
      title: 'Merge two generators',
      config: `input:
  broker:
    inputs:
      - generate:
          count: 3
          interval: ''
          mapping: 'root = "a"'
      - generate:
          count: 3
          interval: ''
          mapping: 'root = "b"'
        processors:
          - mapping: 'root = content().uppercase()'
`,
      output: ['a', 'a', 'a', 'B', 'B', 'B'],
    },
  ],
  build: async (c, ctx): Promise<Input> => {
    const children: ChildInput[] = []
    for (let copy = 0; copy < Math.max(0, c.copies); copy++) {
      for (const [i, raw] of c.inputs.entries()) children.push(await buildChildInput(ctx, raw, `broker.inputs[${i}]`))
    }
    if (children.length === 0) throw invalid('inputs', 'attempting to create broker input type with no inputs')
    const merged: ChildInput | FanIn = children.length === 1 ? children[0]! : new FanIn(children)
    if (isNoopPolicy(c.batching)) return merged
    return new BatchedInput(merged, await Batcher.create(c.batching, ctx, 'broker.batching', 'batching'), merged.sourceEnded)
  },
})

/**
 * One pump per child puts its transactions on a shared rendezvous; `read` takes the next one,
 * whichever child it came from. Closing stops the pumps; a transaction a pump still held is
 * nacked back to its child (replaying children keep it).
 */
class FanIn implements Input {
  readonly #children: ChildInput[]
  readonly #stop = new AbortController()
  readonly #merged = new Rendezvous<Transaction>()
  /** Children whose source has ended: they no longer count for the connection. */
  readonly #ended = new Set<ChildInput>()
  readonly #watchers = new ConnectionWatchers()
  #pumps: Promise<void> | undefined

  constructor(children: ChildInput[]) {
    this.#children = children
    watchEach(children, () => this.#watchers.notify())
  }

  /** Every child's source has ended (replays may still be pending). */
  get sourceEnded(): Promise<void> {
    return Promise.all(this.#children.map((c) => c.sourceEnded)).then(() => {})
  }

  async connect(): Promise<void> {
    this.#pumps ??= Promise.all(this.#children.map((c) => this.#pump(c))).then(() => this.#merged.close())
  }

  /**
   * Every child still reading is connected: the reference lists the status of each child not yet
   * ended, and is ready only when all of them are up (none left to read says nothing against it).
   */
  connected(): boolean {
    return this.#children.every((c) => this.#ended.has(c) || c.connected())
  }

  watchConnection(onChange: () => void): void {
    this.#watchers.add(onChange)
  }

  async read(signal: AbortSignal): Promise<ReadResult> {
    const tx = await this.#merged.take(signal)
    return tx === CLOSED ? END_OF_INPUT : tx
  }

  async close(): Promise<void> {
    this.#stop.abort()
    await this.#pumps
    this.#merged.close()
    await Promise.allSettled(this.#children.map((c) => c.close()))
  }

  async #pump(child: ChildInput): Promise<void> {
    const signal = this.#stop.signal
    while (!signal.aborted) {
      let r: ReadResult
      try {
        r = await child.read(signal)
      } catch {
        return
      }
      if (r === END_OF_INPUT) {
        this.#ended.add(child)
        this.#watchers.notify()
        return
      }
      try {
        await this.#merged.put(r, signal)
      } catch (err) {
        r.ack(err instanceof Error ? err : new Error(String(err)))
        return
      }
    }
  }
}
