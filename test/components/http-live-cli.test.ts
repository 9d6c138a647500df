/**
 * HTTP endpoints through the real CLI (worker threads, shared server): the `http_server` output's
 * `path`, `stream_path` and `ws_path`, and the input's `ws_path` with welcome message and sync
 * responses, all relayed between the main thread and the stream's worker. Real sockets only: fetch
 * and a `ws` client against the spawned host.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WebSocket } from 'ws'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startHost, type RunningHost } from '../helpers/cli-host.js'
import { httpTarget } from '../helpers/http-target.js'

const RELAY = `input:
  http_server:
    path: /in
    ws_path: ""
    timeout: 10s
output:
  http_server:
    path: /out
    stream_path: /out/stream
    ws_path: /out/ws
    timeout: 400ms
`

const ECHO_WS = `input:
  http_server:
    path: /post
    ws_path: /ws
    ws_welcome_message: welcome
pipeline:
  processors:
    - mapping: 'root = content().uppercase()'
    - sync_response: {}
output:
  drop: {}
`

async function running(h: RunningHost, id: string): Promise<void> {
  await h.until(`stream ${id} running`, async () => {
    const r = await h.json<{ running?: boolean; state?: string }>(`/streams/${id}`)
    return r.status === 200 && (r.body.state === 'running' || r.body.running === true)
  })
}

function post(h: RunningHost, path: string, body: string): Promise<{ status: number; body: string }> {
  return h.text(path, { method: 'POST', body }).then((r) => ({ status: r.status, body: r.body }))
}

function openWs(url: string): Promise<{ ws: WebSocket; messages: { data: string; binary: boolean }[]; next: (n: number) => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    const messages: { data: string; binary: boolean }[] = []
    const waiters: (() => void)[] = []
    ws.on('message', (data, binary) => {
      messages.push({ data: Buffer.isBuffer(data) ? data.toString() : String(data), binary })
      for (const w of waiters.splice(0)) w()
    })
    const next = async (n: number): Promise<void> => {
      const deadline = Date.now() + 20_000
      while (messages.length < n) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} websocket messages, have ${JSON.stringify(messages)}`)
        await new Promise<void>((r) => {
          waiters.push(r)
          setTimeout(r, 200)
        })
      }
    }
    ws.once('open', () => resolve({ ws, messages, next }))
    ws.once('error', reject)
  })
}

test('http_server output on the shared server: next message, 408 when none, streamed and WebSocket consumers', async (t) => {
  const h = await startHost(t, { files: { 'relay.yaml': RELAY } })
  await running(h, 'relay')

  const empty = await h.text('/relay/out')
  assert.equal(empty.status, 408)
  assert.equal(empty.body, 'Timed out waiting for message\n')

  // A GET waiting for a message, then a POST that only completes once the GET took it.
  const got = h.fetch('/relay/out').then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), body: await r.text() }))
  const posted = await h.until('the POST to be taken', async () => {
    const r = await post(h, '/relay/in', 'hello')
    return r.status === 200 ? r : undefined
  })
  assert.equal(posted.body, '')
  assert.deepEqual(await got, { status: 200, type: 'application/octet-stream', body: 'hello' })

  const wrongVerb = await h.text('/relay/out', { method: 'POST', body: 'x' })
  assert.deepEqual([wrongVerb.status, wrongVerb.body], [405, 'Incorrect method\n'])

  // stream_path: one open response, each message followed by a newline.
  const ctl = new AbortController()
  t.after(() => ctl.abort())
  // The head is sent with the first message: post while the request is pending.
  const res = fetch(`${h.base}/relay/out/stream`, { signal: ctl.signal })
  const p1 = post(h, '/relay/in', 'one')
  const r = await res
  assert.equal(r.status, 200)
  const reader = r.body!.getReader()
  let text = ''
  const p2 = (await p1, post(h, '/relay/in', 'two'))
  const deadline = Date.now() + 20_000
  while (!text.includes('two\n') && Date.now() < deadline) {
    const c = await reader.read()
    if (c.done) break
    text += Buffer.from(c.value).toString()
  }
  assert.equal((await p2).status, 200)
  assert.ok(text === 'one\ntwo\n' || text.endsWith('one\ntwo\n'), JSON.stringify(text))
  ctl.abort()

  // ws_path: every message as a binary WebSocket message.
  const c = await openWs(`${h.base.replace('http', 'ws')}/relay/out/ws`)
  t.after(() => c.ws.terminate())
  assert.equal((await post(h, '/relay/in', 'over-ws')).status, 200)
  await c.next(1)
  assert.deepEqual(c.messages[0], { data: 'over-ws', binary: true })
  const closed = new Promise<number>((r) => c.ws.once('close', (code) => r(code)))
  c.ws.close(1000)
  assert.equal(await closed, 1000)

  // A plain request to the WebSocket path is refused as the reference's upgrader does.
  const plain = await h.text('/relay/out/ws')
  assert.deepEqual([plain.status, plain.body], [400, 'Bad Request\n'])
})

test('http_server input ws_path on the shared server: welcome message, messages in, sync responses back', async (t) => {
  const h = await startHost(t, { files: { 'echo.yaml': ECHO_WS } })
  await running(h, 'echo')
  const c = await openWs(`${h.base.replace('http', 'ws')}/echo/ws`)
  t.after(() => c.ws.terminate())
  await c.next(1)
  assert.deepEqual(c.messages[0], { data: 'welcome', binary: true })
  c.ws.send('hi')
  c.ws.send('there')
  await c.next(3)
  assert.deepEqual(c.messages.slice(1), [
    { data: 'HI', binary: false },
    { data: 'THERE', binary: false },
  ])
  // An upgrade to a path no stream owns is refused.
  const refused = await new Promise<string>((resolve) => {
    const ws = new WebSocket(`${h.base.replace('http', 'ws')}/nope/ws`)
    ws.once('error', (e) => resolve(e.message))
    ws.once('open', () => resolve('opened'))
  })
  assert.notEqual(refused, 'opened')
  // Stopping the stream closes its sockets.
  const closed = new Promise<number>((r) => c.ws.once('close', (code) => r(code)))
  const del = await h.fetch('/streams/echo', { method: 'DELETE' })
  assert.equal(del.status, 200)
  assert.ok([1000, 1001].includes(await closed))
})

test('http_client input and http processor in a worker: poll a target, enrich each message, write a file', async (t) => {
  const srv = await httpTarget(t, (q, res, n) => {
    // Requests to both paths are counted: a few items, then empty (dropped) polls.
    if (q.url.startsWith('/src')) return void res.end(n <= 12 ? `item-${n}` : '')
    res.setHeader('X-Enriched', '1')
    res.end(q.body.toString().toUpperCase())
  })
  const h = await startHost(t, {
    files: {
      'clients.yaml': `input:
  http_client:
    url: ${srv.url}/src
    verb: GET
    payload: ""
pipeline:
  processors:
    - http:
        url: ${srv.url}/enrich
        extract_headers:
          include_prefixes: [ x-enriched ]
    - mapping: 'root = content().string() + " " + meta("x-enriched") + " " + meta("http_status_code").string()'
output:
  file:
    path: ./out.txt
    codec: lines
`,
    },
  })
  const out = join(h.dir, 'out.txt')
  const lines = await h.until('three enriched lines', () => {
    const l = existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter(Boolean) : []
    return l.length >= 3 ? l : undefined
  })
  assert.match(lines[0]!, /^ITEM-\d+ 1 200$/)
  assert.ok(srv.seen.some((s) => s.url === '/enrich' && s.method === 'POST'))
})
