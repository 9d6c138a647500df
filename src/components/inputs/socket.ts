/**
 * `socket` input (spec components, tier 3): connects to a TCP or Unix socket (optionally TLS)
 * and splits what the server sends with a scanner. Data is acknowledged on arrival, as in the
 * reference. When the server ends the connection the input reconnects, with the engine's back-off.
 */
import type { Socket } from 'node:net'
import type { ConnectionOptions } from 'node:tls'
import { compileMapping, type Mapping } from '../../bloblang/index.js'
import { defineComponent, f } from '../../spec/index.js'
import { NotConnectedError, type ComponentContext, type Input, type ReadResult, type Scanner, type ScannerReader } from '../../spec/index.js'
import { Message } from '../../message/message.js'
import { abortable } from '../../util/channel.js'
import { typeName } from '../../value/index.js'
import { atField } from '../shared/field-error.js'
import { tlsField } from '../shared/http-client-fields.js'
import { tlsConnectOptions } from '../shared/http-client-tls.js'
import { SCANNER_DEFAULT, scannerFor } from '../shared/scanner-field.js'
import { dialStream } from '../shared/socket-dial.js'

export default defineComponent({
  kind: 'input',
  name: 'socket',
  status: 'stable',
  summary: 'Connects to a tcp or unix socket and consumes a continuous stream of messages.',
  config: f.object('', [
    f.string('network', { options: ['unix', 'tcp'], description: 'A network type to assume (unix|tcp).' }),
    f.string('address', { description: 'The address to connect to (`127.0.0.1:6000`, or a path such as `/tmp/benthos.sock` for Unix sockets).' }),
    f.bool('auto_replay_nacks', { default: true, description: 'Whether messages that are rejected (nacked) at the output level should be automatically replayed indefinitely.' }),
    f.bloblang('open_message_mapping', {
      optional: true,
      description: 'A mapping that evaluates to a string, sent upstream before the downstream data flow starts (`root = "username,password"`).',
    }),
    tlsField,
    f.component('scanner', 'scanner', { default: SCANNER_DEFAULT, description: 'The scanner by which the stream of bytes consumed will be broken out into individual messages.' }),
    f.string('codec', { optional: true, deprecated: true, advanced: true, description: 'The way in which the bytes of a data source should be converted into discrete messages.' }),
    f.int('max_buffer', { default: 1000000, deprecated: true, advanced: true }),
  ]),
  build: async (c, ctx): Promise<Input> => {
    const tls = tlsConnectOptions(c.tls)
    const open = c.open_message_mapping !== undefined ? atField('open_message_mapping', () => compileMapping(c.open_message_mapping!, { configDir: ctx.configDir })) : undefined
    return new SocketInput(c.network, c.address, tls, open, await scannerFor(c, ctx, 'socket'), c.auto_replay_nacks, ctx)
  },
})

class SocketInput implements Input {
  readonly replayNacks: boolean
  #conn: Socket | undefined
  #reader: ScannerReader | undefined

  constructor(
    readonly network: string,
    readonly address: string,
    readonly tls: ConnectionOptions | undefined,
    readonly open: Mapping | undefined,
    readonly scanner: Scanner,
    replay: boolean,
    readonly ctx: ComponentContext,
  ) {
    this.replayNacks = replay
  }

  connected(): boolean {
    return this.#reader !== undefined
  }

  async connect(signal: AbortSignal): Promise<void> {
    if (this.#reader) return
    const conn = await dialStream(this.network, this.address, this.tls, signal)
    try {
      if (this.open) {
        const text = this.open.runOn([new Message(new Uint8Array(0))], 0, { self: null })
        if (typeof text !== 'string') throw new Error(`open message mapping returned non-string result: ${typeName(text)}`)
        if (text === '') throw new Error('open message mapping returned empty string')
        await new Promise<void>((resolve, reject) => conn.write(text, (err) => (err ? reject(new Error(`failed to write open message: ${err.message}`)) : resolve())))
      }
    } catch (err) {
      conn.destroy()
      throw err
    }
    conn.on('error', () => {})
    this.#conn = conn
    this.#reader = this.scanner.open(conn)
  }

  async read(signal: AbortSignal): Promise<ReadResult> {
    const reader = this.#reader
    if (!reader) throw new NotConnectedError()
    let batch
    try {
      batch = await abortable(reader.next(), signal)
    } catch (err) {
      if (signal.aborted) throw err
      this.#drop()
      throw err
    }
    if (batch === undefined) {
      // The server hung up: reconnect rather than end the stream, as the reference does.
      this.#drop()
      throw new NotConnectedError()
    }
    return { batch, ack: () => {} }
  }

  #drop(): void {
    this.#conn?.destroy()
    this.#conn = undefined
    this.#reader = undefined
  }

  async close(): Promise<void> {
    this.#drop()
    await this.scanner.close()
  }
}
