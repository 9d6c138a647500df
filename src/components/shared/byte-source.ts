/**
 * Pull-based reading of a scanner's source (an async iterable of chunks): scanners ask for more
 * bytes only when what they hold is not enough, so sources are consumed lazily.
 */
import { Buffer } from 'node:buffer'

export class ByteSource {
  readonly #it: AsyncIterator<Uint8Array>
  /** Bytes read but not yet consumed. */
  buf: Buffer = Buffer.alloc(0)
  eof = false

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#it = source[Symbol.asyncIterator]()
  }

  /** Appends the next chunk; false once the source is exhausted. */
  async more(): Promise<boolean> {
    if (this.eof) return false
    const r = await this.#it.next()
    if (r.done) {
      this.eof = true
      return false
    }
    const chunk = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength)
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk])
    return true
  }

  /** Drops the first `n` bytes. */
  consume(n: number): void {
    this.buf = this.buf.subarray(n)
  }

  /** The source from here on: held bytes first, then the rest. */
  async *rest(): AsyncGenerator<Uint8Array> {
    if (this.buf.length > 0) yield this.buf
    this.buf = Buffer.alloc(0)
    while (await this.more()) {
      const b = this.buf
      this.buf = Buffer.alloc(0)
      yield b
    }
  }
}
