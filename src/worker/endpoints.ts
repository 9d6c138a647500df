/**
 * Worker side of the HTTP-over-port primitive: components register endpoint handlers; requests
 * arrive in packed frames from the main thread, and responses finished in the same loop turn leave
 * in one packed frame (http-frames.ts).
 */
import type { EndpointHandler, EndpointRegistry, EndpointResponse } from '../spec/index.js'
import type { EndpointInfo, HttpFrame, WorkerToMain } from '../protocol/messages.js'
import { FrameWriter, readRequests, type FrameRequest } from '../protocol/http-frames.js'

/** net/http's bufferBeforeChunkingSize: smaller complete bodies get a Content-Length. */
const CHUNKING_THRESHOLD = 2048

export class WorkerEndpoints implements EndpointRegistry {
  #handlers = new Map<string, { description: string; handler: EndpointHandler }>()
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

  list(): EndpointInfo[] {
    return [...this.#handlers].map(([path, h]) => ({ path, description: h.description }))
  }

  /** Requests still waiting for their handler when the stream stops are aborted through this. */
  abortAll(): void {
    this.#stopping.abort()
  }

  /** Requests of one `http.frame`, in order. */
  dispatchFrame(frame: HttpFrame): void {
    readRequests(frame, this.#dispatchOne)
  }

  #dispatchOne = (r: FrameRequest): void => {
    const h = this.#handlers.get(r.endpoint)
    if (!h) {
      this.#reply(r.id, { status: 404, headers: [['Content-Type', 'text/plain; charset=utf-8']], body: '404 page not found\n' })
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
    const headers: string[] = []
    let framed = false
    for (const [k, v] of res.headers) {
      headers.push(k, v)
      if (!framed && (k.length === 14 || k.length === 17)) {
        const l = k.toLowerCase()
        framed = l === 'content-length' || l === 'transfer-encoding'
      }
    }
    // Go's server states the length of a small body written in one go instead of chunking it
    // (node:http would chunk: writeHead runs before the body is known).
    if (!framed && res.status >= 200 && res.status !== 204 && res.status !== 304) {
      const n = typeof res.body === 'string' ? Buffer.byteLength(res.body) : res.body.byteLength
      if (n < CHUNKING_THRESHOLD) headers.push('Content-Length', String(n))
    }
    this.#outbox.response({ id, status: res.status, headers, body: res.body })
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
