/**
 * Go `encoding/csv` Reader.ReadAll for `parse_csv`: RFC 4180 quoting, `\r\n` normalised, blank
 * lines skipped, the first record fixing the field count, optional lazy quotes, and Go's
 * ParseError texts (`parse error on line 2, column 5: bare " in non-quoted-field`).
 */
import { Buffer } from 'node:buffer'
import { indexOfBytes } from '../text/bytes.js'

export class CsvError extends Error {}

const QUOTE = 0x22
const NL = 0x0a
const CR = 0x0d

/** Position in a CSV source (shared with the `csv` scanner, which reads record by record). */
export interface Reader {
  src: Uint8Array
  offset: number
  numLine: number
}

/** One line including its `\n` (added back as-is; `\r\n` becomes `\n`, a final `\r` is dropped). */
function readLine(r: Reader): Uint8Array | undefined {
  if (r.offset >= r.src.length) return undefined
  let end = r.src.indexOf(NL, r.offset)
  let line: Uint8Array
  if (end < 0) {
    line = r.src.subarray(r.offset)
    r.offset = r.src.length
    if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1)
  } else {
    end++
    line = r.src.subarray(r.offset, end)
    r.offset = end
  }
  r.numLine++
  const n = line.length
  if (n >= 2 && line[n - 2] === CR && line[n - 1] === NL) {
    const copy = new Uint8Array(n - 1)
    copy.set(line.subarray(0, n - 2))
    copy[n - 2] = NL
    line = copy
  }
  return line
}

const lengthNL = (b: Uint8Array): number => (b.length > 0 && b[b.length - 1] === NL ? 1 : 0)

function parseError(startLine: number, line: number, col: number, what: string): CsvError {
  if (startLine !== line) return new CsvError(`record on line ${startLine}; parse error on line ${line}, column ${col}: ${what}`)
  return new CsvError(`parse error on line ${line}, column ${col}: ${what}`)
}

const BARE_QUOTE = 'bare " in non-quoted-field'
const BAD_QUOTE = 'extraneous or missing " in quoted-field'

/** The next record and the line it starts on; undefined at the end of input. */
export function readRecord(r: Reader, comma: Uint8Array, lazyQuotes: boolean): { fields: string[]; line: number } | undefined {
  let line: Uint8Array | undefined
  for (;;) {
    line = readLine(r)
    if (line === undefined) return undefined
    if (line.length === lengthNL(line)) continue // blank line
    break
  }
  const recLine = r.numLine
  const fields: string[] = []
  let buf: number[] = []
  let pos = { line: r.numLine, col: 1 }
  const finishField = (): void => {
    fields.push(Buffer.from(buf).toString('utf8'))
    buf = []
  }
  for (;;) {
    if (line.length === 0 || line[0] !== QUOTE) {
      const i = indexOfBytes(line, comma)
      const field = i >= 0 ? line.subarray(0, i) : line.subarray(0, line.length - lengthNL(line))
      if (!lazyQuotes) {
        const j = field.indexOf(QUOTE)
        if (j >= 0) throw parseError(recLine, r.numLine, pos.col + j, BARE_QUOTE)
      }
      buf.push(...field)
      finishField()
      if (i >= 0) {
        line = line.subarray(i + comma.length)
        pos.col += i + comma.length
        continue
      }
      return { fields, line: recLine }
    }
    // Quoted field, possibly spanning lines.
    line = line.subarray(1)
    pos.col += 1
    for (;;) {
      const i = line.indexOf(QUOTE)
      if (i >= 0) {
        buf.push(...line.subarray(0, i))
        line = line.subarray(i + 1)
        pos.col += i + 1
        if (line[0] === QUOTE) {
          buf.push(QUOTE)
          line = line.subarray(1)
          pos.col += 1
        } else if (startsWith(line, comma)) {
          line = line.subarray(comma.length)
          pos.col += comma.length
          finishField()
          break
        } else if (lengthNL(line) === line.length) {
          finishField()
          return { fields, line: recLine }
        } else if (lazyQuotes) buf.push(QUOTE)
        else throw parseError(recLine, r.numLine, pos.col - 1, BAD_QUOTE)
      } else if (line.length > 0) {
        buf.push(...line)
        pos.col += line.length
        line = readLine(r) ?? new Uint8Array(0)
        if (line.length > 0) pos = { line: pos.line + 1, col: 1 }
      } else {
        // End of input inside quotes.
        if (!lazyQuotes) throw parseError(recLine, pos.line, pos.col, BAD_QUOTE)
        finishField()
        return { fields, line: recLine }
      }
    }
  }
}

function startsWith(b: Uint8Array, prefix: Uint8Array): boolean {
  if (b.length < prefix.length) return false
  for (let i = 0; i < prefix.length; i++) if (b[i] !== prefix[i]) return false
  return true
}

/** All records; the first fixes how many fields every later record must have. */
export function readCsv(text: Uint8Array, delimiter: string, lazyQuotes: boolean): string[][] {
  if (delimiter === '"' || delimiter === '\r' || delimiter === '\n' || delimiter === '\ufffd') {
    throw new CsvError('csv: invalid field or comment delimiter')
  }
  const comma = Buffer.from(delimiter, 'utf8')
  const r: Reader = { src: text, offset: 0, numLine: 0 }
  const records: string[][] = []
  let expected = -1
  for (;;) {
    const rec = readRecord(r, comma, lazyQuotes)
    if (rec === undefined) return records
    if (expected < 0) expected = rec.fields.length
    else if (rec.fields.length !== expected) throw new CsvError(`record on line ${rec.line}: wrong number of fields`)
    records.push(rec.fields)
  }
}
