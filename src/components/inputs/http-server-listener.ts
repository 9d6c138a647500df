/**
 * The private server of an `http_server` input with a custom `address` (spec §8.1): bound at
 * construction (a bind failure fails the build), its path cleaned and routed as on the shared
 * server (src/http), optional TLS and CORS, closed when the input stops.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { readFileSync } from 'node:fs'
import { weirError } from '../../errors.js'
import type { EndpointHandler, EndpointRequest, Logger } from '../../spec/index.js'
import type { HttpServerConf } from './http-server.js'
import { shutdownAware } from '../../util/http-shutdown.js'
import { Router, cleanPathRedirect, movedPermanently, notFound, sendResponse } from '../../http/index.js'
import type { Duplex } from 'node:stream'
import { NOT_A_WEBSOCKET, type LiveHandler } from '../shared/live-endpoints.js'
import { serveSocket } from '../shared/live-node.js'

export interface OwnServer {
  /** `host:port` actually bound (port resolved when 0 was asked for). */
  readonly address: string
  close(): Promise<void>
}

function splitAddress(address: string): { host: string | undefined; port: number } {
  const colon = address.lastIndexOf(':')
  const host = colon === -1 ? address : address.slice(0, colon).replace(/^\[|\]$/g, '')
  const port = colon === -1 ? 80 : Number(address.slice(colon + 1) || '0')
  return { host: host === '' ? undefined : host, port }
}

export async function startOwnServer(conf: HttpServerConf, handler: EndpointHandler, logger: Logger, ws?: LiveHandler): Promise<OwnServer> {
  // One route, or none when `path` is empty (a disabled endpoint): every request is then a 404.
  const route = new Router<true>()
  if (conf.path !== '') route.set(conf.path, true)
  const wsRoute = ws && conf.ws_path !== '' ? new Router<true>() : undefined
  wsRoute?.set(conf.ws_path, true)
  const tls = conf.cert_file !== '' || conf.key_file !== ''
  const { listener, close } = shutdownAware((req, res) => {
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    // The POST path wins where both match, as the reference's router registers it first.
    const path = q === -1 ? url : url.slice(0, q)
    if (wsRoute && !route.match(path) && wsRoute.match(path)) {
      res.writeHead(NOT_A_WEBSOCKET.status, NOT_A_WEBSOCKET.headers).end(NOT_A_WEBSOCKET.body)
      return
    }
    void serve(req, res, route, handler, conf, logger)
  })
  let server: Server
  try {
    server = tls ? createHttpsServer({ cert: readFileSync(conf.cert_file), key: readFileSync(conf.key_file) }, listener) : createHttpServer(listener)
  } catch (err) {
    throw weirError('STREAM_BUILD', `failed to load TLS certificates: ${err instanceof Error ? err.message : String(err)}`, { path: 'cert_file' })
  }
  const { host, port } = splitAddress(conf.address)
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(weirError(err.code === 'EADDRINUSE' ? 'HTTP_ADDRESS_IN_USE' : 'STREAM_BUILD', `failed to bind to address ${conf.address}: ${err.message}`, { path: 'address' })),
    )
    server.listen(port, host, () => resolve())
  })
  server.on('error', (err) => logger.error(`Server error: ${err.message}`))
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    const params = wsRoute?.match(q === -1 ? url : url.slice(0, q))?.params
    if (params && ws) serveSocket(req, socket, head, params, ws)
    else socket.destroy()
  })
  const a = server.address()
  const bound = a && typeof a === 'object' ? `${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}` : conf.address
  logger.info(`Receiving ${tls ? 'HTTPS' : 'HTTP'} messages at: ${tls ? 'https' : 'http'}://${bound}${conf.path}`)
  return {
    address: bound,
    close: () => close(server),
  }
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  route: Router<true>,
  handler: EndpointHandler,
  conf: HttpServerConf,
  logger: Logger,
): Promise<void> {
  const url = req.url ?? '/'
  const q = url.indexOf('?')
  const path = q === -1 ? url : url.slice(0, q)
  const origin = req.headers.origin
  if (conf.cors.enabled && typeof origin === 'string' && (conf.cors.allowed_origins.includes('*') || conf.cors.allowed_origins.includes(origin))) {
    res.setHeader('Access-Control-Allow-Origin', origin)
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      res.setHeader('Access-Control-Allow-Methods', conf.allowed_verbs.join(','))
      const h = req.headers['access-control-request-headers']
      if (typeof h === 'string') res.setHeader('Access-Control-Allow-Headers', h)
      sendResponse(res, { status: 200, headers: [], body: '' })
      return
    }
  }
  const to = cleanPathRedirect(url)
  if (to !== undefined) {
    sendResponse(res, movedPermanently(to))
    return
  }
  const hit = route.match(path)
  if (!hit) {
    sendResponse(res, notFound())
    return
  }
  const chunks: Buffer[] = []
  try {
    for await (const c of req) chunks.push(c as Buffer)
  } catch {
    return
  }
  const gone = new AbortController()
  res.on('close', () => {
    if (!res.writableFinished) gone.abort()
  })
  const body = Buffer.concat(chunks)
  const er: EndpointRequest = {
    method: req.method ?? 'GET',
    path,
    query: q === -1 ? '' : url.slice(q + 1),
    rawHeaders: req.rawHeaders,
    body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
    remoteAddress: req.socket.remoteAddress ?? '',
    params: hit.params,
  }
  try {
    const out = await handler(er, gone.signal)
    if (res.destroyed) return
    sendResponse(res, out)
  } catch (err) {
    logger.error(`http_server handler failed: ${err instanceof Error ? err.message : String(err)}`)
    if (!res.headersSent) res.writeHead(500).end()
  }
}
