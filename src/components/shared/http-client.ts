/**
 * The HTTP client behind `http_client` and `http` (spec components §11.1), on undici: one request
 * per call with the block's retries, back-off, rate limit, auth, TLS, proxy and redirect rules, and
 * the response turned into messages (one per multipart part) with `http_status_code` and the
 * extracted headers as metadata.
 *
 *   attempt ─ok─▶ done
 *      │ failed: drop_on ─▶ error now │ backoff_on ─▶ wait, doubling │ other ─▶ wait
 *      └─ after `retries` extra attempts ─▶ error `<url>: <reason>`
 *
 * The wait starts at `retry_period` and belongs to the client, as the reference's retry throttle
 * does: it doubles on consecutive back-offs (up to `max_retry_backoff`) across sends and returns
 * to `retry_period` only after a success.
 *
 * Every wait and request also ends when the caller's signal aborts (a forced stream stop).
 */
import type { Dispatcher } from 'undici'
import { Message, type Batch } from '../../message/message.js'
import type { ComponentContext } from '../../spec/index.js'
import type { HttpClientConf } from './http-client-fields.js'
import { RequestCreator, statusText, type CreatedRequest, type RequestCreatorOptions } from './http-client-request.js'
import { RequestSigner, type TokenFetch } from './http-client-auth.js'
import { tlsConnectOptions } from './http-client-tls.js'
import { durationField } from './durations.js'
import { invalid } from './field-error.js'
import { metadataFilter, type MetadataFilter } from './metadata-filter.js'
import { parseMediaType, parseMultipart } from './http-util.js'
import { sleep } from '../../util/backoff.js'

/** A response that came back (any status), body read in full. */
export interface HttpResponse {
  status: number
  /** Lower-case names; repeated headers as arrays. */
  headers: Record<string, string | string[] | undefined>
  body: Uint8Array
  /** Streamed requests only: the body still to be read (`body` is then empty). */
  stream?: AsyncIterable<Uint8Array> & { destroy(err?: Error): unknown }
}

/** A request that ended with a status the block counts as failure. */
export class UnexpectedResponseError extends Error {
  readonly response: HttpResponse

  constructor(res: HttpResponse) {
    const body = Buffer.from(res.body).toString('utf8').replaceAll('\n', '')
    super(`HTTP request returned unexpected response code (${res.status}): ${res.status} ${statusText(res.status)}, Error: ${body}`)
    this.name = 'UnexpectedResponseError'
    this.response = res
  }
}

/** The unexpected response behind a failed `send`, when one came back. */
export function responseOf(err: unknown): HttpResponse | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) if (e instanceof UnexpectedResponseError) return e.response
  return undefined
}

const MAX_REDIRECTS = 10
/** What the reference reports when the stream stops mid-request. */
const CANCELED = 'context canceled'

type Strategy = 'none' | 'linear' | 'backoff'

export class HttpClient {
  readonly #ctx: ComponentContext
  readonly #creator: RequestCreator
  readonly #signer: RequestSigner
  /** Redirect-following wrapper around `#base` (or `#base` itself). */
  readonly #dispatcher: Dispatcher
  readonly #base: Dispatcher
  readonly #request: typeof import('undici').request
  readonly #timeoutMs: number
  readonly #retryMs: number
  /** The shared retry throttle: consecutive retries since the last success, and the current wait. */
  #consecutiveRetries = 0
  #period: number
  readonly #maxBackoffMs: number
  readonly #retries: number
  readonly #followRedirects: boolean
  readonly #backoffOn: Set<number>
  readonly #dropOn: Set<number>
  readonly #successOn: Set<number>
  readonly #rateLimit: string | undefined
  readonly #extract: MetadataFilter
  readonly #dumpLevel: string
  readonly #latency
  readonly #codes = new Map<number, { inc(n?: number): void }>()
  #closed = false

  private constructor(c: HttpClientConf, ctx: ComponentContext, opts: RequestCreatorOptions, undici: typeof import('undici')) {
    this.#ctx = ctx
    this.#timeoutMs = durationField('timeout', c.timeout)
    this.#retryMs = durationField('retry_period', c.retry_period)
    this.#period = this.#retryMs
    this.#maxBackoffMs = durationField('max_retry_backoff', c.max_retry_backoff)
    this.#retries = c.retries
    this.#followRedirects = c.follow_redirects
    this.#backoffOn = new Set(c.backoff_on)
    this.#dropOn = new Set(c.drop_on)
    this.#successOn = new Set(c.successful_on)
    this.#extract = metadataFilter(c.extract_headers, 'extract_headers')
    this.#dumpLevel = c.dump_request_log_level.trim().toUpperCase()
    if (c.rate_limit !== undefined && c.rate_limit !== '') {
      if (!ctx.resources.hasRateLimit(c.rate_limit)) throw invalid('rate_limit', `rate limit resource '${c.rate_limit}' was not found`)
      this.#rateLimit = c.rate_limit
    }
    this.#creator = new RequestCreator(c, opts)
    this.#signer = new RequestSigner(c)
    const connect = tlsConnectOptions(c.tls)
    let dispatcher: Dispatcher
    if (c.proxy_url !== undefined && c.proxy_url !== '') {
      try {
        new URL(c.proxy_url)
      } catch (err) {
        throw invalid('proxy_url', `failed to parse proxy_url string: ${err instanceof Error ? err.message : String(err)}`)
      }
      dispatcher = new undici.ProxyAgent({ uri: c.proxy_url, ...(connect ? { requestTls: connect } : {}) })
    } else {
      dispatcher = new undici.Agent({ ...(connect ? { connect } : {}), allowH2: !c.disable_http2 })
    }
    this.#dispatcher = c.follow_redirects ? dispatcher.compose(undici.interceptors.redirect({ maxRedirections: MAX_REDIRECTS })) : dispatcher
    this.#base = dispatcher
    this.#request = undici.request
    this.#latency = ctx.metrics.timer('http_request_latency_ns')
  }

  /** Builds a client; undici is loaded here so streams without HTTP clients never parse it. */
  static async create(c: HttpClientConf, ctx: ComponentContext, opts: RequestCreatorOptions = {}): Promise<HttpClient> {
    const undici = await import('undici')
    return new HttpClient(c, ctx, opts, undici)
  }

  /** Sends `batch` and returns the response as messages; throws after the retries are spent. */
  async send(batch: Batch, signal: AbortSignal): Promise<Batch> {
    return this.responseToBatch(await this.sendToResponse(batch, signal))
  }

  /** Sends `batch` with retries; resolves with the first successful response. */
  async sendToResponse(batch: Batch, signal: AbortSignal): Promise<HttpResponse> {
    return this.#sendWithRetries(batch, signal, false)
  }

  /**
   * Like `sendToResponse`, but a successful response comes back as soon as its head arrives, with
   * the body left to read from `stream` (the `http_client` input's stream mode). The caller
   * destroys the stream when done; aborting `signal` ends it too.
   */
  async openStream(batch: Batch, signal: AbortSignal): Promise<HttpResponse> {
    return this.#sendWithRetries(batch, signal, true)
  }

  async #sendWithRetries(batch: Batch, signal: AbortSignal, stream: boolean): Promise<HttpResponse> {
    // A first request that cannot be built fails at once; a retry that cannot be built counts as
    // a failed attempt (the cause may be transient), as in the reference.
    let req: CreatedRequest | undefined = this.#creator.create(batch)
    let url = req.url
    // The response of a failed attempt stays reachable (`responseOf`): the processor copies its
    // status and headers onto the flagged message, as the reference unwraps ErrUnexpectedHTTPRes.
    const failed = (err: unknown): Error => new Error(`${redact(url)}: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
    let attempts = 0
    let limit = this.#retries
    let lastError: unknown
    for (;;) {
      let strategy: Strategy = 'linear'
      if (req) {
        if (!(await this.#waitForAccess(signal))) throw failed(CANCELED)
        try {
          const res = await this.#attempt(req, signal, stream)
          const [ok, strat] = this.#checkStatus(res.status)
          if (ok) {
            this.#consecutiveRetries = 0
            this.#period = this.#retryMs
            return res
          }
          if (res.stream) res.body = await readAll(res.stream)
          strategy = strat
          lastError = new UnexpectedResponseError(res)
          if (strat === 'none') limit = 0
        } catch (err) {
          if (signal.aborted) throw failed(CANCELED)
          lastError = err
        }
      }
      if (attempts >= limit) throw failed(lastError)
      attempts++
      // The wait is the client's, not the call's (the reference's retry throttle): concurrent sends
      // share it, a backoff keeps growing across sends, and only a success resets it.
      if (strategy === 'backoff' && this.#consecutiveRetries > 0 && this.#period < this.#maxBackoffMs) {
        this.#period = Math.min(this.#period * 2, this.#maxBackoffMs)
      }
      this.#consecutiveRetries++
      if (!(await sleep(this.#period, signal))) throw failed(CANCELED)
      try {
        req = this.#creator.create(batch)
        url = req.url
      } catch (err) {
        req = undefined
        lastError = new Error(`${err instanceof Error ? err.message : String(err)}, after the previous attempt failed: ${lastError instanceof Error ? lastError.message : String(lastError)}`)
      }
    }
  }

  /** A response as messages: one per multipart part, each with status and extracted headers. */
  responseToBatch(res: HttpResponse): Batch {
    const annotate = (m: Message): Message => {
      m.metaMut().set('http_status_code', res.status)
      this.extractHeaders(m, res.headers)
      return m
    }
    const ct = headerValue(res.headers['content-type'])
    const media = ct !== undefined ? parseMediaType(ct) : undefined
    if (ct !== undefined && !media) this.#ctx.logger.warn('Failed to parse media type from Content-Type header: mime: invalid media parameter')
    if (!media?.type.startsWith('multipart/')) return [annotate(new Message(res.body))]
    return parseMultipart(res.body, media.params.boundary ?? '').map((part) => annotate(new Message(new Uint8Array(part))))
  }

  /** Copies matching response headers (lower-case keys) onto `m`; repeated ones become arrays. */
  extractHeaders(m: Message, headers: HttpResponse['headers']): void {
    if (this.#extract.empty) return
    const meta = m.metaMut()
    for (const [k, v] of Object.entries(headers)) {
      if (v === undefined || !this.#extract.matches(k)) continue
      if (Array.isArray(v)) {
        if (v.length === 1) meta.set(k, v[0]!)
        else if (v.length > 1) meta.set(k, [...v])
      } else meta.set(k, v)
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#base.destroy().catch(() => {})
  }

  #checkStatus(code: number): [boolean, Strategy] {
    if (this.#dropOn.has(code)) return [false, 'none']
    if (this.#backoffOn.has(code)) return [false, 'backoff']
    if (this.#successOn.has(code)) return [true, 'none']
    if (!this.#followRedirects && code >= 300 && code <= 399) return [true, 'none']
    if (code < 200 || code > 299) return [false, 'linear']
    return [true, 'none']
  }

  /** One request with the per-attempt timeout; the body is read inside the timeout, as Go's client does. */
  async #attempt(req: CreatedRequest, signal: AbortSignal, stream = false): Promise<HttpResponse> {
    const timeout = this.#timeoutMs > 0 ? AbortSignal.timeout(this.#timeoutMs) : undefined
    const attemptSignal = timeout ? AbortSignal.any([signal, timeout]) : signal
    await this.#signer.sign(req)
    if (this.#signer.usesOAuth2) await this.#signer.authorize(req, this.#fetchToken, attemptSignal)
    const target = userInfoAuth(req)
    const started = performance.now()
    let res: HttpResponse | undefined
    let error: unknown
    try {
      const r = await this.#request(target, {
        method: req.method,
        headers: req.headers.flat(),
        ...(req.body !== undefined ? { body: req.body } : {}),
        dispatcher: this.#dispatcher,
        signal: attemptSignal,
      })
      res = stream
        ? { status: r.statusCode, headers: r.headers, body: new Uint8Array(0), stream: r.body }
        : { status: r.statusCode, headers: r.headers, body: new Uint8Array(await r.body.arrayBuffer()) }
      return res
    } catch (err) {
      const reason = timeout?.aborted && !signal.aborted ? 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)' : transportReason(err)
      error = new Error(`${goMethod(req.method)} "${redact(req.url)}": ${reason}`)
      throw error
    } finally {
      this.#latency.observe(Math.round((performance.now() - started) * 1e6))
      if (res) this.#countCode(res.status)
      if (this.#dumpLevel !== '') this.#dump(req, res, error, performance.now() - started)
    }
  }

  #fetchToken: TokenFetch = async (url, body, headers, signal) => {
    const r = await this.#request(url, { method: 'POST', headers: headers.flat(), body, dispatcher: this.#dispatcher, signal })
    return { status: r.statusCode, contentType: headerValue(r.headers['content-type']) ?? '', body: await r.body.text() }
  }

  async #waitForAccess(signal: AbortSignal): Promise<boolean> {
    if (this.#rateLimit === undefined) return true
    for (;;) {
      let wait: number
      try {
        wait = await this.#ctx.resources.rateLimit(this.#rateLimit).access()
      } catch (err) {
        this.#ctx.logger.error(`Rate limit error: ${err instanceof Error ? err.message : String(err)}`)
        wait = 1000
      }
      if (wait <= 0) return !signal.aborted
      if (!(await sleep(wait, signal))) return false
    }
  }

  #countCode(code: number): void {
    const tier = Math.floor(code / 100)
    if (tier < 0 || tier > 5) return
    let c = this.#codes.get(tier)
    if (!c) this.#codes.set(tier, (c = this.#ctx.metrics.counter(`http_request_code_${tier}xx`)))
    c.inc()
  }

  #dump(req: CreatedRequest, res: HttpResponse | undefined, error: unknown, elapsedMs: number): void {
    const accessLog: Record<string, unknown> = {
      elapsed_ns: Math.round(elapsedMs * 1e6),
      request: { url: redact(req.url), method: req.method, header: simpleHeaders(req.headers.pairs()), body: bodyForLog(req.body) },
    }
    if (res) {
      const pairs: [string, string][] = []
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) pairs.push([k, Array.isArray(v) ? v.join(' ') : v])
      accessLog.response = { status_code: res.status, content_length: res.body.byteLength, header: simpleHeaders(pairs), body: bodyForLog(res.body) }
    }
    if (error !== undefined) accessLog.error = `error doing actual request: ${error instanceof Error ? error.message : String(error)}`
    const log = this.#ctx.logger
    const fields = { access_log: accessLog }
    switch (this.#dumpLevel) {
      case 'TRACE':
        return log.trace('http request log', fields)
      case 'DEBUG':
        return log.debug('http request log', fields)
      case 'INFO':
        return log.info('http request log', fields)
      case 'WARN':
        return log.warn('http request log', fields)
      default:
        return log.error('http request log', fields)
    }
  }
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  for await (const c of body) chunks.push(c)
  return Buffer.concat(chunks)
}

/** Go's `url.Error` operation name: `POST` → `Post`. */
function goMethod(m: string): string {
  return m.slice(0, 1) + m.slice(1).toLowerCase()
}

/** Socket errors in the wording Go's dialer uses, so logs read the same as the reference's. */
function transportReason(err: unknown): string {
  const e = err as { code?: string; address?: string; port?: number; message?: string; cause?: unknown }
  const inner = (e.cause as typeof e | undefined) ?? e
  const where = inner.address !== undefined ? `${inner.address}:${inner.port ?? ''}` : ''
  switch (inner.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${where}: connect: connection refused`
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'EOF'
    default:
      return inner.message ?? String(err)
  }
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v
}

function simpleHeaders(pairs: [string, string][]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of pairs) out[k] = out[k] === undefined ? v : `${out[k]} ${v}`
  return out
}

function bodyForLog(body: Uint8Array | undefined): unknown {
  if (!body || body.byteLength === 0) return null
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/**
 * The URL to send. User info in it (`https://ann:pw@host/`) is Go's basic auth: its client sends
 * `Authorization: Basic` from it unless a header is set already (`basic_auth`, `jwt`, OAuth or
 * `headers` win), and never puts the user info on the wire. undici would drop it silently.
 */
function userInfoAuth(req: CreatedRequest): string {
  const at = req.url.indexOf('@')
  if (at === -1) return req.url
  let u: URL
  try {
    u = new URL(req.url)
  } catch {
    return req.url
  }
  if (u.username === '' && u.password === '') return req.url
  if (!req.headers.get('Authorization')) {
    const user = `${unescapeUserInfo(u.username)}:${unescapeUserInfo(u.password)}`
    req.headers.set('Authorization', `Basic ${Buffer.from(user).toString('base64')}`)
  }
  u.username = ''
  u.password = ''
  return u.toString()
}

function unescapeUserInfo(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/** The URL with any password replaced, as the reference redacts it in errors and logs. */
function redact(url: string): string {
  try {
    const u = new URL(url)
    if (u.password === '') return url
    u.password = 'xxxxx'
    return u.toString()
  } catch {
    return url
  }
}

