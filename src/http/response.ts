/**
 * Response framing for every Weir HTTP server, decided in one place: which headers go out and
 * whether a complete body is announced with Content-Length or left to chunked encoding, the way
 * Go's net/http frames what a handler wrote. The worker applies it before a response crosses the
 * port; own-address servers and the harness apply it before writing.
 */
import type { ServerResponse } from 'node:http'
import type { HeaderPairs } from './headers.js'

/** A complete response as an endpoint handler returns it. */
export interface HttpResponse {
  status: number
  headers: HeaderPairs
  body: string | Uint8Array
}

/**
 * net/http's bufferBeforeChunkingSize: a handler that finishes having written at most this much
 * gets a Content-Length; more is flushed (chunked) before the handler returns.
 */
const BUFFER_BEFORE_CHUNKING = 2048

const TEXT = 'text/plain; charset=utf-8'

/**
 * The header list to write for `res`, flat (`name, value, ...`) as node's `writeHead` and the port
 * take it: the handler's headers in order, plus `Content-Length` when net/http would state it.
 * Statuses without a body (1xx, 204, 304) never carry Content-Length or Transfer-Encoding, and
 * 304 no Content-Type, as net/http suppresses them.
 */
export function responseHead(res: HttpResponse): string[] {
  const status = res.status
  const bodyless = status < 200 || status === 204 || status === 304
  const head: string[] = []
  let framed = false
  for (const [k, v] of res.headers) {
    // Only these lengths can name a framing header; everything else skips the lower-casing.
    if (k.length === 14 || k.length === 17 || (bodyless && k.length === 12)) {
      const l = k.toLowerCase()
      if (l === 'content-length' || l === 'transfer-encoding') {
        if (bodyless) continue
        framed = true
      } else if (status === 304 && l === 'content-type') {
        continue
      }
    }
    head.push(k, v)
  }
  if (!framed && !bodyless) {
    const n = typeof res.body === 'string' ? Buffer.byteLength(res.body) : res.body.byteLength
    if (n <= BUFFER_BEFORE_CHUNKING) head.push('Content-Length', String(n))
  }
  return head
}

/** Writes a response whose head `responseHead` (or the worker, through it) already framed. */
export function writeFramed(out: ServerResponse, status: number, head: readonly string[], body: string | Uint8Array): void {
  out.writeHead(status, head as string[])
  out.end(body)
}

/** Frames and writes `res`. */
export function sendResponse(out: ServerResponse, res: HttpResponse): void {
  writeFramed(out, res.status, responseHead(res), res.body)
}

/** Go's `http.Error`: the text plus a newline, plain text, `nosniff`. */
export function textResponse(status: number, text: string): HttpResponse {
  return {
    status,
    headers: [
      ['Content-Type', TEXT],
      ['X-Content-Type-Options', 'nosniff'],
    ],
    body: `${text}\n`,
  }
}

/** mux's answer to an unclean path (see clean-path.ts): 301 to `location`, no body. */
export function movedPermanently(location: string): HttpResponse {
  return { status: 301, headers: [['Location', location]], body: '' }
}

/** Go's `http.NotFound`, as mux answers a path no route matches. */
export function notFound(): HttpResponse {
  return textResponse(404, '404 page not found')
}
