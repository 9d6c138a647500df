/**
 * `GET /streams/{id}/tap?point=input|processor:N|output&rate=R&max_bytes=B`: a server-sent event
 * feed of the messages leaving one point of a stream. The worker samples at most 50 messages/s per
 * point and 16 KiB of content each, shared by every client of that point; each client narrows that
 * to its own `rate` (events/s) and `max_bytes`. Events: `open` (what was granted), `message` (one
 * sample; `skipped` counts messages passed over since the previous one), `end` (the worker serving
 * the stream went: restart, update, delete; the browser reconnects to the new one).
 */
import type { Context, Hono } from 'hono'
import type { Host } from '../supervisor/host.js'
import type { TapEvent } from '../protocol/messages.js'
import { textError } from './http-errors.js'
import type { SseHub } from './sse.js'

const MAX_RATE = 50
const MAX_BYTES = 16 * 1024
const DEFAULT_RATE = 10
const DEFAULT_BYTES = 1024

export function tapRoutes(app: Hono, host: Host, hub: SseHub): void {
  app.get('/streams/:id/tap', (c) => tap(c, host, hub))
}

function tap(c: Context, host: Host, hub: SseHub): Response {
  const id = c.req.param('id')!
  const point = c.req.query('point') ?? 'output'
  const rate = intParam(c.req.query('rate'), DEFAULT_RATE, MAX_RATE)
  if (rate === undefined) return textError(c, 400, `Error: rate must be a whole number of events per second from 1 to ${MAX_RATE}`)
  const maxBytes = intParam(c.req.query('max_bytes'), DEFAULT_BYTES, MAX_BYTES)
  if (maxBytes === undefined) return textError(c, 400, `Error: max_bytes must be a whole number from 1 to ${MAX_BYTES}`)
  if (!host.has(id)) return textError(c, 404, 'Stream not found')
  // Checked before the feed opens, so a bad point is a plain 400 and not an event.
  const probe = host.tap(id, point, { events: () => {}, end: () => {} })
  if (!probe.ok) {
    if (probe.reason === 'not_found') return textError(c, 404, 'Stream not found')
    if (probe.reason === 'unavailable') return textError(c, 503, `Error: stream ${id} has no running worker to tap (state ${host.info(id)?.state ?? 'unknown'})`)
    return textError(c, 400, `Error: unknown tap point ${JSON.stringify(point)}: stream ${id} has ${(probe.points ?? []).join(', ')}`)
  }
  const response = hub.respond((sink) => {
    let seq = 0
    let windowStart = 0
    let sent = 0
    let skipped = 0
    const out = host.tap(id, point, {
      events: (events) => {
        for (const e of events) {
          const now = Date.now()
          if (now - windowStart >= 1000) {
            windowStart = now
            sent = 0
          }
          if (sent >= rate) {
            skipped += 1 + (e.skipped ?? 0)
            continue
          }
          sent++
          sink.send('message', shaped(point, e, maxBytes, skipped), ++seq)
          skipped = 0
        }
      },
      end: (reason) => {
        sink.send('end', { reason })
        sink.end()
      },
    })
    if (!out.ok) {
      sink.send('end', { reason: 'stream worker stopped' })
      sink.end()
      return () => {}
    }
    sink.send('open', { stream: id, point, rate, max_bytes: maxBytes })
    return out.leave
  })
  // The probe held the point on until the feed's own subscription (made as the body started) took over.
  probe.leave()
  return response
}

/** The event a client gets: content cut to its own limit, time as RFC 3339. */
function shaped(point: string, e: TapEvent, maxBytes: number, skipped: number): Record<string, unknown> {
  let content = e.content
  let truncated = e.truncated
  const bytes = Buffer.from(content)
  if (bytes.length > maxBytes) {
    content = bytes.subarray(0, maxBytes).toString('utf8')
    truncated = true
  }
  const total = skipped + (e.skipped ?? 0)
  return {
    point,
    at: new Date(e.at).toISOString(),
    content,
    bytes: e.bytes,
    truncated,
    metadata: e.metadata,
    ...(e.error !== undefined ? { error: e.error } : {}),
    ...(total > 0 ? { skipped: total } : {}),
  }
}

function intParam(raw: string | undefined, dflt: number, max: number): number | undefined {
  if (raw === undefined || raw === '') return dflt
  if (!/^\d+$/.test(raw)) return undefined
  const n = Number(raw)
  return n >= 1 && n <= max ? n : undefined
}
