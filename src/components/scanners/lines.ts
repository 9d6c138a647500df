/**
 * `lines` scanner (spec components §8.4): one message per line. Without `custom_delimiter` lines
 * end at `\n` with one trailing `\r` stripped (Go `bufio.ScanLines`); a final unterminated line is
 * still emitted; a line longer than `max_buffer_size` fails the read.
 */
import { Buffer } from 'node:buffer'
import { Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Scanner, ScannerReader } from '../../spec/index.js'

const config = f.object('', [
  f.string('custom_delimiter', { optional: true, description: 'Use a provided custom delimiter for detecting the end of a line rather than a single line break.' }),
  f.int('max_buffer_size', { default: 65536, description: 'Set the maximum buffer size for storing line data, this limits the maximum size that a line can be without causing an error.' }),
  f.bool('omit_empty', { default: false, description: 'Omit empty lines.' }),
])

export default defineComponent({
  kind: 'scanner',
  name: 'lines',
  status: 'stable',
  summary: 'Split an input stream into a message per line of data.',
  config,
  build: (conf): Scanner => linesScanner(conf),
})

export function linesScanner(conf: { custom_delimiter?: string | undefined; max_buffer_size: number; omit_empty: boolean }): Scanner {
  const custom = conf.custom_delimiter !== undefined && conf.custom_delimiter !== ''
  const delim = Buffer.from(custom ? conf.custom_delimiter! : '\n')
  return {
    open: (source) => new LineReader(source, delim, !custom, conf.max_buffer_size, conf.omit_empty),
    close: async () => {},
  }
}

class LineReader implements ScannerReader {
  readonly #it: AsyncIterator<Uint8Array>
  readonly #delim: Buffer
  readonly #stripCR: boolean
  readonly #max: number
  readonly #omitEmpty: boolean
  #buf: Buffer = Buffer.alloc(0)
  #off = 0
  /** Where to resume searching for the delimiter (bytes before it hold none). */
  #scanFrom = 0
  #eof = false

  constructor(source: AsyncIterable<Uint8Array>, delim: Buffer, stripCR: boolean, max: number, omitEmpty: boolean) {
    this.#it = source[Symbol.asyncIterator]()
    this.#delim = delim
    this.#stripCR = stripCR
    this.#max = max
    this.#omitEmpty = omitEmpty
  }

  async next(): Promise<Message[] | undefined> {
    for (;;) {
      const idx = this.#buf.indexOf(this.#delim, Math.max(this.#off, this.#scanFrom))
      if (idx !== -1) {
        // Go's scanner holds at most max_buffer_size bytes: the line and its delimiter must fit.
        if (idx + this.#delim.length - this.#off > this.#max) throw new Error('bufio.Scanner: token too long')
        let line = this.#buf.subarray(this.#off, idx)
        this.#off = idx + this.#delim.length
        this.#scanFrom = this.#off
        if (this.#stripCR && line.length > 0 && line[line.length - 1] === 13) line = line.subarray(0, line.length - 1)
        if (this.#omitEmpty && line.length === 0) continue
        return [new Message(line)]
      }
      if (this.#eof) {
        if (this.#off >= this.#buf.length) return undefined
        let line = this.#buf.subarray(this.#off)
        this.#off = this.#buf.length
        if (this.#stripCR && line[line.length - 1] === 13) line = line.subarray(0, line.length - 1)
        if (this.#omitEmpty && line.length === 0) return undefined
        return [new Message(line)]
      }
      if (this.#buf.length - this.#off > this.#max) throw new Error('bufio.Scanner: token too long')
      const r = await this.#it.next()
      if (r.done) {
        this.#eof = true
        continue
      }
      // Keep searching after what was already scanned (minus a delimiter that may straddle chunks).
      const rest = this.#buf.length - this.#off
      this.#scanFrom = Math.max(0, rest - this.#delim.length + 1)
      this.#buf = rest === 0 ? Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength) : Buffer.concat([this.#buf.subarray(this.#off), r.value])
      this.#off = 0
    }
  }
}
