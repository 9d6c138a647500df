/**
 * Credentials written into URL fields (`nats://user:pass@host`) never leave the host either: the
 * real CLI with NATS streams against a nats-server that requires that user and password, so each
 * echo is checked for scrubbing and each GET -> edit -> PUT/PATCH round trip for the password the
 * stream really connects with (a lost password would leave it unable to publish).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { connect } from '@nats-io/transport-node'
import { startHost, type RunningHost } from '../helpers/cli-host.js'
import { requireNats, startNatsServer } from '../helpers/nats-server.js'

const MARKER = '!!!SECRET_SCRUBBED!!!'
const PASS = 'url-pass-s3cret'
const PROXY_PASS = 'proxy-pass-literal'
const PUSH_PASS = 'push-pass-literal'
const LEAKS = [PASS, PROXY_PASS, PUSH_PASS]

function natsStream(urls: string, subject: string): string {
  return `input:
  generate:
    interval: 50ms
    mapping: 'root = "tick"'
output:
  nats:
    urls: [ ${urls} ]
    subject: ${subject}
`
}

interface NatsBody {
  config: { output: { nats: { urls: string[]; subject: string } } }
}

test('URL credentials are scrubbed in every echo and survive GET -> edit -> PUT/PATCH round trips', async (t) => {
  if (!requireNats(t)) return
  const server = await startNatsServer(t, ['--user', 'weir', '--pass', PASS])
  const nc = await connect({ servers: server.url, user: 'weir', pass: PASS })
  t.after(() => nc.close())
  const seen = new Map<string, number>()
  nc.subscribe('sec.>', { callback: (_e, m) => void seen.set(m.subject, (seen.get(m.subject) ?? 0) + 1) })
  await nc.flush()
  const arrived = (h: RunningHost, subject: string): Promise<true> => {
    const before = seen.get(subject) ?? 0
    return h.until(`messages on ${subject}`, () => (seen.get(subject) ?? 0) >= before + 3 || undefined, 60_000)
  }

  const withPass = `nats://weir:${PASS}@127.0.0.1:${server.port}`
  const h = await startHost(t, {
    files: {
      'weir.yaml': `http:
  debug_endpoints: true
metrics:
  prometheus:
    push_url: http://job:${PUSH_PASS}@127.0.0.1:1
output_resources:
  - label: web
    http_client:
      url: http://127.0.0.1:1/x
      proxy_url: http://proxy:${PROXY_PASS}@127.0.0.1:2
`,
      'streams/lit.yaml': natsStream(withPass, 'sec.lit'),
      'streams/env.yaml': natsStream('"nats://weir:${NATS_PASS}@127.0.0.1:' + server.port + '"', 'sec.env'),
    },
    args: ['-c', '{dir}/weir.yaml', '{dir}/streams'],
    env: { NATS_PASS: PASS },
  })
  await arrived(h, 'sec.lit')
  await arrived(h, 'sec.env')

  await t.test('GET shows the marker for a literal password and the ${VAR} as written', async () => {
    const lit = await h.text('/streams/lit')
    for (const leak of LEAKS) assert.ok(!lit.body.includes(leak), `GET leaked ${leak}: ${lit.body}`)
    assert.deepEqual((JSON.parse(lit.body) as NatsBody).config.output.nats.urls, [MARKER])
    const env = await h.json<NatsBody>('/streams/env')
    assert.deepEqual(env.body.config.output.nats.urls, [`nats://weir:\${NATS_PASS}@127.0.0.1:${server.port}`])
    const list = await h.text('/streams')
    for (const leak of LEAKS) assert.ok(!list.body.includes(leak), `list leaked ${leak}`)
  })

  await t.test('/debug/config scrubs URL fields of the root config and its resources', async () => {
    for (const path of ['/debug/config/json', '/debug/config/yaml']) {
      const r = await h.text(path)
      assert.equal(r.status, 200)
      for (const leak of LEAKS) assert.ok(!r.body.includes(leak), `${path} leaked ${leak}: ${r.body}`)
    }
    const j = await h.json<{ metrics: { prometheus: { push_url: string } }; output_resources: { http_client: { url: string; proxy_url: string } }[] }>('/debug/config/json')
    assert.equal(j.body.metrics.prometheus.push_url, MARKER)
    assert.deepEqual([j.body.output_resources[0]!.http_client.url, j.body.output_resources[0]!.http_client.proxy_url], ['http://127.0.0.1:1/x', MARKER])
  })

  await t.test('PUT of the echoed config keeps the running password', async () => {
    const got = (await h.json<NatsBody>('/streams/lit')).body.config
    got.output.nats.subject = 'sec.put'
    const put = await h.text('/streams/lit', { method: 'PUT', body: JSON.stringify(got) })
    assert.deepEqual([put.status, put.body], [200, ''])
    await arrived(h, 'sec.put')
    assert.deepEqual((await h.json<NatsBody>('/streams/lit')).body.config.output.nats.urls, [MARKER])
  })

  await t.test('PATCH keeps a marker; a marker with nothing to keep is refused', async () => {
    const patch = await h.text('/streams/lit', { method: 'PATCH', body: JSON.stringify({ output: { nats: { urls: [MARKER], subject: 'sec.patch' } } }) })
    assert.deepEqual([patch.status, patch.body], [200, ''])
    await arrived(h, 'sec.patch')
    const fresh = await h.text('/streams/other', { method: 'POST', body: natsStream(`"${MARKER}"`, 'sec.other') })
    assert.equal(fresh.status, 400)
    assert.match(fresh.body, /^Error: field output\.nats\.urls\[0\] holds !!!SECRET_SCRUBBED!!! but the stream has no value to keep there\n$/)
    assert.equal((await h.text('/streams/other')).status, 404)
  })

  await t.test('the streams stayed connected with the real password throughout', async () => {
    await h.until('/ready 200', async () => (await h.text('/ready')).status === 200, 30_000)
    for (const leak of LEAKS) assert.ok(!h.stdout().includes(leak) && !h.stderr().includes(leak), `logs leaked ${leak}`)
  })
})
