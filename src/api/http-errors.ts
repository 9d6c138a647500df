/**
 * Response helpers in the reference's shapes: Go `http.Error` text bodies, lint JSON, and JSON with
 * keys sorted the way Go marshals maps.
 */
import type { Context } from 'hono'

export function textError(c: Context, status: 400 | 401 | 404 | 405 | 413 | 500 | 502 | 503, message: string): Response {
  return c.body(message + '\n', status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' })
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

/** The request body as text; config bodies must be UTF-8 (spec §5.5 lint rule, line 1). */
export async function bodyText(c: Context): Promise<{ ok: true; text: string } | { ok: false; response: Response }> {
  const buf = await c.req.arrayBuffer()
  try {
    return { ok: true, text: strictUtf8.decode(buf) }
  } catch {
    return { ok: false, response: lintError(c, ['(1,1) detected invalid utf-8 encoding in config, this may result in interpolation functions not working as expected']) }
  }
}
