/**
 * The NATS components on one Weir host against a real nats-server: `nats_jetstream` in and out
 * with the reference's metadata, headers and subject interpolation, every message acked; core
 * `nats` in (queue group) and out; user/password and nkey auth against servers requiring them;
 * config errors located at their field.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startHost } from '../../helpers/cli-host.js'
import { requireNats, startNatsServer } from '../../helpers/nats-server.js'
import { natsClient, ticker, until } from './support.js'

test('nats_jetstream -> mapping -> nats_jetstream: every message once, with metadata and headers, all acked', async (t) => {
  if (!requireNats(t)) return
  const server = await startNatsServer(t)
  const c = await natsClient(t, server.url)
  await c.stream('IN', ['in.>'])
  await c.stream('OUT', ['out.>'])
  const N = 20
  for (let i = 0; i < N; i++) await c.publish(i % 2 ? 'in.b' : 'in.a', `m${i}`, { 'X-Trace': `t${i}` })

  const yaml = `input:
  nats_jetstream:
    urls: [ ${server.url} ]
    subject: in.>
    durable: weir_single
    ack_wait: 3s
pipeline:
  processors:
    - mapping: |
        root.body = content().string().uppercase()
        root.subject = meta("nats_subject")
        root.seq = meta("nats_sequence_stream")
        root.cseq = meta("nats_sequence_consumer")
        root.delivered = meta("nats_num_delivered")
        root.consumer = meta("nats_consumer")
        root.has_ts = meta("nats_timestamp_unix_nano").number() > 0
        root.trace = meta("X-Trace")
output:
  nats_jetstream:
    urls: [ ${server.url} ]
    subject: out.\${! meta("nats_subject").split(".").index(1) }
    headers:
      X-From: weir
    metadata:
      include_prefixes: [ "X-" ]
`
  const h = await startHost(t, { files: { 'js.yaml': yaml } })
  const got = await c.readAll('OUT', N, 90_000)
  assert.equal(got.length, N, `all ${N} messages written to OUT; host stderr:\n${h.stderr()}`)
  const bodies = got.map((m) => JSON.parse(m.body) as Record<string, unknown>).sort((a, b) => Number(a.seq) - Number(b.seq))
  for (const [i, b] of bodies.entries()) {
    assert.deepEqual(b, {
      body: `M${i}`,
      subject: i % 2 ? 'in.b' : 'in.a',
      seq: String(i + 1),
      cseq: b.cseq,
      delivered: '1',
      consumer: 'weir_single',
      has_ts: true,
      trace: `t${i}`,
    })
  }
  for (const m of got) {
    const b = JSON.parse(m.body) as { subject: string; trace: string }
    assert.equal(m.subject, b.subject.replace('in.', 'out.'))
    assert.equal(m.headers['X-From'], 'weir')
    assert.equal(m.headers['X-Trace'], b.trace)
  }
  // Acks follow the output's acks: nothing left pending or unacked on the consumer.
  await until('every message acked', async () => {
    const info = await c.consumer('IN', 'weir_single')
    return info.num_ack_pending === 0 && info.num_pending === 0 && info.ack_floor.stream_seq === N
  })
  // The connection's state is in the metrics (workers report them periodically: poll).
  await h.until('nats_connection_up 1 and the received count in /metrics', async () => {
    const body = (await h.text('/metrics')).body
    return /nats_connection_up\{[^}]*path="root.input"[^}]*\} 1/.test(body) && new RegExp(`input_received\\{[^}]*\\} ${N}\\n`).test(body)
  }, 60_000)
})

test('core nats: a queue-group subscriber republishes each message with its metadata', async (t) => {
  if (!requireNats(t)) return
  const server = await startNatsServer(t)
  const c = await natsClient(t, server.url)
  const yaml = `input:
  nats:
    urls: [ ${server.url} ]
    subject: core.in.*
    queue: weir
pipeline:
  processors:
    - mapping: 'root = content().string() + " via " + meta("nats_subject") + " " + meta("X-Id").or("-")'
output:
  nats:
    urls: [ ${server.url} ]
    subject: core.out
`
  const seen = c.collect('core.out')
  const h = await startHost(t, { files: { 'core.yaml': yaml } })
  // Core NATS keeps nothing for absent subscribers: probe until Weir's subscription is live.
  await until('the nats input subscribed', () => {
    c.nc.publish('core.in.probe', 'probe')
    return seen.some((s) => s.startsWith('probe via core.in.probe'))
  }, 90_000).catch((err: unknown) => {
    throw new Error(`${String(err)}\n${h.stderr()}`)
  })
  const hdrs = (await import('@nats-io/transport-node')).headers()
  hdrs.set('X-Id', 'abc')
  for (let i = 0; i < 10; i++) c.nc.publish('core.in.x', `m${i}`, { headers: hdrs })
  await until('ten messages through', () => seen.filter((s) => !s.startsWith('probe')).length >= 10)
  assert.deepEqual(
    seen.filter((s) => !s.startsWith('probe')),
    Array.from({ length: 10 }, (_, i) => `m${i} via core.in.x abc`),
  )
})

test('config errors are located: bind without durable, queue with durable, no subject nor stream', async (t) => {
  const h = await startHost(t)
  const cases: [string, string, RegExp][] = [
    ['bind', 'input:\n  nats_jetstream:\n    urls: [ nats://127.0.0.1:1 ]\n    stream: S\n    bind: true\noutput:\n  drop: {}\n', /stream and durable are required when bind is true/],
    ['both', 'input:\n  nats_jetstream:\n    urls: [ nats://127.0.0.1:1 ]\n    subject: a\n    queue: q\n    durable: d\noutput:\n  drop: {}\n', /both 'queue' and 'durable' cannot be set simultaneously/],
    ['none', 'input:\n  nats_jetstream:\n    urls: [ nats://127.0.0.1:1 ]\noutput:\n  drop: {}\n', /subject and stream is empty/],
    ['auth', 'input:\n  nats:\n    urls: [ nats://127.0.0.1:1 ]\n    subject: a\n    auth:\n      token: x\n      user: u\n      password: p\noutput:\n  drop: {}\n', /multiple auth methods configured \(token, user\+password\)/],
    ['nkey', 'output:\n  nats:\n    urls: [ nats://127.0.0.1:1 ]\n    subject: a\n    auth:\n      nkey: SUNOTASEED\ninput:\n  generate:\n    mapping: root = 1\n', /invalid nkey user seed/],
  ]
  for (const [id, body, want] of cases) {
    const r = await h.text(`/streams/${id}`, { method: 'POST', body })
    assert.equal(r.status, 502, `${id}: ${r.body}`)
    assert.match(r.body, want, id)
    assert.match(r.body, /(input|output)\.nats(_jetstream)?/, `${id} names the component's path: ${r.body}`)
  }
})

test('auth: user/password and nkey seed connect to servers that require them; a wrong password leaves the stream not ready', async (t) => {
  if (!requireNats(t)) return
  const { createUser } = await import('@nats-io/nkeys')
  const { connect, nkeyAuthenticator } = await import('@nats-io/transport-node')
  const kp = createUser()
  const seed = new TextDecoder().decode(kp.getSeed())
  const dir = mkdtempSync(join(tmpdir(), 'weir-nats-auth-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const conf = join(dir, 'nkey.conf')
  writeFileSync(conf, `authorization { users = [ { nkey: ${kp.getPublicKey()} } ] }\n`)
  const withPass = await startNatsServer(t, ['--user', 'weir', '--pass', 's3cret'])
  const withNkey = await startNatsServer(t, ['-c', conf])

  const stream = (url: string, auth: string): string => ticker(url, 'auth.out', `    auth:\n${auth}\n`)
  const seen = { pass: 0, nkey: 0 }
  const passClient = await connect({ servers: withPass.url, user: 'weir', pass: 's3cret' })
  const nkeyClient = await connect({ servers: withNkey.url, authenticator: nkeyAuthenticator(kp.getSeed()) })
  t.after(async () => {
    await passClient.close()
    await nkeyClient.close()
  })
  passClient.subscribe('auth.out', { callback: () => void seen.pass++ })
  nkeyClient.subscribe('auth.out', { callback: () => void seen.nkey++ })
  await passClient.flush()
  await nkeyClient.flush()

  const h = await startHost(t, {
    files: {
      'pass.yaml': stream(withPass.url, '      user: weir\n      password: s3cret'),
      'nkey.yaml': stream(withNkey.url, `      nkey: ${seed}`),
      'wrong.yaml': stream(withPass.url, '      user: weir\n      password: nope'),
    },
  })
  await until('messages through both authenticated connections', () => seen.pass >= 3 && seen.nkey >= 3, 90_000).catch((err: unknown) => {
    throw new Error(`${String(err)} (${JSON.stringify(seen)})\n${h.stderr()}${h.stdout()}`)
  })
  const ready = await h.until('/ready names the stream with the wrong password', async () => {
    const r = await h.text('/ready')
    return r.status === 503 && r.body.includes('wrong') ? r.body : undefined
  }, 60_000)
  assert.doesNotMatch(ready, /pass|nkey/)
  await h.until('the authorization failure logged', () => /Authorization Violation/i.test(h.stdout() + h.stderr()), 60_000)
})
