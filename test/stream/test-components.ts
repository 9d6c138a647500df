/**
 * Test-only components registered next to the built-ins: an output that records what it was given
 * (and can fail its first writes) and an input that records its acks.
 */
import { defineComponent, f } from '../../src/spec/index.js'
import { END_OF_INPUT, NotConnectedError, type Input, type Output } from '../../src/spec/index.js'
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
    // Writes synchronously too (as drop and sync_response do), which opens the stream's direct lanes.
    f.bool('sync', { default: false }),
    // The write attempt with this number (from 1) finds the connection lost; connect() restores it.
    f.int('lose_connection_at', { default: 0 }),
  ]),
  build: (conf): Output => {
    const c = conf as { name: string; fail_first: number; error: string; max_in_flight: number; sync: boolean; lose_connection_at: number }
    const sink = capture(c.name)
    let up = true
    const writeSync = (batch: Message[]): void => {
      sink.attempts++
      if (sink.attempts === c.lose_connection_at) up = false
      if (!up) throw new NotConnectedError()
      if (sink.attempts <= c.fail_first) throw new Error(c.error)
      const texts = batch.map((m) => m.text())
      sink.texts.push(...texts)
      sink.batches.push(texts)
      for (const m of batch) {
        sink.metas.push(Object.fromEntries([...m.metadata.keys()].map((k) => [k, m.metaString(k) ?? ''])))
        sink.errors.push(m.error?.message ?? '')
      }
      events.get(c.name)?.push(...texts.map((t) => `write:${t}`))
    }
    return {
      maxInFlight: c.max_in_flight,
      connect: async () => {
        up = true
      },
      connected: () => up,
      close: async () => {},
      write: async (batch) => writeSync(batch),
      ...(c.sync ? { writeSync } : {}),
    }
  },
})

/** Acks seen by `acking` inputs, per name: `ok` or the error text. */
export const acks = new Map<string, string[]>()
/** Reads, acks (as in `acks`) and writes of an `acking` input and a `capture` output of one name, in order. */
export const events = new Map<string, string[]>()

export const ackingInput = defineComponent({
  kind: 'input',
  name: 'acking',
  config: f.object('', [f.string('name'), f.array(f.string('messages', { default: [] }))]),
  build: (conf): Input => {
    const c = conf as { name: string; messages: string[] }
    const seen: string[] = []
    const log: string[] = []
    acks.set(c.name, seen)
    events.set(c.name, log)
    const queue = [...c.messages]
    return {
      connect: async () => {},
      connected: () => true,
      close: async () => {},
      async read() {
        const next = queue.shift()
        if (next === undefined) return END_OF_INPUT
        log.push(`read:${next}`)
        return {
          batch: [new Message(next)],
          ack: (err) => {
            const a = err ? `${next}:${err.message}` : `${next}:ok`
            seen.push(a)
            log.push(`ack:${a}`)
          },
        }
      },
    }
  },
})

export const TEST_SPECS = [captureOutput, ackingInput]
