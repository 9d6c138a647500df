/**
 * Secrets never leave the host (issue 12 item 5): the real CLI with a stream that authenticates
 * against a loopback sink, so each echo is checked for scrubbing *and* each round trip for the
 * secret the stream really sends.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { startHost, type RunningHost } from '../helpers/cli-host.js'

const MARKER = '!!!SECRET_SCRUBBED!!!'
const PLAIN = 'hunter2-plain'
const FROM_ENV = 'oauth-from-env'
const ROOT_HASH = 'root-hash-literal'
const ROOT_SALT = 'root-salt-from-env'
const LEAKS = [PLAIN, FROM_ENV, ROOT_HASH, ROOT_SALT, 'patched-pass']

/** A loopback sink that records the headers of every request it gets. */
async function sink(t: import('node:test').TestContext): Promise<{ url: string; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = []
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      seen.push(req.headers)
      res.end('ok')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.after(() => new Promise<void>((r) => server.close(() => r())))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/in`, seen }
}

function streamYaml(url: string): string {
  return `input:
  http_server:
    path: /in
output:
  http_client:
    url: ${url}
    verb: POST
    headers:
      X-Gen: "1"
    basic_auth:
      enabled: true
      username: ada
      password: ${PLAIN}
    oauth:
      enabled: false
      consumer_secret: \${OAUTH_SECRET}
`
}

const ROOT = `http:
  debug_endpoints: true
  basic_auth:
    enabled: false
    username: admin
    password_hash: ${ROOT_HASH}
    salt: \${ROOT_SALT}
`

interface StreamBody {
  config: { output: { http_client: { headers: Record<string, string>; basic_auth: { password: string }; oauth: { consumer_secret: string } } } }
}

/** Sends one message through the stream and returns the headers the sink got for it. */
async function deliver(h: RunningHost, s: { seen: IncomingHttpHeaders[] }, gen: string): Promise<IncomingHttpHeaders> {
  const before = s.seen.length
  const r = await h.text('/sec/in', { method: 'POST', body: 'x' })
  assert.equal(r.status, 200, r.body)
  return h.until(`a request with X-Gen ${gen}`, () => s.seen.slice(before).find((x) => x['x-gen'] === gen))
}

function basic(user: string, pass: string): string {
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`
}

test('secrets are scrubbed in every echo and survive GET -> edit -> PUT/PATCH round trips', async (t) => {
  const s = await sink(t)
  const h = await startHost(t, {
    files: { 'weir.yaml': ROOT, 'streams/sec.yaml': streamYaml(s.url) },
    args: ['-c', '{dir}/weir.yaml', '{dir}/streams'],
    env: { OAUTH_SECRET: FROM_ENV, ROOT_SALT },
  })
  await h.until('stream sec running', async () => (await h.json<{ state: string }>('/streams/sec')).body.state === 'running')

  await t.test('GET /streams/{id} shows the marker, or the ${VAR} as written', async () => {
    const r = await h.text('/streams/sec')
    for (const leak of LEAKS) assert.ok(!r.body.includes(leak), `GET leaked ${leak}`)
    const body = JSON.parse(r.body) as StreamBody
    assert.equal(body.config.output.http_client.basic_auth.password, MARKER)
    assert.equal(body.config.output.http_client.oauth.consumer_secret, '${OAUTH_SECRET}')
    const list = await h.text('/streams')
    for (const leak of LEAKS) assert.ok(!list.body.includes(leak), `list leaked ${leak}`)
  })

  await t.test('/debug/config scrubs the root config by spec, not by key name', async () => {
    for (const path of ['/debug/config/json', '/debug/config/yaml']) {
      const r = await h.text(path)
      assert.equal(r.status, 200)
      for (const leak of LEAKS) assert.ok(!r.body.includes(leak), `${path} leaked ${leak}`)
    }
    const j = await h.json<{ http: { basic_auth: { password_hash: string; salt: string; username: string } } }>('/debug/config/json')
    assert.deepEqual(j.body.http.basic_auth, { ...j.body.http.basic_auth, password_hash: MARKER, salt: '${ROOT_SALT}', username: 'admin' })
  })

  await t.test('the stream itself uses the real secret', async () => {
    assert.equal((await deliver(h, s, '1')).authorization, basic('ada', PLAIN))
  })

  await t.test('PUT of the echoed config keeps the running secrets', async () => {
    const got = (await h.json<StreamBody>('/streams/sec')).body.config
    got.output.http_client.headers['X-Gen'] = '2'
    const put = await h.text('/streams/sec', { method: 'PUT', body: JSON.stringify(got) })
    assert.deepEqual([put.status, put.body], [200, ''])
    assert.equal((await deliver(h, s, '2')).authorization, basic('ada', PLAIN))
    const again = (await h.json<StreamBody>('/streams/sec')).body.config.output.http_client
    assert.deepEqual([again.basic_auth.password, again.oauth.consumer_secret], [MARKER, '${OAUTH_SECRET}'])
  })

  await t.test('PATCH keeps a marker and takes a new secret', async () => {
    const keep = await h.text('/streams/sec', { method: 'PATCH', body: JSON.stringify({ output: { http_client: { headers: { 'X-Gen': '3' }, basic_auth: { password: MARKER } } } }) })
    assert.deepEqual([keep.status, keep.body], [200, ''])
    assert.equal((await deliver(h, s, '3')).authorization, basic('ada', PLAIN))
    const change = await h.text('/streams/sec', { method: 'PATCH', body: JSON.stringify({ output: { http_client: { headers: { 'X-Gen': '4' }, basic_auth: { password: 'patched-pass' } } } }) })
    assert.deepEqual([change.status, change.body], [200, ''])
    assert.equal((await deliver(h, s, '4')).authorization, basic('ada', 'patched-pass'))
    const shown = (await h.json<StreamBody>('/streams/sec')).body.config.output.http_client
    assert.deepEqual([shown.basic_auth.password, shown.oauth.consumer_secret], [MARKER, '${OAUTH_SECRET}'])
  })

  await t.test('a marker with nothing to keep is refused, not taken as the secret', async () => {
    const fresh = { input: { generate: { mapping: 'root = 1', interval: '1h' } }, output: { http_client: { url: s.url, basic_auth: { enabled: true, password: MARKER } } } }
    const post = await h.text('/streams/other', { method: 'POST', body: JSON.stringify(fresh) })
    assert.equal(post.status, 400)
    assert.match(post.body, /^Error: field output\.http_client\.basic_auth\.password holds !!!SECRET_SCRUBBED!!! but the stream has no value to keep there\n$/)
    assert.equal((await h.text('/streams/other')).status, 404)
    const got = (await h.json<StreamBody>('/streams/sec')).body.config as unknown as { output: { http_client: Record<string, unknown> } }
    got.output.http_client.oauth2 = { enabled: false, client_secret: MARKER }
    const put = await h.text('/streams/sec', { method: 'PUT', body: JSON.stringify(got) })
    assert.equal(put.status, 400)
    assert.match(put.body, /output\.http_client\.oauth2\.client_secret holds/)
    assert.equal((await deliver(h, s, '4')).authorization, basic('ada', 'patched-pass'), 'the refused PUT left the stream as it was')
  })

  await t.test('lint findings of a body holding secrets do not echo them', async () => {
    const body = streamYaml(s.url).replace('output:', 'nope: 1\noutput:').replace(PLAIN, 'lint-body-secret')
    const r = await h.text('/streams/linted', { method: 'POST', body })
    assert.equal(r.status, 400)
    assert.equal(r.body, '{"lint_errors":["(4,1) field nope not recognised"]}')
    await h.until('the lint log line', () => /Stream 'linted' config: \(4,1\) field nope not recognised/.test(h.stdout() + h.stderr()))
    assert.ok(!(h.stdout() + h.stderr()).includes('lint-body-secret'))
  })

  await t.test('no secret reaches the logs', () => {
    for (const leak of LEAKS) assert.ok(!h.stdout().includes(leak) && !h.stderr().includes(leak), `logs leaked ${leak}`)
  })
})
