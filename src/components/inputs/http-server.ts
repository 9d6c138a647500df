/**
 * `http_server` input (spec streams-mode §8, components §4.4): every POST becomes a transaction and
 * the HTTP response is its acknowledgement (200, or 502 with the nack error, 408 on timeout, 503
 * while stopping). Served on the shared server through `ctx.endpoints` (the host prefixes
 * `/<stream>`), or on its own node:http(s) server when `address` is set. `ws_path` takes messages
 * over WebSockets (http-server-ws.ts).
 */
import { Buffer } from 'node:buffer'
import { gzipSync } from 'node:zlib'
import { compileInterpolation } from '../../bloblang/index.js'
import { Message, type MessageContext, type SyncResponseStore } from '../../message/message.js'
import type { Value } from '../../value/index.js'
import { defineComponent, f, type ValueOf } from '../../spec/index.js'
import { END_OF_INPUT, type ComponentContext, type DirectLane, type EndpointHandler, type EndpointRequest, type EndpointResponse, type Input, type ReadResult, type Transaction } from '../../spec/index.js'
import { CLOSED, abortError } from '../../util/channel.js'
import { Handoff, unwatchAbort, watchAbort, type AbortWatch, type Offer } from './http-server-handoff.js'
import { Deadlines, type Deadline, type Expiring } from './http-server-deadlines.js'
import { atField, invalid } from '../shared/field-error.js'
import { durationField } from '../shared/durations.js'
import { metadataFilter, type MetadataFilter } from '../shared/metadata-filter.js'
import { HeaderSet, buildMultipart, canonicalHeaderKey, detectContentType, httpError, parseCookies, parseMediaType, parseMultipart } from '../shared/http-util.js'
import { startOwnServer, type OwnServer } from './http-server-listener.js'
import { rawHeader, templateProblem } from '../../http/index.js'
import { liveRegistry, type LiveHandler } from '../shared/live-endpoints.js'
import { wsHandler } from './http-server-ws.js'

interface Interp {
  readonly isStatic: boolean
  string(batch: Message[], index: number): string
}

const config = f.object('', [
  f.string('address', { default: '', description: 'An alternative address to host from. If left empty the service wide address is used.' }),
  f.string('path', { default: '/post', description: 'The endpoint path to listen for POST requests.' }),
  f.string('ws_path', { default: '/post/ws', description: 'The endpoint path to create websocket connections from.' }),
  f.string('ws_welcome_message', { default: '', advanced: true, description: 'An optional message to deliver to fresh websocket connections.' }),
  f.string('ws_rate_limit_message', { default: '', advanced: true, description: 'An optional message to delivery to websocket connections that are rate limited.' }),
  f.array(f.string('allowed_verbs', { default: ['POST'], description: 'An array of verbs that are allowed for the `path` endpoint.' })),
  f.duration('timeout', { default: '5s', description: 'Timeout for requests. If a consumed messages takes longer than this to be delivered the connection is closed, but the message may still be delivered.' }),
  f.string('rate_limit', { default: '', description: 'An optional rate limit to throttle requests by.' }),
  f.string('cert_file', { default: '', advanced: true, description: 'Enable TLS by specifying a certificate and key file. Only valid with a custom `address`.' }),
  f.string('key_file', { default: '', advanced: true, description: 'Enable TLS by specifying a certificate and key file. Only valid with a custom `address`.' }),
  f.object(
    'cors',
    [
      f.bool('enabled', { default: false, advanced: true, description: 'Whether to allow CORS requests.' }),
      f.array(f.string('allowed_origins', { default: [], advanced: true, description: 'An explicit list of origins that are allowed for CORS requests.' })),
    ],
    { advanced: true, description: 'Adds Cross-Origin Resource Sharing headers. Only valid with a custom `address`.' },
  ),
  f.object(
    'sync_response',
    [
      f.interp('status', { default: '200', description: 'Specify the status code to return with synchronous responses.' }),
      f.map(f.interp('headers', { default: { 'Content-Type': 'application/octet-stream' }, description: 'Specify headers to return with synchronous responses.' })),
      f.object(
        'metadata_headers',
        [
          f.array(f.string('include_prefixes', { default: [], description: 'Provide a list of explicit metadata key prefixes to match against.' })),
          f.array(f.string('include_patterns', { default: [], description: 'Provide a list of explicit metadata key regular expression (re2) patterns to match against.' })),
        ],
        { description: 'Specify criteria for which metadata values are added to the response as headers.' },
      ),
    ],
    { advanced: true, description: 'Customize messages returned via synchronous responses.' },
  ),
  f.object(
    'tcp',
    [
      f.bool('reuse_addr', { default: false, advanced: true, description: 'Enable SO_REUSEADDR, allowing binding to ports in TIME_WAIT state.' }),
      f.bool('reuse_port', { default: false, advanced: true, description: 'Enable SO_REUSEPORT, allowing multiple sockets to bind to the same port for load balancing.' }),
    ],
    { advanced: true, description: 'TCP listener configuration for the HTTP server. Only valid with a custom `address`.' },
  ),
])

/** The config with defaults applied, as `build` receives it. */
export type HttpServerConf = ValueOf<typeof config>

export default defineComponent({
  kind: 'input',
  name: 'http_server',
  status: 'stable',
  summary: 'Receive messages POSTed over HTTP(S). HTTP 2.0 is supported when using TLS, which is enabled when key and cert files are specified.',
  config,
  examples: [
    {
      title: 'Path Switching',
      config: `input:
  http_server:
    path: /
    allowed_verbs: [ GET, POST ]
    sync_response:
      headers:
        Content-Type: application/json
`,
      // Request bodies POSTed to the path.
      input: ['{"a":1}', 'plain text'],
      output: ['{"a":1}', 'plain text'],
    },
  ],
  build: (conf, ctx) => buildHttpServer(conf, ctx),
})

async function buildHttpServer(conf: HttpServerConf, ctx: ComponentContext): Promise<Input> {
  if (conf.allowed_verbs.length === 0) throw invalid('allowed_verbs', 'must specify at least one allowed verb')
  if (conf.rate_limit !== '' && !ctx.resources.hasRateLimit(conf.rate_limit)) {
    throw invalid('rate_limit', `rate limit resource '${conf.rate_limit}' was not found`)
  }
  const routeProblem = conf.path === '' ? undefined : templateProblem(conf.path)
  if (routeProblem !== undefined) throw invalid('path', routeProblem)
  const input = new HttpServerInput(conf, ctx)
  const ws = conf.ws_path !== '' ? input.wsHandler : undefined
  if (conf.address !== '') {
    input.own = await startOwnServer(conf, input.handler, ctx.logger, ws)
    return input
  }
  if (conf.path !== '') ctx.endpoints.register(conf.path, 'Post a message into Benthos.', input.handler)
  if (ws) liveRegistry(ctx.endpoints)?.registerLive(conf.ws_path, 'Post messages via websocket into Benthos.', 'socket', ws)
  return input
}

const SERVER_CLOSING = (): EndpointResponse => httpError(503, 'Server closing')
const TIMED_OUT = (): EndpointResponse => httpError(408, 'Request timed out')

/** How a hand-off ended: acknowledged (with the nack error, if any), timed out, or refused (stop). */
type Delivery = { err: Error | undefined } | typeof TIMEOUT | typeof REFUSED
const TIMEOUT = Symbol('timeout')
const REFUSED = Symbol('refused')

class HttpServerInput implements Input {
  readonly connectionMetrics = false
  own: OwnServer | undefined
  readonly #conf: HttpServerConf
  readonly #ctx: ComponentContext
  readonly #allowed: Set<string>
  readonly #status: Interp
  readonly #headers: [string, Interp][]
  readonly #customPartType: Interp | undefined
  readonly #metaHeaders: MetadataFilter
  /**
   * The usual single-part response when no header or status is interpolated and no metadata is
   * copied: built once instead of per request (same headers, same order).
   */
  readonly #fixed: { status: number; headers: [string, string][]; hasContentType: boolean } | undefined
  readonly #handoff = new Handoff<Transaction>()
  readonly #deadlines: Deadlines
  #lane: DirectLane | undefined
  #stopping = false
  #inFlight = 0
  #drained: (() => void) | undefined
  #closed: Promise<void> | undefined

  constructor(conf: HttpServerConf, ctx: ComponentContext) {
    this.#conf = conf
    this.#ctx = ctx
    this.#deadlines = new Deadlines(durationField('timeout', conf.timeout))
    this.#allowed = new Set(conf.allowed_verbs)
    this.#status = atField('sync_response.status', () => compileInterpolation(conf.sync_response.status))
    this.#headers = Object.entries(conf.sync_response.headers ?? {}).map(([k, v]) => [k, atField(`sync_response.headers.${k}`, () => compileInterpolation(String(v)))])
    const custom = conf.sync_response.headers?.['content-type']
    this.#customPartType = custom !== undefined ? this.#headers.find(([k]) => k === 'content-type')![1] : undefined
    this.#metaHeaders = metadataFilter(conf.sync_response.metadata_headers, 'sync_response.metadata_headers')
    this.#fixed = fixedResponse(this.#status, this.#headers, this.#metaHeaders)
    this.wsHandler = wsHandler({
      ctx,
      welcome: conf.ws_welcome_message,
      rateLimitMessage: conf.ws_rate_limit_message,
      rateLimit: conf.rate_limit,
      stopping: () => this.#stopping,
      closing: this.#closingSockets.signal,
      deliver: (tx, gone) => this.#deliverSocket(tx.batch, gone),
    })
  }

  async connect(): Promise<void> {}

  connected(): boolean {
    return true
  }

  async read(signal: AbortSignal): Promise<ReadResult> {
    const tx = await this.#handoff.take(signal, abortError)
    if (tx === CLOSED) {
      if (signal.aborted) throw abortError(signal)
      return END_OF_INPUT
    }
    return tx
  }

  /** Soft stop: new requests get 503, requests already handed over wait for their ack. */
  close(): Promise<void> {
    this.#closed ??= this.#close()
    return this.#closed
  }

  async #close(): Promise<void> {
    this.#stopping = true
    this.#closingSockets.abort()
    // Requests still waiting for the pipeline to take them are answered 503 by their handler.
    this.#handoff.close()
    if (this.#inFlight > 0) {
      await new Promise<void>((resolve) => {
        this.#drained = resolve
        this.#ctx.signal.addEventListener('abort', () => resolve(), { once: true })
      })
    }
    if (this.own) {
      await this.own.close()
    } else if (this.#conf.path !== '') {
      // Routes are never removed from the shared server: leave a placeholder (spec §8.4).
      this.#ctx.endpoints.register(this.#conf.path, 'Endpoint disabled.', async () => httpError(503, 'Service unavailable'))
    }
  }

  /** Answers within the call when the request was delivered through the direct lane. */
  readonly handler: EndpointHandler = (req, reqSignal) => {
    if (this.#stopping) return this.#finish(req, SERVER_CLOSING())
    this.#inFlight++
    let r: EndpointResponse | Promise<EndpointResponse>
    try {
      r = this.#handle(req, reqSignal)
    } catch (err) {
      this.#settled()
      throw err
    }
    if (!(r instanceof Promise)) {
      this.#settled()
      return this.#finish(req, r)
    }
    return r.then(
      (res) => {
        this.#settled()
        return this.#finish(req, res)
      },
      (err: unknown) => {
        this.#settled()
        throw err
      },
    )
  }

  #settled(): void {
    if (--this.#inFlight === 0 && this.#drained) this.#drained()
  }

  #handle(req: EndpointRequest, reqSignal: AbortSignal): EndpointResponse | Promise<EndpointResponse> {
    if (!this.#allowed.has(req.method)) return httpError(405, 'Incorrect method')
    if (this.#conf.rate_limit !== '') return this.#limited(req, reqSignal)
    return this.#accept(req, reqSignal)
  }

  async #limited(req: EndpointRequest, reqSignal: AbortSignal): Promise<EndpointResponse> {
    let wait: number
    try {
      wait = await this.#ctx.resources.rateLimit(this.#conf.rate_limit).access()
    } catch (err) {
      this.#ctx.logger.warn(`Failed to access rate limit: ${err instanceof Error ? err.message : String(err)}`)
      return httpError(502, 'Server error')
    }
    if (wait > 0) {
      const res = httpError(429, 'Too Many Requests')
      res.headers.unshift(['Retry-After', String(Math.trunc(wait / 1000))])
      return res
    }
    return this.#accept(req, reqSignal)
  }

  #accept(req: EndpointRequest, reqSignal: AbortSignal): EndpointResponse | Promise<EndpointResponse> {
    let batch: Message[]
    const store: SyncResponseStore = { batches: [] }
    try {
      batch = this.#extract(req, { syncResponse: store })
    } catch (err) {
      this.#ctx.logger.warn(`Request read failed: ${err instanceof Error ? err.message : String(err)}`)
      return httpError(400, 'Bad request')
    }
    const direct = this.#direct(batch)
    if (direct === undefined) return this.#deliver(batch, reqSignal).then((d) => this.#answer(d, store))
    if (direct instanceof Promise) return direct.then((d) => this.#answer(d, store))
    return this.#answer(direct, store)
  }

  #answer(d: Delivery, store: SyncResponseStore): EndpointResponse {
    if (d === TIMEOUT) return TIMED_OUT()
    if (d === REFUSED) return SERVER_CLOSING()
    if (d.err) return httpError(502, d.err.message)
    return this.#syncResponse(store)
  }

  /** `ws_path` (set up in the constructor, which has the config). */
  readonly wsHandler: LiveHandler
  readonly #closingSockets = new AbortController()

  /**
   * One WebSocket message through the stream, without the request deadline (the reference waits
   * for the ack however long it takes). undefined: refused (the input is closing or the client left
   * before the pipeline took it).
   */
  async #deliverSocket(batch: Message[], gone: AbortSignal): Promise<{ err: Error | undefined } | undefined> {
    if (this.#stopping) return undefined
    this.#inFlight++
    try {
      const direct = this.#direct(batch)
      if (direct !== undefined) {
        const d = await direct
        return d === TIMEOUT || d === REFUSED ? undefined : d
      }
      return await new Promise((resolve) => {
        let taken = false
        const offer: Offer<Transaction> = {
          item: { batch, ack: (err) => resolve({ err }) },
          taken: () => (taken = true),
          refused: () => resolve(undefined),
        }
        gone.addEventListener(
          'abort',
          () => {
            if (!taken && this.#handoff.withdraw(offer)) resolve(undefined)
            // Taken: the ack still comes (or the forced stop ends everything).
            if (this.#ctx.signal.aborted) resolve(undefined)
          },
          { once: true },
        )
        if (!this.#handoff.offer(offer)) resolve(undefined)
      })
    } finally {
      this.#settled()
    }
  }

  useDirectLane(lane: DirectLane): void {
    this.#lane = lane
  }

  /**
   * Through the engine's direct lane when it is open: the delivery is known on return (the lane
   * is only offered for synchronous chains, which ack within the call, so no deadline is needed).
   * undefined: use the hand-off.
   */
  #direct(batch: Message[]): Delivery | Promise<Delivery> | undefined {
    const lane = this.#lane
    if (lane === undefined) return undefined
    let done: Delivery | undefined
    let later: ((d: Delivery) => void) | undefined
    const ok = lane({
      batch,
      ack: (err) => {
        const d = { err }
        if (later) later(d)
        else done = d
      },
    })
    if (!ok) return undefined
    return done ?? new Promise<Delivery>((resolve) => (later = resolve))
  }

  /** Hands the batch to the pipeline through `read` and waits for its acknowledgement. */
  #deliver(batch: Message[], reqSignal: AbortSignal): Promise<Delivery> {
    const hard = this.#ctx.signal
    if (reqSignal.aborted || hard.aborted) return Promise.resolve(REFUSED)
    return new Promise<Delivery>((resolve) => {
      const p = new PendingDelivery(batch, resolve, this.#handoff, this.#deadlines, reqSignal, hard)
      if (!this.#handoff.offer(p)) p.refused()
    })
  }

  /** Request → batch with the metadata of spec §8.2 step 5 (headers < query < params < cookies). */
  #extract(req: EndpointRequest, context: MessageContext): Message[] {
    const contentType = rawHeader(req.rawHeaders, 'content-type', true) ?? ''
    const mt = mediaType(contentType === '' ? 'application/octet-stream' : contentType)
    if (!mt) throw new Error('mime: invalid media parameter')
    const bodies = mt.type.startsWith('multipart/') ? parseMultipart(req.body, mt.params.boundary ?? '') : [req.body]
    // Built only if a component reads it (a fresh map per message that does).
    const meta = (): Map<string, Value> => requestMetadata(req)
    if (bodies.length === 1) return [new Message(bodies[0]!, meta, context)]
    return bodies.map((b) => new Message(b, meta, context))
  }

  /** The response once acked: empty 200, or the captured sync response (spec §8.2 step 8). */
  #syncResponse(store: SyncResponseStore): EndpointResponse {
    // Array.prototype.flat is slow in V8, and one captured batch is the usual case.
    const parts = store.batches.length === 1 ? store.batches[0]! : store.batches.flat()
    if (parts.length === 0) return { status: 200, headers: [], body: '' }
    const fixed = this.#fixed
    if (fixed && parts.length === 1) {
      const headers = fixed.headers.slice()
      if (fixed.hasContentType) return { status: fixed.status, headers, body: textOrBytes(parts[0]!) }
      const payload = parts[0]!.bytes()
      headers.push(['Content-Type', detectContentType(payload)])
      return { status: fixed.status, headers, body: payload }
    }
    const { logger } = this.#ctx
    const headers = new HeaderSet()
    for (const [k, interp] of this.#headers) {
      try {
        headers.set(k, interp.string(parts, 0))
      } catch (err) {
        logger.error(`Interpolation of response header ${k} error: ${err instanceof Error ? err.message : String(err)}`)
      }
    }
    let status = 200
    try {
      const s = this.#status.string(parts, 0)
      if (s !== '200') {
        if (!/^[+-]?\d+$/.test(s)) {
          logger.error(`Failed to parse sync response status code expression: strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`)
          return { status: 502, headers: headers.pairs(), body: '' }
        }
        status = Number(s)
      }
    } catch (err) {
      logger.error(`Interpolation of response status code error: ${err instanceof Error ? err.message : String(err)}`)
      return { status: 502, headers: headers.pairs(), body: '' }
    }
    if (parts.length === 1) {
      const part = parts[0]!
      this.#metaHeaders.walk(part, (k, v) => headers.set(k, v))
      const payload = part.bytes()
      if (!headers.get('Content-Type')) headers.set('Content-Type', detectContentType(payload))
      return { status, headers: headers.pairs(), body: payload }
    }
    const mpParts = parts.map((part, i) => {
      this.#metaHeaders.walk(part, (k, v) => headers.set(k, v))
      const payload = part.bytes()
      let contentType = detectContentType(payload)
      if (this.#customPartType) {
        try {
          contentType = this.#customPartType.string(parts, i)
        } catch (err) {
          logger.error(`Interpolation of content-type header error: ${err instanceof Error ? err.message : String(err)}`)
        }
      }
      return { contentType, body: payload }
    })
    const mp = buildMultipart(mpParts)
    headers.set('Content-Type', mp.contentType)
    return { status, headers: headers.pairs(), body: mp.body }
  }

  /** Gzip every response when the client accepts it, as the reference's handler wrapper does. */
  #finish(req: EndpointRequest, res: EndpointResponse): EndpointResponse {
    const accept = rawHeader(req.rawHeaders, 'accept-encoding') ?? ''
    if (!accept.includes('gzip')) return res
    const body = typeof res.body === 'string' ? Buffer.from(res.body) : res.body
    if (!res.headers.some(([k]) => k.toLowerCase() === 'content-type') && body.length > 0) res.headers.push(['Content-Type', detectContentType(body)])
    res.headers.push(['Content-Encoding', 'gzip'])
    return { status: res.status, headers: res.headers, body: gzipSync(body) }
  }
}

function fixedResponse(status: Interp, headers: [string, Interp][], meta: MetadataFilter): { status: number; headers: [string, string][]; hasContentType: boolean } | undefined {
  if (!status.isStatic || !meta.empty || !headers.every(([, i]) => i.isStatic)) return undefined
  const s = status.string([], 0)
  if (!/^[+-]?\d+$/.test(s)) return undefined
  const set = new HeaderSet()
  for (const [k, i] of headers) set.set(k, i.string([], 0))
  const contentType = set.get('Content-Type')
  // An empty Content-Type is replaced per response by the slow path; not worth a special case.
  if (contentType === '') return undefined
  return { status: Number(s), headers: set.pairs(), hasContentType: contentType !== undefined }
}

/**
 * Text bodies up to this many characters cross the port as text; longer ones as bytes. The text's
 * encoding then happens on the main thread, which serves every stream: per byte it costs there what
 * it saved here (16 KB: about 4 µs to encode and 2 µs more to clone), so only bodies whose fixed
 * per-call costs dominate take this path.
 */
const TEXT_BODY_CHARS = 1024

/**
 * A response body as the port carries it most cheaply: a structured result (a mapping's) is still
 * JSON text, which crosses as a string and is encoded once, by the socket write, instead of being
 * encoded here and copied into the frame (8-9 % of the stream thread's CPU per request in
 * bench/tools/endpoint-cpu.mjs).
 */
function textOrBytes(m: Message): string | Uint8Array {
  const text = m.unencodedText()
  return text !== undefined && text.length <= TEXT_BODY_CHARS ? text : m.bytes()
}

/**
 * Content types repeat from one request to the next: parsing each once keeps that work off the
 * per-request path. Bounded so hostile input cannot grow it.
 */
const mediaTypeCache = new Map<string, ReturnType<typeof parseMediaType> | null>()
const CACHE_LIMIT = 256

/** Parsed media types are shared between requests: callers only read them. */
function mediaType(v: string): ReturnType<typeof parseMediaType> {
  // Clients mostly repeat one content type: comparing with the last one skips hashing the fresh
  // string the port delivered.
  if (v === last.type) return last.parsed
  let hit = mediaTypeCache.get(v)
  if (hit === undefined) {
    hit = parseMediaType(v) ?? null
    if (mediaTypeCache.size < CACHE_LIMIT) mediaTypeCache.set(v, hit)
  }
  last.type = v
  last.parsed = hit ?? undefined
  return last.parsed
}

const last: { type: string | undefined; parsed: ReturnType<typeof parseMediaType> } = { type: undefined, parsed: undefined }

/** Request metadata of spec §8.2 step 5, in the reference's key order (headers < query < params < cookies). */
function requestMetadata(req: EndpointRequest): Map<string, Value> {
  const meta = new Map<string, Value>()
  // Inserted first to keep the reference's key order; the value comes from the headers below.
  meta.set('http_server_user_agent', '')
  meta.set('http_server_request_path', req.path)
  meta.set('http_server_verb', req.method)
  const ip = remoteIp(req.remoteAddress)
  if (ip !== undefined) meta.set('http_server_remote_ip', ip)
  let cookieHeaders: string[] | undefined
  let userAgent = ''
  const raw = req.rawHeaders
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = canonicalHeaderKey(raw[i]!)
    const v = raw[i + 1]!
    // Canonical header names never equal the lower-case http_server_* keys, so `has` only sees
    // earlier headers: the first value of a repeated header wins.
    if (!meta.has(key)) meta.set(key, v)
    if (key === 'Cookie') (cookieHeaders ??= []).push(v)
    else if (key === 'User-Agent' && userAgent === '') userAgent = v
  }
  meta.set('http_server_user_agent', userAgent)
  if (req.query !== '') {
    const seen = new Set<string>()
    for (const [k, v] of new URLSearchParams(req.query)) {
      if (seen.has(k)) continue
      seen.add(k)
      meta.set(k, v)
    }
  }
  const params = req.params
  for (const k in params) meta.set(k, params[k]!)
  if (cookieHeaders) for (const [k, v] of parseCookies(cookieHeaders)) meta.set(k, v)
  return meta
}

/** `http_server_remote_ip`: the peer address without an IPv4-mapped IPv6 prefix. */
function remoteIp(addr: string): string | undefined {
  if (addr === '') return undefined
  return addr.startsWith('::ffff:') && addr.includes('.') ? addr.slice(7) : addr
}

/**
 * One request waiting for its acknowledgement: the offer to the pipeline, its deadline and its
 * stop watches in one object (a closure per concern cost more than the rest of the wait).
 * While not yet taken, the timeout means 408 and the request's own signal (the host stopping the
 * stream) or a forced stop mean 503. Once taken, the message is the pipeline's: only the timeout
 * (restarted) or a forced stop end the wait.
 */
class PendingDelivery implements Offer<Transaction>, Expiring, AbortWatch {
  readonly item: Transaction
  waiting?: boolean
  readonly #resolve: (d: Delivery) => void
  readonly #handoff: Handoff<Transaction>
  readonly #deadlines: Deadlines
  readonly #reqSignal: AbortSignal
  readonly #hard: AbortSignal
  #deadline: Deadline
  #reqWatch: number
  readonly #hardWatch: number
  #taken = false
  #settled = false

  constructor(batch: Message[], resolve: (d: Delivery) => void, handoff: Handoff<Transaction>, deadlines: Deadlines, reqSignal: AbortSignal, hard: AbortSignal) {
    this.item = { batch, ack: (err) => this.#finish({ err }) }
    this.#resolve = resolve
    this.#handoff = handoff
    this.#deadlines = deadlines
    this.#reqSignal = reqSignal
    this.#hard = hard
    this.#deadline = deadlines.start(this)
    this.#reqWatch = watchAbort(reqSignal, this)
    this.#hardWatch = watchAbort(hard, this)
  }

  taken(): void {
    this.#taken = true
    unwatchAbort(this.#reqSignal, this.#reqWatch)
    this.#reqWatch = -1
    this.#deadline = this.#deadlines.restart(this.#deadline)
  }

  refused(): void {
    this.#finish(REFUSED)
  }

  expire(): void {
    this.#giveUp(TIMEOUT)
  }

  /** The request's signal or the forced stop aborted (the request's matters only until taken). */
  onAbort(): void {
    if (this.#hard.aborted || !this.#taken) this.#giveUp(REFUSED)
  }

  #giveUp(d: Delivery): void {
    if (!this.#taken) this.#handoff.withdraw(this)
    this.#finish(d)
  }

  #finish(d: Delivery): void {
    if (this.#settled) return
    this.#settled = true
    this.#deadlines.cancel(this.#deadline)
    unwatchAbort(this.#reqSignal, this.#reqWatch)
    unwatchAbort(this.#hard, this.#hardWatch)
    this.#resolve(d)
  }
}
