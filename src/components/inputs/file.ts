/**
 * `file` input (spec components §4.3): files read one after another through a scanner, with
 * `path`, `mod_time_unix` and `mod_time` metadata. A file counts as done once it is exhausted and
 * every message from it is acked; `delete_on_finish` then removes it. The input ends after the
 * last file.
 */
import { createReadStream } from 'node:fs'
import { stat, unlink } from 'node:fs/promises'
import { defineComponent, f, type ValueOf } from '../../spec/index.js'
import { END_OF_INPUT, type ComponentContext, type Input, type ReadResult, type Scanner, type ScannerReader } from '../../spec/index.js'
import { scannerFor, SCANNER_DEFAULT } from '../shared/scanner-field.js'
import { expandGlobs } from '../shared/glob.js'
import { abortable } from '../../util/channel.js'
import type { Value } from '../../value/index.js'

const config = f.object('', [
  f.array(f.string('paths', { description: 'A list of paths to consume sequentially. Glob patterns are supported, including super globs (double star).' })),
  f.component('scanner', 'scanner', { default: SCANNER_DEFAULT, description: 'The scanner by which the stream of bytes consumed will be broken out into individual messages.' }),
  f.bool('delete_on_finish', { default: false, description: 'Whether to delete input files from the disk once they are fully consumed.' }),
  f.string('codec', { optional: true, deprecated: true, advanced: true }),
  f.int('max_buffer', { default: 1000000, deprecated: true, advanced: true }),
  f.bool('auto_replay_nacks', { default: true, description: 'Whether messages that are rejected (nacked) at the output level should be automatically replayed indefinitely.' }),
])

/** The config with defaults applied, as `build` receives it. */
type FileConf = ValueOf<typeof config>

export default defineComponent({
  kind: 'input',
  name: 'file',
  status: 'stable',
  summary: 'Consumes data from files on disk, emitting messages according to a chosen codec.',
  config,
  examples: [
    {
      title: 'Read a Bunch of CSVs',
      config: `input:
  file:
    paths: [ ./data/*.csv ]
    scanner:
      lines: {}
`,
      // Lines of one CSV file under ./data.
      input: ['name,age', 'ada,36', 'alan,41'],
      output: ['name,age', 'ada,36', 'alan,41'],
    },
  ],
  build: async (c, ctx): Promise<Input> => {
    const scanner = await scannerFor(c, ctx, 'file')
    return new FileInput(await expandGlobs(c.paths ?? []), scanner, c, ctx)
  },
})

interface FileState {
  path: string
  pending: number
  exhausted: boolean
  failed: boolean
}

class FileInput implements Input {
  readonly replayNacks: boolean
  readonly #paths: string[]
  readonly #scanner: Scanner
  readonly #deleteOnFinish: boolean
  readonly #ctx: ComponentContext
  #current: { state: FileState; reader: ScannerReader; meta: [string, Value][]; stream: NodeJS.ReadableStream & { destroy(): void } } | undefined
  #closed = false

  constructor(paths: string[], scanner: Scanner, conf: FileConf, ctx: ComponentContext) {
    this.#paths = [...paths]
    this.#scanner = scanner
    this.#deleteOnFinish = conf.delete_on_finish
    this.replayNacks = conf.auto_replay_nacks
    this.#ctx = ctx
  }

  async connect(): Promise<void> {}

  connected(): boolean {
    return !this.#closed
  }

  async read(signal: AbortSignal): Promise<ReadResult> {
    for (;;) {
      if (!this.#current) {
        const path = this.#paths.shift()
        if (path === undefined) return END_OF_INPUT
        await this.#open(path)
        continue
      }
      const cur = this.#current
      let batch
      try {
        batch = await abortable(cur.reader.next(), signal)
      } catch (err) {
        if (signal.aborted) throw err
        // A broken file is abandoned (its messages so far still complete) and reading moves on.
        this.#finishFile(cur.state)
        throw err
      }
      if (batch === undefined) {
        this.#finishFile(cur.state)
        continue
      }
      for (const m of batch) {
        const meta = m.metaMut()
        for (const [k, v] of cur.meta) meta.set(k, v)
      }
      const state = cur.state
      state.pending++
      return {
        batch,
        ack: (err) => {
          state.pending--
          if (err) state.failed = true
          this.#maybeDelete(state)
        },
      }
    }
  }

  async close(): Promise<void> {
    this.#closed = true
    this.#current?.stream.destroy()
    await this.#scanner.close()
  }

  async #open(path: string): Promise<void> {
    const st = await stat(path)
    const stream = createReadStream(path)
    // Read errors reach the scanner through its iterator; this only keeps an error that fires
    // before the first read from becoming an uncaught exception.
    stream.on('error', () => {})
    const modSecs = Math.floor(st.mtimeMs / 1000)
    const meta: [string, Value][] = [
      ['path', path],
      ['mod_time_unix', modSecs],
      ['mod_time', new Date(modSecs * 1000).toISOString().replace('.000Z', 'Z')],
    ]
    this.#current = {
      state: { path, pending: 0, exhausted: false, failed: false },
      reader: this.#scanner.open(stream as AsyncIterable<Uint8Array>),
      meta,
      stream,
    }
  }

  #finishFile(state: FileState): void {
    state.exhausted = true
    this.#current?.stream.destroy()
    this.#current = undefined
    this.#maybeDelete(state)
  }

  #maybeDelete(state: FileState): void {
    if (!this.#deleteOnFinish || !state.exhausted || state.pending > 0 || state.failed) return
    unlink(state.path).catch((err: unknown) => this.#ctx.logger.error(`Failed to delete consumed file ${state.path}: ${err instanceof Error ? err.message : String(err)}`))
  }
}
