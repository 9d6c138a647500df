/**
 * HTTP-over-port, packed: the requests (or responses) of one loop turn cross the port as one flat
 * array of primitives plus one ArrayBuffer holding every small body back to back. Structured clone
 * pays per object and per transferred buffer; with an object and a transferred body per request it
 * cost about twice the CPU of this on each side of the port (bench/README.md).
 *
 * Request layout, repeated:  id, endpoint, method, path, query, remoteAddress,
 *                            nHeaders, ...rawHeaders (name, value, ...), nParams, ...params (k, v, ...), body
 * Response layout, repeated: id, status, nHeaders, ...headers (name, value, ...), body
 * `body` is a number (that many bytes from the shared buffer, in order), a string (a text body), or
 * an ArrayBuffer of its own (a large body, transferred instead of copied).
 */
import type { HttpField, HttpFrame } from './messages.js'

/** Bodies at least this large get their own transferred buffer instead of a copy into the shared one. */
const OWN_BUFFER_BYTES = 64 * 1024

/** An HTTP request as the worker's endpoints see it (headers still raw: name, value, ...). */
export interface FrameRequest {
  id: number
  endpoint: string
  method: string
  path: string
  query: string
  remoteAddress: string
  rawHeaders: string[]
  params: Record<string, string>
  body: Uint8Array
}

export interface FrameResponse {
  id: number
  status: number
  /** Flat [name, value, ...]. */
  headers: string[]
  body: Uint8Array | string
}

/** Accumulates entries until `take()`; one writer per direction. */
export class FrameWriter {
  #fields: HttpField[] = []
  #chunks: Uint8Array[] = []
  #size = 0
  #transfer: ArrayBuffer[] = []
  #count = 0

  get count(): number {
    return this.#count
  }

  request(id: number, r: Omit<FrameRequest, 'id'>): void {
    const f = this.#fields
    f.push(id, r.endpoint, r.method, r.path, r.query, r.remoteAddress, r.rawHeaders.length)
    for (const h of r.rawHeaders) f.push(h)
    const keys = Object.keys(r.params)
    f.push(keys.length * 2)
    for (const k of keys) f.push(k, r.params[k]!)
    this.#body(r.body)
    this.#count++
  }

  response(r: FrameResponse): void {
    const f = this.#fields
    f.push(r.id, r.status, r.headers.length)
    for (const h of r.headers) f.push(h)
    if (typeof r.body === 'string') f.push(r.body)
    else this.#body(r.body)
    this.#count++
  }

  #body(b: Uint8Array): void {
    if (b.byteLength >= OWN_BUFFER_BYTES) {
      const own = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer ? b.buffer : copy(b)
      this.#fields.push(own)
      this.#transfer.push(own)
      return
    }
    this.#fields.push(b.byteLength)
    if (b.byteLength > 0) {
      this.#chunks.push(b)
      this.#size += b.byteLength
    }
  }

  /** The frame so far and the buffers to transfer with it; the writer starts empty again. */
  take(): { frame: HttpFrame; transfer: ArrayBuffer[] } {
    const bodies = new ArrayBuffer(this.#size)
    const view = new Uint8Array(bodies)
    let off = 0
    for (const c of this.#chunks) {
      view.set(c, off)
      off += c.byteLength
    }
    const transfer = this.#transfer
    transfer.push(bodies)
    const frame: HttpFrame = { fields: this.#fields, bodies }
    this.#fields = []
    this.#chunks = []
    this.#size = 0
    this.#transfer = []
    this.#count = 0
    return { frame, transfer }
  }
}

/** Calls `fn` for every request of a frame, in order. Bodies are views into the frame's buffer. */
export function readRequests(frame: HttpFrame, fn: (r: FrameRequest) => void): void {
  const f = frame.fields
  const body = bodyReader(frame.bodies)
  let i = 0
  while (i < f.length) {
    const id = f[i++] as number
    const endpoint = f[i++] as string
    const method = f[i++] as string
    const path = f[i++] as string
    const query = f[i++] as string
    const remoteAddress = f[i++] as string
    const nh = f[i++] as number
    const rawHeaders = f.slice(i, i + nh) as string[]
    i += nh
    const np = f[i++] as number
    let params: Record<string, string> = NO_PARAMS
    if (np > 0) {
      params = {}
      for (let k = 0; k < np; k += 2) params[f[i + k] as string] = f[i + k + 1] as string
    }
    i += np
    const b = body(f[i++]!)
    fn({ id, endpoint, method, path, query, remoteAddress, rawHeaders, params, body: typeof b === 'string' ? encoder.encode(b) : b })
  }
}

/** Calls `fn` for every response of a frame, in order. Bodies are views into the frame's buffer. */
export function readResponses(frame: HttpFrame, fn: (r: FrameResponse) => void): void {
  const f = frame.fields
  const body = bodyReader(frame.bodies)
  let i = 0
  while (i < f.length) {
    const id = f[i++] as number
    const status = f[i++] as number
    const nh = f[i++] as number
    const headers = f.slice(i, i + nh) as string[]
    i += nh
    fn({ id, status, headers, body: body(f[i++]!) })
  }
}

function bodyReader(bodies: ArrayBuffer): (field: HttpField) => Uint8Array | string {
  let off = 0
  return (field) => {
    if (typeof field === 'string') return field
    if (typeof field !== 'number') return new Uint8Array(field)
    const v = new Uint8Array(bodies, off, field)
    off += field
    return v
  }
}

function copy(b: Uint8Array): ArrayBuffer {
  const ab = new ArrayBuffer(b.byteLength)
  new Uint8Array(ab).set(b)
  return ab
}

const encoder = new TextEncoder()
const NO_PARAMS: Record<string, string> = Object.freeze({}) as Record<string, string>
