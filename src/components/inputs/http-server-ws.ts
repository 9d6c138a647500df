/**
 * The `http_server` input's `ws_path` (spec components §4.4): every WebSocket message becomes a
 * transaction, one at a time per connection. The next message is read only once the previous one
 * is acknowledged; a nack retries the same message after a back-off. Sync responses go back as
 * text messages. `ws_welcome_message` greets each client; `ws_rate_limit_message` answers a
 * message that the rate limit holds back.
 *
 * Departure from the reference: when rate limited it waits the limit's answer before asking again
 * (Go asks again at once, sending the rate limit message on every attempt).
 */
import { Message, type SyncResponseStore } from '../../message/message.js'
import type { Value } from '../../value/index.js'
import type { ComponentContext, EndpointRequest, Transaction } from '../../spec/index.js'
import { Backoff, sleep } from '../../util/backoff.js'
import { canonicalHeaderKey, parseCookies } from '../shared/http-util.js'
import type { LiveConnection, LiveHandler } from '../shared/live-endpoints.js'

export interface WsInputHooks {
  ctx: ComponentContext
  welcome: string
  rateLimitMessage: string
  rateLimit: string
  /** true once the input is closing: no new message is taken. */
  stopping(): boolean
  /** Aborted when the input closes: idle sockets are closed then. */
  closing: AbortSignal
  /** Runs `tx` through the stream; resolves with its ack (undefined = refused, the input closes). */
  deliver(tx: Omit<Transaction, 'ack'>, gone: AbortSignal): Promise<{ err: Error | undefined } | undefined>
}

export function wsHandler(h: WsInputHooks): LiveHandler {
  return (req, conn) => void serve(h, req, conn)
}

async function serve(h: WsInputHooks, req: EndpointRequest, conn: LiveConnection): Promise<void> {
  const { ctx } = h
  if (h.stopping()) return conn.close(1001, 'Server closing')
  const inbox: Uint8Array[] = []
  let wake: (() => void) | undefined
  conn.onMessage((data) => {
    inbox.push(data)
    wake?.()
  })
  conn.closed.addEventListener('abort', () => wake?.(), { once: true })
  h.closing.addEventListener('abort', () => wake?.(), { once: true })
  if (h.welcome !== '') conn.send(h.welcome, true)
  const backoff = new Backoff(100, 1000)
  const meta = socketMetadata(req)
  const gone = AbortSignal.any([conn.closed, ctx.signal, h.closing])
  try {
    while (!h.stopping() && !gone.aborted) {
      if (inbox.length === 0) {
        await new Promise<void>((r) => (wake = r))
        wake = undefined
        continue
      }
      const data = inbox[0]!
      if (h.rateLimit !== '') {
        let wait: number
        try {
          wait = await ctx.resources.rateLimit(h.rateLimit).access()
        } catch (err) {
          ctx.logger.warn(`Failed to access rate limit: ${err instanceof Error ? err.message : String(err)}`)
          wait = 1000
        }
        if (wait > 0) {
          if (h.rateLimitMessage !== '') conn.send(h.rateLimitMessage, true)
          await sleep(wait, gone)
          continue
        }
      }
      const store: SyncResponseStore = { batches: [] }
      const msg = new Message(data, () => new Map(meta), { syncResponse: store })
      const res = await h.deliver({ batch: [msg] }, gone)
      if (res === undefined) break
      if (res.err) {
        await sleep(backoff.next(), gone)
        continue
      }
      backoff.reset()
      inbox.shift()
      for (const batch of store.batches) for (const part of batch) conn.send(part.bytes(), false)
    }
  } finally {
    conn.close(1001, 'Server closing')
  }
}

/** What the reference sets on a WebSocket message: user agent, headers, query, path params, cookies. */
function socketMetadata(req: EndpointRequest): Map<string, Value> {
  const meta = new Map<string, Value>()
  let ua = ''
  const cookies: string[] = []
  const raw = req.rawHeaders
  const headers = new Map<string, string>()
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = canonicalHeaderKey(raw[i]!)
    if (!headers.has(k)) headers.set(k, raw[i + 1]!)
    if (k === 'User-Agent' && ua === '') ua = raw[i + 1]!
    if (k === 'Cookie') cookies.push(raw[i + 1]!)
  }
  meta.set('http_server_user_agent', ua)
  for (const [k, v] of headers) meta.set(k, v)
  const seen = new Set<string>()
  for (const [k, v] of new URLSearchParams(req.query)) {
    if (seen.has(k)) continue
    seen.add(k)
    meta.set(k, v)
  }
  for (const k in req.params) meta.set(k, req.params[k]!)
  for (const [k, v] of parseCookies(cookies)) meta.set(k, v)
  return meta
}
