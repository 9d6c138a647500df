/**
 * CSV records read one at a time from a byte source, with Go's `encoding/csv` rules (shared with
 * Bloblang's `parse_csv`): what the `csv` scanner and the `csv` input both read with.
 */
import { CsvError, readRecord, type Reader } from '../../bloblang/encoding/csv.js'
import type { ByteSource } from './byte-source.js'
import { errorText } from './error-text.js'

/** A record and the line it ended on, or the parse error in its place. */
export type CsvRecord = { fields: string[]; line: number; error?: undefined } | { fields: string[]; line?: undefined; error: Error }

export class CsvRecords {
  /** Lines consumed so far (Go's error positions count from the start of the source). */
  #lines = 0

  constructor(
    readonly src: ByteSource,
    readonly comma: Uint8Array,
    readonly lazyQuotes: boolean,
  ) {}

  /**
   * The next record, reading more of the source until it is complete: a record is only taken once
   * bytes follow it (or the source ended), since a quoted field may run on into the next chunk.
   * Undefined at the end of the source.
   */
  async next(): Promise<CsvRecord | undefined> {
    for (;;) {
      const src = this.src
      const r: Reader = { src: src.buf, offset: 0, numLine: this.#lines }
      let rec: { fields: string[]; line: number } | undefined
      let error: Error | undefined
      try {
        rec = readRecord(r, this.comma, this.lazyQuotes)
      } catch (err) {
        error = err instanceof CsvError ? err : new Error(errorText(err))
      }
      if (!src.eof && r.offset >= src.buf.length) {
        await src.more()
        continue
      }
      src.consume(r.offset)
      this.#lines = r.numLine
      if (error) return { fields: [], error }
      return rec
    }
  }
}
