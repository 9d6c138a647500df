/**
 * The NATS server stops mid-stream and comes back on the same port and store: the stream's input
 * and output reconnect by themselves, `/ready` and the metrics show the outage, and every message
 * published (before, or after the restart) reaches the output: none acknowledged is lost.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../../helpers/cli-host.js'
import { requireNats, startNatsServer } from '../../helpers/nats-server.js'
import { natsClient, until } from './support.js'

test('nats-server stopped and restarted: streams reconnect, no acknowledged message lost, the outage visible', async (t) => {
  if (!requireNats(t)) return
  const server = await startNatsServer(t)
  const c = await natsClient(t, server.url)
  await c.stream('IN', ['in.>'])
  await c.stream('OUT', ['out.>'])
  const yaml = `input:
  nats_jetstream:
    urls: [ ${server.url} ]
    stream: IN
    durable: weir
    ack_wait: 2s
pipeline:
  processors:
    - mapping: 'root = content().string().uppercase()'
output:
  nats_jetstream:
    urls: [ ${server.url} ]
    subject: out.x
`
  const h = await startHost(t, { files: { 'o.yaml': yaml } })
  const idsInOut = async (): Promise<Set<string>> => new Set((await c.readAll('OUT', Number.MAX_SAFE_INTEGER, 300)).map((m) => m.body))
  const publish = async (from: number, to: number): Promise<void> => {
    for (let i = from; i < to; i++) await until(`publish m${i}`, () => c.publish('in.x', `m${i}`).then(() => true), 60_000)
  }
  const want = (n: number): string[] => Array.from({ length: n }, (_, i) => `M${i}`)

  await publish(0, 30)
  await until('the first 30 through', async () => (await idsInOut()).size === 30, 90_000).catch((err: unknown) => {
    throw new Error(`${String(err)}\n${h.stderr()}`)
  })
  await h.until('/ready 200', async () => (await h.text('/ready')).status === 200, 60_000)

  await server.stop()
  // Not ready while the server is away, naming the stream.
  const down = await h.until('/ready 503 during the outage', async () => {
    const r = await h.text('/ready')
    return r.status === 503 ? r.body : undefined
  }, 60_000)
  assert.match(down, /o/)

  await server.start()
  await h.until('/ready 200 after the restart', async () => (await h.text('/ready')).status === 200, 90_000).catch(async (err: unknown) => {
    throw new Error(`${String(err)}: ${(await h.text('/ready')).body}\n${h.stderr()}${h.stdout()}`)
  })
  await publish(30, 60)
  const ids = await until('all 60 through after the restart', async () => {
    const s = await idsInOut()
    return s.size >= 60 ? s : undefined
  }, 120_000).catch((err: unknown) => {
    throw new Error(`${String(err)}\n${h.stderr()}`)
  })
  assert.deepEqual([...ids].sort(), want(60).sort())
  await until('every message acked', async () => {
    const info = await c.consumer('IN', 'weir')
    return info.num_ack_pending === 0 && info.num_pending === 0
  }, 60_000)
  // The reconnects and disconnects are counted.
  await h.until('reconnect counted in /metrics', async () => {
    const body = (await h.text('/metrics')).body
    return /nats_connection_reconnects\{[^}]*path="root.input"[^}]*\} [1-9]/.test(body) && /nats_connection_disconnects\{[^}]*path="root.output"[^}]*\} [1-9]/.test(body)
  }, 60_000)
})
