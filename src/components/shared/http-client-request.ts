/**
 * Building one HTTP request from a batch, as the reference's request creator does (spec components
 * §11.1, §7.5): URL and headers interpolated against the first message, a `Host` header moved to
 * the request host, metadata copied into headers, and the body taken from the batch (one message
 * raw, several as multipart/form-data) unless explicit multipart parts are configured.
 */
import { randomBytes } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import { compileInterpolation, type Interpolation } from '../../bloblang/index.js'
import { Message, type Batch } from '../../message/message.js'
import { atField } from './field-error.js'
import { canonicalHeaderKey } from './http-util.js'
import { metadataFilter, type MetadataFilter } from './metadata-filter.js'
import type { HttpClientConf } from './http-client-fields.js'

/** Ordered request headers with Go's `Header.Add`/`Set`/`Del` semantics (canonical names). */
export class RequestHeaders {
  #list: [string, string][] = []

  add(name: string, value: string): void {
    this.#list.push([canonicalHeaderKey(name), value])
  }

  set(name: string, value: string): void {
    this.del(name)
    this.add(name, value)
  }

  del(name: string): void {
    const l = name.toLowerCase()
    this.#list = this.#list.filter(([k]) => k.toLowerCase() !== l)
  }

  get(name: string): string | undefined {
    const l = name.toLowerCase()
    return this.#list.find(([k]) => k.toLowerCase() === l)?.[1]
  }

  pairs(): [string, string][] {
    return [...this.#list]
  }

  /** `[name, value, name, value, ...]`, the form undici takes repeated headers in. */
  flat(): string[] {
    return this.#list.flat()
  }
}

/** Go's `url.QueryEscape`: spaces become `+`, everything but `A-Za-z0-9-_.~` is escaped. */
export function goQueryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/%20/g, '+')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** Go's `Response.Status` text: `404 Not Found`. */
export function statusText(code: number): string {
  return STATUS_CODES[code] ?? ''
}

export interface MultipartPart {
  headers: [string, string][]
  body: Uint8Array
}

/** A multipart/form-data body as Go's `multipart.Writer` lays it out (headers sorted by name). */
export function writeMultipart(parts: MultipartPart[]): { contentType: string; body: Buffer } {
  const boundary = randomBytes(30).toString('hex')
  const chunks: Buffer[] = []
  parts.forEach((p, i) => {
    const head = [...p.headers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}: ${v}\r\n`)
    chunks.push(Buffer.from(`${i === 0 ? '' : '\r\n'}--${boundary}\r\n${head.join('')}\r\n`))
    chunks.push(Buffer.from(p.body.buffer, p.body.byteOffset, p.body.byteLength))
  })
  chunks.push(Buffer.from(`${parts.length ? '\r\n' : ''}--${boundary}--\r\n`))
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(chunks) }
}

export interface MultipartExpressions {
  contentType: Interpolation
  contentDisposition: Interpolation
  body: Interpolation
}

export interface CreatedRequest {
  method: string
  url: string
  headers: RequestHeaders
  body: Uint8Array | undefined
}

export interface RequestCreatorOptions {
  /** A body expression that replaces the batch as body (the input's `payload`). */
  explicitBody?: Interpolation
  /** Explicit multipart layout (the output's `multipart`). */
  explicitMultipart?: MultipartExpressions[]
}

export class RequestCreator {
  readonly #verb: string
  readonly #url: Interpolation
  readonly #headers: [string, Interpolation][]
  readonly #host: Interpolation | undefined
  readonly #hasContentType: boolean
  readonly #contentType: Interpolation | undefined
  readonly #meta: MetadataFilter
  readonly #opts: RequestCreatorOptions

  /** Compiles the URL and header interpolations; errors are located at their field. */
  constructor(c: HttpClientConf, opts: RequestCreatorOptions = {}) {
    this.#verb = c.verb
    this.#url = atField('url', () => compileInterpolation(c.url))
    const headers: [string, Interpolation][] = []
    let host: Interpolation | undefined
    for (const [k, v] of Object.entries(c.headers)) {
      const interp = atField(`headers.${k}`, () => compileInterpolation(String(v)))
      if (host === undefined && k.toLowerCase() === 'host') host = interp
      else headers.push([k, interp])
    }
    this.#headers = headers
    this.#host = host
    // The reference checks the exact key `Content-Type`; another spelling is overridden below.
    this.#contentType = headers.find(([k]) => k === 'Content-Type')?.[1]
    this.#hasContentType = this.#contentType !== undefined
    this.#meta = metadataFilter(c.metadata, 'metadata')
    this.#opts = opts
  }

  /** The request for `batch`; throws with the reference's wording when an interpolation fails. */
  create(batch: Batch): CreatedRequest {
    const ref = batch.length ? batch : [new Message('')]
    const { body, contentType } = this.#body(batch, ref)
    const url = wrap('url interpolation error', () => this.#url.string(ref, 0))
    const headers = new RequestHeaders()
    for (const [k, v] of this.#headers) headers.add(k, wrap(`header '${k}' interpolation error`, () => v.string(ref, 0)))
    if (batch.length) this.#meta.walk(batch[0]!, (k, v) => headers.add(k, v))
    if (this.#host) headers.set('Host', wrap('host interpolation error', () => this.#host!.string(ref, 0)))
    if (contentType !== undefined) headers.set('Content-Type', contentType)
    return { method: this.#verb, url, headers, body }
  }

  #body(batch: Batch, ref: Batch): { body: Uint8Array | undefined; contentType: string | undefined } {
    const octet = this.#hasContentType ? undefined : 'application/octet-stream'
    const { explicitBody, explicitMultipart } = this.#opts
    if (explicitBody) return { body: wrap('', () => explicitBody.bytes(ref, 0)), contentType: octet }
    if (explicitMultipart?.length) {
      const parts = explicitMultipart.map((p) => ({
        headers: [
          ['Content-Type', wrap('content-type interpolation error', () => p.contentType.string(ref, 0))],
          ['Content-Disposition', wrap('content-disposition interpolation error', () => p.contentDisposition.string(ref, 0))],
        ] as [string, string][],
        body: wrap('part body interpolation error', () => p.body.bytes(ref, 0)),
      }))
      const mp = writeMultipart(parts)
      return { body: mp.body, contentType: mp.contentType }
    }
    if (batch.length === 0) return { body: undefined, contentType: undefined }
    if (batch.length === 1) return { body: batch[0]!.bytes(), contentType: octet }
    const parts = batch.map((m, i) => {
      const ct = this.#contentType ? wrap('content-type interpolation error', () => this.#contentType!.string(batch, i)) : 'application/octet-stream'
      const headers: [string, string][] = [['Content-Type', ct]]
      this.#meta.walk(m, (k, v) => headers.push([k, v]))
      return { headers, body: m.bytes() }
    })
    const mp = writeMultipart(parts)
    return { body: mp.body, contentType: mp.contentType }
  }
}

function wrap<T>(prefix: string, fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err)
    throw new Error(prefix ? `${prefix}: ${msg}` : msg)
  }
}
