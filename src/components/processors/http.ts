/**
 * `http` processor (spec components §6.20): sends a batch (one message, or the whole batch as one
 * multipart request with `batch_as_multipart`) or each message of it (in order, or all at once with
 * `parallel`) and replaces the content with the response, keeping the original metadata and adding
 * the response's (`http_status_code`, extracted headers). A request that fails after the client's
 * retries leaves the message's content as it was, flagged, with the failed response's metadata.
 */
import type { Batch, Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { ComponentContext, Processor } from '../../spec/index.js'
import { HttpClient, responseOf } from '../shared/http-client.js'
import { httpClientFields } from '../shared/http-client-fields.js'
import { errorFlagger, type FlagError } from '../shared/processor-error.js'

const config = f.object('', [
  ...httpClientFields('POST', false),
  f.bool('batch_as_multipart', { default: false, advanced: true, description: 'Send message batches as a single request using RFC1341 multipart.' }),
  f.bool('parallel', { default: false, description: 'When processing batched messages, whether to send messages of the batch in parallel, otherwise they are sent serially.' }),
])

export default defineComponent({
  kind: 'processor',
  name: 'http',
  status: 'stable',
  summary: 'Performs an HTTP request using a message batch as the request body, and replaces the original message parts with the body of the response.',
  config,
  examples: [
    {
      title: 'Enrich each message of a batch in parallel',
      config: `pipeline:
  processors:
    - http:
        url: http://127.0.0.1:8080/enrich/\${! json("id") }
        verb: POST
        headers:
          Content-Type: application/json
        parallel: true
        timeout: 2s
        retries: 1
`,
    },
  ],
  build: async (c, ctx): Promise<Processor> => {
    const client = await HttpClient.create(c, ctx)
    return new HttpProcessor(client, c.url, c.batch_as_multipart, c.parallel, ctx)
  },
})

class HttpProcessor implements Processor {
  readonly #client: HttpClient
  readonly #rawUrl: string
  readonly #multipart: boolean
  readonly #parallel: boolean
  readonly #ctx: ComponentContext
  readonly #flag: FlagError
  /** Requests in flight end when the stream is forced to stop. */
  readonly #stop = new AbortController()

  constructor(client: HttpClient, rawUrl: string, multipart: boolean, parallel: boolean, ctx: ComponentContext) {
    this.#client = client
    this.#rawUrl = rawUrl
    this.#multipart = multipart
    this.#parallel = parallel
    this.#ctx = ctx
    this.#flag = errorFlagger(ctx, 'http')
    ctx.signal.addEventListener('abort', () => this.#stop.abort(), { once: true })
  }

  async process(batch: Batch): Promise<Batch[]> {
    if (batch.length === 0) return [batch]
    let out: Message[]
    if (this.#multipart || batch.length === 1) out = await this.#whole(batch)
    else if (!this.#parallel) out = await this.#serial(batch)
    else out = await this.#concurrent(batch)
    if (out.length === 0) {
      // The reference returns this as the processor's error, which flags every message.
      const copies = batch.map((m) => m.copy())
      for (const m of copies) this.#flag(m, new Error(`HTTP response from '${this.#rawUrl}' was empty`))
      return [copies]
    }
    return [out]
  }

  /** One request for the whole batch; response parts map onto the batch's messages by index. */
  async #whole(batch: Batch): Promise<Message[]> {
    try {
      const parts = await this.#client.send(batch, this.#stop.signal)
      return parts.map((p, i) => merged((batch[i] ?? batch[0]!).copy(), p))
    } catch (err) {
      this.#ctx.logger.error(`HTTP request to '${this.#rawUrl}' failed: ${text(err)}`)
      return batch.map((m) => this.#failed(m.copy(), err))
    }
  }

  async #serial(batch: Batch): Promise<Message[]> {
    const out: Message[] = []
    for (const m of batch) {
      try {
        for (const p of await this.#client.send([m], this.#stop.signal)) out.push(merged(m.copy(), p))
      } catch (err) {
        this.#ctx.logger.error(`HTTP request to '${this.#rawUrl}' failed: ${text(err)}`)
        out.push(this.#failed(m.copy(), err))
      }
    }
    return out
  }

  /** Every message at once; each result keeps its message's place. */
  #concurrent(batch: Batch): Promise<Message[]> {
    return Promise.all(
      batch.map(async (m) => {
        const target = m.copy()
        try {
          const res = await this.#client.send([m], this.#stop.signal)
          if (res.length !== 1) throw new Error(`unexpected response size: ${res.length}`)
          return merged(target, res[0]!)
        } catch (err) {
          this.#ctx.logger.error(`HTTP parallel request to '${this.#rawUrl}' failed: ${text(err)}`)
          return this.#failed(target, err)
        }
      }),
    )
  }

  #failed(m: Message, err: unknown): Message {
    const res = responseOf(err)
    if (res) {
      m.metaMut().set('http_status_code', res.status)
      this.#client.extractHeaders(m, res.headers)
    }
    this.#flag(m, err)
    return m
  }

  close(): Promise<void> {
    return this.#client.close()
  }
}

/** `target` with the response's content and metadata on top of its own. */
function merged(target: Message, response: Message): Message {
  target.setBytes(response.bytes())
  const meta = target.metaMut()
  for (const [k, v] of response.metadata) meta.set(k, v)
  return target
}

function text(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
