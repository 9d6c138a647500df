/**
 * `sequence` input (spec components §9.1): reads the first child until it ends, then the next, and
 * so on; the sequence ends after the last child. Each child connects only when its turn comes and
 * is closed once it has ended. Sharded joins (`sharded_join.type` other than `none`, experimental
 * in the reference) are not supported by this host: such a config fails to build.
 */
import { END_OF_INPUT, defineComponent, f, type Input, type ReadResult } from '../../spec/index.js'
import { buildChildInput, type ChildInput } from '../shared/child-input.js'
import { invalid } from '../shared/field-error.js'

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
    },
  ],
  build: async (c, ctx): Promise<Input> => {
    if (c.sharded_join.type !== 'none') throw invalid('sharded_join.type', `sharded joins are not supported by this host (type '${c.sharded_join.type}')`)
    if (c.inputs.length === 0) throw invalid('inputs', 'requires at least one child input')
    const children: ChildInput[] = []
    for (const [i, raw] of c.inputs.entries()) children.push(await buildChildInput(ctx, raw, `sequence.inputs[${i}]`))
    return new SequenceInput(children)
  },
})

class SequenceInput implements Input {
  readonly #children: ChildInput[]
  #at = 0
  #closed = false

  constructor(children: ChildInput[]) {
    this.#children = children
  }

  /** Only the current child connects; later ones connect when they are reached. */
  connect(signal: AbortSignal): Promise<void> {
    const child = this.#children[this.#at]
    return child ? child.connect(signal) : Promise.resolve()
  }

  connected(): boolean {
    return !this.#closed && (this.#children[this.#at]?.connected() ?? true)
  }

  async read(signal: AbortSignal): Promise<ReadResult> {
    for (;;) {
      const child = this.#children[this.#at]
      if (!child) return END_OF_INPUT
      const r = await child.read(signal)
      if (r !== END_OF_INPUT) return r
      // Acks of what it already handed out still reach it: closing stops reading, not acking.
      void child.close()
      this.#at++
    }
  }

  async close(): Promise<void> {
    this.#closed = true
    await Promise.allSettled(this.#children.map((c) => c.close()))
  }
}
