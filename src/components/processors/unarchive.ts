/**
 * `unarchive` processor (spec components §9.2): each message expands into the items of its archive
 * (1 → N) in place within the batch; results keep the message's metadata and gain
 * `archive_filename` (tar, zip) or `archive_key` (json_map). A message that does not unarchive is
 * flagged and kept unchanged.
 */
import { readCsv } from '../../bloblang/encoding/csv.js'
import { parseJson } from '../../value/json-parse.js'
import type { Value } from '../../value/index.js'
import type { Batch, Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { deserializeParts } from '../shared/binary-parts.js'
import { errorText } from '../shared/error-text.js'
import { invalid } from '../shared/field-error.js'
import { skipSpace, valueEnd } from '../shared/json-stream.js'
import { errorFlagger } from '../shared/processor-error.js'
import { readTar } from '../shared/tar.js'
import { readZip } from '../shared/zip.js'

type Unarchiver = (msg: Message) => Message[]

const decoder = new TextDecoder()

function withBytes(msg: Message, bytes: Uint8Array, meta?: [string, string]): Message {
  const m = msg.copy()
  m.setBytes(bytes)
  if (meta) m.metaMut().set(meta[0], meta[1])
  return m
}

function withValue(msg: Message, v: Value): Message {
  const m = msg.copy()
  m.setStructured(v)
  return m
}

function structured(msg: Message, what: string): Value {
  try {
    return msg.structured()
  } catch (err) {
    throw new Error(`failed to parse message into JSON ${what}: ${errorText(err)}`)
  }
}

function goType(v: Value): string {
  if (v === null) return '<nil>'
  if (Array.isArray(v)) return '[]interface {}'
  if (typeof v === 'string') return 'string'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'object' && !(v instanceof Uint8Array)) return 'map[string]interface {}'
  return 'json.Number'
}

function csvUnarchiver(delimiter: string): Unarchiver {
  return (msg) => {
    let rows: string[][]
    try {
      rows = readCsv(msg.bytes(), delimiter, false)
    } catch (err) {
      throw new Error(`failed to parse message as csv: ${errorText(err)}`)
    }
    const [headers, ...records] = rows
    if (!headers) return []
    return records.map((r) => withValue(msg, Object.fromEntries(r.map((v, i) => [headers[i]!, v]))))
  }
}

const FORMATS: Record<string, Unarchiver> = {
  tar: (msg) => readTar(msg.bytes()).map((e) => withBytes(msg, e.data, ['archive_filename', e.name])),
  zip: (msg) => readZip(msg.bytes()).map((e) => withBytes(msg, e.data, ['archive_filename', e.name])),
  binary: (msg) => deserializeParts(msg.bytes()).map((p) => withBytes(msg, p)),
  lines: (msg) => {
    const b = Buffer.from(msg.bytes())
    const out: Message[] = []
    let start = 0
    for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, start)) {
      out.push(withBytes(msg, b.subarray(start, i)))
      start = i + 1
    }
    out.push(withBytes(msg, b.subarray(start)))
    return out
  },
  json_documents: (msg) => {
    const text = decoder.decode(msg.bytes())
    const out: Message[] = []
    for (let i = skipSpace(text, 0); i < text.length; i = skipSpace(text, i)) {
      const end = valueEnd(text, i, true)!
      out.push(withValue(msg, parseJson(text.slice(i, end))))
      i = end
    }
    return out
  },
  json_array: (msg) => {
    const v = structured(msg, 'array')
    if (!Array.isArray(v)) throw new Error(`failed to parse message into JSON array: invalid type '${goType(v)}'`)
    msg.markStructuredShared()
    return v.map((e) => withValue(msg, e))
  },
  json_map: (msg) => {
    const v = structured(msg, 'map')
    if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) {
      throw new Error(`failed to parse message into JSON map: invalid type '${goType(v)}'`)
    }
    msg.markStructuredShared()
    return Object.entries(v).map(([k, e]) => {
      const m = withValue(msg, e as Value)
      m.metaMut().set('archive_key', k)
      return m
    })
  },
  csv: csvUnarchiver(','),
}

export function unarchiverFor(format: string): Unarchiver {
  if (Object.hasOwn(FORMATS, format)) return FORMATS[format]!
  if (format.startsWith('csv:')) {
    const by = [...format.slice(4)]
    if (by.length === 0) throw invalid('format', 'csv format requires a non-empty delimiter')
    if (by.length !== 1) throw invalid('format', 'csv format requires a single character delimiter')
    return csvUnarchiver(by[0]!)
  }
  throw invalid('format', `archive format not recognised: ${format}`)
}

export default defineComponent({
  kind: 'processor',
  name: 'unarchive',
  status: 'stable',
  summary: 'Unarchives messages according to the selected archive format into multiple messages within a batch.',
  config: f.object('', [
    // No enum lint, as the reference: `csv:x` is a pattern.
    f.string('format', { description: `The unarchiving format to apply: one of ${Object.keys(FORMATS).join(', ')} or csv:x (a single character delimiter).` }),
  ]),
  examples: [
    {
      title: 'JSON array elements',
      config: `pipeline:
  processors:
    - unarchive:
        format: json_array
`,
      input: ['[{"id":1},{"id":2}]'],
      output: ['{"id":1}', '{"id":2}'],
    },
  ],
  build: (c, ctx): Processor => {
    const unarchive = unarchiverFor(c.format)
    const flag = errorFlagger(ctx, 'unarchive')
    return {
      synchronous: true,
      process(batch: Batch): Batch[] {
        const out: Message[] = []
        for (const m of batch) {
          try {
            out.push(...unarchive(m))
          } catch (err) {
            ctx.logger.error(`Failed to unarchive message part: ${errorText(err)}`)
            flag(m, err)
            out.push(m)
          }
        }
        return out.length ? [out] : []
      },
      close: async () => {},
    }
  },
})
