/**
 * `stdin` input (spec components §4.2): the process's standard input split by a scanner. One reader
 * is shared by every consumer in the thread, so a replacement stream continues where the old one
 * stopped. End of stdin ends the input (the stream finishes). Acks are no-ops at the source.
 */
import { defineComponent, f } from '../../spec/index.js'
import { END_OF_INPUT, type Input, type ReadResult, type Scanner, type ScannerReader } from '../../spec/index.js'
import { scannerFor, SCANNER_DEFAULT, type ScannerFields } from '../shared/scanner-field.js'
import { abortable } from '../../util/channel.js'


export default defineComponent({
  kind: 'input',
  name: 'stdin',
  status: 'stable',
  summary: 'Consumes data piped to stdin, chopping it into individual messages according to the specified scanner.',
  config: f.object('', [
    f.component('scanner', 'scanner', { default: SCANNER_DEFAULT, description: 'The scanner by which the stream of bytes consumed will be broken out into individual messages.' }),
    f.string('codec', { optional: true, deprecated: true, advanced: true, description: 'The way in which the bytes of a data source should be converted into discrete messages.' }),
    f.int('max_buffer', { default: 1000000, deprecated: true, advanced: true }),
    f.bool('auto_replay_nacks', { default: true, description: 'Whether messages that are rejected (nacked) at the output level should be automatically replayed indefinitely.' }),
  ]),
  build: async (c, ctx): Promise<Input> => {
    return new StdinInput(await scannerFor(c, ctx, 'stdin'), c.auto_replay_nacks)
  },
})

let shared: AsyncIterator<Uint8Array> | undefined
let queue: Promise<unknown> = Promise.resolve()

/** Chunks of the process's stdin, handed out to one caller at a time. */
function stdinChunks(): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => {
        shared ??= (process.stdin as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
        const it = shared
        const r = queue.then(() => it.next())
        queue = r.catch(() => undefined)
        return r
      },
    }),
  }
}

class StdinInput implements Input {
  readonly replayNacks: boolean
  readonly #scanner: Scanner
  #reader: ScannerReader | undefined

  constructor(scanner: Scanner, replay: boolean) {
    this.#scanner = scanner
    this.replayNacks = replay
  }

  async connect(): Promise<void> {
    this.#reader ??= this.#scanner.open(stdinChunks())
  }

  connected(): boolean {
    return this.#reader !== undefined
  }

  async read(signal: AbortSignal): Promise<ReadResult> {
    const batch = await abortable(this.#reader!.next(), signal)
    if (batch === undefined) return END_OF_INPUT
    return { batch, ack: () => {} }
  }

  async close(): Promise<void> {
    await this.#scanner.close()
  }
}
