/**
 * The connection fields every NATS component shares (the reference's nats `connection.go`), parsed
 * into typed options with located errors, and `NatsLink`: one client connection that reconnects
 * with back-off on its own and reports its state (up, reconnecting, closed; reconnect and
 * disconnect counts) to metrics and to whoever asks (`connected()`, `/ready`).
 *
 *   open ─▶ up ─(server gone)─▶ reconnecting ─▶ up  (counts a reconnect)
 *                                    └ max_reconnects spent ─▶ closed (the component reopens)
 */
import { connect, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node'
import { f, type MetricsView, type ObjectOf, type Logger } from '../../spec/index.js'
import { tlsField } from '../shared/http-client-fields.js'
import { tlsConnectOptions } from '../shared/http-client-tls.js'
import { invalid } from '../shared/field-error.js'
import { authField, natsAuth, type NatsAuth } from './auth.js'
import { natsServerIdentity } from './tls-identity.js'
import { maskUserInfo } from '../../util/mask-url.js'
import { Backoff } from '../../util/backoff.js'

/** Leading fields: `urls` and `max_reconnects` (the reference splits head and tail for its docs). */
export const connectionHeadFields = [
  f.array(
    f.string('urls', {
      // The client takes `nats://user:pass@` and reads a bare `nats://token@` as a token.
      url: 'token',
      description: 'A list of URLs to connect to (nats://127.0.0.1:4222). If an item of the list contains commas it will be expanded into multiple URLs.',
    }),
  ),
  f.int('max_reconnects', {
    optional: true,
    advanced: true,
    description: 'The maximum number of times to attempt to reconnect to the server. If negative, it will never stop trying to reconnect.',
  }),
] as const

/** Trailing fields: `tls`, `tls_handshake_first` and `auth`. */
export const connectionTailFields = [
  tlsField,
  f.bool('tls_handshake_first', { default: false, advanced: true, description: 'Perform a TLS handshake before sending the INFO protocol message.' }),
  authField,
] as const

export type ConnectionConf = ObjectOf<typeof connectionHeadFields> & ObjectOf<typeof connectionTailFields>

/** The reference's client gives up after 60 reconnect attempts when `max_reconnects` is unset. */
export const DEFAULT_MAX_RECONNECTS = 60

export interface NatsConnectionOptions {
  servers: string[]
  /** Connection name shown by server monitoring: the component's label, as the reference sets it. */
  name: string
  maxReconnects: number
  tls: NodeConnectionOptions['tls']
  auth: NatsAuth
}

/** Typed options from a parsed config; throws located errors (`urls`, `auth.nkey`, `tls...`). */
export function natsConnectionOptions(c: ConnectionConf, name: string): NatsConnectionOptions {
  const servers = c.urls.flatMap((u) => u.split(',')).map((u) => u.trim()).filter((u) => u !== '')
  if (servers.length === 0) throw invalid('urls', 'at least one NATS server URL is required')
  let auth = natsAuth(c.auth, 'auth')
  const plain: string[] = []
  for (const [i, s] of servers.entries()) {
    const parsed = parseServer(s, `urls[${i}]`)
    plain.push(parsed.server)
    // Credentials in a URL (nats://user:pass@host) count when the auth block sets none.
    if (auth.kind === 'none' && parsed.user !== undefined) {
      auth = parsed.pass !== undefined ? { kind: 'user', user: parsed.user, pass: parsed.pass } : { kind: 'token', token: parsed.user }
    }
  }
  const tlsOpts = tlsConnectOptions(c.tls, 'tls')
  let tls: NodeConnectionOptions['tls']
  // The client hands every Node TLS option through to tls.connect, though its type names only a few.
  const nodeTls: Record<string, unknown> | undefined = tlsOpts && { ...tlsOpts, checkServerIdentity: natsServerIdentity }
  if (nodeTls) tls = { ...nodeTls, ...(c.tls_handshake_first ? { handshakeFirst: true } : {}) }
  else if (c.tls_handshake_first) tls = { handshakeFirst: true }
  return { servers: plain, name, maxReconnects: c.max_reconnects ?? DEFAULT_MAX_RECONNECTS, tls, auth }
}

function parseServer(s: string, field: string): { server: string; user?: string; pass?: string } {
  if (!s.includes('://')) return { server: s }
  let u: URL
  try {
    u = new URL(s)
  } catch {
    throw invalid(field, `invalid NATS server URL '${maskUserInfo(s)}'`)
  }
  if (!['nats:', 'tls:', 'ws:', 'wss:'].includes(u.protocol)) throw invalid(field, `unsupported scheme '${u.protocol.slice(0, -1)}' in NATS server URL '${maskUserInfo(s)}'`)
  const out: { server: string; user?: string; pass?: string } = { server: `${u.protocol}//${u.host}` }
  if (u.username !== '') out.user = decodeURIComponent(u.username)
  if (u.password !== '') out.pass = decodeURIComponent(u.password)
  return out
}

export type LinkState = 'up' | 'reconnecting' | 'closed'

/** Where a link reports: the component's logger and, when given, its metrics. */
export interface LinkHooks {
  logger: Logger
  metrics?: MetricsView
}

/** One client connection with its observed state. */
export class NatsLink {
  readonly nc: NatsConnection
  readonly #hooks: LinkHooks
  readonly #up?: { set(v: number): void }
  readonly #reconnected?: { inc(n?: number): void }
  readonly #lost?: { inc(n?: number): void }
  #state: LinkState = 'up'
  /** The server of the current (or last) connection. */
  #server: string
  /** Told of every change of state (up, down, closed). */
  readonly #listeners = new Set<() => void>()

  private constructor(nc: NatsConnection, hooks: LinkHooks, backoffReset: () => void) {
    this.nc = nc
    this.#hooks = hooks
    this.#server = nc.getServer()
    this.#up = hooks.metrics?.gauge('nats_connection_up')
    this.#reconnected = hooks.metrics?.counter('nats_connection_reconnects')
    this.#lost = hooks.metrics?.counter('nats_connection_disconnects')
    this.#up?.set(1)
    void this.#watch(backoffReset)
    void nc.closed().then((err) => {
      this.#state = 'closed'
      this.#up?.set(0)
      this.#notify()
      if (err) hooks.logger.error(`NATS connection closed: ${err.message}`)
    })
  }

  /** Connects (rejecting when no server answers: the caller's connect retries with back-off). */
  static async open(o: NatsConnectionOptions, hooks: LinkHooks): Promise<NatsLink> {
    // Reconnect delays grow 250 ms, 500 ms, ... up to 5 s, with up to 20 % jitter, until a reconnect.
    const b = new Backoff(250, 5000)
    const opts: NodeConnectionOptions = {
      servers: o.servers,
      name: o.name,
      maxReconnectAttempts: o.maxReconnects,
      reconnectDelayHandler: () => {
        const base = b.next()
        return base + Math.floor(Math.random() * base * 0.2)
      },
      timeout: 10_000,
      // A server that restarts keeps no subscriptions' interest; the client replays them on reconnect.
      waitOnFirstConnect: false,
    }
    if (o.tls !== undefined) opts.tls = o.tls
    if (o.auth.kind === 'authenticator') opts.authenticator = o.auth.authenticator
    else if (o.auth.kind === 'token') opts.token = o.auth.token
    else if (o.auth.kind === 'user') {
      opts.user = o.auth.user
      opts.pass = o.auth.pass
    }
    const nc = await connect(opts)
    return new NatsLink(nc, hooks, () => b.reset())
  }

  async #watch(backoffReset: () => void): Promise<void> {
    for await (const s of this.nc.status()) {
      switch (s.type) {
        case 'disconnect':
          this.#state = 'reconnecting'
          this.#up?.set(0)
          this.#lost?.inc()
          this.#hooks.logger.warn(`NATS connection to ${s.server} lost, reconnecting`)
          this.#notify()
          break
        case 'reconnect':
          backoffReset()
          this.#state = 'up'
          this.#server = s.server
          this.#up?.set(1)
          this.#reconnected?.inc()
          this.#hooks.logger.info(`NATS connection re-established to ${s.server}`)
          this.#notify()
          break
        case 'error':
          this.#hooks.logger.error(`nats operation failed: ${s.error.message}`)
          break
        default:
          break
      }
    }
  }

  #notify(): void {
    for (const l of [...this.#listeners]) l()
  }

  /**
   * Calls `fn` at every change of state (a disconnect, a reconnect, the close) until the returned
   * function is called: an input interrupts a waiting read with it, so the engine learns of an
   * outage the client is riding out by itself.
   */
  onChange(fn: () => void): () => void {
    this.#listeners.add(fn)
    return () => this.#listeners.delete(fn)
  }

  /**
   * Resolves once the connection is up; rejects when it closed, `signal` aborted, or `timeoutMs`
   * passed (the caller's connect then fails and is retried with the engine's back-off).
   */
  async waitUp(signal: AbortSignal, timeoutMs: number): Promise<void> {
    if (this.up) return
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error): void => {
        clearTimeout(timer)
        off()
        signal.removeEventListener('abort', onAbort)
        if (err) reject(err)
        else resolve()
      }
      const check = (): void => {
        if (this.up) done()
        else if (this.closed) done(new Error('NATS connection closed'))
      }
      const onAbort = (): void => done(signal.reason instanceof Error ? signal.reason : new Error('aborted'))
      const timer = setTimeout(() => done(new Error(`NATS server unreachable (${this.#server}), still reconnecting`)), timeoutMs)
      const off = this.onChange(check)
      signal.addEventListener('abort', onAbort, { once: true })
      if (signal.aborted) onAbort()
      else check()
    })
  }

  /** Connected to a server now (false while reconnecting and once closed). */
  get up(): boolean {
    return this.#state === 'up' && !this.nc.isClosed()
  }

  get closed(): boolean {
    return this.nc.isClosed()
  }

  /** Closes the connection; pending publishes are flushed first when the server is reachable. */
  async close(): Promise<void> {
    if (this.nc.isClosed()) return
    try {
      if (this.up) await this.nc.flush()
    } catch {
      // Closing anyway: a flush that fails means the server is gone.
    }
    await this.nc.close()
  }
}
