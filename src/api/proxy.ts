/**
 * The data plane: requests for stream endpoints are matched on the raw node:http request and
 * forwarded through the supervisor to the owning worker before any framework sees them
 * (measured: Hono's adaptation costs more per request than the thread hop, spec/node-limits.md).
 * Body chunks are handed over as read; the worker handle copies them once into the packed frame
 * that crosses the port. Readiness routes are answered here from a supervisor query.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Host, Readiness } from '../supervisor/host.js'
import type { RouteMatch, RouteTable } from './route-table.js'
import { lingerOnClose, rawHeader, sendResponse, textResponse, writeFramed } from '../http/index.js'
import { proxyStream } from './proxy-live.js'

export interface ProxyOptions {
  /** Largest request body accepted, in bytes; larger gets 413. */
  maxBodyBytes: number
}

const TEXT = 'text/plain; charset=utf-8'
const EMPTY = new Uint8Array(0)

/** Returns false when the request is not for a stream endpoint (the API handles it). */
export function proxyRequest(host: Host, routes: RouteTable, req: IncomingMessage, res: ServerResponse, opts: ProxyOptions): boolean {
  const url = req.url ?? '/'
  const q = url.indexOf('?')
  const pathname = q === -1 ? url : url.slice(0, q)
  const ready = host.readinessAt(pathname)
  if (ready !== undefined) {
    answerReadiness(ready, res)
    return true
  }
  const match = routes.match(pathname)
  if (!match) return false
  const { target } = match
  if (!target.live) {
    plain(res, 503, 'Service unavailable')
    return true
  }
  const gate = host.gate(target.stream)
  if (gate !== 'open') {
    if (gate === 'paused') res.setHeader('Retry-After', '5')
    plain(res, 503, gate === 'paused' ? 'Stream paused' : 'Service unavailable')
    return true
  }
  readBody(req, opts.maxBodyBytes, (body) => {
    if (body === undefined) {
      res.setHeader('Connection', 'close')
      lingerOnClose(req.socket)
      plain(res, 413, 'Request Entity Too Large')
      return
    }
    forward(host, req, res, match, pathname, q === -1 ? '' : url.slice(q + 1), body)
  })
  return true
}

function forward(host: Host, req: IncomingMessage, res: ServerResponse, match: RouteMatch, pathname: string, query: string, body: Uint8Array): void {
  // Hook for live endpoints (proxy-live.ts): a streamed response instead of one reply.
  if (host.liveKind(match.target.stream, match.target.endpoint) === 'stream') {
    const request = { method: req.method ?? 'GET', path: pathname, query, rawHeaders: req.rawHeaders, remoteAddress: req.socket.remoteAddress ?? '', params: match.params }
    return proxyStream(host, match.target.stream, req, res, match.target.endpoint, request)
  }
  // A client that goes away is not chased into the worker: the input still answers (408 or the
  // result) and the message may still be delivered, as in the reference (spec §8.2).
  const sent = host.forward(
    match.target.stream,
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
      // Framed in the worker (responseHead) before it crossed the port.
      writeFramed(res, r.status, r.headers, r.body)
    },
  )
  // The worker went away while the body was read.
  if (!sent) plain(res, 503, 'Service unavailable')
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
      // (hardening) Answered now, not after the rest arrives: the 413 closes the connection.
      done(undefined)
      return
    }
    chunks.push(c)
  })
  req.on('end', () => {
    if (over) return
    // No copy here: the frame the request travels in copies it (small bodies) or owns it (large).
    done(chunks.length === 1 ? chunks[0]! : chunks.length === 0 ? EMPTY : Buffer.concat(chunks, size))
  })
  // (hardening) A body cut short (client gone, or the socket closed after a 413) is not forwarded:
  // it was never a whole message, and `done` may already have answered.
  req.on('error', () => {
    over = true
  })
}

/** `/<id>/ready` as the reference answers it (spec §6.12). */
function answerReadiness(r: Readiness, res: ServerResponse): void {
  if (!r.live) return plain(res, 503, 'Service unavailable')
  const body: Record<string, unknown> = { statuses: r.statuses.map((s) => ({ label: s.label, path: s.path, connected: s.connected, ...(s.error ? { error: s.error } : {}) })) }
  if (r.terminated) body.error = 'stream terminated'
  const ok = !r.terminated && r.statuses.length > 0 && r.statuses.every((s) => s.connected)
  sendResponse(res, { status: ok ? 200 : 503, headers: [['Content-Type', ok ? 'application/json' : TEXT]], body: JSON.stringify(body) })
}

/** `http.Error` on the shared server (headers set earlier with `setHeader` are kept). */
export function plain(res: ServerResponse, status: number, text: string): void {
  sendResponse(res, textResponse(status, text))
}
