/**
 * `stdout` output (spec components §7.1): each message written to the process's stdout with the
 * codec's framing, one at a time (max in flight 1). Logs share stdout in streams mode.
 */
import { Buffer } from 'node:buffer'
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Output } from '../../spec/index.js'
import { outputCodec } from '../shared/output-codec.js'

export type WriteSink = (bytes: Uint8Array) => Promise<void>

/** Writes to process.stdout, resolving once the data is handed to the OS (or the main thread). */
const stdoutSink: WriteSink = (bytes) =>
  new Promise((resolve, reject) => {
    process.stdout.write(bytes, (err) => (err ? reject(err) : resolve()))
  })

export default defineComponent({
  kind: 'output',
  name: 'stdout',
  status: 'stable',
  summary: 'Prints messages to stdout as a continuous stream of data.',
  config: f.object('', [
    f.string('codec', { default: 'lines', description: 'The way in which the bytes of messages should be written out into the output data stream.' }),
  ]),
  build: (conf): Output => stdoutOutput(conf.codec, stdoutSink),
})

/** Exposed with an injectable sink for tests. */
export function stdoutOutput(codec: string, sink: WriteSink): Output {
  const c = outputCodec(codec, false)
  return {
    maxInFlight: 1,
    connect: async () => {},
    connected: () => true,
    close: async () => {},
    async write(batch: Batch): Promise<void> {
      // One write per batch keeps the lines of a batch together when logs interleave.
      const frames = batch.map((m) => c.frame(m.bytes()))
      await sink(frames.length === 1 ? frames[0]! : Buffer.concat(frames))
    },
  }
}
