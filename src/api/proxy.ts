/**
 * The data plane: requests for stream endpoints are matched on the raw node:http request and
 * forwarded to the owning worker before any framework sees them (measured: Hono's adaptation costs
 * more per request than the thread hop, spec/node-limits.md). Body chunks are handed over as
 * read; the worker handle copies them once into the packed frame that crosses the port.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Host } from '../supervisor/host.js'
import { READY_ENDPOINT } from '../supervisor/host.js'
import type { RouteMatch } from './route-table.js'
import { rawHeader } from '../util/raw-headers.js'
import { proxyStream } from './proxy-live.js'

export interface ProxyOptions {
  /** Largest request body accepted, in bytes; larger gets 413. */
  maxBodyBytes: number
}

const TEXT = 'text/plain; charset=utf-8'
const EMPTY = new Uint8Array(0)

/** Returns false when the request is not for a stream endpoint (the API handles it). */
export function proxyRequest(host: Host, req: IncomingMessage, res: ServerResponse, opts: ProxyOptions): boolean {
  const url = req.url ?? '/'
  const q = url.indexOf('?')
  const pathname = q === -1 ? url : url.slice(0, q)
  const match = host.routes.match(pathname)
  if (!match) return false
  const { target } = match
  if (!target.live) {
    plain(res, 503, 'Service unavailable')
    return true
  }
  if (target.endpoint === READY_ENDPOINT) {
    streamReady(host, target.stream, res)
    return true
  }
  const rec = host.record(target.stream)
  const worker = rec?.worker
  if (!rec || !worker) {
    plain(res, 503, 'Service unavailable')
    return true
  }
  if (rec.paused) {
    res.setHeader('Retry-After', '5')
    plain(res, 503, 'Stream paused')
    return true
  }
  readBody(req, opts.maxBodyBytes, (body) => {
    if (body === undefined) {
      res.setHeader('Connection', 'close')
      plain(res, 413, 'Request Entity Too Large')
      return
    }
    forward(host, req, res, match, pathname, q === -1 ? '' : url.slice(q + 1), body)
  })
  return true
}

function forward(host: Host, req: IncomingMessage, res: ServerResponse, match: RouteMatch, pathname: string, query: string, body: Uint8Array): void {
  const worker = host.record(match.target.stream)?.worker
  if (!worker) return plain(res, 503, 'Service unavailable')
  // Hook for live endpoints (proxy-live.ts): a streamed response instead of one reply.
  if (worker.liveKind(match.target.endpoint) === 'stream') {
    const request = { method: req.method ?? 'GET', path: pathname, query, rawHeaders: req.rawHeaders, remoteAddress: req.socket.remoteAddress ?? '', params: match.params }
    return proxyStream(worker, req, res, match.target.endpoint, request)
  }
  // A client that goes away is not chased into the worker: the input still answers (408 or the
  // result) and the message may still be delivered, as in the reference (spec §8.2).
  worker.request(
    {
      endpoint: match.target.endpoint,
      method: req.method ?? 'GET',
      path: pathname,
      query,
      rawHeaders: req.rawHeaders,
      body,
      remoteAddress: req.socket.remoteAddress ?? '',
      params: match.params,
    },
    (r) => {
      if (res.destroyed) return
      res.writeHead(r.status, r.headers)
      res.end(r.body)
    },
  )
}

/** Reads the whole body; `undefined` when over the limit. */
function readBody(req: IncomingMessage, limit: number, done: (b: Uint8Array | undefined) => void): void {
  const declared = Number(rawHeader(req.rawHeaders, 'content-length'))
  if (declared > limit) {
    req.resume()
    done(undefined)
    return
  }
  const chunks: Buffer[] = []
  let size = 0
  let over = false
  req.on('data', (c: Buffer) => {
    if (over) return
    size += c.length
    if (size > limit) {
      over = true
      chunks.length = 0
      return
    }
    chunks.push(c)
  })
  req.on('end', () => {
    if (over) return done(undefined)
    // No copy here: the frame the request travels in copies it (small bodies) or owns it (large).
    done(chunks.length === 1 ? chunks[0]! : chunks.length === 0 ? EMPTY : Buffer.concat(chunks, size))
  })
  req.on('error', () => done(EMPTY))
}

function streamReady(host: Host, id: string, res: ServerResponse): void {
  const rec = host.record(id)
  const statuses = rec?.worker?.statuses ?? []
  const body: Record<string, unknown> = { statuses: statuses.map((s) => ({ label: s.label, path: s.path, connected: s.connected, ...(s.error ? { error: s.error } : {}) })) }
  const terminated = !rec || !rec.worker || rec.state === 'finished'
  if (terminated) body.error = 'stream terminated'
  const ok = !terminated && statuses.length > 0 && statuses.every((s) => s.connected)
  res.writeHead(ok ? 200 : 503, { 'Content-Type': ok ? 'application/json' : TEXT })
  res.end(JSON.stringify(body))
}

export function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': TEXT, 'X-Content-Type-Options': 'nosniff' })
  res.end(text + '\n')
}
