/**
 * `nats` output (the reference's nats `output.go`): core NATS publish to the interpolated subject.
 * Core NATS has no delivery acknowledgement: a write is done once the client took the message
 * (flushed to the socket in the background, or buffered while reconnecting).
 */
import type { Batch } from '../../message/message.js'
import { defineComponent, f, NotConnectedError, type Output } from '../../spec/index.js'
import { checkMaxInFlight, maxInFlightField } from '../shared/max-in-flight.js'
import { connectionHeadFields, connectionTailFields, natsConnectionOptions } from './connection.js'
import { NatsLinkedOutput } from './linked-output.js'
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
    maxInFlightField(64),
    ...connectionTailFields,
  ]),
  build: (c, ctx): Output => {
    checkMaxInFlight(c.max_in_flight)
    return new NatsOutput(natsConnectionOptions(c, ctx.label || `${ctx.stream}.${ctx.path}`), new Addressing(c), c.max_in_flight, ctx)
  },
})

class NatsOutput extends NatsLinkedOutput implements Output {
  async write(batch: Batch): Promise<void> {
    this.writeSync(batch)
  }

  writeSync(batch: Batch): void {
    const link = this.link
    if (!link || !link.up) throw new NotConnectedError()
    for (const [i, m] of batch.entries()) {
      const headers = this.addressing.headers(batch, i)
      try {
        link.nc.publish(this.addressing.subject(batch, i), m.bytes(), headers ? { headers } : undefined)
      } catch (err) {
        if (!link.up) throw new NotConnectedError()
        throw err
      }
    }
  }
}
