/** `--config-kv` URLs: what is parsed, and that a password or token never shows in `display` or an error. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseConfigKvUrl } from '../../src/supervisor/config-bucket.js'

test('user and password, or a lone token, are parsed and masked in the display form', () => {
  const withPass = parseConfigKvUrl('nats://weir:s3cret@127.0.0.1:4333/configs')
  assert.ok(withPass.ok)
  assert.deepEqual(withPass.address, { server: '127.0.0.1:4333', bucket: 'configs', display: 'nats://weir:***@127.0.0.1:4333/configs', user: 'weir', pass: 's3cret' })
  const withToken = parseConfigKvUrl('nats://t0ken-s3cret@127.0.0.1/configs')
  assert.ok(withToken.ok)
  assert.deepEqual(withToken.address, { server: '127.0.0.1:4222', bucket: 'configs', display: 'nats://***@127.0.0.1:4222/configs', token: 't0ken-s3cret' })
})

test('a refused URL is named with its user info masked', () => {
  const r = parseConfigKvUrl('http://weir:s3cret@127.0.0.1:4222/configs')
  assert.ok(!r.ok)
  assert.equal(r.error.message, '--config-kv "http://***@127.0.0.1:4222/configs": scheme must be nats://, not http://')
  const noBucket = parseConfigKvUrl('nats://t0ken@127.0.0.1:4222/')
  assert.ok(!noBucket.ok)
  assert.equal(noBucket.error.message, '--config-kv "nats://***@127.0.0.1:4222/": no bucket name after the host')
})
