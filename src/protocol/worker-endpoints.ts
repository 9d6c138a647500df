/**
 * Worker side of the HTTP-over-port primitive: components register endpoint handlers; requests
 * arrive in batches from the main thread, and responses finished in the same loop turn leave in one
 * `postMessage`, their bodies transferred.
 */
import type { EndpointHandler, EndpointRegistry, EndpointRequest, EndpointResponse } from '../components/types.js'
import type { EndpointInfo, HttpRequestMsg, HttpResponseMsg, WorkerToMain } from './messages.js'

const encoder = new TextEncoder()

export class WorkerEndpoints implements EndpointRegistry {
  #handlers = new Map<string, { description: string; handler: EndpointHandler }>()
  #post: (msg: WorkerToMain, transfer: ArrayBuffer[]) => void
  #outbox: HttpResponseMsg[] = []
  #transfer: ArrayBuffer[] = []
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

  dispatch(requests: HttpRequestMsg[]): void {
    for (const r of requests) {
      const h = this.#handlers.get(r.endpoint)
      if (!h) {
        this.#reply(r.id, { status: 404, headers: [['Content-Type', 'text/plain; charset=utf-8']], body: '404 page not found\n' })
        continue
      }
      const req: EndpointRequest = {
        method: r.method,
        path: r.path,
        query: r.query,
        headers: pairs(r.rawHeaders),
        body: new Uint8Array(r.body),
        remoteAddress: r.remoteAddress,
        params: r.params,
      }
      h.handler(req, this.#stopping.signal).then(
        (res) => this.#reply(r.id, res),
        (err: unknown) =>
          this.#reply(r.id, { status: 500, headers: [['Content-Type', 'text/plain; charset=utf-8']], body: `Internal Server Error: ${err instanceof Error ? err.message : String(err)}\n` }),
      )
    }
  }

  #reply(id: number, res: EndpointResponse): void {
    const headers: string[] = []
    for (const [k, v] of res.headers) headers.push(k, v)
    let body: ArrayBuffer | string
    if (typeof res.body === 'string') {
      body = res.body
    } else {
      // Transfer only buffers we own outright; views into larger buffers are copied once.
      const b = res.body
      body = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer ? b.buffer : copy(b)
      this.#transfer.push(body)
    }
    this.#outbox.push({ type: 'http.response', id, status: res.status, headers, body })
    if (!this.#scheduled) {
      this.#scheduled = true
      setImmediate(this.#flush)
    }
  }

  #flush = (): void => {
    this.#scheduled = false
    const responses = this.#outbox
    const transfer = this.#transfer
    this.#outbox = []
    this.#transfer = []
    this.#post({ type: 'http.batch', responses }, transfer)
  }
}

function pairs(raw: string[]): [string, string][] {
  const out: [string, string][] = []
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!.toLowerCase(), raw[i + 1]!])
  return out
}

function copy(b: Uint8Array): ArrayBuffer {
  const ab = new ArrayBuffer(b.byteLength)
  new Uint8Array(ab).set(b)
  return ab
}

export { encoder as textEncoder }
