/**
 * NATS TLS and token auth end to end: a real nats-server with a throwaway CA made by `openssl` at
 * test time, and `weir streams` writing to it. A stream that trusts the CA delivers; one that does
 * not is held not ready with the certificate error in sight; client certificates pass a server
 * that verifies them; a token opens a server started with `--auth`, a wrong one does not.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { accessSync, constants, readFileSync, writeFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import type { Socket } from 'node:net'
import type { PeerCertificate } from 'node:tls'
import { startHost, tempDir } from '../../helpers/cli-host.js'
import { requireNats, startNatsServer } from '../../helpers/nats-server.js'
import { ticker, until } from './support.js'
import { natsServerIdentity } from '../../../src/components/nats/tls-identity.js'

const OPENSSL_MISSING = 'openssl not found (looked in /usr/bin and $PATH): apt-get install openssl'

function findOpenssl(): string | undefined {
  for (const d of ['/usr/bin', '/usr/local/bin', ...(process.env.PATH ?? '').split(delimiter)]) {
    if (!d) continue
    try {
      accessSync(join(d, 'openssl'), constants.X_OK)
      return join(d, 'openssl')
    } catch {
      // next
    }
  }
  return undefined
}

interface Pki {
  ca: string
  serverCert: string
  serverKey: string
  clientCert: string
  clientKey: string
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA. */
function makePki(bin: string, dir: string): Pki {
  const run = (...args: string[]): void => void execFileSync(bin, args, { cwd: dir, stdio: 'pipe' })
  const key = (name: string): void => run('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', name)
  key('ca.key')
  run('req', '-x509', '-new', '-key', 'ca.key', '-days', '2', '-subj', '/CN=weir test CA', '-out', 'ca.pem')
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n')
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n')
  for (const who of ['server', 'client']) {
    key(`${who}.key`)
    run('req', '-new', '-key', `${who}.key`, '-subj', `/CN=weir test ${who}`, '-out', `${who}.csr`)
    run('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', `${who}.ext`, '-out', `${who}.pem`)
  }
  const p = (f: string): string => join(dir, f)
  return { ca: p('ca.pem'), serverCert: p('server.pem'), serverKey: p('server.key'), clientCert: p('client.pem'), clientKey: p('client.key') }
}


/** Counts what arrives on `subject`, read by the test's own client with the given options. */
async function counter(t: TestContext, opts: Record<string, unknown>, subject: string): Promise<{ n: number }> {
  const { connect } = await import('@nats-io/transport-node')
  const nc = await connect({ ...opts, maxReconnectAttempts: -1, reconnectTimeWait: 200 })
  t.after(() => nc.close())
  const seen = { n: 0 }
  nc.subscribe(subject, { callback: () => void seen.n++ })
  await nc.flush()
  return seen
}

test('tls: a stream trusting the CA delivers; one without it is not ready with the certificate error; client certs pass verify', async (t) => {
  if (!requireNats(t)) return
  const openssl = findOpenssl()
  if (!openssl) {
    process.stderr.write(`\n*** SKIPPED: ${OPENSSL_MISSING}\n`)
    t.skip(OPENSSL_MISSING)
    return
  }
  const dir = tempDir(t)
  const pki = makePki(openssl, dir)
  writeFileSync(join(dir, 'tls.conf'), `tls { cert_file: "${pki.serverCert}", key_file: "${pki.serverKey}" }\n`)
  writeFileSync(join(dir, 'mtls.conf'), `tls { cert_file: "${pki.serverCert}", key_file: "${pki.serverKey}", ca_file: "${pki.ca}", verify: true }\n`)
  const tls = await startNatsServer(t, ['-c', join(dir, 'tls.conf')])
  const mtls = await startNatsServer(t, ['-c', join(dir, 'mtls.conf')])

  const ca = readFileSync(pki.ca, 'utf8')
  const clientCert = readFileSync(pki.clientCert, 'utf8')
  const clientKey = readFileSync(pki.clientKey, 'utf8')
  // The test's client needs the same IP-address check as Weir's (see tls-identity.ts).
  const checkServerIdentity = natsServerIdentity
  const seen = await counter(t, { servers: tls.url, tls: { ca, checkServerIdentity } }, 'tls.out')
  const seenM = await counter(t, { servers: mtls.url, tls: { ca, cert: clientCert, key: clientKey, checkServerIdentity } }, 'mtls.out')

  const h = await startHost(t, {
    files: {
      'trusted.yaml': ticker(tls.url, 'tls.out', `    tls:\n      enabled: true\n      root_cas_file: ${pki.ca}\n`),
      'untrusted.yaml': ticker(tls.url, 'tls.untrusted', '    tls:\n      enabled: true\n'),
      'mutual.yaml': ticker(
        mtls.url,
        'mtls.out',
        `    tls:\n      enabled: true\n      root_cas_file: ${pki.ca}\n      client_certs:\n        - cert_file: ${pki.clientCert}\n          key_file: ${pki.clientKey}\n`,
      ),
      'nocert.yaml': ticker(mtls.url, 'mtls.nocert', `    tls:\n      enabled: true\n      root_cas_file: ${pki.ca}\n`),
    },
  })
  const logs = (): string => `${h.stderr()}${h.stdout()}\n--- tls server:\n${tls.log()}\n--- mtls server:\n${mtls.log()}`
  await until('messages over TLS and mutual TLS', () => seen.n >= 3 && seenM.n >= 3, 90_000).catch((err: unknown) => {
    throw new Error(`${String(err)} (tls ${seen.n}, mtls ${seenM.n})\n${logs()}`)
  })
  const notReady = await h.until('/ready names both streams the servers refuse, and only them', async () => {
    const r = await h.text('/ready')
    // Polled to the exact set: a stream that connected may blip on a loaded machine, then settle.
    return r.status === 503 && notConnected(r.body).join() === 'nocert,untrusted' ? r.body : undefined
  }, 60_000)
  assert.match(notReady, /nocert/)
  // Node's verdict on the server's chain, logged for the stream: what would fix it is a CA.
  await h.until('the certificate error logged for the stream without the CA', () => logLine(h.stdout() + h.stderr(), 'untrusted', /unable to verify the first certificate|self[- ]signed certificate|unable to get local issuer/i), 60_000).catch((err: unknown) => {
    throw new Error(`${String(err)}\n${logs()}`)
  })
  await h.until('the connect failure logged for the stream without a client certificate', () => logLine(h.stdout() + h.stderr(), 'nocert', /Failed to connect to nats/), 60_000)
})

/** The stream names of a 503 /ready body ("streams a, b are not connected"), sorted. */
function notConnected(body: string): string[] {
  const m = /^streams (.*) are not connected/m.exec(body)
  return m ? m[1]!.split(', ').sort() : []
}

/** A log line of stream `id` that matches `re`. */
function logLine(logs: string, id: string, re: RegExp): string | undefined {
  return logs.split('\n').find((l) => l.includes(`stream=${id}`) && re.test(l))
}

test('auth: a token opens a server started with --auth; a wrong token leaves the stream not ready', async (t) => {
  if (!requireNats(t)) return
  const server = await startNatsServer(t, ['--auth', 'tok3n-s3cret'])
  const seen = await counter(t, { servers: server.url, token: 'tok3n-s3cret' }, 'token.out')
  const h = await startHost(t, {
    files: {
      'good.yaml': ticker(server.url, 'token.out', '    auth:\n      token: tok3n-s3cret\n'),
      'wrong.yaml': ticker(server.url, 'token.wrong', '    auth:\n      token: not-the-token\n'),
    },
  })
  await until('messages through the token connection', () => seen.n >= 3, 90_000).catch((err: unknown) => {
    throw new Error(`${String(err)} (${seen.n})\n${h.stderr()}${h.stdout()}\n${server.log()}`)
  })
  const notReady = await h.until('/ready names the stream with the wrong token', async () => {
    const r = await h.text('/ready')
    return r.status === 503 && notConnected(r.body).join() === 'wrong' ? r.body : undefined
  }, 60_000)
  assert.doesNotMatch(notReady, /tok3n|not-the-token/)
  await h.until('the authorization failure logged for the stream', () => logLine(h.stdout() + h.stderr(), 'wrong', /Authorization Violation/i), 60_000)
  assert.doesNotMatch(h.stdout() + h.stderr(), /tok3n-s3cret|not-the-token/, 'tokens are never logged')
})

test('tls identity: an IP-addressed server is checked against the address it is connected to, and a certificate for another address is refused', () => {
  const cert = (altnames: string): PeerCertificate => ({ subject: { CN: 'weir test server' }, subjectaltname: altnames }) as unknown as PeerCertificate
  const viaIp = { socket: { remoteAddress: '127.0.0.1' } as Socket }
  assert.equal(natsServerIdentity.call(viaIp, 'localhost', cert('IP Address:127.0.0.1')), undefined)
  assert.equal(natsServerIdentity.call({ socket: { remoteAddress: '::ffff:127.0.0.1' } as Socket }, 'localhost', cert('IP Address:127.0.0.1')), undefined)
  assert.match(String(natsServerIdentity.call(viaIp, 'localhost', cert('IP Address:127.0.0.9'))), /does not match certificate's altnames/)
  // A named server keeps Node's check of that name.
  assert.match(String(natsServerIdentity.call({ servername: 'nats.example', socket: { remoteAddress: '127.0.0.1' } as Socket }, 'nats.example', cert('IP Address:127.0.0.1'))), /does not match/)
  assert.equal(natsServerIdentity.call({ servername: 'nats.example' }, 'nats.example', cert('DNS:nats.example')), undefined)
  // No socket to ask: the default check stands and fails closed.
  assert.match(String(natsServerIdentity.call(undefined, 'localhost', cert('IP Address:127.0.0.1'))), /does not match/)
})
