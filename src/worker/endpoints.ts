/**
 * Worker side of the HTTP-over-port primitive: components register endpoint handlers; requests
 * arrive in packed frames from the main thread, and responses finished in the same loop turn leave
 * in one packed frame (http-frames.ts).
 */
import type { EndpointHandler, EndpointRegistry, EndpointResponse } from '../spec/index.js'
import type { EndpointInfo, HttpFrame, LiveRequest, MainToWorker, WorkerToMain } from '../protocol/messages.js'
import { LiveConnectionImpl, NOT_A_WEBSOCKET, type LiveHandler, type LiveKind, type LiveRegistry } from '../components/shared/live-endpoints.js'
import { FrameWriter, readRequests, type FrameRequest } from '../protocol/http-frames.js'
import { notFound, responseHead, textResponse } from '../http/index.js'

export class WorkerEndpoints implements EndpointRegistry, LiveRegistry {
  #handlers = new Map<string, { description: string; handler: EndpointHandler }>()
  #live = new Map<string, { kind: LiveKind; handler: LiveHandler }>()
  /** Open live connections by the main thread's id. */
  #conns = new Map<number, LiveConnectionImpl>()
  #post: (msg: WorkerToMain, transfer: ArrayBuffer[]) => void
  #outbox = new FrameWriter()
  #scheduled = false
  #stopping = new AbortController()

  constructor(post: (msg: WorkerToMain, transfer: ArrayBuffer[]) => void) {
    this.#post = post
  }

  register(path: string, description: string, handler: EndpointHandler): void {
    this.#handlers.set(path, { description, handler })
  }

  /**
   * A streamed response or WebSocket endpoint. A socket path also answers plain requests (400),
   * as the reference's upgrader does.
   */
  registerLive(path: string, description: string, kind: LiveKind, handler: LiveHandler): void {
    this.#live.set(path, { kind, handler })
    this.#handlers.set(path, { description, handler: kind === 'socket' ? () => ({ ...NOT_A_WEBSOCKET, headers: [...NOT_A_WEBSOCKET.headers] }) : () => notFound() })
  }

  list(): EndpointInfo[] {
    return [...this.#handlers].map(([path, h]) => {
      const live = this.#live.get(path)?.kind
      return live ? { path, description: h.description, live } : { path, description: h.description }
    })
  }

  /** Requests still waiting for their handler when the stream stops are aborted through this. */
  abortAll(): void {
    this.#stopping.abort()
    for (const c of [...this.#conns.values()]) c.close(1001, 'stream stopping')
  }

  /** A `live.*` message from the main thread. */
  dispatchLive(msg: Extract<MainToWorker, { type: 'live.open' | 'live.data' | 'live.close' }>): void {
    switch (msg.type) {
      case 'live.open':
        return this.#openLive(msg.id, msg.kind, msg.endpoint, msg.request)
      case 'live.data': {
        const data = typeof msg.data === 'string' ? new TextEncoder().encode(msg.data) : new Uint8Array(msg.data)
        this.#conns.get(msg.id)?.deliver(data, msg.binary)
        return
      }
      case 'live.close': {
        const c = this.#conns.get(msg.id)
        this.#conns.delete(msg.id)
        c?.end()
        return
      }
    }
  }

  #openLive(id: number, kind: LiveKind, endpoint: string, request: LiveRequest): void {
    const ep = this.#live.get(endpoint)
    if (!ep || ep.kind !== kind || this.#stopping.signal.aborted) {
      const refusal = !ep || ep.kind !== kind ? notFound() : textResponse(503, 'Service unavailable')
      this.#post({ type: 'live.head', id, status: refusal.status, headers: refusal.headers }, [])
      this.#post({ type: 'live.data', id, data: typeof refusal.body === 'string' ? refusal.body : new TextDecoder().decode(refusal.body), binary: false }, [])
      this.#post({ type: 'live.close', id }, [])
      return
    }
    const conn = new LiveConnectionImpl({
      head: (status, headers) => this.#post({ type: 'live.head', id, status, headers }, []),
      send: (data, binary) => {
        if (typeof data === 'string') return this.#post({ type: 'live.data', id, data, binary }, [])
        // A copy the port can own: the caller's view may share a larger buffer.
        const copy = ownedCopy(data)
        this.#post({ type: 'live.data', id, data: copy, binary }, [copy])
      },
      close: (code, reason) => {
        this.#conns.delete(id)
        this.#post({ type: 'live.close', id, ...(code !== undefined ? { code } : {}), ...(reason !== undefined ? { reason } : {}) }, [])
      },
    })
    this.#conns.set(id, conn)
    if (kind === 'socket') conn.head(101, [])
    try {
      ep.handler({ ...request, body: new Uint8Array(0) }, conn)
    } catch (err) {
      conn.close(1011, err instanceof Error ? err.message : String(err))
    }
  }

  /** Requests of one `http.frame`, in order. */
  dispatchFrame(frame: HttpFrame): void {
    readRequests(frame, this.#dispatchOne)
  }

  #dispatchOne = (r: FrameRequest): void => {
    const h = this.#handlers.get(r.endpoint)
    if (!h) {
      this.#reply(r.id, notFound())
      return
    }
    // A frame request is an EndpointRequest already (plus id and endpoint): no copy.
    let res: EndpointResponse | Promise<EndpointResponse>
    try {
      res = h.handler(r, this.#stopping.signal)
    } catch (err) {
      this.#reply(r.id, internalError(err))
      return
    }
    if (res instanceof Promise) {
      res.then(
        (x) => this.#reply(r.id, x),
        (err: unknown) => this.#reply(r.id, internalError(err)),
      )
    } else {
      this.#reply(r.id, res)
    }
  }

  #reply(id: number, res: EndpointResponse): void {
    // Framed here, before the port: the main thread writes the head as it arrives.
    this.#outbox.response({ id, status: res.status, headers: responseHead(res), body: res.body })
    if (!this.#scheduled) {
      this.#scheduled = true
      setImmediate(this.#flush)
    }
  }

  #flush = (): void => {
    this.#scheduled = false
    if (this.#outbox.count === 0) return
    const { frame, transfer } = this.#outbox.take()
    this.#post({ type: 'http.frame', frame }, transfer)
  }
}

function internalError(err: unknown): EndpointResponse {
  return { status: 500, headers: [['Content-Type', 'text/plain; charset=utf-8']], body: `Internal Server Error: ${err instanceof Error ? err.message : String(err)}\n` }
}

/** A fresh ArrayBuffer holding `data` (a Buffer may be a view into a shared pool: never transfer that). */
function ownedCopy(data: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(data.byteLength)
  copy.set(data)
  return copy.buffer
}
