/**
 * `file` output (spec components §7.4): each message appended to the file its interpolated `path`
 * names (directories created), one handle open at a time, one message at a time. `all-bytes`
 * rewrites the file per message.
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import { compileInterpolation } from '../../bloblang/index.js'
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { ComponentContext, Output } from '../../spec/index.js'
import { atField } from '../shared/field-error.js'
import { outputCodec } from '../shared/output-codec.js'


export default defineComponent({
  kind: 'output',
  name: 'file',
  status: 'stable',
  summary: 'Writes messages to files on disk based on a chosen codec.',
  config: f.object('', [
    f.interp('path', { description: 'The file to write to, if the file does not yet exist it will be created.' }),
    f.string('codec', { default: 'lines', description: 'The way in which the bytes of messages should be written out into the output data stream.' }),
  ]),
  examples: [
    {
      title: 'Write to a file per message id',
      config: `output:
  file:
    path: ./data/\${! json("id") }.json
    codec: lines
`,
      input: ['{"id":"a","n":1}', '{"id":"b","n":2}', '{"id":"a","n":3}'],
      // Lines of each file written, files in name order.
      output: ['{"id":"a","n":1}', '{"id":"a","n":3}', '{"id":"b","n":2}'],
    },
  ],
  build: (c, ctx): Output => {
    const path = atField('path', () => compileInterpolation(c.path))
    const codec = outputCodec(c.codec, true)
    return new FileOutput(path, codec, ctx)
  },
})

class FileOutput implements Output {
  readonly maxInFlight = 1
  readonly #path: { string(batch: Batch, i: number): string }
  readonly #codec: ReturnType<typeof outputCodec>
  readonly #ctx: ComponentContext
  #handle: FileHandle | undefined
  #handlePath = ''

  constructor(path: { string(batch: Batch, i: number): string }, codec: ReturnType<typeof outputCodec>, ctx: ComponentContext) {
    this.#path = path
    this.#codec = codec
    this.#ctx = ctx
  }

  async connect(): Promise<void> {}

  connected(): boolean {
    return true
  }

  async write(batch: Batch): Promise<void> {
    for (let i = 0; i < batch.length; i++) {
      const p = this.#path.string(batch, i)
      const data = this.#codec.frame(batch[i]!.bytes())
      if (this.#codec.rewrite) {
        await this.#closeHandle()
        await mkdir(dirname(p), { recursive: true })
        const h = await open(p, 'w', 0o666)
        try {
          await h.writeFile(data)
        } finally {
          await h.close()
        }
        continue
      }
      if (!this.#handle || this.#handlePath !== p) {
        await this.#closeHandle()
        await mkdir(dirname(p), { recursive: true })
        this.#handle = await open(p, 'a', 0o666)
        this.#handlePath = p
      }
      await this.#handle.write(data)
    }
  }

  async close(): Promise<void> {
    await this.#closeHandle()
  }

  async #closeHandle(): Promise<void> {
    const h = this.#handle
    this.#handle = undefined
    this.#handlePath = ''
    if (h) {
      try {
        await h.close()
      } catch (err) {
        this.#ctx.logger.error(`Failed to close file: ${err instanceof Error ? err.message : String(err)}`)
      }
    }
  }
}
