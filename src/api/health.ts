/** Service endpoints owned by the server itself (spec §6.11, §7.2): ready, ping, version, endpoints, metrics. */
import type { Hono } from 'hono'
import type { Host } from '../supervisor/host.js'
import { sortedJson, textError } from './http-errors.js'

export interface MetricsEndpoint {
  /** Prometheus text (as UTF-8 bytes) or JSON; undefined = exporter has no endpoint (404). */
  render(path: '/metrics' | '/stats'): Promise<{ body: string | Uint8Array<ArrayBuffer>; contentType: string } | undefined>
}

export interface ServiceInfo {
  version: string
  built: string
}

export function healthRoutes(app: Hono, host: Host, info: ServiceInfo, metrics: MetricsEndpoint | undefined): void {
  app.all('/ready', (c) => {
    const bad = host.notReady()
    if (bad.length === 0) return c.body('OK', 200, { 'Content-Type': 'text/plain; charset=utf-8' })
    return c.body(`streams ${bad.join(', ')} are not connected\n`, 503, { 'Content-Type': 'text/plain; charset=utf-8' })
  })

  app.all('/ping', (c) => c.body('pong', 200, { 'Content-Type': 'text/plain; charset=utf-8' }))

  // Hand-formatted like the reference, space after the comma included.
  app.all('/version', (c) =>
    c.body(`{"version":${JSON.stringify(info.version)}, "built":${JSON.stringify(info.built)}}`, 200, { 'Content-Type': 'text/plain; charset=utf-8' }),
  )

  app.all('/endpoints', (c) => {
    const out: Record<string, string> = { ...SERVICE_ENDPOINTS }
    const root = host.settings.rootPath
    for (const [path, desc] of host.endpoints()) {
      if (root && root !== '/' && path.startsWith(root + '/')) continue
      out[path] = desc
    }
    return sortedJson(c, out, 200, 'text/plain; charset=utf-8')
  })

  for (const path of ['/metrics', '/stats'] as const) {
    app.all(path, async (c) => {
      const r = metrics ? await metrics.render(path) : undefined
      if (!r) return textError(c, 404, '404 page not found')
      // Bytes, not a string: Node prepends the response head to a string body and writes the
      // copy with V8's per-character UTF-8 encoder (over 1 ms of main thread for 100 streams'
      // series); bytes go out as they are, the head separately.
      return c.body(typeof r.body === 'string' ? UTF8.encode(r.body) : r.body, 200, { 'Content-Type': r.contentType })
    })
  }
}

const UTF8 = new TextEncoder()

const SERVICE_ENDPOINTS: Record<string, string> = {
  '/ping': 'Ping me.',
  '/version': 'Returns the service version.',
  '/endpoints': 'Returns this map of endpoints.',
  '/ready': 'Returns 200 OK if all streams are connected, otherwise a 503 naming those that are not.',
}
