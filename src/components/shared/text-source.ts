/**
 * A scanner source read as UTF-8 text, pulled chunk by chunk (a character split across chunks is
 * held back until its other bytes arrive).
 */
export class TextSource {
  readonly #it: AsyncIterator<Uint8Array>
  readonly #decoder = new TextDecoder()
  text = ''
  eof = false

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#it = source[Symbol.asyncIterator]()
  }

  async more(): Promise<boolean> {
    if (this.eof) return false
    const r = await this.#it.next()
    if (r.done) {
      this.eof = true
      this.text += this.#decoder.decode()
      return false
    }
    this.text += this.#decoder.decode(r.value, { stream: true })
    return true
  }

  consume(n: number): void {
    this.text = this.text.slice(n)
  }
}
