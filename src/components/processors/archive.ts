/**
 * `archive` processor (spec components §9.2): a batch becomes one message (N → 1) in the chosen
 * format; it keeps the first message's metadata. A failure flags every message of the batch and
 * passes it on unchanged.
 */
import { compileInterpolation, type Interpolation } from '../../bloblang/index.js'
import type { Value } from '../../value/index.js'
import type { Batch, Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { ComponentContext, Processor } from '../../spec/index.js'
import { atField, invalid } from '../shared/field-error.js'
import { errorText } from '../shared/error-text.js'
import { errorFlagger } from '../shared/processor-error.js'
import { writeTar } from '../shared/tar.js'
import { writeZip } from '../shared/zip.js'
import { serializeParts } from '../shared/binary-parts.js'

type Archiver = (batch: Batch, name: (i: number) => string) => Message

const FORMATS: Record<string, Archiver> = {
  concatenate: (b) => withBytes(b, Buffer.concat(b.map((m) => m.bytes()))),
  lines: (b) => withBytes(b, Buffer.concat(b.flatMap((m, i) => (i === 0 ? [m.bytes()] : [NL, m.bytes()])))),
  binary: (b) => withBytes(b, serializeParts(b.map((m) => m.bytes()))),
  tar: (b, name) => withBytes(b, writeTar(b.map((m, i) => ({ name: name(i), data: m.bytes() })))),
  zip: (b, name) => withBytes(b, writeZip(b.map((m, i) => ({ name: name(i), data: m.bytes() })))),
  json_array: (b) => {
    const arr: Value[] = []
    for (const m of b) {
      try {
        arr.push(m.structured())
      } catch (err) {
        throw new Error(`failed to parse message as JSON: ${errorText(err)}`)
      }
    }
    const out = b[0]!.copy()
    for (const m of b) m.markStructuredShared()
    out.setStructured(arr, true)
    return out
  },
}
const NL = Buffer.from('\n')

function withBytes(batch: Batch, bytes: Uint8Array): Message {
  const out = batch[0]!.copy()
  out.setBytes(bytes)
  return out
}

export default defineComponent({
  kind: 'processor',
  name: 'archive',
  status: 'stable',
  summary: 'Archives all the messages of a batch into a single message according to the selected archive format.',
  config: f.object('', [
    f.string('format', { options: Object.keys(FORMATS), description: 'The archiving format to apply.' }),
    f.interp('path', { default: '', description: 'The path to set for each message in the archive (when applicable).' }),
  ]),
  examples: [
    {
      title: 'Lines',
      config: `pipeline:
  processors:
    - archive:
        format: json_array
`,
      input: ['{"id":1}'],
      output: ['[{"id":1}]'],
    },
  ],
  build: (c, ctx): Processor => {
    const archiver = Object.hasOwn(FORMATS, c.format) ? FORMATS[c.format]! : undefined
    if (!archiver) throw invalid('format', `archive format not recognised: ${c.format}`)
    const path = atField('path', () => compileInterpolation(c.path, { configDir: ctx.configDir }))
    return archiveProcessor(archiver, path, ctx)
  },
})

function archiveProcessor(archiver: Archiver, path: Interpolation, ctx: ComponentContext): Processor {
  const flag = errorFlagger(ctx, 'archive')
  return {
    synchronous: true,
    process(batch: Batch): Batch[] {
      if (batch.length === 0) return []
      const name = (i: number): string => {
        try {
          return path.string(batch, i)
        } catch (err) {
          ctx.logger.error(`Name interpolation error: ${errorText(err)}`)
          return ''
        }
      }
      try {
        return [[archiver(batch, name)]]
      } catch (err) {
        ctx.logger.error(`Failed to create archive: ${errorText(err)}`)
        for (const m of batch) flag(m, err)
        return [batch]
      }
    },
    close: async () => {},
  }
}
