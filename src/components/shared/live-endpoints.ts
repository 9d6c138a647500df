/**
 * Long-lived endpoints: a streamed HTTP response (`http_server` output's `stream_path`) or a
 * WebSocket (`ws_path` of the `http_server` input and output). A component registers a handler
 * and gets one `LiveConnection` per client, the same whether the client reached a stream's own
 * server or the shared server (whose main thread relays it over the worker's port, see
 * protocol/messages.ts `live.*`).
 *
 * Kept beside the contracts rather than in them: registries that cannot hold connections open (the
 * test harness's stand-in) simply lack `registerLive`, and components skip those paths.
 */
import type { EndpointRegistry, EndpointRequest } from '../../spec/index.js'

export type LiveKind = 'stream' | 'socket'

export interface LiveConnection {
  /** Stream only, once, before any `send`: the response status and headers. */
  head(status: number, headers: [string, string][]): void
  /** A body chunk (stream) or one message (socket; `binary` false = a text frame). */
  send(data: Uint8Array | string, binary?: boolean): void
  /** Ends the response or closes the socket (idempotent). */
  close(code?: number, reason?: string): void
  /** Socket messages from the client. */
  onMessage(fn: (data: Uint8Array, binary: boolean) => void): void
  /** Aborted once the connection is gone, whichever side ended it. */
  readonly closed: AbortSignal
}

/** Called once per client; the request has an empty body. */
export type LiveHandler = (req: EndpointRequest, conn: LiveConnection) => void

export interface LiveRegistry {
  registerLive(path: string, description: string, kind: LiveKind, handler: LiveHandler): void
}

/** The registry's live side, when it has one. */
export function liveRegistry(endpoints: EndpointRegistry): LiveRegistry | undefined {
  const r = endpoints as EndpointRegistry & Partial<LiveRegistry>
  return typeof r.registerLive === 'function' ? (r as LiveRegistry) : undefined
}

/** Answer of a plain HTTP request to a WebSocket path (Go's upgrader refuses it the same way). */
export const NOT_A_WEBSOCKET = {
  status: 400,
  headers: [
    ['Content-Type', 'text/plain; charset=utf-8'],
    ['X-Content-Type-Options', 'nosniff'],
  ] as [string, string][],
  body: 'Bad Request\n',
}

/** What a transport does for a connection: the client-bound half. */
export interface LiveOut {
  head(status: number, headers: [string, string][]): void
  send(data: Uint8Array | string, binary: boolean): void
  close(code?: number, reason?: string): void
}

/**
 * A `LiveConnection` over any transport: `out` carries what the component does to the client,
 * `deliver`/`end` what the client does to the component.
 */
export class LiveConnectionImpl implements LiveConnection {
  readonly #ctl = new AbortController()
  readonly #out: LiveOut
  #listeners: ((data: Uint8Array, binary: boolean) => void)[] = []

  constructor(out: LiveOut) {
    this.#out = out
  }

  get closed(): AbortSignal {
    return this.#ctl.signal
  }

  head(status: number, headers: [string, string][]): void {
    if (!this.#ctl.signal.aborted) this.#out.head(status, headers)
  }

  send(data: Uint8Array | string, binary = true): void {
    if (!this.#ctl.signal.aborted) this.#out.send(data, binary)
  }

  close(code?: number, reason?: string): void {
    if (this.#ctl.signal.aborted) return
    this.#ctl.abort()
    this.#out.close(code, reason)
  }

  onMessage(fn: (data: Uint8Array, binary: boolean) => void): void {
    this.#listeners.push(fn)
  }

  /** A message from the client. */
  deliver(data: Uint8Array, binary: boolean): void {
    if (this.#ctl.signal.aborted) return
    for (const l of this.#listeners) l(data, binary)
  }

  /** The client (or transport) went away. */
  end(): void {
    this.#ctl.abort()
  }
}
