/**
 * `generate` input (spec components §4.1): runs a mapping with no input document to produce
 * messages, the first batch at once and then one per `interval` tick (or as fast as downstream
 * takes them with `interval: ""`), ending after `count` messages. Nacked batches are always
 * replayed. Cron schedules are not supported yet, except the `@every <duration>` descriptor.
 */
import { compileMapping, type Mapping } from '../../bloblang/index.js'
import { parseDuration } from '../../config/duration.js'
import { Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import { END_OF_INPUT, type Input, type ReadResult } from '../../spec/index.js'
import { atField, invalid } from '../shared/field-error.js'
import { abortError } from '../../util/channel.js'
import { Backoff, sleep } from '../../util/backoff.js'


export default defineComponent({
  kind: 'input',
  name: 'generate',
  status: 'stable',
  summary: 'Generates messages at a given interval using a Bloblang mapping executed without a context.',
  config: f.object('', [
    f.bloblang('mapping', { description: 'A bloblang mapping to use for generating messages.' }),
    f.string('interval', {
      default: '1s',
      description: 'The time interval at which messages should be generated, expressed either as a duration string or as a cron expression. If set to an empty string messages will be generated as fast as downstream services can process them.',
    }),
    f.int('count', { default: 0, description: 'An optional number of messages to generate, if set above 0 the specified number of messages is generated and then the input will shut down.' }),
    f.int('batch_size', { default: 1, description: 'The number of generated messages that should be accumulated into each batch flushed at the specified interval.' }),
    f.bool('auto_replay_nacks', { default: true, description: 'Whether messages that are rejected (nacked) at the output level should be automatically replayed indefinitely.' }),
  ]),
  examples: [
    {
      title: 'Cron Scheduled Processing',
      config: `input:
  generate:
    interval: '@every 1s'
    mapping: 'root = {}'
`,
      output: ['{}'],
    },
  ],
  build: (c): Input => {
    const mapping = atField('mapping', () => compileMapping(c.mapping))
    return new GenerateInput(mapping, intervalOf(c.interval), c.count, Math.max(1, c.batch_size))
  },
})

/** Milliseconds between batches; 0 = no interval. */
function intervalOf(s: string): number {
  if (s === '') return 0
  const every = /^@every\s+(.+)$/.exec(s.trim())
  const ms = parseDuration(every ? every[1]!.trim() : s)
  if (ms !== undefined && ms >= 0) return ms
  throw invalid('interval', `failed to parse interval as duration string: time: invalid duration ${JSON.stringify(s)}, or as cron expression: cron schedules are not supported by this host yet`)
}

const EMPTY = new Uint8Array(0)

class GenerateInput implements Input {
  readonly replayNacks = true
  readonly #mapping: Mapping
  readonly #intervalMs: number
  readonly #limited: boolean
  readonly #batchSize: number
  #remaining: number
  #first = true
  #nextAt = 0
  #closed = false

  constructor(mapping: Mapping, intervalMs: number, count: number, batchSize: number) {
    this.#mapping = mapping
    this.#intervalMs = intervalMs
    this.#limited = count > 0
    this.#remaining = count
    this.#batchSize = batchSize
  }

  async connect(): Promise<void> {}

  connected(): boolean {
    return !this.#closed
  }

  async close(): Promise<void> {
    this.#closed = true
  }

  async read(signal: AbortSignal): Promise<ReadResult> {
    let backoff: Backoff | undefined
    for (;;) {
      let size = this.#batchSize
      if (this.#limited) {
        if (this.#remaining <= 0) return END_OF_INPUT
        size = Math.min(size, this.#remaining)
      }
      await this.#tick(signal)
      const batch: Message[] = []
      for (let i = 0; i < size; i++) {
        // The reference maps against the batch built so far (index 0), so later messages of a
        // batch start from the first one's metadata; an empty batch means "no input document".
        const msg = this.#mapping.execMapping(batch.length ? batch : [new Message(EMPTY)], 0)
        if (msg === undefined) continue
        if (this.#limited) this.#remaining--
        batch.push(msg)
      }
      if (batch.length > 0) return { batch, ack: () => {} }
      // Everything was deleted: back off before trying again (spec §4.1).
      backoff ??= new Backoff(100, 1000)
      if (!(await sleep(backoff.next(), signal))) throw abortError(signal)
    }
  }

  /** Waits for the next tick; Go's ticker keeps at most one missed tick, so we catch up once. */
  async #tick(signal: AbortSignal): Promise<void> {
    if (this.#intervalMs === 0) return
    const now = performance.now()
    if (this.#first) {
      this.#first = false
      this.#nextAt = now + this.#intervalMs
      return
    }
    const wait = this.#nextAt - now
    if (wait > 0 && !(await sleep(wait, signal))) throw abortError(signal)
    const after = performance.now()
    this.#nextAt += this.#intervalMs
    if (this.#nextAt < after) this.#nextAt = after + this.#intervalMs - ((after - this.#nextAt) % this.#intervalMs)
  }
}
