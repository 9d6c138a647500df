/**
 * `nats` input (the reference's nats `input.go`): a core NATS subscription, in a queue group when
 * `queue` is set (then each message reaches one of the group's subscribers, on whichever host).
 * Messages wait in a queue of at most `prefetch_count`; beyond that they are dropped, as a slow
 * consumer's are in the reference. A message with a reply subject gets `+ACK` once delivered
 * (`send_ack`) or `-NAK` when it failed.
 */
import type { Msg, Subscription } from '@nats-io/transport-node'
import { Message } from '../../message/message.js'
import type { Value } from '../../value/index.js'
import { defineComponent, f, NotConnectedError, type ComponentContext, type Input, type ReadResult } from '../../spec/index.js'
import { abortError } from '../../util/channel.js'
import { durationField } from '../shared/durations.js'
import { invalid } from '../shared/field-error.js'
import { connectionHeadFields, connectionTailFields, natsConnectionOptions, NatsLink, type NatsConnectionOptions } from './connection.js'
import { headersInto } from './metadata.js'

/** How long a connect waits for the client's own reconnect before failing (and being retried). */
const RECONNECT_WAIT_MS = 10_000

/** nats.go's default pending message limit of a subscription. */
const DEFAULT_PREFETCH = 512 * 1024

const config = f.object('', [
  ...connectionHeadFields,
  f.string('subject', { description: 'A subject to consume from. Supports wildcards for consuming multiple subjects.' }),
  f.string('queue', { optional: true, description: 'An optional queue group to consume as.' }),
  f.bool('auto_replay_nacks', { default: true, description: 'Whether messages that are rejected (nacked) at the output level should be automatically replayed indefinitely.' }),
  f.bool('send_ack', { default: true, description: 'Control whether ACKS are sent as a reply to each message, once the data has been delivered to all outputs.' }),
  f.duration('nak_delay', { optional: true, advanced: true, description: 'An optional delay duration on redelivering a message when negatively acknowledged.' }),
  f.int('prefetch_count', { default: DEFAULT_PREFETCH, advanced: true, description: 'The maximum number of messages to pull at a time.' }),
  ...connectionTailFields,
])

interface Settings {
  conn: NatsConnectionOptions
  subject: string
  queue: string
  sendAck: boolean
  nakDelayMs: number
  prefetch: number
}

export default defineComponent({
  kind: 'input',
  name: 'nats',
  status: 'stable',
  summary: 'Subscribe to a NATS subject.',
  config,
  build: (c, ctx): Input => {
    if (c.subject === '') throw invalid('subject', 'a subject is required')
    if (!Number.isInteger(c.prefetch_count) || c.prefetch_count < 0) throw invalid('prefetch_count', 'prefetch count must be greater than or equal to zero')
    const s: Settings = {
      conn: natsConnectionOptions(c, ctx.label || `${ctx.stream}.${ctx.path}`),
      subject: c.subject,
      queue: c.queue ?? '',
      sendAck: c.send_ack,
      nakDelayMs: c.nak_delay === undefined ? 0 : durationField('nak_delay', c.nak_delay),
      prefetch: c.prefetch_count,
    }
    return new NatsInput(s, c.auto_replay_nacks, ctx)
  },
})

class NatsInput implements Input {
  readonly replayNacks: boolean
  readonly #s: Settings
  readonly #ctx: ComponentContext
  #link: NatsLink | undefined
  #sub: Subscription | undefined
  readonly #queue: Msg[] = []
  #waiter: (() => void) | undefined
  #dropped = 0

  constructor(s: Settings, replay: boolean, ctx: ComponentContext) {
    this.#s = s
    this.replayNacks = replay
    this.#ctx = ctx
  }

  async connect(signal: AbortSignal): Promise<void> {
    // The client reconnects (and resubscribes) by itself: after an outage connect waits for it.
    if (this.#sub && this.#link && !this.#link.closed) return this.#link.waitUp(signal, RECONNECT_WAIT_MS)
    await this.#teardown()
    const link = await NatsLink.open(this.#s.conn, { logger: this.#ctx.logger, metrics: this.#ctx.metrics })
    link.onChange(() => {
      this.#wake()
      for (const w of this.#watchers) w()
    })
    const opts = { callback: (err: Error | null, m: Msg) => (err ? this.#ctx.logger.error(`nats subscription failed: ${err.message}`) : this.#offer(m)) }
    this.#sub = link.nc.subscribe(this.#s.subject, this.#s.queue !== '' ? { ...opts, queue: this.#s.queue } : opts)
    this.#link = link
  }

  #offer(m: Msg): void {
    if (this.#queue.length >= Math.max(this.#s.prefetch, 1) && !this.#waiter) {
      if (this.#dropped++ % 1000 === 0) this.#ctx.logger.warn(`nats input is a slow consumer: dropped ${this.#dropped} messages beyond prefetch_count`)
      return
    }
    this.#queue.push(m)
    this.#wake()
  }

  #wake(): void {
    const w = this.#waiter
    this.#waiter = undefined
    w?.()
  }

  /** Told when the connection goes down or comes back (the engine's status follows). */
  readonly #watchers: (() => void)[] = []

  watchConnection(onChange: () => void): void {
    this.#watchers.push(onChange)
  }

  connected(): boolean {
    return this.#sub !== undefined && this.#link?.up === true
  }

  async read(signal: AbortSignal): Promise<ReadResult> {
    for (;;) {
      const m = this.#queue.shift()
      if (m) return this.#transaction(m)
      const link = this.#link
      if (!link || link.closed || !this.#sub) {
        await this.#teardown()
        throw new NotConnectedError()
      }
      if (!link.up) throw new NotConnectedError('NATS connection lost, the client is reconnecting')
      if (signal.aborted) throw abortError(signal)
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          this.#waiter = undefined
          reject(abortError(signal))
        }
        signal.addEventListener('abort', onAbort, { once: true })
        this.#waiter = () => {
          signal.removeEventListener('abort', onAbort)
          resolve()
        }
      })
    }
  }

  #transaction(m: Msg): ReadResult {
    const link = this.#link
    const msg = new Message(m.data, () => {
      const meta = new Map<string, Value>([
        ['nats_subject', m.subject],
        ['nats_reply_subject', m.reply ?? ''],
      ])
      headersInto(meta, m.headers, false)
      return meta
    })
    return {
      batch: [msg],
      ack: (err) => {
        if (!m.reply || !link || link.closed) return
        try {
          if (err) link.nc.publish(m.reply, this.#s.nakDelayMs > 0 ? `-NAK {"delay": ${this.#s.nakDelayMs * 1_000_000}}` : '-NAK')
          else if (this.#s.sendAck) link.nc.publish(m.reply, '+ACK')
        } catch (e) {
          this.#ctx.logger.warn(`failed to reply to NATS message: ${e instanceof Error ? e.message : String(e)}`)
        }
      },
    }
  }

  async #teardown(): Promise<void> {
    const sub = this.#sub
    const link = this.#link
    this.#sub = undefined
    this.#link = undefined
    sub?.unsubscribe()
    if (link) await link.close().catch(() => undefined)
  }

  async close(): Promise<void> {
    this.#sub?.unsubscribe()
    this.#queue.length = 0
    this.#wake()
    await this.#teardown()
  }
}
