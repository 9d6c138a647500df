/**
 * `nats_jetstream` output (the reference's nats `output_jetstream.go`): each message is published
 * to its interpolated subject and acknowledged once the stream stored it (the publish ack), so a
 * batch acks upstream only when every message of it is persisted.
 */
import { jetstream, type JetStreamClient } from '@nats-io/jetstream'
import type { Batch } from '../../message/message.js'
import { defineComponent, f, NotConnectedError, type Output } from '../../spec/index.js'
import { checkMaxInFlight, maxInFlightField } from '../shared/max-in-flight.js'
import { connectionHeadFields, connectionTailFields, natsConnectionOptions, type NatsLink } from './connection.js'
import { NatsLinkedOutput } from './linked-output.js'
import { Addressing, headersField, metadataField, subjectField } from './output-fields.js'

export default defineComponent({
  kind: 'output',
  name: 'nats_jetstream',
  status: 'stable',
  summary: 'Write messages to a NATS JetStream subject.',
  config: f.object('', [
    ...connectionHeadFields,
    subjectField,
    headersField,
    metadataField,
    maxInFlightField(1024),
    ...connectionTailFields,
  ]),
  build: (c, ctx): Output => {
    checkMaxInFlight(c.max_in_flight)
    const addressing = new Addressing(c)
    return new JetStreamOutput(natsConnectionOptions(c, ctx.label || `${ctx.stream}.${ctx.path}`), addressing, c.max_in_flight, ctx)
  },
})

class JetStreamOutput extends NatsLinkedOutput implements Output {
  #js: JetStreamClient | undefined

  protected override opened(link: NatsLink): void {
    this.#js = jetstream(link.nc)
  }

  protected override closing(): void {
    this.#js = undefined
  }

  async write(batch: Batch): Promise<void> {
    const js = this.#js
    const link = this.link
    if (!js || !link || !link.up) throw new NotConnectedError()
    await Promise.all(
      batch.map((m, i) => {
        const subject = this.addressing.subject(batch, i)
        const headers = this.addressing.headers(batch, i)
        return js.publish(subject, m.bytes(), headers ? { headers } : {})
      }),
    ).catch((err: unknown) => {
      if (!link.up) throw new NotConnectedError()
      throw err
    })
  }
}
