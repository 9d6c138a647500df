/**
 * Response helpers in the reference's shapes: Go `http.Error` text bodies, lint JSON, and JSON with
 * keys sorted the way Go marshals maps.
 */
import type { Context } from 'hono'
import type { IncomingMessage } from 'node:http'
import { lingerOnClose } from '../http/index.js'
import type { ErrorData } from '../errors.js'

export function textError(c: Context, status: 400 | 401 | 404 | 405 | 413 | 500 | 502 | 503, message: string): Response {
  return c.body(message + '\n', status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' })
}

/**
 * A body that does not parse: 400 `Error: <message>` as the reference answers. Weir's own
 * document limits add where they tripped, since the body may be megabytes long.
 */
export function bodyError(c: Context, e: ErrorData): Response {
  const at = e.code === 'CONFIG_LIMIT' && e.line !== undefined ? ` (line ${e.line}, column ${e.col ?? 1})` : ''
  return textError(c, 400, `Error: ${e.message}${at}`)
}

export function lintError(c: Context, lintErrors: string[]): Response {
  return c.body(JSON.stringify({ lint_errors: lintErrors }), 400, { 'Content-Type': 'application/json' })
}

export function emptyOk(c: Context): Response {
  return c.body(null, 200)
}

/** JSON with object keys sorted recursively (Go map ordering), compact like encoding/json. */
export function sortedJson(c: Context, value: unknown, status: 200 | 503 = 200, contentType = 'application/json'): Response {
  return c.body(stableStringify(value), status, { 'Content-Type': contentType })
}

export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return '[' + value.map((v) => (v === undefined ? 'null' : stableStringify(v))).join(',') + ']'
  const o = value as Record<string, unknown>
  // Built by hand: JS objects list integer-like keys first, which would leak into the output.
  const parts: string[] = []
  for (const k of Object.keys(o).sort(byteOrder)) {
    if (o[k] === undefined) continue
    parts.push(JSON.stringify(k) + ':' + stableStringify(o[k]))
  }
  return '{' + parts.join(',') + '}'
}

/** Byte-wise UTF-8 ordering, as Go sorts map keys. */
export function byteOrder(a: string, b: string): number {
  const ba = Buffer.from(a)
  const bb = Buffer.from(b)
  return Buffer.compare(ba, bb)
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * The request body as text, at most `limit` bytes: a declared Content-Length over it is refused
 * before reading, a chunked body is cut off as soon as it passes it (413, connection closed, so
 * memory stays bounded by the limit). Config bodies must be UTF-8 (spec §5.5 lint rule, line 1).
 */
export async function bodyText(c: Context, limit: number): Promise<{ ok: true; text: string } | { ok: false; response: Response }> {
  const declared = Number(c.req.header('content-length') ?? 0)
  if (declared > limit) return { ok: false, response: tooLarge(c) }
  const body = c.req.raw.body
  const chunks: Uint8Array[] = []
  let size = 0
  if (body) {
    const reader = body.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > limit) {
        await reader.cancel().catch(() => undefined)
        return { ok: false, response: tooLarge(c) }
      }
      chunks.push(value)
    }
  }
  const buf = Buffer.concat(chunks, size)
  try {
    return { ok: true, text: strictUtf8.decode(buf) }
  } catch {
    return { ok: false, response: lintError(c, ['(1,1) detected invalid utf-8 encoding in config, this may result in interpolation functions not working as expected']) }
  }
}

/** Go's `http.StatusText(413)`, as the stream endpoints answer; the rest of the body is not read. */
function tooLarge(c: Context): Response {
  // @hono/node-server hands the Node request over as `env.incoming`.
  lingerOnClose((c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket)
  return c.body('Request Entity Too Large\n', 413, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', Connection: 'close' })
}
