/**
 * `nats_jetstream` input (the reference's nats `input_jetstream.go`). Every mode reads through a
 * pull consumer, so hosts running the same config share one consumer's messages:
 *
 *   bind: true, stream + durable ─▶ the existing consumer, as configured on the server
 *   durable (or queue)           ─▶ that durable consumer, created when missing
 *   neither                      ─▶ an ephemeral consumer of this input alone
 *
 * Each message is one transaction: acked when the output acked it, nacked (redelivered by the
 * server) when it failed; a message whose host dies unacked is redelivered after `ack_wait`.
 */
import { jetstream, jetstreamManager, AckPolicy, DeliverPolicy, type ConsumerConfig, type ConsumerMessages, type JsMsg, type JetStreamManager } from '@nats-io/jetstream'
import { Message } from '../../message/message.js'
import { defineComponent, f, NotConnectedError, type ComponentContext, type Input, type ReadResult } from '../../spec/index.js'
import { abortError } from '../../util/channel.js'
import { durationField } from '../shared/durations.js'
import { invalid } from '../shared/field-error.js'
import { connectionHeadFields, connectionTailFields, natsConnectionOptions, NatsLink, type NatsConnectionOptions } from './connection.js'
import { jetStreamMetadata } from './metadata.js'

const DOWN: unique symbol = Symbol('nats-down')

const DELIVER = { all: DeliverPolicy.All, last: DeliverPolicy.Last, last_per_subject: DeliverPolicy.LastPerSubject, new: DeliverPolicy.New } as const

const config = f.object('', [
  ...connectionHeadFields,
  f.string('queue', { optional: true, description: 'An optional queue group to consume as: hosts with the same queue share one durable consumer of that name.' }),
  f.string('subject', { optional: true, description: 'A subject to consume from. Supports wildcards for consuming multiple subjects. Either a subject or stream must be specified.' }),
  f.string('durable', { optional: true, description: 'Preserve the state of your consumer under a durable name. Used to configure a pull consumer.' }),
  f.string('stream', { optional: true, description: 'A stream to consume from. Either a subject or stream must be specified.' }),
  f.bool('bind', { optional: true, description: 'Indicates that the subscription should use an existing consumer.' }),
  f.bool('create_stream', { default: false, advanced: true, description: "Whether to automatically create the stream if it doesn't exist (requires the stream field to be set)." }),
  f.string('deliver', {
    default: 'all',
    options: ['all', 'last', 'last_per_subject', 'new'],
    description: 'Determines which messages to deliver when consuming without a durable subscriber.',
  }),
  f.string('ack_wait', { default: '30s', advanced: true, description: 'The maximum amount of time NATS server should wait for an ack from consumer.' }),
  f.int('max_ack_pending', { default: 1024, advanced: true, description: 'The maximum number of outstanding acks to be allowed before consuming is halted.' }),
  ...connectionTailFields,
])

interface Plan {
  conn: NatsConnectionOptions
  subject: string
  stream: string
  durable: string
  bind: boolean
  createStream: boolean
  deliver: (typeof DELIVER)[keyof typeof DELIVER]
  ackWaitMs: number
  maxAckPending: number
}

export default defineComponent({
  kind: 'input',
  name: 'nats_jetstream',
  status: 'stable',
  summary: 'Reads messages from NATS JetStream subjects.',
  config,
  build: (c, ctx): Input => {
    const queue = c.queue ?? ''
    const durable = c.durable ?? ''
    if (queue !== '' && durable !== '') throw invalid('durable', "both 'queue' and 'durable' cannot be set simultaneously")
    const bind = c.bind === true
    const stream = c.stream ?? ''
    const subject = c.subject ?? ''
    if (bind) {
      if (stream === '' || (durable === '' && queue === '')) throw invalid('bind', 'stream and durable are required when bind is true')
    } else if (subject === '' && stream === '') throw invalid('subject', 'subject and stream is empty')
    if (c.create_stream && stream === '') throw invalid('create_stream', 'create_stream requires the stream field to be set')
    const ackWaitMs = c.ack_wait === '' ? 0 : durationField('ack_wait', c.ack_wait)
    if (!Number.isInteger(c.max_ack_pending) || c.max_ack_pending < -1) throw invalid('max_ack_pending', `max_ack_pending must be -1 or more, got ${c.max_ack_pending}`)
    const deliver = DELIVER[c.deliver as keyof typeof DELIVER]
    if (deliver === undefined) throw invalid('deliver', `deliver option ${c.deliver} was not recognised`)
    const plan: Plan = {
      conn: natsConnectionOptions(c, ctx.label || `${ctx.stream}.${ctx.path}`),
      subject,
      stream,
      durable: durable || queue,
      bind,
      createStream: c.create_stream,
      deliver,
      ackWaitMs,
      maxAckPending: c.max_ack_pending,
    }
    return new JetStreamInput(plan, ctx)
  },
})

/** How long a connect waits for the client's own reconnect before failing (and being retried). */
const RECONNECT_WAIT_MS = 10_000

/** Messages pulled ahead per host: enough to keep a pipeline busy, few enough to spread work across hosts. */
const PULL_BATCH = 64

class JetStreamInput implements Input {
  readonly #plan: Plan
  readonly #ctx: ComponentContext
  #link: NatsLink | undefined
  #messages: ConsumerMessages | undefined
  #it: AsyncIterator<JsMsg> | undefined
  /** A pull a read gave up waiting for (aborted); the next read takes its message. */
  #pending: Promise<IteratorResult<JsMsg>> | undefined
  #inFlight = 0
  #closing = false
  /** Ends a waiting read when the connection changes state (set while a read waits). */
  #interrupt: (() => void) | undefined

  constructor(plan: Plan, ctx: ComponentContext) {
    this.#plan = plan
    this.#ctx = ctx
  }

  async connect(signal: AbortSignal): Promise<void> {
    // The client reconnects by itself: after an outage the engine's connect waits for it.
    if (this.#it && this.#link && !this.#link.closed) return this.#link.waitUp(signal, RECONNECT_WAIT_MS)
    await this.#teardown()
    const link = await NatsLink.open(this.#plan.conn, { logger: this.#ctx.logger, metrics: this.#ctx.metrics })
    link.onChange(() => {
      this.#interrupt?.()
      for (const w of this.#watchers) w()
    })
    try {
      const jsm = await jetstreamManager(link.nc)
      const { stream, name } = await this.#consumer(jsm)
      const consumer = await jetstream(link.nc).consumers.get(stream, name)
      const messages = await consumer.consume({ max_messages: this.#plan.maxAckPending > 0 ? Math.min(PULL_BATCH, this.#plan.maxAckPending) : PULL_BATCH })
      this.#link = link
      this.#messages = messages
      this.#it = messages[Symbol.asyncIterator]()
      this.#ctx.logger.info(`Consuming from NATS JetStream stream ${stream} with consumer ${name}`)
    } catch (err) {
      await link.close()
      throw err
    }
  }

  /** Resolves (creating when asked) the stream and the consumer to read. */
  async #consumer(jsm: JetStreamManager): Promise<{ stream: string; name: string }> {
    const p = this.#plan
    let stream = p.stream
    if (stream === '') {
      try {
        stream = await jsm.streams.find(p.subject)
      } catch (err) {
        throw new Error(`no stream matches subject ${p.subject}: ${errText(err)}`)
      }
    } else if (!p.bind) {
      try {
        await jsm.streams.info(stream)
      } catch (err) {
        if (!p.createStream) throw new Error(`stream ${stream} does not exist and create_stream is false: ${errText(err)}`)
        await jsm.streams.add({ name: stream, subjects: [p.subject === '' ? '*' : p.subject] })
        this.#ctx.logger.info(`Created stream ${stream}`)
      }
    }
    if (p.bind) {
      try {
        await jsm.consumers.info(stream, p.durable)
      } catch (err) {
        throw new Error(`consumer ${p.durable} on stream ${stream} does not exist for bind mode: ${errText(err)}`)
      }
      return { stream, name: p.durable }
    }
    const cfg: Partial<ConsumerConfig> = { ack_policy: AckPolicy.Explicit, deliver_policy: p.deliver, max_ack_pending: p.maxAckPending }
    if (p.ackWaitMs > 0) cfg.ack_wait = p.ackWaitMs * 1_000_000
    if (p.subject !== '') cfg.filter_subject = p.subject
    if (p.durable !== '') {
      cfg.durable_name = p.durable
      try {
        await jsm.consumers.info(stream, p.durable)
        return { stream, name: p.durable }
      } catch {
        // Missing: created below. Two hosts creating it at once with one config both succeed.
      }
    } else {
      // An ephemeral consumer outlives a short disconnect, not this input.
      cfg.inactive_threshold = 60_000 * 1_000_000
    }
    const info = await jsm.consumers.add(stream, cfg)
    return { stream, name: info.name }
  }

  /** Told when the connection goes down or comes back (the engine's status follows). */
  readonly #watchers: (() => void)[] = []

  watchConnection(onChange: () => void): void {
    this.#watchers.push(onChange)
  }

  connected(): boolean {
    return this.#it !== undefined && this.#link?.up === true
  }

  async read(signal: AbortSignal): Promise<ReadResult> {
    const it = this.#it
    const link = this.#link
    if (!it || !link || this.#closing) throw new NotConnectedError()
    const pull = (this.#pending ??= it.next())
    const r = await this.#await(pull, link, signal)
    if (r === DOWN) throw new NotConnectedError('NATS connection lost, the client is reconnecting')
    this.#pending = undefined
    if (r.done) {
      await this.#teardown()
      throw new NotConnectedError('NATS JetStream consumer stopped')
    }
    const m = r.value
    const msg = new Message(m.data, () => jetStreamMetadata(m))
    this.#inFlight++
    return {
      batch: [msg],
      ack: (err) => {
        this.#inFlight--
        try {
          if (err) m.nak()
          else m.ack()
        } catch (e) {
          // Unsent acks leave the message to be redelivered after ack_wait.
          this.#ctx.logger.warn(`failed to ${err ? 'nak' : 'ack'} NATS JetStream message: ${errText(e)}`)
        }
      },
    }
  }

  /** `pull`'s result, or DOWN as soon as the connection is not up; the pull stays pending for the next read. */
  #await(pull: Promise<IteratorResult<JsMsg>>, link: NatsLink, signal: AbortSignal): Promise<IteratorResult<JsMsg> | typeof DOWN> {
    if (!link.up) return Promise.resolve(DOWN)
    return new Promise((resolve, reject) => {
      let settled = false
      const settle = (): boolean => {
        if (settled) return false
        settled = true
        if (this.#interrupt === interrupt) this.#interrupt = undefined
        signal.removeEventListener('abort', onAbort)
        return true
      }
      const onAbort = (): void => {
        if (settle()) reject(abortError(signal))
      }
      const interrupt = (): void => {
        if (!link.up && settle()) resolve(DOWN)
      }
      this.#interrupt = interrupt
      signal.addEventListener('abort', onAbort, { once: true })
      if (signal.aborted) return onAbort()
      pull.then(
        (r) => {
          if (settle()) resolve(r)
        },
        (err: unknown) => {
          if (settle()) reject(err instanceof Error ? err : new Error(String(err)))
        },
      )
    })
  }

  async #teardown(): Promise<void> {
    const messages = this.#messages
    const link = this.#link
    this.#messages = undefined
    this.#it = undefined
    this.#pending = undefined
    this.#link = undefined
    if (messages) await messages.close().catch(() => undefined)
    if (link) await link.close().catch(() => undefined)
  }

  async close(): Promise<void> {
    this.#closing = true
    // Stop pulling, then give in-flight transactions a moment to send their acks before the
    // connection goes; any left are redelivered by the server after ack_wait.
    await this.#messages?.close().catch(() => undefined)
    const deadline = Date.now() + 5_000
    while (this.#inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    await this.#teardown()
  }
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
