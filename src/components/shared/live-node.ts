/**
 * Live connections on a component's own node:http server (a custom `address`): a streamed
 * response written straight to the `ServerResponse`, or a WebSocket upgraded with `ws` (the same
 * library the shared server's relay uses, so both speak the protocol the same way).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData } from 'ws'
import type { EndpointRequest } from '../../spec/index.js'
import { LiveConnectionImpl, type LiveHandler } from './live-endpoints.js'

function requestOf(req: IncomingMessage, params: Record<string, string>): EndpointRequest {
  const url = req.url ?? '/'
  const q = url.indexOf('?')
  return {
    method: req.method ?? 'GET',
    path: q === -1 ? url : url.slice(0, q),
    query: q === -1 ? '' : url.slice(q + 1),
    rawHeaders: req.rawHeaders,
    body: new Uint8Array(0),
    remoteAddress: req.socket.remoteAddress ?? '',
    params,
  }
}

/** Runs a `stream` handler on a node response. */
export function serveStream(req: IncomingMessage, res: ServerResponse, params: Record<string, string>, handler: LiveHandler): void {
  const conn = new LiveConnectionImpl({
    head: (status, headers) => {
      if (res.headersSent) return
      for (const [k, v] of headers) res.appendHeader(k, v)
      res.writeHead(status)
      res.flushHeaders()
    },
    send: (data) => void res.write(data),
    close: () => void res.end(),
  })
  res.on('close', () => conn.end())
  req.resume()
  handler(requestOf(req, params), conn)
}

let wss: WebSocketServer | undefined

/** Completes a WebSocket handshake and runs a `socket` handler on it. */
export function serveSocket(req: IncomingMessage, socket: Duplex, head: Buffer, params: Record<string, string>, handler: LiveHandler): void {
  wss ??= new WebSocketServer({ noServer: true })
  socket.on('error', () => {})
  wss.handleUpgrade(req, socket, head, (ws) => {
    const conn = new LiveConnectionImpl({
      head: () => {},
      send: (data, binary) => ws.send(data, { binary }),
      close: (code, reason) => ws.close(code ?? 1000, reason),
    })
    ws.on('message', (data: RawData, isBinary: boolean) => conn.deliver(toBytes(data), isBinary))
    ws.on('close', () => conn.end())
    ws.on('error', () => conn.end())
    handler(requestOf(req, params), conn)
  })
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data)
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data
}
