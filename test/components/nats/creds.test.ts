/**
 * `auth.user_credentials_file` end to end: a nats-server in operator mode (operator JWT, accounts
 * preloaded in a memory resolver) made at test time with @nats-io/jwt, and `weir streams` writing
 * through a .creds file (user JWT plus seed). A user of an account the server does not know is
 * refused: its stream stays not ready and the authorization failure is logged for it.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createAccount, createOperator, createUser } from '@nats-io/nkeys'
import { encodeAccount, encodeOperator, encodeUser, fmtCreds } from '@nats-io/jwt'
import { connect, credsAuthenticator } from '@nats-io/transport-node'
import { startHost, tempDir } from '../../helpers/cli-host.js'
import { requireNats, startNatsServer } from '../../helpers/nats-server.js'
import { until } from './support.js'

test('auth: a user credentials file opens an operator-mode server; a user of an unknown account leaves the stream not ready', async (t) => {
  if (!requireNats(t)) return
  const dir = tempDir(t)
  const operator = createOperator()
  const account = createAccount()
  const stranger = createAccount() // signed by the operator, but never given to the server
  // The helper's server runs JetStream, which in operator mode needs a system account.
  const system = createAccount()
  const opJwt = await encodeOperator('weir-test-operator', operator, { system_account: system.getPublicKey() })
  // Unlimited, as nsc makes accounts: the library leaves limits unset, which the server reads as 0.
  const limits = { conn: -1, subs: -1, data: -1, payload: -1, leaf: -1, imports: -1, exports: -1, wildcards: true }
  const accJwt = await encodeAccount('weir-test', account, { limits }, { signer: operator })
  const sysJwt = await encodeAccount('SYS', system, { limits }, { signer: operator })
  const creds = async (name: string, issuer: typeof account): Promise<Uint8Array> => {
    const user = createUser()
    return fmtCreds(await encodeUser(name, user, issuer), user)
  }
  const good = await creds('weir', account)
  writeFileSync(join(dir, 'good.creds'), good)
  writeFileSync(join(dir, 'stranger.creds'), await creds('stranger', stranger))
  writeFileSync(
    join(dir, 'operator.conf'),
    `operator: ${opJwt}\nsystem_account: ${system.getPublicKey()}\nresolver: MEMORY\n` +
      `resolver_preload: {\n  ${account.getPublicKey()}: ${accJwt}\n  ${system.getPublicKey()}: ${sysJwt}\n}\n`,
  )
  const server = await startNatsServer(t, ['-c', join(dir, 'operator.conf')])

  const nc = await connect({ servers: server.url, authenticator: credsAuthenticator(good), maxReconnectAttempts: -1, reconnectTimeWait: 200 }).catch((err: unknown) => {
    throw new Error(`the test's client could not connect: ${String(err)}\n${server.log()}`)
  })
  t.after(() => nc.close())
  const seen = { n: 0 }
  nc.subscribe('creds.out', { callback: () => void seen.n++ })
  await nc.flush()

  const stream = (subject: string, file: string): string => `input:
  generate:
    interval: 100ms
    mapping: 'root = "tick"'
output:
  nats:
    urls: [ ${server.url} ]
    subject: ${subject}
    auth:
      user_credentials_file: ${join(dir, file)}
`
  const h = await startHost(t, { files: { 'good.yaml': stream('creds.out', 'good.creds'), 'stranger.yaml': stream('creds.stranger', 'stranger.creds') } })
  await until('messages through the credentials file', () => seen.n >= 3, 90_000).catch((err: unknown) => {
    throw new Error(`${String(err)} (${seen.n})\n${h.stderr()}${h.stdout()}\n${server.log()}`)
  })
  const notReady = await h.until('/ready names the stream of the unknown account', async () => {
    const r = await h.text('/ready')
    // Polled to the exact set: a stream that connected may blip on a loaded machine, then settle.
    return r.status === 503 && /^streams stranger are not connected/m.test(r.body) ? r.body : undefined
  }, 60_000)
  assert.doesNotMatch(notReady, /good/)
  await h.until('the authorization failure logged for the stream', () => (h.stdout() + h.stderr()).split('\n').some((l) => l.includes('stream=stranger') && /Authorization Violation/i.test(l)), 60_000)
  const seed = /SU[A-Z2-7]{56}/.exec(new TextDecoder().decode(good))![0]
  assert.ok(!(h.stdout() + h.stderr()).includes(seed), 'the seed of a credentials file is never logged')
})
