/**
 * `http_client` input (spec components §4.5). Polling mode: every read is one request (with the
 * client's retries), whose response (one message per multipart part) is the batch; the URL,
 * headers and body of the next request are interpolated against the previous response, as the
 * reference does for simple pagination. Stream mode: one request is held open and its body is
 * split by the scanner; when it ends the request is made again (`reconnect`) or the input ends.
 *
 *   polling:  read ─▶ request ─▶ empty body & drop_empty_bodies ─▶ request again
 *                              └▶ batch (remembered as the next request's reference)
 *   stream:   connect ─▶ request head ─▶ read: scanner.next ─▶ batch
 *                                                 └ end ─▶ reconnect ? not connected : end of input
 */
import { Message, type Batch } from '../../message/message.js'
import { compileInterpolation } from '../../bloblang/index.js'
import { defineComponent, f } from '../../spec/index.js'
import { END_OF_INPUT, NotConnectedError, type ComponentContext, type Input, type ReadResult, type Scanner, type ScannerReader } from '../../spec/index.js'
import { HttpClient, type HttpResponse } from '../shared/http-client.js'
import { httpClientFields } from '../shared/http-client-fields.js'
import { atField } from '../shared/field-error.js'
import { scannerFor, SCANNER_DEFAULT } from '../shared/scanner-field.js'
import { abortError } from '../../util/channel.js'

/** What the reference's client reports when a request outlives `timeout`: a read to retry at once. */
const TIMED_OUT = '(Client.Timeout exceeded while awaiting headers)'

const config = f.object('', [
  ...httpClientFields('GET', false),
  f.interp('payload', { optional: true, description: 'An optional payload to deliver for each request.' }),
  f.bool('drop_empty_bodies', { default: true, advanced: true, description: 'Whether empty payloads received from the target server should be dropped.' }),
  f.object(
    'stream',
    [
      f.bool('enabled', { default: false, description: 'Enables streaming mode.' }),
      f.bool('reconnect', { default: true, description: 'Sets whether to re-establish the connection once it is lost.' }),
      f.string('codec', { optional: true, deprecated: true, advanced: true, description: 'The way in which the bytes of a data source should be converted into discrete messages.' }),
      f.int('max_buffer', { default: 1000000, deprecated: true, advanced: true }),
      f.component('scanner', 'scanner', {
        default: SCANNER_DEFAULT,
        description: 'The scanner by which the stream of bytes consumed will be broken out into individual messages.',
      }),
    ],
    { optional: true, description: 'Allows you to set streaming mode, where requests are kept open and messages are processed line-by-line.' },
  ),
  f.bool('auto_replay_nacks', { default: true, description: 'Whether messages that are rejected (nacked) at the output level should be automatically replayed indefinitely.' }),
])

export default defineComponent({
  kind: 'input',
  name: 'http_client',
  status: 'stable',
  summary: 'Connects to a server and continuously performs requests for a single message.',
  config,
  examples: [
    {
      title: 'Basic Pagination',
      config: `input:
  http_client:
    url: >-
      http://127.0.0.1:8080/items?since=\${! content().parse_json().or({}).last_id.or("") }
    verb: GET
    drop_empty_bodies: true
    retry_period: 2s
`,
    },
  ],
  build: async (c, ctx): Promise<Input> => {
    const streaming = c.stream?.enabled === true
    const payload = c.payload !== undefined && c.payload !== '' ? atField('payload', () => compileInterpolation(c.payload!)) : undefined
    // A held-open stream must not be cut by the per-request timeout (the reference zeroes it).
    const client = await HttpClient.create(streaming ? { ...c, timeout: '0s' } : c, ctx, payload ? { explicitBody: payload } : {})
    if (!streaming) return new PollingInput(client, c.drop_empty_bodies, c.auto_replay_nacks)
    const scanner = await scannerFor(c.stream!, ctx, 'http_client.stream')
    return new StreamingInput(client, scanner, c.stream!.reconnect, c.drop_empty_bodies, c.auto_replay_nacks, ctx)
  },
})

class PollingInput implements Input {
  readonly replayNacks: boolean
  readonly #client: HttpClient
  readonly #dropEmpty: boolean
  readonly #closed = new AbortController()
  /** The reference the next request is interpolated against (and, without `payload`, its body). */
  #prev: Batch = []

  constructor(client: HttpClient, dropEmpty: boolean, replay: boolean) {
    this.#client = client
    this.#dropEmpty = dropEmpty
    this.replayNacks = replay
  }

  async connect(): Promise<void> {}

  connected(): boolean {
    return !this.#closed.signal.aborted
  }

  async read(signal: AbortSignal): Promise<ReadResult> {
    const both = AbortSignal.any([signal, this.#closed.signal])
    for (;;) {
      if (both.aborted) throw abortError(both)
      let batch: Batch
      try {
        batch = await this.#client.send(this.#prev, both)
      } catch (err) {
        if (both.aborted) throw abortError(both)
        if (err instanceof Error && err.message.includes(TIMED_OUT)) continue
        throw err
      }
      if (batch.length === 0) continue
      if (batch.length === 1 && this.#dropEmpty && batch[0]!.bytes().byteLength === 0) continue
      this.#prev = batch
      return { batch: batch.map((m) => m.copy()), ack: () => {} }
    }
  }

  async close(): Promise<void> {
    this.#closed.abort()
    await this.#client.close()
  }
}

class StreamingInput implements Input {
  readonly replayNacks: boolean
  readonly #client: HttpClient
  readonly #scanner: Scanner
  readonly #reconnect: boolean
  readonly #dropEmpty: boolean
  readonly #ctx: ComponentContext
  readonly #closed = new AbortController()
  #prev: Batch = []
  #body: HttpResponse['stream'] | undefined
  #reader: ScannerReader | undefined

  constructor(client: HttpClient, scanner: Scanner, reconnect: boolean, dropEmpty: boolean, replay: boolean, ctx: ComponentContext) {
    this.#client = client
    this.#scanner = scanner
    this.#reconnect = reconnect
    this.#dropEmpty = dropEmpty
    this.replayNacks = replay
    this.#ctx = ctx
  }

  async connect(signal: AbortSignal): Promise<void> {
    if (this.#reader) return
    // The body outlives this call: only closing the input (or a forced stop) ends it.
    const res = await this.#client.openStream(this.#prev, AbortSignal.any([this.#closed.signal, this.#ctx.signal, signal]))
    const m = new Message(new Uint8Array(0))
    const meta = m.metaMut()
    for (const [k, v] of Object.entries(res.headers)) {
      const first = Array.isArray(v) ? v[0] : v
      if (first !== undefined) meta.set(k.toLowerCase(), first)
    }
    this.#prev = [m]
    this.#body = res.stream
    this.#reader = this.#scanner.open(res.stream!)
  }

  connected(): boolean {
    return this.#reader !== undefined
  }

  async read(signal: AbortSignal): Promise<ReadResult> {
    for (;;) {
      const reader = this.#reader
      if (!reader) throw new NotConnectedError()
      let parts: Batch | undefined
      try {
        parts = await abortableNext(reader, signal)
      } catch (err) {
        // A scanner read still pending must not race the next one: the body goes either way.
        this.#drop()
        if (signal.aborted) throw abortError(signal)
        throw err
      }
      if (parts === undefined) {
        this.#drop()
        if (!this.#reconnect) return END_OF_INPUT
        throw new NotConnectedError()
      }
      if (parts.length === 0) continue
      if (parts.length === 1 && this.#dropEmpty && parts[0]!.bytes().byteLength === 0) continue
      this.#prev = parts.map((p) => p.copy())
      return { batch: parts, ack: () => {} }
    }
  }

  #drop(): void {
    this.#body?.destroy()
    this.#body = undefined
    this.#reader = undefined
  }

  async close(): Promise<void> {
    this.#closed.abort()
    this.#drop()
    await this.#scanner.close()
    await this.#client.close()
  }
}

/** The scanner's next batch, or a rejection once `signal` aborts (the body may never end). */
function abortableNext(reader: ScannerReader, signal: AbortSignal): Promise<Batch | undefined> {
  if (signal.aborted) return Promise.reject(abortError(signal))
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal))
    signal.addEventListener('abort', onAbort, { once: true })
    reader.next().then(
      (v) => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(err instanceof Error ? err : new Error(String(err)))
      },
    )
  })
}
