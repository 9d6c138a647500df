/**
 * Worker side of the HTTP-over-port primitive: components register endpoint handlers; requests
 * arrive in packed frames from the main thread, and responses finished in the same loop turn leave
 * in one packed frame (http-frames.ts).
 */
import type { EndpointHandler, EndpointRegistry, EndpointResponse } from '../spec/index.js'
import type { EndpointInfo, HttpFrame, WorkerToMain } from '../protocol/messages.js'
import { FrameWriter, readRequests, type FrameRequest } from '../protocol/http-frames.js'
import { notFound, responseHead } from '../http/index.js'

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
