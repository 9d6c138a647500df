/**
 * `json_array` scanner (spec components §9.5): one message per element of a top-level array
 * (several arrays may follow each other); each message holds the element's JSON text as it was.
 */
import { parseJson } from '../../value/json-parse.js'
import { Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Scanner, ScannerReader } from '../../spec/index.js'
import { errorText } from '../shared/error-text.js'
import { skipSpace, valueEnd } from '../shared/json-stream.js'
import { TextSource } from '../shared/text-source.js'

export default defineComponent({
  kind: 'scanner',
  name: 'json_array',
  status: 'stable',
  summary: 'Consumes a stream of one or more JSON elements within a top level array.',
  config: f.object('', [], { default: {} }),
  examples: [
    {
      title: 'Array elements',
      config: `input:
  file:
    paths: [ ./data/*.txt ]
    scanner:
      json_array: {}
`,
      // One file holding one array: each element becomes a message.
      input: ['[{"id":1}, {"id":2},\n', ' "three", 4]\n'],
      output: ['{"id":1}', '{"id":2}', '"three"', '4'],
    },
  ],
  build: (): Scanner => ({
    open: (source) => new JsonArrayReader(new TextSource(source)),
    close: async () => {},
  }),
})

class JsonArrayReader implements ScannerReader {
  readonly #src: TextSource
  /** Outside an array (expecting `[` or the end), or inside one after `[` / after an element. */
  #state: 'outside' | 'first' | 'after' = 'outside'
  #started = false

  constructor(src: TextSource) {
    this.#src = src
  }

  /** Index of the next non-space character, reading more as needed; -1 at the end of input. */
  async #peek(): Promise<number> {
    for (;;) {
      const i = skipSpace(this.#src.text, 0)
      if (i < this.#src.text.length) return i
      if (this.#src.eof) return -1
      await this.#src.more()
    }
  }

  async #token(what: string): Promise<string> {
    const i = await this.#peek()
    if (i < 0) throw new Error(`failed to read ${what} token: EOF`)
    return this.#src.text[i]!
  }

  async next(): Promise<Message[] | undefined> {
    const src = this.#src
    for (;;) {
      if (this.#state === 'outside') {
        const i = await this.#peek()
        if (i < 0) {
          if (!this.#started) throw new Error('failed to read opening token: EOF')
          return undefined
        }
        if (src.text[i] !== '[') throw new Error(`expected opening '[' but got ${await this.#tokenText(i)}`)
        src.consume(i + 1)
        this.#started = true
        this.#state = 'first'
        continue
      }
      const c = await this.#token('closing')
      if (c === ']') {
        src.consume(skipSpace(src.text, 0) + 1)
        this.#state = 'outside'
        continue
      }
      if (this.#state === 'after') {
        if (c !== ',') throw new Error(`failed to decode element: invalid character '${c}' after array element`)
        src.consume(skipSpace(src.text, 0) + 1)
      }
      const start = await this.#peek()
      if (start < 0) throw new Error('failed to decode element: unexpected EOF')
      let end = valueEnd(src.text, start, src.eof)
      while (end === undefined) {
        await src.more()
        end = valueEnd(src.text, start, src.eof)
      }
      const raw = src.text.slice(start, end)
      try {
        parseJson(raw)
      } catch (err) {
        throw new Error(`failed to decode element: ${errorText(err)}`)
      }
      src.consume(end)
      this.#state = 'after'
      return [new Message(raw)]
    }
  }

  /** The token at `i` as Go prints it with %v (a whole literal or number, a string's text). */
  async #tokenText(i: number): Promise<string> {
    const src = this.#src
    if ('{}]'.includes(src.text[i]!)) return src.text[i]!
    let end = valueEnd(src.text, i, src.eof)
    while (end === undefined) {
      await src.more()
      end = valueEnd(src.text, i, src.eof)
    }
    const t = src.text.slice(i, end)
    if (t.startsWith('"')) {
      try {
        return String(parseJson(t))
      } catch {
        return t
      }
    }
    return t
  }
}
