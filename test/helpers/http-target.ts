/**
 * A real loopback HTTP server standing in for an HTTP target: records every request, answers with
 * a handler, and counts requests in flight (to tell serial from parallel clients).
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import { createServer as createNetServer, type Socket } from 'node:net'
import type { TestContext } from 'node:test'

export interface Seen {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: Buffer
  /** performance.now() when the request body was read. */
  at: number
}

export type Reply = (req: Seen, res: ServerResponse, n: number) => void

export interface Target {
  url: string
  seen: Seen[]
  /** Most requests ever in flight at once. */
  peak: () => number
}

export async function httpTarget(t: TestContext, reply: Reply = (_q, res) => res.end('ok')): Promise<Target> {
  const seen: Seen[] = []
  let inFlight = 0
  let peak = 0
  const server = createServer((req, res) => {
    inFlight++
    peak = Math.max(peak, inFlight)
    res.on('close', () => inFlight--)
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const s: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks), at: performance.now() }
      seen.push(s)
      reply(s, res, seen.length)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  t.after(() => {
    server.closeAllConnections()
    return new Promise<void>((r) => server.close(() => r()))
  })
  const a = server.address()
  return { url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`, seen, peak: () => peak }
}

/** A TCP server that answers every connection with bytes that are not HTTP, then hangs up. */
export async function garbageTarget(t: TestContext): Promise<{ url: string; connections: () => number }> {
  let n = 0
  const sockets = new Set<Socket>()
  const server = createNetServer((s) => {
    n++
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
    s.on('error', () => {})
    s.end('\x00\x01garbage that is not a status line\r\n\r\n')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  t.after(() => {
    for (const s of sockets) s.destroy()
    return new Promise<void>((r) => server.close(() => r()))
  })
  const a = server.address()
  return { url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`, connections: () => n }
}

/** A loopback port nothing listens on (bound, read, released). */
export async function deadPort(): Promise<number> {
  const s = createNetServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))
  const a = s.address()
  const port = typeof a === 'object' && a ? a.port : 0
  await new Promise<void>((r) => s.close(() => r()))
  return port
}
