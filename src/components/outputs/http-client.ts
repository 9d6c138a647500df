/**
 * `http_client` output (spec components §7.5): each batch is POSTed (or `verb`) to the
 * interpolated URL; a batch of several messages goes as one multipart request with
 * `batch_as_multipart`, otherwise as one request per message in order, stopping at the first
 * failure. Success is a 2xx (or `successful_on`) after the client's retries; anything else nacks.
 * With `propagate_response` the responses become sync responses of the originating request.
 */
import { compileInterpolation } from '../../bloblang/index.js'
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { ComponentContext, Output } from '../../spec/index.js'
import { atField } from '../shared/field-error.js'
import { checkMaxInFlight, maxInFlightField } from '../shared/max-in-flight.js'
import { HttpClient } from '../shared/http-client.js'
import { httpClientFields } from '../shared/http-client-fields.js'
import type { MultipartExpressions } from '../shared/http-client-request.js'
import { Batcher, batchingField, isNoopPolicy } from '../shared/batch-policy.js'
import { BatchedOutput } from '../shared/output-batcher.js'
import { storeSyncResponse } from '../shared/sync-response.js'

export default defineComponent({
  kind: 'output',
  name: 'http_client',
  status: 'stable',
  summary: 'Sends messages to an HTTP server.',
  config: f.object(
    '',
    [
      ...httpClientFields('POST', true),
      f.bool('batch_as_multipart', { default: false, advanced: true, description: 'Send message batches as a single multipart request; otherwise one request per message.' }),
      f.bool('propagate_response', { default: false, advanced: true, description: 'Whether responses from the server should be propagated back to the input.' }),
      maxInFlightField(64, 'The maximum number of parallel message batches to have in flight at any given time.'),
      batchingField,
      f.array(
        f.object(
          'multipart',
          [
            f.interp('content_type', { default: '', description: 'The content type of the individual message part.' }),
            f.interp('content_disposition', { default: '', description: 'The content disposition of the individual message part.' }),
            f.interp('body', { default: '', description: 'The body of the individual message part.' }),
          ],
          { default: [], advanced: true, description: 'EXPERIMENTAL: Create explicit multipart HTTP requests from a list of parts.' },
        ),
      ),
    ],
  ),
  examples: [
    {
      title: 'Post each message as JSON',
      config: `output:
  http_client:
    url: http://127.0.0.1:8080/ingest
    verb: POST
    headers:
      Content-Type: application/json
    retries: 3
    max_in_flight: 16
`,
    },
  ],
  build: async (c, ctx): Promise<Output> => {
    checkMaxInFlight(c.max_in_flight)
    const multipart: MultipartExpressions[] = c.multipart.map((p, i) => ({
      contentType: atField(`multipart[${i}].content_type`, () => compileInterpolation(p.content_type)),
      contentDisposition: atField(`multipart[${i}].content_disposition`, () => compileInterpolation(p.content_disposition)),
      body: atField(`multipart[${i}].body`, () => compileInterpolation(p.body)),
    }))
    const batcher = isNoopPolicy(c.batching) ? undefined : await Batcher.create(c.batching, ctx, 'http_client.batching', 'batching')
    const client = await HttpClient.create(c, ctx, multipart.length ? { explicitMultipart: multipart } : {})
    const writer = new HttpClientWriter(client, c, ctx)
    return batcher ? new BatchedOutput(writer, batcher, c.batching.count) : writer
  },
})

class HttpClientWriter implements Output {
  readonly maxInFlight: number
  readonly #client: HttpClient
  readonly #multipart: boolean
  readonly #propagate: boolean
  readonly #ctx: ComponentContext

  constructor(client: HttpClient, c: { batch_as_multipart: boolean; propagate_response: boolean; max_in_flight: number }, ctx: ComponentContext) {
    this.#client = client
    this.#multipart = c.batch_as_multipart
    this.#propagate = c.propagate_response
    this.maxInFlight = c.max_in_flight
    this.#ctx = ctx
  }

  async connect(): Promise<void> {}

  connected(): boolean {
    return true
  }

  async write(batch: Batch, signal: AbortSignal): Promise<void> {
    if (batch.length > 1 && !this.#multipart) {
      for (const m of batch) await this.write([m], signal)
      return
    }
    const response = await this.#client.send(batch, signal)
    if (!this.#propagate) return
    // Copies keep the request messages (and whoever else holds them) unchanged.
    const parts = response.map((r, i) => {
      const m = (batch[i] ?? batch[0]!).copy()
      m.setBytes(r.bytes())
      const meta = m.metaMut()
      for (const [k, v] of r.metadata) meta.set(k, v)
      return m
    })
    if (!storeSyncResponse(parts)) this.#ctx.logger.warn('Unable to propagate response to input: result store not found within batch context')
  }

  close(): Promise<void> {
    return this.#client.close()
  }
}
