/** Connection fields refused at build time name the URL without the credentials it carries. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { natsConnectionOptions, type ConnectionConf } from '../../../src/components/nats/connection.js'
import { WeirError } from '../../../src/errors.js'

function refusal(urls: string[]): WeirError {
  try {
    natsConnectionOptions({ urls } as ConnectionConf, 'test')
  } catch (err) {
    assert.ok(err instanceof WeirError)
    return err
  }
  assert.fail('the URLs were accepted')
}

test('a bad or unsupported server URL is quoted with its user info masked', () => {
  const bad = refusal(['nats://weir:hunter2@127.0.0.1:99999'])
  assert.equal(bad.data.message, "invalid NATS server URL 'nats://***@127.0.0.1:99999'")
  assert.equal(bad.data.path, 'urls[0]')
  const scheme = refusal(['http://t0ken-s3cret@127.0.0.1:4222'])
  assert.equal(scheme.data.message, "unsupported scheme 'http' in NATS server URL 'http://***@127.0.0.1:4222'")
})
