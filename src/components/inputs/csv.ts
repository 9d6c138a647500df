/**
 * `csv` input (spec components, tier 3; deprecated in the reference in favour of `file` with the
 * `csv` scanner, kept for configs that still use it): reads CSV files one after another, one
 * message per row (an object keyed by the file's header row, or an array of strings), `batch_count`
 * rows per batch, with `header`, `path`, `mod_time_unix` and `mod_time` metadata. Parsing is Go's
 * `encoding/csv`, shared with the `csv` scanner; as in the reference, a row with another number of
 * fields than the first is kept.
 */
import { createReadStream, statSync, unlinkSync, type ReadStream } from 'node:fs'
import { expandGlobs } from '../../config/glob.js'
import { Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import { END_OF_INPUT, NotConnectedError, type Input, type ReadResult } from '../../spec/index.js'
import { newObject, setKey, type Value } from '../../value/index.js'
import { ByteSource } from '../shared/byte-source.js'
import { CsvRecords } from '../shared/csv-records.js'
import { invalid } from '../shared/field-error.js'

export default defineComponent({
  kind: 'input',
  name: 'csv',
  status: 'deprecated',
  summary: 'Reads one or more CSV files as structured records following the format described in RFC 4180.',
  config: f.object('', [
    f.array(f.string('paths', { description: 'A list of file paths to read from; glob patterns are expanded once, when the input starts.' })),
    f.bool('parse_header_row', { default: true, description: 'Whether each file starts with a header row whose values name the fields of the records after it.' }),
    f.string('delimiter', { default: ',', description: 'The delimiter to use for splitting values in each record. It must be a single character.' }),
    f.bool('lazy_quotes', { default: false, description: 'If set to `true`, a quote may appear in an unquoted field and a non-doubled quote may appear in a quoted field.' }),
    f.bool('delete_on_finish', { default: false, description: 'Whether to delete input files from the disk once they are fully consumed.' }),
    f.int('batch_count', { default: 1, description: 'Optionally process records in batches; the last batch of a file may be smaller.' }),
    f.bool('auto_replay_nacks', { default: true, description: 'Whether messages that are rejected (nacked) at the output level should be automatically replayed indefinitely.' }),
  ]),
  build: (c): Input => {
    const delim = [...c.delimiter]
    if (delim.length !== 1) throw invalid('delimiter', 'delimiter value must be exactly one character')
    let paths: string[]
    try {
      paths = expandGlobs(c.paths)
    } catch (err) {
      throw invalid('paths', `failed to resolve path glob: ${(err as Error).message}`)
    }
    if (paths.length === 0) throw invalid('paths', 'requires at least one input file path')
    if (c.batch_count < 1) throw invalid('batch_count', 'batch_count must be at least 1')
    return new CsvInput(paths, Buffer.from(delim[0]!, 'utf8'), c.parse_header_row, c.lazy_quotes, c.delete_on_finish, c.batch_count, c.auto_replay_nacks)
  },
})

interface OpenFile {
  path: string
  stream: ReadStream
  records: CsvRecords
  header: string[] | undefined
  /** Modification time in Unix seconds. */
  modTime: number
}

class CsvInput implements Input {
  readonly replayNacks: boolean
  #file: OpenFile | undefined
  #ended = false

  constructor(
    readonly paths: string[],
    readonly comma: Uint8Array,
    readonly expectHeader: boolean,
    readonly lazy: boolean,
    readonly deleteOnFinish: boolean,
    readonly batchCount: number,
    replay: boolean,
  ) {
    this.replayNacks = replay
  }

  connected(): boolean {
    return this.#file !== undefined || this.#ended
  }

  async connect(): Promise<void> {
    if (this.#file || this.#ended) return
    const path = this.paths.shift()
    if (path === undefined) {
      this.#ended = true
      return
    }
    // Opening fails here (a missing file), not on the first read, as os.Open does in the reference.
    const st = statSync(path)
    const stream = createReadStream(path)
    // Read errors reach the reader through the stream's iterator; this listener only keeps one
    // that happens before any read (the file gone before the first) from being uncaught.
    stream.on('error', () => {})
    this.#file = { path, stream, records: new CsvRecords(new ByteSource(stream), this.comma, this.lazy), header: undefined, modTime: Math.floor(st.mtimeMs / 1000) }
  }

  /** The next record of the open file; undefined at its end. */
  async #record(f: OpenFile): Promise<string[] | undefined> {
    const rec = await f.records.next()
    if (rec?.error) throw rec.error
    return rec?.fields
  }

  #finish(f: OpenFile): void {
    this.#file = undefined
    f.stream.destroy()
    if (this.deleteOnFinish) unlinkSync(f.path)
  }

  async read(): Promise<ReadResult> {
    if (this.#ended) return END_OF_INPUT
    const f = this.#file
    if (!f) throw new NotConnectedError()
    const batch: Message[] = []
    for (let i = 0; i < this.batchCount; i++) {
      let record = await this.#record(f)
      if (record !== undefined && this.expectHeader && f.header === undefined) {
        f.header = record
        record = await this.#record(f)
      }
      if (record === undefined) {
        this.#finish(f)
        if (i === 0) throw new NotConnectedError('end of file')
        break
      }
      batch.push(this.#message(f, record))
    }
    return { batch, ack: () => {} }
  }

  #message(f: OpenFile, record: string[]): Message {
    const h = f.header
    let v: Value
    const meta = new Map<string, Value>()
    if (!h || h.length === 0 || h.length < record.length) v = [...record]
    else {
      const o = newObject()
      record.forEach((field, i) => setKey(o, h[i]!, field))
      v = o
      meta.set('header', [...h])
    }
    meta.set('path', f.path)
    meta.set('mod_time_unix', f.modTime)
    // Go's RFC 3339 of the UTC time: whole seconds, `Z`.
    meta.set('mod_time', new Date(f.modTime * 1000).toISOString().replace(/\.\d+Z$/, 'Z'))
    const m = Message.fromValue(v)
    for (const [k, val] of meta) m.metaMut().set(k, val)
    return m
  }

  async close(): Promise<void> {
    this.#file?.stream.destroy()
    this.#file = undefined
    this.#ended = true
  }
}
