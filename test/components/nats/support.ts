/**
 * NATS client side of the NATS tests: a test's own connection to the server, streams and consumers
 * made through it, publishing, and reading what Weir wrote (with deadlines, never sleeps).
 */
import type { TestContext } from 'node:test'
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node'
import { pollUntil, type Probe } from '../../helpers/poll.js'
import { jetstream, jetstreamManager, AckPolicy, DeliverPolicy, type ConsumerInfo, type JetStreamManager } from '@nats-io/jetstream'

export interface Received {
  subject: string
  body: string
  headers: Record<string, string>
}

export interface Client {
  nc: NatsConnection
  jsm: JetStreamManager
  stream(name: string, subjects: string[]): Promise<void>
  durable(stream: string, name: string, ackWaitMs: number): Promise<void>
  consumer(stream: string, name: string): Promise<ConsumerInfo>
  publish(subject: string, body: string, hdrs?: Record<string, string>): Promise<void>
  /** Every message of `stream` (from the start) until `n` arrived or `timeoutMs` passed. */
  readAll(stream: string, n: number, timeoutMs?: number): Promise<Received[]>
  /** The bodies published on core NATS `subject` from now on, until the test ends (core NATS keeps nothing for later). */
  collect(subject: string): string[]
}

export async function natsClient(t: TestContext, url: string): Promise<Client> {
  const nc = await connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 200 })
  t.after(() => nc.close())
  const jsm = await jetstreamManager(nc)
  const js = jetstream(nc)
  return {
    nc,
    jsm,
    async stream(name, subjects) {
      await jsm.streams.add({ name, subjects })
    },
    async durable(stream, name, ackWaitMs) {
      await jsm.consumers.add(stream, { durable_name: name, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, ack_wait: ackWaitMs * 1_000_000, max_ack_pending: 10_000 })
    },
    consumer: (stream, name) => jsm.consumers.info(stream, name),
    collect(subject) {
      const seen: string[] = []
      const sub = nc.subscribe(subject, { callback: (_e, m) => void seen.push(m.string()) })
      t.after(() => sub.unsubscribe())
      return seen
    },
    async publish(subject, body, hdrs) {
      let h
      if (hdrs) {
        h = natsHeaders()
        for (const [k, v] of Object.entries(hdrs)) h.set(k, v)
      }
      await js.publish(subject, body, h ? { headers: h } : {})
    },
    async readAll(stream, n, timeoutMs = 60_000) {
      const out: Received[] = []
      const deadline = Date.now() + timeoutMs
      let seq = 1
      while (out.length < n && Date.now() < deadline) {
        const info = await jsm.streams.info(stream)
        if (info.state.last_seq < seq) {
          await new Promise((r) => setTimeout(r, 100))
          continue
        }
        for (; seq <= info.state.last_seq; seq++) {
          const m = await jsm.streams.getMessage(stream, { seq })
          if (!m) continue
          const headers: Record<string, string> = {}
          for (const k of m.header?.keys() ?? []) headers[k] = m.header!.get(k)
          out.push({ subject: m.subject, body: new TextDecoder().decode(m.data), headers })
        }
      }
      return out
    },
  }
}

/** Polls `fn` until it returns a truthy value, failing with `what` after `timeoutMs`. */
export function until<T>(what: string, fn: Probe<T>, timeoutMs = 60_000): Promise<T> {
  return pollUntil(what, fn, { timeoutMs, intervalMs: 100 })
}

/** A stream that publishes ticks to `subject` on `url` with the given indented `tls`/`auth` lines. */
export function ticker(url: string, subject: string, extra: string): string {
  return `input:
  generate:
    interval: 100ms
    mapping: 'root = "tick"'
output:
  nats:
    urls: [ ${url} ]
    subject: ${subject}
${extra}`
}
