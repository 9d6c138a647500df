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
