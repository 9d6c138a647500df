/**
 * Test-only components for the routing tests: an output whose failures and stalls are scripted
 * per message, and an input fed from a test-held queue that records its acks.
 */
import { defineComponent, f, END_OF_INPUT, NotConnectedError, type Input, type Output, type ReadResult } from '../../src/spec/index.js'
import { Message } from '../../src/message/message.js'

export interface Sink {
  /** Text of each message per successful write, in order. */
  batches: string[][]
  /** Text of each message per failed write. */
  failed: string[][]
  /** Metadata value `fallback_error` of each written message ('' when unset). */
  fallbackErrors: string[]
  attempts: number
  /** Writes currently inside the output. */
  inFlight: number
  maxInFlight: number
  /** While set, writes wait on it. */
  hold: Promise<void> | undefined
  /** Fails the next N writes with NotConnectedError. */
  disconnects: number
  closed: number
  connects: number
}

export const sinks = new Map<string, Sink>()

export function sink(name: string): Sink {
  let s = sinks.get(name)
  if (!s) sinks.set(name, (s = { batches: [], failed: [], fallbackErrors: [], attempts: 0, inFlight: 0, maxInFlight: 0, hold: undefined, disconnects: 0, closed: 0, connects: 0 }))
  return s
}

export function texts(name: string): string[] {
  return sink(name).batches.flat()
}

/** Holds writes to `name` until the returned function is called. */
export function hold(name: string): () => void {
  let release!: () => void
  sink(name).hold = new Promise((r) => (release = r))
  return () => {
    sink(name).hold = undefined
    release()
  }
}

export const scriptedOutput = defineComponent({
  kind: 'output',
  name: 'scripted',
  config: f.object('', [
    f.string('name'),
    f.int('fail_first', { default: 0 }),
    f.string('fail_matching', { default: '' }),
    f.string('error', { default: 'boom' }),
    f.int('max_in_flight', { default: 1 }),
  ]),
  build: (c): Output => {
    const s = sink(c.name)
    const matching = c.fail_matching === '' ? undefined : new RegExp(c.fail_matching)
    return {
      maxInFlight: c.max_in_flight,
      connect: async () => void s.connects++,
      connected: () => true,
      close: async () => void s.closed++,
      async write(batch) {
        s.attempts++
        s.inFlight++
        s.maxInFlight = Math.max(s.maxInFlight, s.inFlight)
        try {
          while (s.hold) await s.hold
          if (s.disconnects > 0) {
            s.disconnects--
            throw new NotConnectedError()
          }
          if (s.attempts <= c.fail_first || (matching && batch.some((m) => matching.test(m.text())))) {
            s.failed.push(batch.map((m) => m.text()))
            throw new Error(c.error)
          }
          s.batches.push(batch.map((m) => m.text()))
          for (const m of batch) s.fallbackErrors.push(m.metaString('fallback_error') ?? '')
        } finally {
          s.inFlight--
        }
      },
    }
  },
})

export interface Feed {
  queue: string[][]
  acks: string[]
  ended: boolean
  wake: (() => void) | undefined
  closed: number
}

export const feeds = new Map<string, Feed>()

export function feed(name: string): Feed {
  let q = feeds.get(name)
  if (!q) feeds.set(name, (q = { queue: [], acks: [], ended: false, wake: undefined, closed: 0 }))
  return q
}

/** Queues one batch (or ends the feed with `undefined`). */
export function push(name: string, batch: string[] | undefined): void {
  const q = feed(name)
  if (batch) q.queue.push(batch)
  else q.ended = true
  const w = q.wake
  q.wake = undefined
  w?.()
}

export const feedInput = defineComponent({
  kind: 'input',
  name: 'feed',
  config: f.object('', [f.string('name'), f.array(f.string('messages', { default: [] })), f.bool('end', { default: true })]),
  build: (c): Input => {
    const q = feed(c.name)
    for (const m of c.messages) q.queue.push([m])
    if (c.end && c.messages.length > 0) q.ended = true
    return {
      connect: async () => {},
      connected: () => true,
      close: async () => void q.closed++,
      async read(signal): Promise<ReadResult> {
        for (;;) {
          const next = q.queue.shift()
          if (next) {
            return { batch: next.map((t) => new Message(t)), ack: (err) => q.acks.push(`${next.join('+')}:${err ? err.message : 'ok'}`) }
          }
          if (q.ended) return END_OF_INPUT
          await new Promise<void>((resolve, reject) => {
            const onAbort = (): void => reject(new Error('aborted'))
            signal.addEventListener('abort', onAbort, { once: true })
            q.wake = () => {
              signal.removeEventListener('abort', onAbort)
              resolve()
            }
          })
        }
      },
    }
  },
})

export const ROUTING_SPECS = [scriptedOutput, feedInput]
