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
import { tapRoutes } from './tap.js'
import { uiRoutes } from './ui.js'
import { SseHub } from './sse.js'
import type { StreamBucket } from './stream-bucket.js'
import { textError } from './http-errors.js'
import type { AuthCheck, CorsCheck } from './guards.js'
import { shutdownAware } from '../util/http-shutdown.js'
import { DEFAULT_LIMITS, KEEP_ALIVE_TIMEOUT_MS, cleanPathRedirect, movedPermanently, sendResponse, type ServerLimits } from '../http/index.js'
import { MAX_CONFIG_BYTES } from '../config/limits.js'

export interface ApiOptions {
  /** `--no-api`: only `/ready` and the service endpoints stay. */
  noApi: boolean
  info: ServiceInfo
  metrics: MetricsEndpoint | undefined
  /** Set when `http.debug_endpoints` is on: the root config to serve (secrets are scrubbed first). */
  debugConfig?: Record<string, unknown>
  /** Largest API body (a config document); default and ceiling: the config size limit. */
  maxBodyBytes?: number
  /** `--config-kv`: stream writes go through the bucket every host watches. */
  configBucket?: StreamBucket
}

/** Event feeds (tap, status page) of each app, ended when its server closes. */
const feeds = new WeakMap<Hono, SseHub>()

export function createApiApp(host: Host, cfg: ConfigService, opts: ApiOptions): Hono {
  const routes = new Hono()
  const hub = new SseHub()
  healthRoutes(routes, host, opts.info, opts.metrics)
  if (opts.debugConfig) debugRoutes(routes, cfg.scrubRoot(opts.debugConfig))
  if (!opts.noApi) {
    const bodyLimit = Math.min(opts.maxBodyBytes ?? MAX_CONFIG_BYTES, MAX_CONFIG_BYTES)
    resourceRoutes(routes, host, cfg, bodyLimit)
    // Before `/streams/:id`: the tap is a sub-path, and is not one of that route's verbs.
    tapRoutes(routes, host, hub)
    streamRoutes(routes, host, cfg, bodyLimit, opts.configBucket)
    // The page drives the API, so it goes with it under --no-api.
    uiRoutes(routes, host, hub)
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
  feeds.set(app, hub)
  return app
}

export interface ServerOptions extends Partial<ServerLimits> {
  address: string
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
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...definedOnly(opts) }
  const proxyOpts = { maxBodyBytes: limits.maxBodyBytes }
  const { auth, cors } = opts
  const route = (req: IncomingMessage, res: ServerResponse): void => {
    if (!proxyRequest(host, routes, req, res, proxyOpts)) void api(req, res)
  }
  const { listener, close } = shutdownAware(
    auth || cors
      ? (req: IncomingMessage, res: ServerResponse) => {
          if (cors && !cors(req, res)) return
          if (redirected(req, res)) return
          const allowed = auth ? auth(req, res) : true
          if (allowed === true) route(req, res)
          else if (allowed !== false) void allowed.then((ok) => ok && route(req, res))
        }
      : (req, res) => {
          if (redirected(req, res)) return
          route(req, res)
        },
  )
  // Node answers an oversized head with 431 and a slow one with 408, before any handler runs.
  const serverOpts = {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    // Node checks both timeouts on this period (30 s by default): short timeouts need a shorter one.
    connectionsCheckingInterval: checkingInterval(limits),
  }
  let server: Server
  try {
    server = opts.tls
      ? (createTlsServer({ ...serverOpts, cert: readPem('http.cert_file', opts.tls.certFile), key: readPem('http.key_file', opts.tls.keyFile) }, listener) as unknown as Server)
      : createServer(serverOpts, listener)
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)))
  }
  // Keep-alive sockets must not hold shutdown hostage.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS
  server.headersTimeout = limits.headersTimeoutMs
  server.requestTimeout = limits.requestTimeoutMs
  // Hook for WebSockets to stream endpoints (proxy-live.ts); any other upgrade is refused.
  server.on('upgrade', (req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => {
    const upgrade = (): void => {
      if (!proxyUpgrade(host, routes, req, socket, head)) socket.destroy()
    }
    const allowed = auth ? upgradeAllowed(auth, req, socket as Socket) : true
    if (allowed === true) upgrade()
    else if (allowed !== false) void allowed.then((ok) => ok && upgrade())
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
        close: () => {
          // An open event feed is a response that never ends by itself: it would hold the close.
          feeds.get(app)?.closeAll()
          return close(server)
        },
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
function upgradeAllowed(auth: AuthCheck, req: IncomingMessage, socket: Socket): boolean | Promise<boolean> {
  const res = new NodeServerResponse(req)
  res.shouldKeepAlive = false
  res.assignSocket(socket)
  const settle = (ok: boolean): boolean => {
    if (ok) {
      res.detachSocket(socket)
      return true
    }
    res.on('finish', () => {
      res.detachSocket(socket)
      socket.end()
    })
    return false
  }
  const allowed = auth(req, res)
  return typeof allowed === 'boolean' ? settle(allowed) : allowed.then(settle)
}

export function splitAddress(address: string): { hostname: string; port: number } {
  const i = address.lastIndexOf(':')
  const host = i === -1 ? '' : address.slice(0, i).replace(/^\[|\]$/g, '')
  const port = Number(i === -1 ? address : address.slice(i + 1))
  return { hostname: host || '0.0.0.0', port: Number.isFinite(port) ? port : 4195 }
}

function checkingInterval(l: ServerLimits): number {
  const shortest = Math.min(...[l.headersTimeoutMs, l.requestTimeoutMs].filter((ms) => ms > 0), 60_000)
  return Math.max(250, Math.min(30_000, Math.floor(shortest / 2)))
}

/** A TLS file, failing with the field and path named (not just the errno). */
function readPem(field: string, file: string): Buffer {
  try {
    return readFileSync(file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err)
    throw new Error(`${field} ${file}: ${code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : code}`)
  }
}

function definedOnly(opts: Partial<ServerLimits>): Partial<ServerLimits> {
  const out: Partial<ServerLimits> = {}
  for (const k of ['maxBodyBytes', 'maxHeaderBytes', 'headersTimeoutMs', 'requestTimeoutMs'] as const) {
    const v = opts[k]
    if (v !== undefined) out[k] = v
  }
  return out
}
