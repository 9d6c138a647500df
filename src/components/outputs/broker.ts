/**
 * `broker` output (spec components §7.6): routes each batch to child outputs by `pattern`. The
 * `fan_out` patterns give every child its own shallow copy and ack upstream once every child has
 * acked; `fan_out` and `fan_out_sequential` retry each child indefinitely (500 ms → 3 s) so one
 * failing child cannot cause duplicates in the others, the `_fail_fast` variants nack at the
 * first child error. `round_robin` takes turns, `greedy` gives each batch to a child with a free
 * slot. A `batching` policy sits in front of the broker.
 */
import type { Batch } from '../../message/message.js'
import { defineComponent, f, type Output } from '../../spec/index.js'
import { Batcher, batchingField, isNoopPolicy } from '../shared/batch-policy.js'
import { BatchedOutput } from '../shared/output-batcher.js'
import { buildChildOutput, closeAll, connectAll } from '../shared/child-output.js'
import { watchEach } from '../../util/connection-watch.js'
import { INDEFINITE, RetryingOutput } from '../shared/retry-output.js'
import { invalid } from '../shared/field-error.js'

const PATTERNS = ['fan_out', 'fan_out_fail_fast', 'fan_out_sequential', 'fan_out_sequential_fail_fast', 'round_robin', 'greedy'] as const
type Pattern = (typeof PATTERNS)[number]

export default defineComponent({
  kind: 'output',
  name: 'broker',
  status: 'stable',
  summary: 'Allows you to route messages to multiple child outputs using a range of brokering patterns.',
  config: f.object('', [
    f.int('copies', { default: 1, advanced: true, description: 'The number of copies of each configured output to spawn.' }),
    f.string('pattern', { default: 'fan_out', options: PATTERNS, description: 'The brokering pattern to use.' }),
    f.array(f.component('outputs', 'output', { description: 'A list of child outputs to broker.' })),
    batchingField,
  ]),
  examples: [
    {
      title: 'Write every message to two files',
      config: `output:
  broker:
    pattern: fan_out
    outputs:
      - file:
          path: ./data/everything.jsonl
      - file:
          path: ./data/shouted.jsonl
        processors:
          - mapping: 'root = content().uppercase()'
`,
      input: ['{"msg":"hi"}', '{"msg":"bye"}'],
      // Lines of each file written, files in name order: every output gets every message.
      output: ['{"msg":"hi"}', '{"msg":"bye"}', '{"MSG":"HI"}', '{"MSG":"BYE"}'],
    },
  ],
  build: async (c, ctx): Promise<Output> => {
    const pattern = c.pattern as Pattern
    if (!PATTERNS.includes(pattern)) throw invalid('pattern', `broker pattern was not recognised: ${c.pattern}`)
    const retry = pattern === 'fan_out' || pattern === 'fan_out_sequential'
    const children: Output[] = []
    for (let copy = 0; copy < Math.max(0, c.copies); copy++) {
      for (const [i, raw] of c.outputs.entries()) {
        const child = await buildChildOutput(ctx, raw, `broker.outputs[${i}]`)
        children.push(retry ? new RetryingOutput(child, INDEFINITE, ctx.logger) : child)
      }
    }
    if (children.length === 0) throw invalid('outputs', 'attempting to create broker output type with no outputs')
    const broker = children.length === 1 ? children[0]! : brokerOf(pattern, children)
    if (isNoopPolicy(c.batching)) return broker
    const batcher = await Batcher.create(c.batching, ctx, 'broker.batching', 'batching')
    return new BatchedOutput(broker, batcher, c.batching.count)
  },
})

function brokerOf(pattern: Pattern, children: Output[]): Output {
  switch (pattern) {
    case 'fan_out':
    case 'fan_out_fail_fast':
      return new FanOut(children, false)
    case 'fan_out_sequential':
    case 'fan_out_sequential_fail_fast':
      return new FanOut(children, true)
    case 'round_robin':
      return new RoundRobin(children)
    case 'greedy':
      return new Greedy(children)
  }
}

abstract class BrokerBase implements Output {
  abstract readonly maxInFlight: number
  protected readonly children: Output[]

  constructor(children: Output[]) {
    this.children = children
  }

  connect(signal: AbortSignal): Promise<void> {
    return connectAll(this.children, signal)
  }

  /** Every child, whatever the pattern: the reference lists each child's status and is ready only when all are up. */
  connected(): boolean {
    return this.children.every((c) => c.connected())
  }

  watchConnection(onChange: () => void): void {
    watchEach(this.children, onChange)
  }

  endOfInput(): void {
    for (const c of this.children) c.endOfInput?.()
  }

  close(): Promise<void> {
    return closeAll(this.children)
  }

  abstract write(batch: Batch, signal: AbortSignal): Promise<void>
}

class FanOut extends BrokerBase {
  readonly maxInFlight: number
  readonly #sequential: boolean

  constructor(children: Output[], sequential: boolean) {
    super(children)
    this.#sequential = sequential
    this.maxInFlight = Math.max(1, ...children.map((c) => c.maxInFlight))
  }

  async write(batch: Batch, signal: AbortSignal): Promise<void> {
    if (this.#sequential) {
      for (const c of this.children) await c.write(batch.map((m) => m.copy()), signal)
      return
    }
    // The first child error nacks at once (the others still finish their copies), as the reference does.
    await Promise.all(this.children.map((c) => c.write(batch.map((m) => m.copy()), signal)))
  }
}

class RoundRobin extends BrokerBase {
  readonly maxInFlight: number
  #next = 0

  constructor(children: Output[]) {
    super(children)
    this.maxInFlight = children.reduce((n, c) => n + Math.max(1, c.maxInFlight), 0)
  }

  write(batch: Batch, signal: AbortSignal): Promise<void> {
    const child = this.children[this.#next]!
    this.#next = (this.#next + 1) % this.children.length
    return child.write(batch, signal)
  }
}

/** Each batch goes to the first child with a free slot; with none free, to the first that frees one. */
class Greedy extends BrokerBase {
  readonly maxInFlight: number
  readonly #busy: number[]
  readonly #waiting: ((i: number) => void)[] = []

  constructor(children: Output[]) {
    super(children)
    this.#busy = children.map(() => 0)
    this.maxInFlight = children.reduce((n, c) => n + Math.max(1, c.maxInFlight), 0)
  }

  async write(batch: Batch, signal: AbortSignal): Promise<void> {
    const i = await this.#claim()
    try {
      await this.children[i]!.write(batch, signal)
    } finally {
      this.#busy[i]!--
      const w = this.#waiting.shift()
      if (w) {
        this.#busy[i]!++
        w(i)
      }
    }
  }

  #claim(): Promise<number> {
    for (let i = 0; i < this.children.length; i++) {
      if (this.#busy[i]! < Math.max(1, this.children[i]!.maxInFlight)) {
        this.#busy[i]!++
        return Promise.resolve(i)
      }
    }
    // The engine never has more writes open than maxInFlight, so a waiter is always granted.
    return new Promise((resolve) => this.#waiting.push(resolve))
  }
}
