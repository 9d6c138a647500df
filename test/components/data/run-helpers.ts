/**
 * Helpers for the data-component tests: a test input that emits given messages as ONE batch (so
 * batch-wide processors see a real batch), and a runner that pushes a batch through a stream of
 * real components and returns what the output received.
 */
import type { TestContext } from 'node:test'
import { parse } from 'yaml'
import { defineComponent, f, END_OF_INPUT, type Input } from '../../../src/spec/index.js'
import { Message } from '../../../src/message/message.js'
import type { ExampleMessage } from '../../../src/spec/index.js'
import { startStream, until, type Harness } from '../../stream/harness.js'
import { TEST_SPECS, capture, type Captured } from '../../stream/test-components.js'

/** Messages per `batch_in.name`, and the acks each batch got (`ok` or the error text). */
export const batchInputs = new Map<string, { batches: ExampleMessage[][]; acks: string[] }>()

export const batchInput = defineComponent({
  kind: 'input',
  name: 'batch_in',
  config: f.object('', [f.string('name')]),
  build: (c): Input => {
    const src = batchInputs.get(c.name)!
    const queue = [...src.batches]
    return {
      connect: async () => {},
      connected: () => true,
      close: async () => {},
      async read() {
        const next = queue.shift()
        if (next === undefined) return END_OF_INPUT
        return { batch: next.map(toMessage), ack: (err) => src.acks.push(err ? err.message : 'ok') }
      },
    }
  },
})

export function toMessage(m: ExampleMessage): Message {
  if (typeof m === 'string') return new Message(m)
  const meta = new Map(Object.entries(m.metadata ?? {}).map(([k, v]) => [k, String(v)]))
  return new Message(m.content, meta)
}

let seq = 0

export interface RunResult extends Captured {
  harness: Harness
  acks: string[]
}

/**
 * Runs `batches` through `pipeline` (YAML or object) into a capture output; resolves once every
 * input batch has been acked. `cache_resources` in the YAML become the harness's resources.
 */
export async function runPipeline(
  t: TestContext,
  pipeline: string | Record<string, unknown>,
  batches: ExampleMessage[][],
  opts: { caches?: Record<string, unknown>; logLevel?: string } = {},
): Promise<RunResult> {
  const name = `data_${++seq}`
  const conf = (typeof pipeline === 'string' ? parse(pipeline) : pipeline) as Record<string, unknown>
  const caches = (conf.cache_resources ?? []) as { label: string }[]
  delete conf.cache_resources
  const cache = { ...Object.fromEntries(caches.map(({ label, ...rest }) => [label, rest])), ...opts.caches }
  batchInputs.set(name, { batches, acks: [] })
  conf.input = { batch_in: { name } }
  conf.output ??= { capture: { name } }
  const harness = await startStream(t, conf, { id: name, extraSpecs: [batchInput, ...TEST_SPECS], resources: { cache }, logLevel: opts.logLevel ?? 'DEBUG' })
  const src = batchInputs.get(name)!
  await until(`acks of ${name}`, () => src.acks.length === batches.length)
  return { ...capture(name), harness, acks: src.acks }
}

/** An example message as comparable data (content, plus metadata when the example names some). */
export function shape(text: string, meta: Record<string, string>, expected: ExampleMessage): ExampleMessage {
  if (typeof expected === 'string') return text
  const keys = Object.keys(expected.metadata ?? {})
  return { content: text, metadata: Object.fromEntries(keys.map((k) => [k, meta[k]!])) }
}
