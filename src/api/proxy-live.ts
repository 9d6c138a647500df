/**
 * Live connections on the shared server, relayed to the owning worker as `live.*` messages
 * (protocol/messages.ts): streamed responses (`http_server` output `stream_path`) and WebSockets
 * (`ws_path` of the `http_server` input and output). The main thread owns the socket; the worker
 * decides whether to accept and what to send. WebSocket framing is done by `ws`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import type { Host } from '../supervisor/host.js'
import type { LiveRequest } from '../protocol/messages.js'
import type { RouteTable } from './route-table.js'

/** Forwards a request for a `stream` endpoint; the response is written as the worker sends it. */
export function proxyStream(host: Host, stream: string, req: IncomingMessage, res: ServerResponse, endpoint: string, request: LiveRequest): void {
  let headSent = false
  const handle = host.openLive(stream, 'stream', endpoint, request, {
    head: (status, headers) => {
      if (headSent || res.destroyed) return
      headSent = true
      res.writeHead(status, headers.flat())
      // Each chunk goes out as it comes: the client reads a continuous stream.
      res.flushHeaders()
    },
    data: (data) => {
      if (!res.destroyed) res.write(data)
    },
    close: () => {
      if (!headSent && !res.destroyed) res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Service unavailable\n')
      else if (!res.destroyed) res.end()
    },
  })
  if (!handle) {
    res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Service unavailable\n')
    return
  }
  res.on('close', () => handle.close())
  req.resume()
}

let wss: WebSocketServer | undefined

/**
 * Handles an HTTP upgrade for a stream's WebSocket endpoint. Returns false when the path is not a
 * stream endpoint (the caller refuses the upgrade).
 */
export function proxyUpgrade(host: Host, routes: RouteTable, req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
  const url = req.url ?? '/'
  const q = url.indexOf('?')
  const pathname = q === -1 ? url : url.slice(0, q)
  const match = routes.match(pathname)
  if (!match) return false
  const open = match.target.live && host.gate(match.target.stream) === 'open'
  if (!open || host.liveKind(match.target.stream, match.target.endpoint) !== 'socket') {
    refuse(socket, open ? 400 : 503, open ? 'Bad Request' : 'Service unavailable')
    return true
  }
  socket.on('error', () => {})
  const request: LiveRequest = {
    method: req.method ?? 'GET',
    path: pathname,
    query: q === -1 ? '' : url.slice(q + 1),
    rawHeaders: req.rawHeaders,
    remoteAddress: req.socket.remoteAddress ?? '',
    params: match.params,
  }
  let ws: WebSocket | undefined
  /** Worker messages that arrive before the handshake completes. */
  let early: [Uint8Array | string, boolean][] = []
  let refused: { status: number; body: string } | undefined
  let closedEarly: [number | undefined, string | undefined] | undefined
  const opened = host.openLive(match.target.stream, 'socket', match.target.endpoint, request, {
    head: (status) => {
      if (status !== 101) {
        refused = { status, body: '' }
        return
      }
      wss ??= new WebSocketServer({ noServer: true })
      wss.handleUpgrade(req, socket, head, (client) => {
        ws = client
        client.on('message', (data: RawData, isBinary: boolean) => handle.send(toBytes(data), isBinary))
        client.on('close', () => handle.close())
        client.on('error', () => handle.close())
        for (const [d, b] of early) client.send(d, { binary: b })
        early = []
        if (closedEarly) closeWs(client, ...closedEarly)
      })
    },
    data: (data, binary) => {
      if (refused) refused.body += typeof data === 'string' ? data : Buffer.from(data).toString()
      else if (ws) ws.send(data, { binary })
      else early.push([data, binary])
    },
    close: (code, reason) => {
      if (refused) return refuse(socket, refused.status, refused.body.trimEnd())
      if (ws) closeWs(ws, code, reason)
      else closedEarly = [code, reason]
    },
  })
  if (!opened) {
    refuse(socket, 503, 'Service unavailable')
    return true
  }
  const handle = opened
  socket.on('close', () => handle.close())
  return true
}

function closeWs(ws: WebSocket, code: number | undefined, reason: string | undefined): void {
  // Codes the protocol reserves for the transport cannot be sent in a close frame.
  const sendable = code !== undefined && code >= 1000 && code < 5000 && code !== 1004 && code !== 1005 && code !== 1006 && code !== 1015
  ws.close(sendable ? code : 1000, sendable ? reason : undefined)
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data)
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data
}

function refuse(socket: Duplex, status: number, text: string): void {
  const body = `${text}\n`
  socket.end(
    `HTTP/1.1 ${status} ${statusLine(status)}\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  )
}

function statusLine(status: number): string {
  return { 400: 'Bad Request', 404: 'Not Found', 503: 'Service Unavailable' }[status] ?? 'Error'
}
