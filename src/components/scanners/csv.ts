/**
 * `csv` scanner (spec components §9.5): one message per row, an object keyed by the header row
 * or an array of strings without one, with `csv_row` metadata (from 0). Parsing is Go
 * `encoding/csv` (shared with Bloblang's `parse_csv`); the first record fixes the field count.
 * With `continue_on_error` a bad row becomes a flagged message and scanning goes on.
 */
import { CsvError } from '../../bloblang/encoding/csv.js'
import type { Value } from '../../value/index.js'
import { Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Scanner, ScannerReader } from '../../spec/index.js'
import { ByteSource } from '../shared/byte-source.js'
import { CsvRecords, type CsvRecord } from '../shared/csv-records.js'

const config = f.object('', [
  f.string('custom_delimiter', { optional: true, description: 'Use a provided custom delimiter instead of the default comma.' }),
  f.bool('parse_header_row', {
    default: true,
    description:
      'Whether to reference the first row as a header row. If set to true the output structure for messages will be an object where field keys are determined by the header row. Otherwise, each message will consist of an array of values from the corresponding CSV row.',
  }),
  f.bool('lazy_quotes', { default: false, description: 'If set to `true`, a quote may appear in an unquoted field and a non-doubled quote may appear in a quoted field.' }),
  f.bool('continue_on_error', {
    default: false,
    description:
      'If a row fails to parse due to any error emit an empty message marked with the error and then continue consuming subsequent rows when possible. This can sometimes be useful in situations where input data contains individual rows which are malformed. However, when a row encounters a parsing error it is impossible to guarantee that following rows are valid, as this indicates that the input data is unreliable and could potentially emit misaligned rows.',
  }),
])

export default defineComponent({
  kind: 'scanner',
  name: 'csv',
  status: 'stable',
  summary: 'Consume comma-separated values row by row, including support for custom delimiters.',
  config,
  examples: [
    {
      title: 'Rows as objects',
      config: `input:
  file:
    paths: [ ./data/*.csv ]
    scanner:
      csv:
        custom_delimiter: ';'
`,
      // One file; its header row names the fields of every later row.
      input: ['name;age\n', 'ada;36\n', 'alan;41\n'],
      output: ['{"age":"36","name":"ada"}', '{"age":"41","name":"alan"}'],
    },
  ],
  build: (c): Scanner => ({
    open: (source) => new CsvReader(new ByteSource(source), c.custom_delimiter ? [...c.custom_delimiter][0]! : ',', c.parse_header_row, c.lazy_quotes, c.continue_on_error),
    close: async () => {},
  }),
})

class CsvReader implements ScannerReader {
  readonly #records: CsvRecords
  readonly #continue: boolean
  readonly #wantHeader: boolean
  #headers: string[] | undefined
  #fieldCount = -1
  #row = 0
  #done = false

  constructor(src: ByteSource, delimiter: string, header: boolean, lazy: boolean, cont: boolean) {
    this.#records = new CsvRecords(src, Buffer.from(delimiter, 'utf8'), lazy)
    this.#wantHeader = header
    this.#continue = cont
  }

  async next(): Promise<Message[] | undefined> {
    if (this.#done) return undefined
    if (this.#wantHeader && this.#headers === undefined) {
      const h = await this.#record()
      if (h === undefined) throw new Error('EOF')
      if (h.error) throw h.error
      this.#headers = h.fields
    }
    const rec = await this.#record()
    if (rec === undefined) {
      this.#done = true
      return undefined
    }
    if (rec.error && !this.#continue) throw rec.error
    const msg = Message.fromValue(this.#shape(rec.fields))
    msg.metaMut().set('csv_row', this.#row++)
    if (rec.error) msg.error = { message: rec.error.message }
    return [msg]
  }

  #shape(fields: string[]): Value {
    const h = this.#headers
    if (h && h.length > 0) {
      const o: Record<string, Value> = {}
      fields.forEach((v, i) => {
        if (i < h.length) o[h[i]!] = v
      })
      return o
    }
    return fields
  }

  /** The next record, or its parse error; a field count unlike the first record's is an error. */
  async #record(): Promise<CsvRecord | undefined> {
    const rec = await this.#records.next()
    if (rec === undefined || rec.error) return rec
    if (this.#fieldCount < 0) this.#fieldCount = rec.fields.length
    else if (rec.fields.length !== this.#fieldCount) {
      return { fields: rec.fields, error: new CsvError(`record on line ${rec.line}: wrong number of fields`) }
    }
    return rec
  }
}
