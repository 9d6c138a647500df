/**
 * `http_server` output (spec components §9.3): consumers pull. A request to `path` takes the next
 * batch (one message as an octet-stream body, several as multipart) or gets 408 after `timeout`;
 * `stream_path` keeps the response open and writes each batch followed by a newline; `ws_path`
 * sends each message as a binary WebSocket message. A batch counts as delivered once written to a
 * client: there is no at-least-once here, as in the reference. Served on the shared server (paths
 * prefixed by the stream id) or on an own server when `address` is set.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { readFileSync } from 'node:fs'
import type { Duplex } from 'node:stream'
import type { Batch } from '../../message/message.js'
import { weirError } from '../../errors.js'
import { defineComponent, f, type ValueOf } from '../../spec/index.js'
import type { ComponentContext, EndpointHandler, EndpointRequest, EndpointResponse, Output } from '../../spec/index.js'
import { CLOSED, Rendezvous } from '../../util/channel.js'
import { shutdownAware } from '../../util/http-shutdown.js'
import { Router } from '../../http/index.js'
import { durationField } from '../shared/durations.js'
import { invalid } from '../shared/field-error.js'
import { writeMultipart } from '../shared/http-client-request.js'
import { detectContentType, httpError } from '../shared/http-util.js'
import { liveRegistry, NOT_A_WEBSOCKET, type LiveConnection, type LiveHandler } from '../shared/live-endpoints.js'
import { serveSocket, serveStream } from '../shared/live-node.js'

const config = f.object('', [
  f.string('address', { default: '', description: 'An alternative address to host from. If left empty the service wide address is used.' }),
  f.string('path', { default: '/get', description: 'The path from which discrete messages can be consumed.' }),
  f.string('stream_path', { default: '/get/stream', description: 'The path from which a continuous stream of messages can be consumed.' }),
  f.string('ws_path', { default: '/get/ws', description: 'The path from which websocket connections can be established.' }),
  f.array(f.string('allowed_verbs', { default: ['GET'], description: 'An array of verbs that are allowed for the `path` and `stream_path` HTTP endpoint.' })),
  f.duration('timeout', { default: '5s', advanced: true, description: 'The maximum time to wait before a blocking, inactive connection is dropped (only applies to the `path` endpoint).' }),
  f.string('cert_file', { default: '', advanced: true, description: 'Enable TLS by specifying a certificate and key file. Only valid with a custom `address`.' }),
  f.string('key_file', { default: '', advanced: true, description: 'Enable TLS by specifying a certificate and key file. Only valid with a custom `address`.' }),
  f.object(
    'cors',
    [
      f.bool('enabled', { default: false, advanced: true, description: 'Whether to allow CORS requests.' }),
      f.array(f.string('allowed_origins', { default: [], advanced: true, description: 'An explicit list of origins that are allowed for CORS requests.' })),
    ],
    { advanced: true, description: 'Adds Cross-Origin Resource Sharing headers. Only valid with a custom `address`.' },
  ),
])

type Conf = ValueOf<typeof config>

export default defineComponent({
  kind: 'output',
  name: 'http_server',
  status: 'stable',
  summary: 'Sets up an HTTP server that will send messages over HTTP(S) GET requests. HTTP 2.0 is supported when using TLS, which is enabled when key and cert files are specified.',
  config,
  examples: [
    {
      title: 'Serve messages to pollers, streamers and WebSocket clients',
      config: `output:
  http_server:
    path: /next
    stream_path: /live
    ws_path: /ws
    timeout: 10s
`,
      // Taken by one poll of `/next`.
      input: ['{"id":1}'],
      output: ['{"id":1}'],
    },
  ],
  build: async (c, ctx): Promise<Output> => {
    if (c.allowed_verbs.length === 0) throw invalid('allowed_verbs', 'must specify at least one allowed verb')
    const out = new HttpServerOutput(c, ctx)
    if (c.address !== '') {
      out.own = await startOwn(c, out, ctx)
      return out
    }
    if (c.path !== '') ctx.endpoints.register(c.path, 'Read a single message from Benthos.', out.getHandler)
    const live = liveRegistry(ctx.endpoints)
    if (c.stream_path !== '') {
      if (live) live.registerLive(c.stream_path, 'Read a continuous stream of messages from Benthos.', 'stream', out.streamHandler)
      else ctx.logger.warn(`stream_path ${c.stream_path} is not available on this server`)
    }
    if (c.ws_path !== '') {
      if (live) live.registerLive(c.ws_path, 'Read messages from Benthos via websockets.', 'socket', out.wsHandler)
      else ctx.logger.warn(`ws_path ${c.ws_path} is not available on this server`)
    }
    return out
  },
})

/** A batch waiting for a client; `ack` once written (with the write error, if any). */
interface Offered {
  batch: Batch
  ack(err?: Error): void
}

class HttpServerOutput implements Output {
  readonly maxInFlight = 1
  own: { close(): Promise<void> } | undefined
  readonly #allowed: Set<string>
  readonly #timeoutMs: number
  readonly #ctx: ComponentContext
  readonly #queue: Rendezvous<Offered>
  /** Aborted on close: open streams and sockets end, new requests get 503. */
  readonly #closing = new AbortController()

  constructor(c: Conf, ctx: ComponentContext) {
    this.#allowed = new Set(c.allowed_verbs)
    this.#timeoutMs = durationField('timeout', c.timeout)
    this.#ctx = ctx
    this.#queue = new Rendezvous<Offered>(ctx.signal)
  }

  async connect(): Promise<void> {}

  connected(): boolean {
    return true
  }

  async write(batch: Batch, signal: AbortSignal): Promise<void> {
    let ack!: (err?: Error) => void
    const written = new Promise<void>((resolve, reject) => (ack = (err) => (err ? reject(err) : resolve())))
    await this.#queue.put({ batch, ack }, signal)
    await written
  }

  async close(): Promise<void> {
    this.#closing.abort()
    this.#queue.close()
    await this.own?.close()
  }

  /** `path`: the next batch, or 408 when none comes within `timeout`. */
  readonly getHandler: EndpointHandler = async (req, reqSignal) => {
    if (this.#closing.signal.aborted) return httpError(503, 'Server closed')
    if (!this.#allowed.has(req.method)) return httpError(405, 'Incorrect method')
    const timeout = AbortSignal.timeout(this.#timeoutMs)
    let next: Offered | typeof CLOSED
    try {
      next = await this.#queue.take(AbortSignal.any([timeout, reqSignal, this.#closing.signal]))
    } catch {
      if (timeout.aborted) return httpError(408, 'Timed out waiting for message')
      return httpError(503, 'Server closed')
    }
    if (next === CLOSED) return httpError(503, 'Server closed')
    const res = batchResponse(next.batch)
    next.ack()
    return res
  }

  /** `stream_path`: every batch as it comes, each followed by a newline, until either side ends. */
  readonly streamHandler: LiveHandler = (req, conn) => {
    if (!this.#allowed.has(req.method)) return refuse(conn, 405, 'Incorrect method')
    void this.#pump(conn, true, (batch) => {
      const data = batch.length === 1 ? batch[0]!.bytes() : Buffer.concat([...batch.flatMap((m) => [m.bytes(), NEWLINE]).slice(0, -1), NEWLINE])
      return [data, NEWLINE]
    })
  }

  /** `ws_path`: every message as a binary WebSocket message. */
  readonly wsHandler: LiveHandler = (_req, conn) => {
    void this.#pump(conn, false, (batch) => batch.map((m) => m.bytes()))
  }

  /** Hands batches to one client until it goes or the output closes; `stream` = an HTTP response. */
  async #pump(conn: LiveConnection, stream: boolean, frames: (batch: Batch) => Uint8Array[]): Promise<void> {
    const gone = AbortSignal.any([conn.closed, this.#closing.signal])
    // A socket is accepted already; a streamed response sends its head with the first batch.
    let started = !stream
    while (!gone.aborted) {
      let next: Offered | typeof CLOSED
      try {
        next = await this.#queue.take(gone)
      } catch {
        break
      }
      if (next === CLOSED) break
      const parts = frames(next.batch)
      if (conn.closed.aborted) {
        next.ack(new Error('client disconnected'))
        break
      }
      if (!started) {
        started = true
        conn.head(200, [['Content-Type', detectContentType(parts[0] ?? new Uint8Array(0))]])
      }
      for (const p of parts) conn.send(p, true)
      next.ack()
    }
    if (!started) conn.head(200, [])
    conn.close(1001, 'server closing')
  }
}

const NEWLINE = new Uint8Array([10])

function refuse(conn: LiveConnection, status: number, text: string): void {
  conn.head(status, [
    ['Content-Type', 'text/plain; charset=utf-8'],
    ['X-Content-Type-Options', 'nosniff'],
  ])
  conn.send(`${text}\n`)
  conn.close()
}

/** One message as its bytes, several as multipart/form-data with octet-stream parts. */
function batchResponse(batch: Batch): EndpointResponse {
  if (batch.length <= 1) return { status: 200, headers: [['Content-Type', 'application/octet-stream']], body: batch[0]?.bytes() ?? new Uint8Array(0) }
  const mp = writeMultipart(batch.map((m) => ({ headers: [['Content-Type', 'application/octet-stream']], body: m.bytes() })))
  return { status: 200, headers: [['Content-Type', mp.contentType]], body: mp.body }
}

/** The own server of a custom `address`: the three paths unprefixed, optional TLS and CORS. */
async function startOwn(c: Conf, out: HttpServerOutput, ctx: ComponentContext): Promise<{ close(): Promise<void> }> {
  const get = c.path !== '' ? compileRoute(c.path) : undefined
  const stream = c.stream_path !== '' ? compileRoute(c.stream_path) : undefined
  const ws = c.ws_path !== '' ? compileRoute(c.ws_path) : undefined
  const tls = c.cert_file !== '' || c.key_file !== ''
  const { listener, close } = shutdownAware((req, res) => {
    if (cors(c, req, res)) return
    const { path, params } = route(req, get)
    if (params) return void answer(req, res, path, params, out.getHandler)
    const s = route(req, stream).params
    if (s) return serveStream(req, res, s, out.streamHandler)
    if (route(req, ws).params) return void res.writeHead(NOT_A_WEBSOCKET.status, NOT_A_WEBSOCKET.headers).end(NOT_A_WEBSOCKET.body)
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }).end('404 page not found\n')
  })
  let server: Server
  try {
    server = tls ? createHttpsServer({ cert: readFileSync(c.cert_file), key: readFileSync(c.key_file) }, listener) : createHttpServer(listener)
  } catch (err) {
    throw weirError('STREAM_BUILD', `failed to load TLS certificates: ${err instanceof Error ? err.message : String(err)}`, { path: 'cert_file' })
  }
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const params = route(req, ws).params
    if (params) serveSocket(req, socket, head, params, out.wsHandler)
    else socket.destroy()
  })
  const colon = c.address.lastIndexOf(':')
  const host = colon === -1 ? c.address : c.address.slice(0, colon).replace(/^\[|\]$/g, '')
  const port = colon === -1 ? 80 : Number(c.address.slice(colon + 1) || '0')
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(weirError('STREAM_BUILD', `failed to bind to address ${c.address}: ${err.message}`, { path: 'address' })))
    server.listen(port, host === '' ? undefined : host, () => resolve())
  })
  server.on('error', (err) => ctx.logger.error(`Server error: ${err.message}`))
  const a = server.address()
  const bound = a && typeof a === 'object' ? `${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}` : c.address
  ctx.logger.info(`Serving messages through ${tls ? 'HTTPS' : 'HTTP'} GET request at: ${tls ? 'https' : 'http'}://${bound}${c.path}`)
  return {
    close: async () => {
      // Upgraded sockets are outside node's connection tracking: the handlers closed them already.
      await close(server)
    },
  }
}

/** A matcher for one path template, with the shared grammar (src/http). */
function compileRoute(template: string): (path: string) => Record<string, string> | undefined {
  const r = new Router<true>()
  r.set(template, true)
  return (path) => r.match(path)?.params
}

function route(req: IncomingMessage, match: ((p: string) => Record<string, string> | undefined) | undefined): { path: string; params: Record<string, string> | undefined } {
  const url = req.url ?? '/'
  const q = url.indexOf('?')
  const path = q === -1 ? url : url.slice(0, q)
  return { path, params: match?.(path) }
}

async function answer(req: IncomingMessage, res: ServerResponse, path: string, params: Record<string, string>, handler: EndpointHandler): Promise<void> {
  req.resume()
  const gone = new AbortController()
  res.on('close', () => {
    if (!res.writableFinished) gone.abort()
  })
  const url = req.url ?? '/'
  const q = url.indexOf('?')
  const er: EndpointRequest = {
    method: req.method ?? 'GET',
    path,
    query: q === -1 ? '' : url.slice(q + 1),
    rawHeaders: req.rawHeaders,
    body: new Uint8Array(0),
    remoteAddress: req.socket.remoteAddress ?? '',
    params,
  }
  const r = await handler(er, gone.signal)
  if (res.destroyed) return
  for (const [k, v] of r.headers) res.appendHeader(k, v)
  res.writeHead(r.status).end(r.body)
}

/** CORS as the input's own server applies it; true when the request was answered (preflight). */
function cors(c: Conf, req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin
  if (!c.cors.enabled || typeof origin !== 'string' || !(c.cors.allowed_origins.includes('*') || c.cors.allowed_origins.includes(origin))) return false
  res.setHeader('Access-Control-Allow-Origin', origin)
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
    res.setHeader('Access-Control-Allow-Methods', c.allowed_verbs.join(','))
    const h = req.headers['access-control-request-headers']
    if (typeof h === 'string') res.setHeader('Access-Control-Allow-Headers', h)
    res.writeHead(200).end()
    return true
  }
  return false
}
