/**
 * NATS components held by wrappers still report their connection: with the NATS link inside a
 * `fallback` output, a `broker` output (fan_out: each child behind an indefinite retry) and a
 * `broker` input, `/ready` names each stream while the nats-server is stopped and is 200 again
 * once it is back on the same port, as it is for a NATS component at the top of a stream; and the
 * same through input and output resources, whose connection the main thread tells the workers.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../../helpers/cli-host.js'
import { requireNats, startNatsServer } from '../../helpers/nats-server.js'
import { natsClient } from './support.js'

const STREAMS = ['bi', 'bo', 'fb']

test('NATS inside fallback and broker: /ready follows the server going away and coming back', async (t) => {
  if (!requireNats(t)) return
  const server = await startNatsServer(t)
  const c = await natsClient(t, server.url)
  await c.stream('OUT', ['out.>'])
  const ticks = `  generate:
    interval: 100ms
    mapping: 'root = "tick"'
`
  const h = await startHost(t, {
    files: {
      'fb.yaml': `input:
${ticks}output:
  fallback:
    - nats_jetstream:
        urls: [ ${server.url} ]
        subject: out.fb
    - drop: {}
`,
      'bo.yaml': `input:
${ticks}output:
  broker:
    pattern: fan_out
    outputs:
      - nats:
          urls: [ ${server.url} ]
          subject: out.bo
      - drop: {}
`,
      'bi.yaml': `input:
  broker:
    inputs:
      - nats:
          urls: [ ${server.url} ]
          subject: in.bi
      - generate:
          interval: 1s
          mapping: 'root = "tick"'
output:
  drop: {}
`,
    },
  })
  const ready = async (): Promise<{ status: number; body: string }> => h.text('/ready')
  const explain = async (err: unknown): Promise<never> => {
    throw new Error(`${String(err)}: ${(await ready()).body}\n${h.stderr()}${h.stdout()}`)
  }

  await h.until('/ready 200 once the wrapped NATS links are up', async () => (await ready()).status === 200, 60_000).catch(explain)
  const delivered = c.collect('out.bo')
  await h.until('the broker output publishing', () => delivered.length >= 3, 30_000).catch(explain)

  await server.stop()
  const down = await h.until('/ready 503 naming every stream during the outage', async () => {
    const r = await ready()
    return r.status === 503 && STREAMS.every((s) => new RegExp(`\\b${s}\\b`).test(r.body)) ? r.body : undefined
  }, 60_000).catch(explain)
  assert.match(down, /^streams bi, bo, fb are not connected\n$/)
  const streamState = await h.json<{ state: string }>('/streams/fb')
  assert.equal(streamState.body.state, 'running', 'an outage is not a stream failure')

  await server.start()
  await h.until('/ready 200 after the restart', async () => (await ready()).status === 200, 90_000).catch(explain)
})

test('NATS input and output resources: streams using them, directly or inside fallback, follow the server in /ready', async (t) => {
  if (!requireNats(t)) return
  const server = await startNatsServer(t)
  const c = await natsClient(t, server.url)
  const h = await startHost(t, {
    files: {
      'resources.yaml': `input_resources:
  - label: nats_in
    nats:
      urls: [ ${server.url} ]
      subject: in.res
output_resources:
  - label: nats_out
    nats:
      urls: [ ${server.url} ]
      subject: out.res
`,
      'streams/ri.yaml': `input:
  resource: nats_in
output:
  drop: {}
`,
      'streams/ro.yaml': `input:
  generate:
    interval: 100ms
    mapping: 'root = "tick"'
output:
  fallback:
    - resource: nats_out
    - drop: {}
`,
    },
    args: ['-r', '{dir}/resources.yaml', '{dir}/streams'],
  })
  const ready = async (): Promise<{ status: number; body: string }> => h.text('/ready')
  const explain = async (err: unknown): Promise<never> => {
    throw new Error(`${String(err)}: ${(await ready()).body}\n${h.stderr()}${h.stdout()}`)
  }
  const delivered = c.collect('out.res')
  await h.until('the output resource publishing', () => delivered.length >= 3, 60_000).catch(explain)
  await h.until('/ready 200 with both resources connected', async () => (await ready()).status === 200, 60_000).catch(explain)

  await server.stop()
  const down = await h.until('/ready 503 naming both streams during the outage', async () => {
    const r = await ready()
    return r.status === 503 && /\bri\b/.test(r.body) && /\bro\b/.test(r.body) ? r.body : undefined
  }, 60_000).catch(explain)
  assert.match(down, /^streams ri, ro are not connected\n$/)

  await server.start()
  await h.until('/ready 200 after the restart', async () => (await ready()).status === 200, 90_000).catch(explain)
})
