/**
 * `nats` output (the reference's nats `output.go`): core NATS publish to the interpolated subject.
 * Core NATS has no delivery acknowledgement: a write is done once the client took the message
 * (flushed to the socket in the background, or buffered while reconnecting).
 */
import type { Batch } from '../../message/message.js'
import { defineComponent, f, NotConnectedError, type ComponentContext, type Output } from '../../spec/index.js'
import { invalid } from '../shared/field-error.js'
import { connectionHeadFields, connectionTailFields, natsConnectionOptions, NatsLink, type NatsConnectionOptions } from './connection.js'
import { Addressing, headersField, metadataField, subjectField } from './output-fields.js'

export default defineComponent({
  kind: 'output',
  name: 'nats',
  status: 'stable',
  summary: 'Publish to an NATS subject.',
  config: f.object('', [
    ...connectionHeadFields,
    subjectField,
    headersField,
    metadataField,
    f.int('max_in_flight', { default: 64, description: 'The maximum number of messages to have in flight at a given time. Increase this to improve throughput.' }),
    ...connectionTailFields,
  ]),
  build: (c, ctx): Output => {
    if (!Number.isInteger(c.max_in_flight) || c.max_in_flight < 1) throw invalid('max_in_flight', `max in flight must be at least 1, got ${c.max_in_flight}`)
    return new NatsOutput(natsConnectionOptions(c, ctx.label || `${ctx.stream}.${ctx.path}`), new Addressing(c), c.max_in_flight, ctx)
  },
})

class NatsOutput implements Output {
  readonly maxInFlight: number
  readonly #conn: NatsConnectionOptions
  readonly #addressing: Addressing
  readonly #ctx: ComponentContext
  #link: NatsLink | undefined

  constructor(conn: NatsConnectionOptions, addressing: Addressing, maxInFlight: number, ctx: ComponentContext) {
    this.#conn = conn
    this.#addressing = addressing
    this.maxInFlight = maxInFlight
    this.#ctx = ctx
  }

  async connect(signal: AbortSignal): Promise<void> {
    // The client reconnects by itself: after an outage the engine's connect waits for it.
    if (this.#link && !this.#link.closed) return this.#link.waitUp(signal, 10_000)
    const link = await NatsLink.open(this.#conn, { logger: this.#ctx.logger, metrics: this.#ctx.metrics })
    link.onChange(() => {
      for (const w of this.#watchers) w()
    })
    this.#link = link
  }

  /** Told when the connection goes down or comes back (the engine's status follows). */
  readonly #watchers: (() => void)[] = []

  watchConnection(onChange: () => void): void {
    this.#watchers.push(onChange)
  }

  connected(): boolean {
    return this.#link?.up === true
  }

  async write(batch: Batch): Promise<void> {
    this.writeSync(batch)
  }

  writeSync(batch: Batch): void {
    const link = this.#link
    if (!link || !link.up) throw new NotConnectedError()
    for (const [i, m] of batch.entries()) {
      const headers = this.#addressing.headers(batch, i)
      try {
        link.nc.publish(this.#addressing.subject(batch, i), m.bytes(), headers ? { headers } : undefined)
      } catch (err) {
        if (!link.up) throw new NotConnectedError()
        throw err
      }
    }
  }

  async close(): Promise<void> {
    const link = this.#link
    this.#link = undefined
    await link?.close()
  }
}
