/** The `websocket` input and output through the real CLI, against real WebSocket servers on loopback. */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { startHost } from '../helpers/cli-host.js'

async function wsServer(t: TestContext, onConn: (ws: WebSocket, auth: string | undefined) => void): Promise<string> {
  const server = createServer()
  const wss = new WebSocketServer({ server })
  wss.on('connection', (ws, req) => onConn(ws, req.headers.authorization))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.after(() => {
    for (const c of wss.clients) c.terminate()
    wss.close()
    server.close()
  })
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}`
}

test('websocket input and output: open message and basic auth on each connection, messages through, reconnect after the server hangs up', async (t) => {
  const opens: string[] = []
  const auths: (string | undefined)[] = []
  let conns = 0
  const source = await wsServer(t, (ws, auth) => {
    auths.push(auth)
    const n = ++conns
    ws.once('message', (m) => {
      opens.push(m.toString())
      ws.send(`one ${n}`)
      ws.send(Buffer.from(`two ${n}`))
      // The first connection ends here; the input dials again.
      if (n === 1) setTimeout(() => ws.close(), 50)
    })
  })
  const received: string[] = []
  const sink = await wsServer(t, (ws) => ws.on('message', (m, binary) => received.push(`${binary ? 'bin' : 'text'}:${m.toString()}`)))
  const h = await startHost(t, {
    files: {
      'streams/ws.yaml': `input:
  websocket:
    url: ${source}/feed
    open_message: hello
    open_message_type: text
    basic_auth:
      enabled: true
      username: ada
      password: secret
pipeline:
  processors:
    - mapping: 'root = content().uppercase()'
output:
  websocket:
    url: ${sink}/in
`,
    },
    args: ['{dir}/streams'],
  })
  await h.until('messages from two connections at the sink', () => (received.includes('bin:ONE 2') && received.includes('bin:TWO 2') ? true : undefined))
  assert.deepEqual(received.slice(0, 2), ['bin:ONE 1', 'bin:TWO 1'])
  assert.deepEqual(opens.slice(0, 2), ['hello', 'hello'])
  assert.equal(auths[0], `Basic ${Buffer.from('ada:secret').toString('base64')}`)
  assert.ok(!h.stdout().includes('secret'), 'the password is never logged')
})

test('websocket input: connection.max_retries failed dials end the input, and the stream finishes', async (t) => {
  // A port that was just free: nothing listens there.
  const probe = createServer()
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
  const port = (probe.address() as AddressInfo).port
  await new Promise<void>((r) => probe.close(() => r()))
  const h = await startHost(t, {
    files: {
      'streams/gone.yaml': `input:
  websocket:
    url: ws://127.0.0.1:${port}/nothing
    connection:
      max_retries: 2
output:
  drop: {}
`,
    },
    args: ['{dir}/streams'],
  })
  const state = await h.until('the stream to finish', async () => {
    const r = await h.json<{ state?: string }>('/streams/gone')
    return r.body.state === 'finished' ? r.body.state : undefined
  })
  assert.equal(state, 'finished')
})

test('websocket input: a server that sends faster than the stream writes is paused, and nothing is lost', async (t) => {
  const source = await wsServer(t, (ws) => {
    for (let i = 1; i <= 5000; i++) ws.send(`m${i}`)
  })
  const h = await startHost(t, {
    files: {
      'streams/burst.yaml': `input:
  websocket:
    url: ${source}/burst
output:
  file:
    path: ./burst.txt
`,
    },
    args: ['{dir}/streams'],
  })
  const text = await h.until('5,000 messages', () => (h.read('burst.txt').endsWith('\nm5000\n') ? h.read('burst.txt') : undefined), 60_000)
  const lines = text.trimEnd().split('\n')
  assert.equal(lines.length, 5000)
  assert.ok(lines.every((l, i) => l === `m${i + 1}`), 'every message once, in order')
})
