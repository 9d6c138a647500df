/**
 * The one shared HTTP server: stream endpoints go straight to the proxy (data plane); everything
 * else goes to the Hono app (control plane), mounted at `/` and mirrored under `http.root_path`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import { readFileSync } from 'node:fs'
import type { AddressInfo, Socket } from 'node:net'
import { ServerResponse as NodeServerResponse } from 'node:http'
import { Hono } from 'hono'
import { getRequestListener } from '@hono/node-server'
import type { Host } from '../supervisor/host.js'
import type { RouteTable } from './route-table.js'
import type { ConfigService } from './bodies.js'
import { healthRoutes, type MetricsEndpoint, type ServiceInfo } from './health.js'
import { proxyRequest } from './proxy.js'
import { proxyUpgrade } from './proxy-live.js'
import { debugRoutes } from './debug.js'
import { resourceRoutes } from './resources.js'
import { streamRoutes } from './streams.js'
import { textError } from './http-errors.js'
import type { AuthCheck, CorsCheck } from './guards.js'
import { shutdownAware } from '../util/http-shutdown.js'
import { cleanPathRedirect, movedPermanently, sendResponse } from '../http/index.js'

export interface ApiOptions {
  /** `--no-api`: only `/ready` and the service endpoints stay. */
  noApi: boolean
  info: ServiceInfo
  metrics: MetricsEndpoint | undefined
  /** Set when `http.debug_endpoints` is on: the root config to serve (secrets are scrubbed first). */
  debugConfig?: Record<string, unknown>
}

export function createApiApp(host: Host, cfg: ConfigService, opts: ApiOptions): Hono {
  const routes = new Hono()
  healthRoutes(routes, host, opts.info, opts.metrics)
  if (opts.debugConfig) debugRoutes(routes, cfg.scrubRoot(opts.debugConfig))
  if (!opts.noApi) {
    resourceRoutes(routes, host, cfg)
    streamRoutes(routes, host, cfg)
  }
  const app = new Hono()
  const root = host.settings.rootPath
  if (root && root !== '/') app.route(root, routes)
  app.route('/', routes)
  app.notFound((c) => textError(c, 404, '404 page not found'))
  app.onError((err, c) => {
    host.logger.error('API handler failed', { error: err.message })
    return textError(c, 500, `Error: ${err.message}`)
  })
  return app
}

export interface ServerOptions {
  address: string
  maxBodyBytes: number
  auth?: AuthCheck
  cors?: CorsCheck
  tls?: { certFile: string; keyFile: string }
}

export interface RunningServer {
  server: Server
  /** `host:port` actually bound (port 0 resolved). */
  address: string
  close(): Promise<void>
}

/** `routes` is the table the supervisor publishes stream endpoints into (see `supervisor/stream-routes.ts`). */
export function startServer(host: Host, routes: RouteTable, app: Hono, opts: ServerOptions): Promise<RunningServer> {
  const api = getRequestListener(app.fetch)
  const proxyOpts = { maxBodyBytes: opts.maxBodyBytes }
  const { auth, cors } = opts
  const { listener, close } = shutdownAware(
    auth || cors
      ? (req: IncomingMessage, res: ServerResponse) => {
          if (cors && !cors(req, res)) return
          if (redirected(req, res)) return
          if (auth && !auth(req, res)) return
          if (!proxyRequest(host, routes, req, res, proxyOpts)) void api(req, res)
        }
      : (req, res) => {
          if (redirected(req, res)) return
          if (!proxyRequest(host, routes, req, res, proxyOpts)) void api(req, res)
        },
  )
  const server: Server = opts.tls
    ? (createTlsServer({ cert: readFileSync(opts.tls.certFile), key: readFileSync(opts.tls.keyFile) }, listener) as unknown as Server)
    : createServer(listener)
  // Keep-alive sockets must not hold shutdown hostage.
  server.keepAliveTimeout = 5000
  // Hook for WebSockets to stream endpoints (proxy-live.ts); any other upgrade is refused.
  server.on('upgrade', (req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => {
    if (auth && !upgradeAllowed(auth, req, socket as Socket)) return
    if (!proxyUpgrade(host, routes, req, socket, head)) socket.destroy()
  })
  const { hostname, port } = splitAddress(opts.address)
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, hostname, () => {
      server.off('error', reject)
      const a = server.address() as AddressInfo
      const shown = a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`
      resolve({
        server,
        address: shown,
        close: () => close(server),
      })
    })
  })
}

/**
 * mux cleans the path before routing, inside the CORS wrapper and before basic auth (which wraps
 * each route), as the reference's server does: an unclean path gets a 301 to its clean form.
 */
function redirected(req: IncomingMessage, res: ServerResponse): boolean {
  const to = cleanPathRedirect(req.url ?? '/')
  if (to === undefined) return false
  sendResponse(res, movedPermanently(to))
  return true
}

/**
 * `http.basic_auth` for a WebSocket upgrade: the check answers through a response bound to the
 * upgrade's socket (401 and close), so the same guard covers sockets and requests.
 */
function upgradeAllowed(auth: AuthCheck, req: IncomingMessage, socket: Socket): boolean {
  const res = new NodeServerResponse(req)
  res.shouldKeepAlive = false
  res.assignSocket(socket)
  if (auth(req, res)) {
    res.detachSocket(socket)
    return true
  }
  res.on('finish', () => {
    res.detachSocket(socket)
    socket.end()
  })
  return false
}

export function splitAddress(address: string): { hostname: string; port: number } {
  const i = address.lastIndexOf(':')
  const host = i === -1 ? '' : address.slice(0, i).replace(/^\[|\]$/g, '')
  const port = Number(i === -1 ? address : address.slice(i + 1))
  return { hostname: host || '0.0.0.0', port: Number.isFinite(port) ? port : 4195 }
}
