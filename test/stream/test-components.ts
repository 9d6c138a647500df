/**
 * Test-only components registered next to the built-ins: an output that records what it was given
 * (and can fail its first writes) and an input that records its acks.
 */
import { defineComponent, f } from '../../src/spec/index.js'
import { END_OF_INPUT, type Input, type Output } from '../../src/spec/index.js'
import { Message } from '../../src/message/message.js'

/** Written message texts per `capture.name`, and how many writes were attempted. */
export interface Captured {
  texts: string[]
  batches: string[][]
  /** Metadata of each written message, values as strings. */
  metas: Record<string, string>[]
  /** Error flag text of each written message ('' when clean). */
  errors: string[]
  attempts: number
}

export const captured = new Map<string, Captured>()

export function capture(name: string): Captured {
  let c = captured.get(name)
  if (!c) captured.set(name, (c = { texts: [], batches: [], metas: [], errors: [], attempts: 0 }))
  return c
}

export const captureOutput = defineComponent({
  kind: 'output',
  name: 'capture',
  config: f.object('', [
    f.string('name'),
    f.int('fail_first', { default: 0 }),
    f.string('error', { default: 'boom' }),
    f.int('max_in_flight', { default: 1 }),
  ]),
  build: (conf): Output => {
    const c = conf as { name: string; fail_first: number; error: string; max_in_flight: number }
    const sink = capture(c.name)
    return {
      maxInFlight: c.max_in_flight,
      connect: async () => {},
      connected: () => true,
      close: async () => {},
      async write(batch) {
        sink.attempts++
        if (sink.attempts <= c.fail_first) throw new Error(c.error)
        const texts = batch.map((m) => m.text())
        sink.texts.push(...texts)
        sink.batches.push(texts)
        for (const m of batch) {
          sink.metas.push(Object.fromEntries([...m.metadata.keys()].map((k) => [k, m.metaString(k) ?? ''])))
          sink.errors.push(m.error?.message ?? '')
        }
      },
    }
  },
})

/** Acks seen by `acking` inputs, per name: `ok` or the error text. */
export const acks = new Map<string, string[]>()

export const ackingInput = defineComponent({
  kind: 'input',
  name: 'acking',
  config: f.object('', [f.string('name'), f.array(f.string('messages', { default: [] }))]),
  build: (conf): Input => {
    const c = conf as { name: string; messages: string[] }
    const seen: string[] = []
    acks.set(c.name, seen)
    const queue = [...c.messages]
    return {
      connect: async () => {},
      connected: () => true,
      close: async () => {},
      async read() {
        const next = queue.shift()
        if (next === undefined) return END_OF_INPUT
        return { batch: [new Message(next)], ack: (err) => seen.push(err ? `${next}:${err.message}` : `${next}:ok`) }
      },
    }
  },
})

export const TEST_SPECS = [captureOutput, ackingInput]
