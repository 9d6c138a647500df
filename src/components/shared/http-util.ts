/**
 * HTTP details the reference gets from Go's standard library and that configs depend on:
 * canonical header names (`meta("Content-Type")`), media types, multipart bodies, cookies,
 * content sniffing and `http.Error` responses.
 */
import { Buffer } from 'node:buffer'
import { randomBytes } from 'node:crypto'
import type { EndpointResponse } from '../../spec/index.js'
import { textResponse } from '../../http/index.js'

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/**
 * Whether `k` already reads as Go would canonicalise it (or has a character that makes Go leave
 * it alone). Most clients send canonical names: this answers without building a string.
 */
function isCanonical(k: string): boolean {
  let upper = true
  for (let i = 0; i < k.length; i++) {
    const c = k.charCodeAt(i)
    if (c >= 0x61 && c <= 0x7a) {
      if (upper) return false
    } else if (c >= 0x41 && c <= 0x5a) {
      if (!upper) return false
    } else if (!(c >= 0x30 && c <= 0x39) && c !== 0x2d) {
      // Anything else: the TOKEN test of the slow path decides.
      return false
    }
    upper = c === 0x2d
  }
  return true
}

/** Go's `textproto.CanonicalMIMEHeaderKey`: `x-request-id` → `X-Request-Id`. */
export function canonicalHeaderKey(k: string): string {
  if (isCanonical(k)) return k
  if (!TOKEN.test(k)) return k
  let out = ''
  let upper = true
  for (const ch of k) {
    out += upper ? ch.toUpperCase() : ch.toLowerCase()
    upper = ch === '-'
  }
  return out
}

/** `http.Error`: plain text body plus newline, `nosniff`. */
export const httpError: (status: number, text: string) => EndpointResponse = textResponse

export interface MediaType {
  type: string
  params: Record<string, string>
}

/** Go's `mime.ParseMediaType`, reduced to what request parsing needs; undefined when malformed. */
export function parseMediaType(v: string): MediaType | undefined {
  const semi = v.indexOf(';')
  const type = (semi === -1 ? v : v.slice(0, semi)).trim().toLowerCase()
  const slash = type.indexOf('/')
  if (slash <= 0 || slash === type.length - 1 || !TOKEN.test(type.slice(0, slash)) || !TOKEN.test(type.slice(slash + 1))) return undefined
  const params: Record<string, string> = {}
  let rest = semi === -1 ? '' : v.slice(semi + 1)
  for (;;) {
    rest = rest.replace(/^[\s;]+/, '')
    if (rest === '') break
    const m = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\s*=\s*/.exec(rest)
    if (!m) return undefined
    rest = rest.slice(m[0].length)
    let value: string
    if (rest.startsWith('"')) {
      let i = 1
      value = ''
      for (; i < rest.length && rest[i] !== '"'; i++) {
        if (rest[i] === '\\' && i + 1 < rest.length) i++
        value += rest[i]
      }
      if (i >= rest.length) return undefined
      rest = rest.slice(i + 1)
    } else {
      const t = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/.exec(rest)
      if (!t) return undefined
      value = t[0]
      rest = rest.slice(value.length)
    }
    const key = m[1]!.toLowerCase()
    if (key in params) return undefined
    params[key] = value
    rest = rest.trimStart()
    if (rest !== '' && !rest.startsWith(';')) return undefined
  }
  return { type, params }
}

/** Bodies of every part of a multipart body. Throws on a malformed body. */
export function parseMultipart(body: Uint8Array, boundary: string): Uint8Array[] {
  if (!boundary) throw new Error('multipart: boundary is empty')
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  const dash = Buffer.from(`--${boundary}`)
  let pos = buf.indexOf(dash)
  if (pos === -1) throw new Error('multipart: NextPart: EOF')
  const parts: Uint8Array[] = []
  for (;;) {
    let p = pos + dash.length
    if (buf[p] === 45 && buf[p + 1] === 45) return parts // closing `--boundary--`
    // Rest of the boundary line (transport padding), then the newline.
    while (p < buf.length && (buf[p] === 32 || buf[p] === 9)) p++
    if (buf[p] === 13 && buf[p + 1] === 10) p += 2
    else if (buf[p] === 10) p += 1
    else throw new Error('multipart: boundary line is malformed')
    // Part headers end at an empty line.
    let bodyStart: number
    if (buf[p] === 13 && buf[p + 1] === 10) bodyStart = p + 2
    else if (buf[p] === 10) bodyStart = p + 1
    else {
      const crlf = buf.indexOf('\r\n\r\n', p)
      const lf = buf.indexOf('\n\n', p)
      if (crlf === -1 && lf === -1) throw new Error('multipart: unexpected EOF in part headers')
      bodyStart = crlf !== -1 && (lf === -1 || crlf < lf) ? crlf + 4 : lf + 2
    }
    const next = buf.indexOf(dash, bodyStart)
    if (next === -1) throw new Error('multipart: unexpected EOF')
    let end = next
    if (buf[end - 1] === 10) end--
    if (buf[end - 1] === 13) end--
    parts.push(buf.subarray(bodyStart, Math.max(end, bodyStart)))
    pos = next
  }
}

/** A `multipart/form-data` body as Go's `multipart.Writer` writes it (random 60-hex boundary). */
export function buildMultipart(parts: { contentType: string; body: Uint8Array }[]): { contentType: string; body: Buffer } {
  const boundary = randomBytes(30).toString('hex')
  const chunks: Buffer[] = []
  parts.forEach((p, i) => {
    chunks.push(Buffer.from(`${i === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Type: ${p.contentType}\r\n\r\n`))
    chunks.push(Buffer.from(p.body.buffer, p.body.byteOffset, p.body.byteLength))
  })
  chunks.push(Buffer.from(`${parts.length ? '\r\n' : ''}--${boundary}--\r\n`))
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(chunks) }
}

/** Cookies from `Cookie` headers (name → value, surrounding quotes removed), in order. */
export function parseCookies(values: string[]): [string, string][] {
  const out: [string, string][] = []
  for (const line of values) {
    for (const piece of line.split(';')) {
      const s = piece.trim()
      if (s === '') continue
      const eq = s.indexOf('=')
      const name = (eq === -1 ? s : s.slice(0, eq)).trim()
      if (!TOKEN.test(name)) continue
      let value = eq === -1 ? '' : s.slice(eq + 1).trim()
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1)
      out.push([name, value])
    }
  }
  return out
}

const HTML_TAGS = ['<!DOCTYPE HTML', '<HTML', '<HEAD', '<SCRIPT', '<IFRAME', '<H1', '<DIV', '<FONT', '<TABLE', '<A', '<STYLE', '<TITLE', '<B', '<BODY', '<BR', '<P', '<!--']

const MAGIC: [number[], string][] = [
  [[0x25, 0x50, 0x44, 0x46, 0x2d], 'application/pdf'],
  [[0x47, 0x49, 0x46, 0x38, 0x37, 0x61], 'image/gif'],
  [[0x47, 0x49, 0x46, 0x38, 0x39, 0x61], 'image/gif'],
  [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'image/png'],
  [[0xff, 0xd8, 0xff], 'image/jpeg'],
  [[0x42, 0x4d], 'image/bmp'],
  [[0x00, 0x00, 0x01, 0x00], 'image/x-icon'],
  [[0x1f, 0x8b, 0x08], 'application/x-gzip'],
  [[0x50, 0x4b, 0x03, 0x04], 'application/zip'],
  [[0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x00], 'application/x-rar-compressed'],
  [[0x00, 0x61, 0x73, 0x6d], 'application/wasm'],
  [[0x4f, 0x67, 0x67, 0x53, 0x00], 'application/ogg'],
  [[0x25, 0x21, 0x50, 0x53, 0x2d, 0x41, 0x64, 0x6f, 0x62, 0x65, 0x2d], 'application/postscript'],
]

function startsWithBytes(b: Uint8Array, sig: readonly number[]): boolean {
  if (sig.length > b.length) return false
  for (let i = 0; i < sig.length; i++) if (b[i] !== sig[i]) return false
  return true
}

/** Go's `http.DetectContentType` for the common signatures (first 512 bytes). */
export function detectContentType(data: Uint8Array): string {
  const b = data.subarray(0, 512)
  if (b[0] === 0xfe && b[1] === 0xff) return 'text/plain; charset=utf-16be'
  if (b[0] === 0xff && b[1] === 0xfe) return 'text/plain; charset=utf-16le'
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'text/plain; charset=utf-8'
  let ws = 0
  while (ws < b.length && (b[ws] === 0x09 || b[ws] === 0x0a || b[ws] === 0x0c || b[ws] === 0x0d || b[ws] === 0x20)) ws++
  // Every HTML and XML signature starts with `<`: other content (JSON, text) skips building `head`.
  if (b[ws] === 0x3c) {
    const head = Buffer.from(b.buffer, b.byteOffset + ws, Math.min(b.length - ws, 16)).toString('latin1').toUpperCase()
    for (const tag of HTML_TAGS) {
      if (head.startsWith(tag)) {
        const next = head.charCodeAt(tag.length)
        if (next === 0x20 || next === 0x3e) return 'text/html; charset=utf-8'
      }
    }
    if (head.startsWith('<?XML')) return 'text/xml; charset=utf-8'
  }
  for (const [sig, type] of MAGIC) if (startsWithBytes(b, sig)) return type
  if (b.length >= 12 && b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && Buffer.from(b.subarray(8, 14)).toString('latin1') === 'WEBPVP') return 'image/webp'
  for (const c of b) {
    if (c <= 0x08 || c === 0x0b || (c >= 0x0e && c <= 0x1a) || (c >= 0x1c && c <= 0x1f)) return 'application/octet-stream'
  }
  return 'text/plain; charset=utf-8'
}

/** Ordered, case-insensitive response headers with Go's `Header.Set` semantics. */
export class HeaderSet {
  readonly #m = new Map<string, [string, string]>()

  set(name: string, value: string): void {
    const key = canonicalHeaderKey(name)
    this.#m.set(key.toLowerCase(), [key, value])
  }

  get(name: string): string | undefined {
    return this.#m.get(name.toLowerCase())?.[1]
  }

  delete(name: string): void {
    this.#m.delete(name.toLowerCase())
  }

  pairs(): [string, string][] {
    return [...this.#m.values()]
  }
}
