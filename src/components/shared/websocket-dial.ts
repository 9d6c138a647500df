/**
 * Dialling a WebSocket server for the `websocket` input and output (with the `ws` package, a
 * dependency already for live HTTP endpoints): the reference's auth fields (OAuth 1, basic, JWT)
 * sign the upgrade request, `tls` configures `wss://`, and `proxy_url` tunnels through an HTTP
 * proxy with CONNECT.
 */
import { request as httpRequest } from 'node:http'
import type { Socket } from 'node:net'
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls'
import type WebSocket from 'ws'
import { abortError } from '../../util/channel.js'
import type { RequestSigner } from './http-client-auth.js'
import { RequestHeaders } from './http-client-request.js'

export interface WsDialOptions {
  url: string
  proxyUrl: string | undefined
  tls: ConnectionOptions | undefined
  signer: RequestSigner
}

/** The `ws` package, loaded when a WebSocket component first dials (it is not in the thread bundle). */
async function wsModule(): Promise<typeof WebSocket> {
  return (await import('ws')).default
}

/** A TCP (or TLS) socket to `target` through an HTTP proxy's CONNECT. */
function tunnel(proxyUrl: string, target: URL, tls: ConnectionOptions | undefined, signal: AbortSignal): Promise<Socket> {
  const proxy = new URL(proxyUrl)
  const port = target.port || (target.protocol === 'wss:' ? '443' : '80')
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: `${target.hostname}:${port}` }
    if (proxy.username) headers['proxy-authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`
    const req = httpRequest({ host: proxy.hostname, port: proxy.port || 80, method: 'CONNECT', path: `${target.hostname}:${port}`, headers, signal })
    req.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy()
        reject(new Error(`proxy refused the tunnel: ${res.statusCode} ${res.statusMessage ?? ''}`.trim()))
        return
      }
      if (target.protocol !== 'wss:') return resolve(socket)
      const secure = tlsConnect({ ...tls, socket, servername: target.hostname })
      secure.once('secureConnect', () => resolve(secure))
      secure.once('error', reject)
    })
    req.once('error', (err) => reject(signal.aborted ? abortError(signal) : err))
    req.end()
  })
}

/**
 * An open WebSocket; rejects with the handshake or connection error, or when `signal` aborts.
 * `onMessage` is attached before the handshake: frames that arrive with the upgrade response are
 * emitted in the same tick as `open`, before any listener added after the promise resolves.
 */
export async function dialWebSocket(o: WsDialOptions, signal: AbortSignal, onMessage?: (data: WebSocket.RawData, ws: WebSocket) => void): Promise<WebSocket> {
  const WS = await wsModule()
  const target = new URL(o.url)
  const headers = new RequestHeaders()
  await o.signer.sign({ method: 'GET', url: o.url, headers })
  const tunnelled = o.proxyUrl !== undefined ? await tunnel(o.proxyUrl, target, o.tls, signal) : undefined
  const ws = new WS(o.url, {
    headers: Object.fromEntries(headers.pairs()),
    ...o.tls,
    ...(tunnelled ? { createConnection: () => tunnelled } : {}),
    handshakeTimeout: 30_000,
  })
  if (onMessage) ws.on('message', (data: WebSocket.RawData) => onMessage(data, ws))
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      ws.terminate()
      reject(abortError(signal))
    }
    const cleanup = (): void => {
      signal.removeEventListener('abort', onAbort)
      ws.off('error', onError)
      ws.off('unexpected-response', onResponse)
    }
    const onError = (err: Error): void => {
      cleanup()
      reject(err)
    }
    const onResponse = (_req: unknown, res: { statusCode?: number }): void => {
      cleanup()
      ws.terminate()
      reject(new Error('websocket: bad handshake' + (res.statusCode ? ` (status ${res.statusCode})` : '')))
    }
    ws.once('open', () => {
      cleanup()
      // Later errors end the connection; readers and writers see it as closed.
      ws.on('error', () => {})
      resolve(ws)
    })
    ws.once('error', onError)
    ws.once('unexpected-response', onResponse)
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
  })
}
