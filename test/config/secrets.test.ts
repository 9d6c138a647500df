import { test } from 'node:test'
import assert from 'node:assert/strict'
import { defaultRegistry } from '../../src/components/registry.js'
import { withBuiltins } from '../../src/config/builtin-specs.js'
import { rootFields, streamFields } from '../../src/config/schema.js'
import { SECRET_MARKER, forEachSecret, restoreSecrets, scrubSecrets } from '../../src/config/secrets.js'
import { formatPath } from '../../src/config/yaml.js'

const reg = withBuiltins(defaultRegistry())

const client = <T extends object>(extra: T) => ({ http_client: { url: 'http://127.0.0.1:1/x', ...extra } })

test('the walk finds secrets in arrays, nested component lists and resources, by spec not by key', () => {
  const stream = {
    input: { generate: { mapping: 'root = 1' }, processors: [{ mapping: 'root = "password"' }] },
    output: client({ tls: { client_certs: [{ key: 'k1', password: '' }, { key: '${K2}', password: null }] }, basic_auth: { password: 'pw' } }),
  }
  const found: string[] = []
  forEachSecret(streamFields(reg), stream, reg, (p) => found.push(formatPath(p)))
  assert.deepEqual(found.sort(), [
    'output.http_client.basic_auth.password',
    'output.http_client.tls.client_certs[0].key',
    'output.http_client.tls.client_certs[0].password',
    'output.http_client.tls.client_certs[1].key',
    'output.http_client.tls.client_certs[1].password',
    'output.http_client.url', // a URL field, visited to be checked for credentials
  ])
  const s = scrubSecrets(streamFields(reg), stream, reg)
  assert.deepEqual(s.output.http_client.tls.client_certs, [
    { key: SECRET_MARKER, password: '' },
    { key: '${K2}', password: '' },
  ])
  assert.equal(s.input.processors[0]!.mapping, 'root = "password"', 'a field named like a secret but not marked stays')
  assert.equal(stream.output.http_client.basic_auth.password, 'pw', 'the input is not modified')

  const root = { output_resources: [{ label: 'o', ...client({ oauth2: { client_secret: 'cs' } }) }], http: { basic_auth: { salt: 's' } } }
  const r = scrubSecrets(rootFields(reg), root, reg)
  assert.equal(r.output_resources[0]!.http_client.oauth2.client_secret, SECRET_MARKER)
  assert.equal(r.http.basic_auth.salt, SECRET_MARKER)
})

test('the pre-interpolation source shows ${VAR}; restore puts running values back', () => {
  const running = { output: client({ basic_auth: { password: 'from-env' }, oauth: { consumer_secret: 'lit' } }) }
  const source = { output: client({ basic_auth: { password: '${PW}' }, oauth: { consumer_secret: 'lit' } }) }
  const shown = scrubSecrets(streamFields(reg), running, reg, source)
  assert.equal(shown.output.http_client.basic_auth.password, '${PW}')
  assert.equal(shown.output.http_client.oauth.consumer_secret, SECRET_MARKER)
  const back = restoreSecrets(streamFields(reg), shown, running, reg)
  assert.ok(back.ok)
  assert.equal((back.value as typeof running).output.http_client.oauth.consumer_secret, 'lit')
  const none = restoreSecrets(streamFields(reg), shown, undefined, reg)
  assert.equal(none.ok, false)
  assert.equal(!none.ok && none.error.path, 'output.http_client.oauth.consumer_secret')
})

const nats = (urls: string[]) => ({ nats: { urls, subject: 'x' } })

test('URL fields: a literal credential in the user info scrubs the whole value, as the reference URL scrubber does', () => {
  const url = (u: string): unknown => scrubSecrets(streamFields(reg), { output: { http_client: { url: u } } }, reg).output.http_client.url
  // The reference's own cases (internal/docs field_test.go, TestSecretScrubbing).
  assert.equal(url('tcp://example.com'), 'tcp://example.com')
  assert.equal(url('tcp://admin@example.com'), 'tcp://admin@example.com')
  assert.equal(url('tcp://admin:foo@example.com'), SECRET_MARKER)
  assert.equal(url('tcp://admin:${FOO}@example.com'), 'tcp://admin:${FOO}@example.com')
  assert.equal(url('tcp://admin:@example.com'), 'tcp://admin:@example.com')
  // The user info ends at the authority's last `@`; a path or query holding `@` is not one.
  assert.equal(url('http://ada:p@ss@h/x'), SECRET_MARKER)
  assert.equal(url('http://h/x?u=a:b@c'), 'http://h/x?u=a:b@c')
  assert.equal(url('http://h:8080/${! meta("p") }'), 'http://h:8080/${! meta("p") }')

  // NATS reads a bare user name as a token, and a list item may hold several comma-separated URLs.
  const shown = scrubSecrets(streamFields(reg), { input: nats(['nats://tok3n@h:4222', 'nats://h1:4222,nats://u:pw@h2:4222', 'nats://${TOKEN}@h', 'nats://h:4222']) }, reg)
  assert.deepEqual(shown.input.nats.urls, [SECRET_MARKER, SECRET_MARKER, 'nats://${TOKEN}@h', 'nats://h:4222'])

  const fields = scrubSecrets(streamFields(reg), {
    output: client({ url: 'http://h/x', proxy_url: 'http://p:proxy-pw@proxy:3128', oauth2: { token_url: 'https://id:tok-pw@auth/token' } }),
  }, reg).output.http_client
  assert.deepEqual([fields.url, fields.proxy_url, fields.oauth2.token_url], ['http://h/x', SECRET_MARKER, SECRET_MARKER])
  const root = scrubSecrets(rootFields(reg), { metrics: { prometheus: { push_url: 'http://job:push-pw@gw:9091' } } }, reg)
  assert.equal(root.metrics.prometheus.push_url, SECRET_MARKER)
})

test('URL fields: ${VAR}s are shown as written before interpolation; the marker restores the running URL', () => {
  const running = { input: nats(['nats://weir:from-env@h:4222', 'nats://weir:literal@h:4223']) }
  const source = { input: nats(['nats://weir:${NATS_PASS}@h:4222', 'nats://weir:literal@h:4223']) }
  const shown = scrubSecrets(streamFields(reg), running, reg, source)
  assert.deepEqual(shown.input.nats.urls, ['nats://weir:${NATS_PASS}@h:4222', SECRET_MARKER])
  const whole = scrubSecrets(streamFields(reg), running, reg, { input: nats(['${NATS_URL}', 'nats://weir:literal@h:4223']) })
  assert.deepEqual(whole.input.nats.urls, ['${NATS_URL}', SECRET_MARKER])

  const back = restoreSecrets(streamFields(reg), shown, running, reg)
  assert.ok(back.ok)
  assert.deepEqual((back.value as typeof running).input.nats.urls, ['nats://weir:${NATS_PASS}@h:4222', 'nats://weir:literal@h:4223'])
  const none = restoreSecrets(streamFields(reg), shown, undefined, reg)
  assert.equal(!none.ok && none.error.path, 'input.nats.urls[1]')
})
