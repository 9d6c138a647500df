// Baseline for the nats scenario: the nats_jetstream -> mapping -> nats_jetstream stream written
// as a plain @nats-io client script in one process, the way a user would without Weir:
//   node nats-client-pipeline.mjs <url> <stream> <durable> <out subject>
// Reads the bound durable pull consumer, applies the same transform as the stream's mapping, publishes
// to the output subject and acks each message once its publish was acknowledged (at least once, as
// the stream does). Up to 1024 publishes in flight (the output's max_in_flight). Prints "ready" once
// consuming; runs until killed.
import { connect } from '@nats-io/transport-node'
import { jetstream } from '@nats-io/jetstream'

const [url, stream, durable, outSubject] = process.argv.slice(2)
const nc = await connect({ servers: url })
const js = jetstream(nc)
const consumer = await js.consumers.get(stream, durable)
const messages = await consumer.consume({ max_messages: 64 })
const encoder = new TextEncoder()
const decoder = new TextDecoder()
const transform = (bytes) => {
  const d = JSON.parse(decoder.decode(bytes))
  return encoder.encode(JSON.stringify({ id: d.id, body: d.body.toUpperCase() }))
}
let inFlight = 0
let wake
console.log('ready')
for await (const m of messages) {
  while (inFlight >= 1024) await new Promise((r) => (wake = r))
  inFlight++
  js.publish(outSubject, transform(m.data)).then(
    () => m.ack(),
    () => m.nak(),
  ).finally(() => {
    inFlight--
    wake?.()
  })
}
