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
 *
 * A string field that equals the one at the same place in the frame's previous entry is written as
 * `null` (the place: the field's position in the layout, a header by its index in the list; bodies
 * and parameters are never repeated). One client's requests, and one endpoint's responses, repeat
 * nearly every name and value, and each string costs the sender its serialisation and the receiver
 * a fresh copy. Across a real port (20 requests, or 35 responses, a frame), reading cost about 12 %
 * less per request and 20 % less per response, the main thread being the responses' reader.
 */
import { weirError } from '../errors.js'
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

  /** The string last written at each place (see the layout): a repeat is written as null. */
  #last: string[] = []

  #str(place: number, s: string): void {
    if (this.#last[place] === s) this.#fields.push(null)
    else {
      this.#fields.push(s)
      this.#last[place] = s
    }
  }

  request(id: number, r: Omit<FrameRequest, 'id'>): void {
    const f = this.#fields
    f.push(id)
    this.#str(0, r.endpoint)
    this.#str(1, r.method)
    this.#str(2, r.path)
    this.#str(3, r.query)
    this.#str(4, r.remoteAddress)
    const h = r.rawHeaders
    f.push(h.length)
    for (let k = 0; k < h.length; k++) this.#str(HEADER_PLACE + k, h[k]!)
    const keys = Object.keys(r.params)
    f.push(keys.length * 2)
    for (const k of keys) f.push(k, r.params[k]!)
    this.#body(r.body)
    this.#count++
  }

  response(r: FrameResponse): void {
    const f = this.#fields
    const h = r.headers
    f.push(r.id, r.status, h.length)
    for (let k = 0; k < h.length; k++) this.#str(HEADER_PLACE + k, h[k]!)
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
    const frame: HttpFrame = { count: this.#count, fields: this.#fields, bodies }
    this.#fields = []
    this.#chunks = []
    this.#size = 0
    this.#transfer = []
    this.#count = 0
    // Each frame stands alone: a reader starts with no previous entry.
    this.#last = []
    return { frame, transfer }
  }
}

/**
 * Calls `fn` for every request of a frame, in order. Bodies are views into the frame's buffer.
 * The whole frame is read before the first call: a malformed one (wrong field types, cut short,
 * bodies that do not fill the buffer) throws a WeirError `INTERNAL` and nothing is dispatched.
 */
export function readRequests(frame: HttpFrame, fn: (r: FrameRequest) => void): void {
  const f = new FieldReader(frame)
  const out: FrameRequest[] = []
  while (!f.done()) {
    const id = f.num()
    const endpoint = f.str(0)
    const method = f.str(1)
    const path = f.str(2)
    const query = f.str(3)
    const remoteAddress = f.str(4)
    const rawHeaders = f.strings(HEADER_PLACE)
    const np = f.count()
    let params: Record<string, string> = NO_PARAMS
    if (np > 0) {
      if (np % 2 !== 0) f.fail('odd parameter field count')
      const pairs: [string, string][] = []
      for (let k = 0; k < np; k += 2) pairs.push([f.str(), f.str()])
      // fromEntries defines own properties, so a parameter named `__proto__` stays a parameter.
      params = Object.fromEntries(pairs)
    }
    const b = f.body()
    out.push({ id, endpoint, method, path, query, remoteAddress, rawHeaders, params, body: typeof b === 'string' ? encoder.encode(b) : b })
  }
  f.end(out.length)
  for (const r of out) fn(r)
}

/** Calls `fn` for every response of a frame, in order; malformed frames are refused as in `readRequests`. */
export function readResponses(frame: HttpFrame, fn: (r: FrameResponse) => void): void {
  const f = new FieldReader(frame)
  const out: FrameResponse[] = []
  while (!f.done()) {
    const id = f.num()
    const status = f.num()
    const headers = f.strings(HEADER_PLACE)
    out.push({ id, status, headers, body: f.body() })
  }
  f.end(out.length)
  for (const r of out) fn(r)
}

/** Typed reads over a frame's fields; any mismatch is a corrupt frame. */
class FieldReader {
  readonly #f: readonly HttpField[]
  readonly #bodies: ArrayBuffer
  readonly #count: number
  #i = 0
  #off = 0

  constructor(frame: HttpFrame) {
    if (typeof frame !== 'object' || frame === null || !Number.isSafeInteger(frame.count) || !Array.isArray(frame.fields) || !(frame.bodies instanceof ArrayBuffer)) {
      throw weirError('INTERNAL', 'corrupt HTTP frame: expected { count, fields: [], bodies: ArrayBuffer }')
    }
    this.#f = frame.fields
    this.#bodies = frame.bodies
    this.#count = frame.count
  }

  done(): boolean {
    return this.#i >= this.#f.length
  }

  fail(what: string): never {
    throw weirError('INTERNAL', `corrupt HTTP frame: ${what} at field ${this.#i}`)
  }

  #next(): HttpField {
    if (this.#i >= this.#f.length) this.fail('frame cut short')
    return this.#f[this.#i++]!
  }

  num(): number {
    const v = this.#next()
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail('expected a number')
    return v
  }

  /** The strings read so far by place (see the layout), for the repeats written as null. */
  #last: string[] = []

  /** A string; with `place`, null stands for the string last read there. */
  str(place?: number): string {
    const v = this.#next()
    if (typeof v === 'string') {
      if (place !== undefined) this.#last[place] = v
      return v
    }
    if (v === null && place !== undefined) {
      const last = this.#last[place]
      if (last !== undefined) return last
      this.fail('repeat of a string never sent')
    }
    this.fail('expected a string')
  }

  count(): number {
    const n = this.num()
    if (!Number.isSafeInteger(n) || n < 0 || n > this.#f.length - this.#i) this.fail(`invalid count ${n}`)
    return n
  }

  /** A flat [name, value, ...] list: its length, then the strings, from `place` on. */
  strings(place: number): string[] {
    const n = this.count()
    const out: string[] = new Array<string>(n)
    for (let k = 0; k < n; k++) out[k] = this.str(place + k)
    return out
  }

  body(): Uint8Array | string {
    const v = this.#next()
    if (typeof v === 'string') return v
    if (v instanceof ArrayBuffer) return new Uint8Array(v)
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || this.#off + v > this.#bodies.byteLength) this.fail(`invalid body length ${String(v)}`)
    const view = new Uint8Array(this.#bodies, this.#off, v)
    this.#off += v
    return view
  }

  /** The frame held the entries it announced, and every shared-buffer byte belongs to some body. */
  end(entries: number): void {
    if (entries !== this.#count) this.fail(`${entries} entries, frame announced ${this.#count}`)
    if (this.#off !== this.#bodies.byteLength) this.fail(`${this.#bodies.byteLength - this.#off} body bytes left over`)
  }
}

function copy(b: Uint8Array): ArrayBuffer {
  const ab = new ArrayBuffer(b.byteLength)
  new Uint8Array(ab).set(b)
  return ab
}

/** Where a header list's strings start among the places of the repeat marker (see the layout). */
const HEADER_PLACE = 5

const encoder = new TextEncoder()
const NO_PARAMS: Record<string, string> = Object.freeze({}) as Record<string, string>
