/**
 * API security against the real CLI: every basic-auth algorithm the reference has, TLS checked
 * by a client that trusts only the test's own certificate, `--no-api`, CORS preflight, hostile
 * resource labels, and secrets kept out of errors and logs.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, scryptSync } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { request } from 'node:https'
import { join } from 'node:path'
import bcrypt from 'bcryptjs'
import { startHost, type RunningHost } from '../helpers/cli-host.js'

const auth = (user: string, pass: string): Record<string, string> => ({ authorization: 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64') })
const GEN = 'input:\n  generate:\n    interval: 1h\n    mapping: root = "x"\noutput:\n  drop: {}\n'

function rootWithAuth(algorithm: string, hash: string, salt = ''): string {
  return `http:\n  basic_auth:\n    enabled: true\n    username: ada\n    password_hash: "${hash}"\n    algorithm: ${algorithm}\n    salt: "${salt}"\n`
}

const SALT = Buffer.from('weir-test-salt-1').toString('base64')
const HASHES: [string, string, string?][] = [
  ['md5', createHash('md5').update('s3cret').digest('base64')],
  ['sha256', createHash('sha256').update('s3cret').digest('base64')],
  ['bcrypt', Buffer.from(bcrypt.hashSync('s3cret', 4)).toString('base64')],
  ['scrypt', scryptSync('s3cret', Buffer.from(SALT, 'base64'), 32, { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }).toString('base64'), SALT],
]

for (const [algorithm, hash, salt] of HASHES) {
  test(`basic auth with ${algorithm}: the right password passes, anything else gets 401`, async (t) => {
    const h = await startHost(t, { files: { 'root.yaml': rootWithAuth(algorithm, hash, salt) }, args: ['-o', '{dir}/root.yaml'] })
    assert.deepEqual(await h.text('/ping', { headers: auth('ada', 's3cret') }).then((r) => [r.status, r.body]), [200, 'pong'])
    // Twice: the second answer may come from the remembered verification.
    assert.equal((await h.text('/ping', { headers: auth('ada', 's3cret') })).status, 200)
    for (const headers of [auth('ada', 'wrong'), auth('bob', 's3cret'), {}, { authorization: 'Basic !!!' }]) {
      const r = await h.text('/ping', { headers })
      assert.deepEqual([r.status, r.body, r.headers.get('www-authenticate')], [401, 'Unauthorized\n', 'Basic realm="restricted", charset="UTF-8"'])
    }
  })
}

test('a stored hash that is not base64 answers 500, as the reference does', async (t) => {
  const h = await startHost(t, { files: { 'root.yaml': rootWithAuth('sha256', 'not base64!') }, args: ['-o', '{dir}/root.yaml'] })
  assert.deepEqual(await h.text('/ping', { headers: auth('ada', 's3cret') }).then((r) => [r.status, r.body]), [500, 'Internal Server Error\n'])
})

test('basic auth config problems stop start-up with the reference texts and no secret echoed', async (t) => {
  for (const [root, text] of [
    [rootWithAuth('rot13', 'aHVudGVyMi1oYXNo'), 'algorithm should be one of md5, sha256, bcrypt, or scrypt'],
    [rootWithAuth('scrypt', 'aHVudGVyMi1oYXNo'), 'salt is required for scrypt'],
    [rootWithAuth('scrypt', 'aHVudGVyMi1oYXNo', 'hunter2 salt'), 'invalid salt : illegal base64 data'],
    ['http:\n  basic_auth:\n    enabled: true\n    password_hash: aHVudGVyMi1oYXNo\n', 'both username and password_hash are required'],
  ] as const) {
    const h = await startHost(t, { files: { 'root.yaml': root }, args: ['-o', '{dir}/root.yaml'], waitListening: false })
    assert.equal(await h.exited, 1)
    const out = h.stdout() + h.stderr()
    assert.match(out, new RegExp(`invalid http config: ${text}`))
    assert.doesNotMatch(out, /aHVudGVyMi1oYXNo|hunter2/)
  }
})

test('TLS: a client that trusts the test certificate talks to the API and stream endpoints; others are refused', async (t) => {
  let openssl = true
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' })
  } catch {
    openssl = false
  }
  if (!openssl) return t.skip('openssl is not installed')
  const files = { 'root.yaml': 'http:\n  cert_file: ./cert.pem\n  key_file: ./key.pem\n', 's/echo.yaml': 'input:\n  http_server:\n    path: /in\noutput:\n  sync_response: {}\n' }
  const h = await startHost(t, {
    files,
    args: ['-o', '{dir}/root.yaml', '{dir}/s'],
    setup: (dir) => {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' })
    },
  })
  assert.match(h.stdout(), /Listening for HTTP requests at: https:\/\/127\.0\.0\.1:\d+/)
  const ca = readFileSync(join(h.dir, 'cert.pem'))
  const port = Number(new URL(h.base).port)
  const get = (path: string, opts: { ca?: Buffer; method?: string; body?: string } = {}): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', ...(opts.ca ? { ca: opts.ca } : {}) }, (res) => {
        let body = ''
        res.setEncoding('utf8').on('data', (d: string) => (body += d))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      })
      req.on('error', reject)
      req.end(opts.body)
    })
  assert.deepEqual(await get('/ping', { ca }), { status: 200, body: 'pong' })
  await h.until('echo over TLS', async () => (await get('/echo/in', { ca, method: 'POST', body: 'secure' })).body === 'secure')
  // Verification stays on: without the test CA the client refuses the self-signed certificate.
  await assert.rejects(get('/ping'), /self[- ]signed certificate/)
})

test('TLS files that cannot be read stop start-up with the field and file named', async (t) => {
  const h = await startHost(t, { files: { 'root.yaml': 'http:\n  cert_file: ./missing-cert.pem\n  key_file: ./missing-key.pem\n' }, args: ['-o', '{dir}/root.yaml'], waitListening: false })
  assert.equal(await h.exited, 1)
  assert.match(h.stdout() + h.stderr(), /http\.cert_file \.\/missing-cert\.pem: no such file or directory/)
})

test('--no-api: /streams and /resources are gone, /ready, /ping and stream endpoints stay', async (t) => {
  const h = await startHost(t, { files: { 's/echo.yaml': 'input:\n  http_server:\n    path: /in\noutput:\n  sync_response: {}\n' }, args: ['--no-api', '{dir}/s'] })
  await h.until('echo to serve', async () => (await h.text('/echo/in', { method: 'POST', body: 'hi' })).body === 'hi')
  assert.equal((await h.text('/streams')).status, 404)
  assert.equal((await h.text('/streams/x', { method: 'POST', body: GEN })).status, 404)
  assert.equal((await h.text('/resources/cache/c', { method: 'POST', body: 'memory: {}' })).status, 404)
  assert.equal((await h.text('/ping')).body, 'pong')
  assert.equal((await h.text('/ready')).status, 200)
})

test('CORS answers as the reference middleware: preflight checks, allowed origins only', async (t) => {
  const root = 'http:\n  cors:\n    enabled: true\n    allowed_origins: [ "https://ok.example", "https://also.example" ]\n'
  const h = await startHost(t, { files: { 'root.yaml': root }, args: ['-o', '{dir}/root.yaml'] })
  const preflight = (headers: Record<string, string>): Promise<Response> => h.fetch('/streams/x', { method: 'OPTIONS', headers: { origin: 'https://ok.example', ...headers } })
  const put = await preflight({ 'access-control-request-method': 'PUT', 'access-control-request-headers': 'accept, origin' })
  assert.equal(put.status, 200)
  assert.equal(put.headers.get('access-control-allow-origin'), 'https://ok.example')
  assert.equal(put.headers.get('access-control-allow-methods'), 'PUT')
  assert.equal(put.headers.get('vary'), 'Origin')
  assert.equal(await put.text(), '')
  assert.equal((await preflight({})).status, 400)
  assert.equal((await preflight({ 'access-control-request-method': 'TRACE' })).status, 405)
  assert.equal((await preflight({ 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' })).status, 403)
  const simple = await h.fetch('/ping', { headers: { origin: 'https://also.example' } })
  assert.deepEqual([simple.status, simple.headers.get('access-control-allow-origin'), await simple.text()], [200, 'https://also.example', 'pong'])
  const evil = await h.fetch('/ping', { headers: { origin: 'https://evil.example' } })
  assert.deepEqual([evil.status, evil.headers.get('access-control-allow-origin')], [200, null])
  // An OPTIONS from an origin that is not allowed never reaches a handler.
  const evilPre = await h.fetch('/streams/x', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'DELETE' } })
  assert.deepEqual([evilPre.status, evilPre.headers.get('access-control-allow-origin'), await evilPre.text()], [200, null, ''])
})

test('hostile resource labels are refused before they reach the log', async (t) => {
  const h = await startHost(t, { args: [] })
  const r = await h.text('/resources/cache/a%0Atime=forged', { method: 'POST', body: 'memory: {}' })
  assert.deepEqual([r.status, r.body], [400, 'Error: resource label must not contain control characters or line breaks\n'])
  const long = await h.text(`/resources/cache/${'x'.repeat(300)}`, { method: 'POST', body: 'memory: {}' })
  assert.deepEqual([long.status, long.body], [400, 'Error: resource label is longer than 256 bytes\n'])
  assert.doesNotMatch(h.stdout() + h.stderr(), /forged/)
})

test('a -r resource label with a line break stops start-up without echoing it', async (t) => {
  const h = await startHost(t, { files: { 'res.yaml': 'cache_resources:\n  - label: "a\\nlevel=error msg=forged"\n    memory: {}\n' }, args: ['-r', '{dir}/res.yaml'], waitListening: false })
  assert.equal(await h.exited, 1)
  assert.match(h.stdout() + h.stderr(), /cache resource label must not contain control characters or line breaks/)
  assert.doesNotMatch(h.stdout() + h.stderr(), /forged/)
})

async function streamsLog(h: RunningHost): Promise<string> {
  await h.text('/ping')
  return h.stdout() + h.stderr()
}

test('an invalid config holding a password never echoes it in the error, the log or GET', async (t) => {
  const bad = 'input:\n  generate:\n    mapping: root = "x"\n    interval: 1h\noutput:\n  http_client:\n    url: http://127.0.0.1:1/x\n    bogus_field: 1\n    basic_auth:\n      enabled: true\n      username: u\n      password: hunter2-api\n'
  const h = await startHost(t, { files: { 's/bad.yaml': bad.replace('hunter2-api', 'hunter2-file') }, args: ['{dir}/s'] })
  const lint = await h.text('/streams/bad2', { method: 'POST', body: bad })
  assert.equal(lint.status, 400)
  assert.match(lint.body, /bogus_field/)
  const wrongType = await h.text('/streams/bad3', { method: 'POST', body: bad.replace('bogus_field: 1\n', '').replace('password: hunter2-api', 'password: [hunter2-api]') })
  assert.equal(wrongType.status, 400)
  const chilled = await h.text('/streams/ok?chilled=true', { method: 'POST', body: bad })
  assert.equal(chilled.status, 200)
  const shown = await h.json<{ config: { output: { http_client: { basic_auth: { password: string } } } } }>('/streams/ok')
  assert.equal(shown.body.config.output.http_client.basic_auth.password, '!!!SECRET_SCRUBBED!!!')
  const all = [lint.body, wrongType.body, JSON.stringify(shown.body), await streamsLog(h)].join('\n')
  assert.match(all, /bad\.yaml/)
  assert.doesNotMatch(all, /hunter2/)
})
