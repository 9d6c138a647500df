/** `http.basic_auth` and `http.cors` on the shared server, stream endpoints included. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { WebSocket } from 'ws'
import { startHost, runCli, tempDir } from '../helpers/cli-host.js'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

const ECHO = 'input:\n  http_server:\n    path: /in\noutput:\n  sync_response: {}\n'
const hash = createHash('sha256').update('s3cret').digest('base64')
const ROOT = `http:
  basic_auth:
    enabled: true
    username: ada
    password_hash: ${hash}
    algorithm: sha256
  cors:
    enabled: true
    allowed_origins: [ "https://ok.example" ]
`
const auth = (user: string, pass: string): Record<string, string> => ({ authorization: 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64') })

test('basic auth guards the API and stream endpoints; CORS answers allowed origins', async (t) => {
  const h = await startHost(t, { files: { 'root.yaml': ROOT, 's/echo.yaml': ECHO }, args: ['-o', '{dir}/root.yaml', '{dir}/s'] })
  const denied = await h.text('/streams')
  assert.equal(denied.status, 401)
  assert.equal(denied.headers.get('www-authenticate'), 'Basic realm="restricted", charset="UTF-8"')
  assert.equal((await h.text('/streams', { headers: auth('ada', 'wrong') })).status, 401)
  assert.equal((await h.text('/streams', { headers: auth('bob', 's3cret') })).status, 401)
  await h.until('echo to serve', async () => (await h.text('/echo/in', { method: 'POST', body: 'hi', headers: auth('ada', 's3cret') })).body === 'hi')
  assert.equal((await h.text('/echo/in', { method: 'POST', body: 'hi' })).status, 401)

  // WebSocket upgrades to stream endpoints are guarded too.
  const upgrade = (headers: Record<string, string>): Promise<string> =>
    new Promise((resolve) => {
      const ws = new WebSocket(`${h.base.replace('http', 'ws')}/echo/post/ws`, { headers })
      ws.once('unexpected-response', (_req, res) => {
        resolve(`status ${res.statusCode}`)
        ws.terminate()
      })
      ws.once('open', () => {
        resolve('open')
        ws.close()
      })
      ws.once('error', () => resolve('error'))
    })
  assert.equal(await upgrade({}), 'status 401')
  assert.equal(await upgrade(auth('ada', 's3cret')), 'open')

  const pre = await h.fetch('/streams', { method: 'OPTIONS', headers: { origin: 'https://ok.example', 'access-control-request-method': 'POST' } })
  assert.equal(pre.status, 200)
  assert.equal(pre.headers.get('access-control-allow-origin'), 'https://ok.example')
  // POST is a simple method: the reference's middleware does not list it.
  assert.equal(pre.headers.get('access-control-allow-methods'), null)
  const other = await h.fetch('/ping', { headers: { origin: 'https://evil.example', ...auth('ada', 's3cret') } })
  assert.equal(other.headers.get('access-control-allow-origin'), null)
})

test('an http section that cannot work stops start-up with the reference text', async (t) => {
  const dir = tempDir(t)
  writeFileSync(join(dir, 'root.yaml'), 'http:\n  cors:\n    enabled: true\n')
  const r = await runCli(['streams', '-o', join(dir, 'root.yaml'), '--set', 'http.address=127.0.0.1:0'], { cwd: dir })
  assert.equal(r.code, 1)
  assert.match(r.stdout, /invalid http config: bad CORS configuration: must specify at least one allowed origin/)
})

test('debug endpoints serve the sanitised root config and 501 for Go profiling', async (t) => {
  const root = `http:\n  debug_endpoints: true\n  basic_auth:\n    enabled: false\n    password_hash: c2VjcmV0\n`
  const h = await startHost(t, { files: { 'root.yaml': root }, args: ['-o', '{dir}/root.yaml'] })
  const cfg = await h.json<{ http: { basic_auth: { password_hash: string }; debug_endpoints: boolean } }>('/debug/config/json')
  assert.equal(cfg.status, 200)
  assert.equal(cfg.body.http.debug_endpoints, true)
  assert.equal(cfg.body.http.basic_auth.password_hash, '!!!SECRET_SCRUBBED!!!')
  assert.equal((await h.text('/debug/pprof/heap')).status, 501)
  assert.equal((await h.text('/debug/stack')).status, 501)
})
