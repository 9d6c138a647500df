/**
 * Several Weir hosts running the same stream config share one JetStream durable consumer (the
 * reference's `stream` + `durable` + `bind: true`) or one core NATS queue group: each message is
 * processed once across hosts and the work spreads; a host SIGKILLed with messages unacked has
 * them redelivered to the others after `ack_wait`.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost, type RunningHost } from '../../helpers/cli-host.js'
import { requireNats, startNatsServer } from '../../helpers/nats-server.js'
import { natsClient, until } from './support.js'

const sharedConfig = (url: string): string => `input:
  nats_jetstream:
    urls: [ ${url} ]
    stream: WORK
    durable: weir
    bind: true
pipeline:
  processors:
    - sleep:
        duration: '\${! env("WEIR_TEST_SLOW").or("0s") }'
    - mapping: |
        root.id = content().string()
        root.host = env("WEIR_TEST_HOST")
        root.delivered = meta("nats_num_delivered")
output:
  nats_jetstream:
    urls: [ ${url} ]
    subject: done.\${! env("WEIR_TEST_HOST") }
`

interface Done {
  id: string
  host: string
  delivered: string
}

async function hosts(t: Parameters<typeof startHost>[0], url: string, names: string[], slow: Record<string, string> = {}): Promise<RunningHost[]> {
  return Promise.all(
    names.map((name) =>
      startHost(t, { files: { 'work.yaml': sharedConfig(url) }, env: { WEIR_TEST_HOST: name, WEIR_TEST_SLOW: slow[name] ?? '0s' } }),
    ),
  )
}

test('three hosts bind one durable consumer: every message processed once, work spread over all three', async (t) => {
  if (!requireNats(t)) return
  const server = await startNatsServer(t)
  const c = await natsClient(t, server.url)
  await c.stream('WORK', ['work.>'])
  await c.stream('DONE', ['done.>'])
  await c.durable('WORK', 'weir', 3000)
  const hs = await hosts(t, server.url, ['a', 'b', 'c'])
  // Every host has a pull request waiting before anything is published.
  await until('three hosts pulling from the consumer', async () => (await c.consumer('WORK', 'weir')).num_waiting >= 3, 90_000).catch((err: unknown) => {
    throw new Error(`${String(err)}\n${hs.map((h) => h.stderr()).join('\n')}`)
  })
  const N = 300
  for (let i = 0; i < N; i++) await c.publish(`work.${i % 7}`, `w${i}`)
  const got = await c.readAll('DONE', N, 120_000)
  const done = got.map((m) => JSON.parse(m.body) as Done)
  assert.equal(done.length, N)
  assert.deepEqual(done.map((d) => d.id).sort(), Array.from({ length: N }, (_, i) => `w${i}`).sort(), 'each message exactly once across the hosts')
  const split: Record<string, number> = {}
  for (const d of done) split[d.host] = (split[d.host] ?? 0) + 1
  process.stderr.write(`split of ${N} messages over three hosts: ${JSON.stringify(split)}\n`)
  for (const name of ['a', 'b', 'c']) assert.ok((split[name] ?? 0) > 0, `host ${name} took a share: ${JSON.stringify(split)}`)
  await until('all acked', async () => (await c.consumer('WORK', 'weir')).num_ack_pending === 0)
})

test('a host SIGKILLed with unacked messages: the other host finishes them after ack_wait', async (t) => {
  if (!requireNats(t)) return
  const server = await startNatsServer(t)
  const c = await natsClient(t, server.url)
  await c.stream('WORK', ['work.>'])
  await c.stream('DONE', ['done.>'])
  await c.durable('WORK', 'weir', 2000)
  // Host "stuck" holds what it pulls (its pipeline sleeps an hour); host "b" works normally.
  const [stuck] = await hosts(t, server.url, ['stuck'], { stuck: '1h' })
  await until('the stuck host pulling', async () => (await c.consumer('WORK', 'weir')).num_waiting >= 1, 90_000)
  const N = 100
  for (let i = 0; i < N; i++) await c.publish('work.x', `w${i}`)
  const held = await until('the stuck host holding messages unacked', async () => {
    const info = await c.consumer('WORK', 'weir')
    return info.num_ack_pending > 0 ? info.num_ack_pending : undefined
  }, 60_000)
  const [b] = await hosts(t, server.url, ['b'])
  // b finishes everything the stuck host did not take (redeliveries of its share are possible
  // already, ack_wait being short; either way nothing is lost).
  await until('b done with the rest', async () => (await c.readAll('DONE', 1, 1000)).length >= 1, 90_000).catch((err: unknown) => {
    throw new Error(`${String(err)}\n${b!.stderr()}`)
  })
  stuck!.proc.kill('SIGKILL')
  await stuck!.exited
  const got = await c.readAll('DONE', N, 120_000)
  const done = got.map((m) => JSON.parse(m.body) as Done)
  const ids = new Set(done.map((d) => d.id))
  assert.equal(ids.size, N, `every message done once the stuck host died (held ${held}); missing: ${Array.from({ length: N }, (_, i) => `w${i}`).filter((id) => !ids.has(id)).join(',')}`)
  assert.ok(done.every((d) => d.host === 'b'), 'only b ever wrote (the stuck host never acked)')
  assert.ok(done.some((d) => Number(d.delivered) > 1), 'some messages came as redeliveries (nats_num_delivered > 1)')
  await until('all acked', async () => {
    const info = await c.consumer('WORK', 'weir')
    return info.num_ack_pending === 0 && info.num_pending === 0
  }, 60_000)
})

test('core nats queue group over two hosts: each message processed by one of them, both take a share', async (t) => {
  if (!requireNats(t)) return
  const server = await startNatsServer(t)
  const c = await natsClient(t, server.url)
  const yaml = `input:
  nats:
    urls: [ ${server.url} ]
    subject: q.in
    queue: weir
pipeline:
  processors:
    - mapping: 'root = content().string() + " " + env("WEIR_TEST_HOST")'
output:
  nats:
    urls: [ ${server.url} ]
    subject: q.out
`
  const seen = c.collect('q.out')
  await Promise.all(['a', 'b'].map((name) => startHost(t, { files: { 'q.yaml': yaml }, env: { WEIR_TEST_HOST: name } })))
  // Core NATS keeps nothing for absent subscribers: probe until both hosts answered one.
  await until('both hosts subscribed', () => {
    c.nc.publish('q.in', 'probe')
    return seen.includes('probe a') && seen.includes('probe b')
  }, 90_000)
  seen.length = 0
  const N = 200
  for (let i = 0; i < N; i++) c.nc.publish('q.in', `m${i}`)
  await until(`${N} messages through`, () => seen.filter((s) => !s.startsWith('probe')).length >= N)
  const real = seen.filter((s) => !s.startsWith('probe'))
  assert.deepEqual(real.map((s) => s.split(' ')[0]).sort(), Array.from({ length: N }, (_, i) => `m${i}`).sort())
  const a = real.filter((s) => s.endsWith(' a')).length
  process.stderr.write(`queue group split of ${N}: a=${a} b=${N - a}\n`)
  assert.ok(a > 0 && a < N, `both hosts took a share (a=${a}, b=${N - a})`)
})
