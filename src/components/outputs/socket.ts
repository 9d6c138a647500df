/**
 * `socket` output (spec components, tier 3): writes each message to a TCP, UDP or Unix socket
 * (optionally TLS), framed by a codec. Like the reference it writes one message at a time; a
 * write error, or a codec that does not append (`all-bytes`), ends the connection and the next
 * write dials again. A UDP message is one datagram.
 */
import type { Socket as UdpSocket } from 'node:dgram'
import type { Socket } from 'node:net'
import type { ConnectionOptions } from 'node:tls'
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import { NotConnectedError, type Output } from '../../spec/index.js'
import { invalid } from '../shared/field-error.js'
import { tlsField } from '../shared/http-client-fields.js'
import { tlsConnectOptions } from '../shared/http-client-tls.js'
import { outputCodec, type OutputCodec } from '../shared/output-codec.js'
import { dialStream, dialUdp } from '../shared/socket-dial.js'

export default defineComponent({
  kind: 'output',
  name: 'socket',
  status: 'stable',
  summary: 'Connects to a (tcp/udp/unix) server and sends a continuous stream of data, dividing messages according to the specified codec.',
  config: f.object('', [
    f.string('network', { options: ['unix', 'tcp', 'udp'], description: 'A network type to connect as.' }),
    f.string('address', { description: 'The address to connect to (`127.0.0.1:6000`, or a path such as `/tmp/benthos.sock` for Unix sockets).' }),
    f.string('codec', { default: 'lines', description: 'The way in which the bytes of messages should be written out into the output data stream.' }),
    tlsField,
  ]),
  build: (c): Output => {
    const tls = tlsConnectOptions(c.tls)
    if (tls && c.network === 'udp') throw invalid('tls', 'TLS is not available over udp')
    return new SocketOutput(c.network, c.address, tls, outputCodec(c.codec, true))
  },
})

type Conn = { kind: 'stream'; sock: Socket } | { kind: 'udp'; sock: UdpSocket }

class SocketOutput implements Output {
  readonly maxInFlight = 1
  #conn: Conn | undefined

  constructor(
    readonly network: string,
    readonly address: string,
    readonly tls: ConnectionOptions | undefined,
    readonly codec: OutputCodec,
  ) {}

  connected(): boolean {
    return this.#conn !== undefined
  }

  async connect(signal: AbortSignal): Promise<void> {
    if (this.#conn) return
    if (this.network === 'udp') {
      const sock = await dialUdp(this.address, signal)
      sock.on('error', () => this.#drop())
      this.#conn = { kind: 'udp', sock }
      return
    }
    const sock = await dialStream(this.network, this.address, this.tls, signal)
    // A peer that goes away shows up on the next write; until then the error needs a listener.
    sock.on('error', () => {})
    sock.on('close', () => {
      if (this.#conn?.sock === sock) this.#conn = undefined
    })
    this.#conn = { kind: 'stream', sock }
  }

  async write(batch: Batch): Promise<void> {
    for (const m of batch) {
      const conn = this.#conn
      if (!conn) throw new NotConnectedError()
      const data = this.codec.frame(m.bytes())
      try {
        await new Promise<void>((resolve, reject) => {
          const done = (err?: Error | null): void => (err ? reject(err) : resolve())
          if (conn.kind === 'udp') conn.sock.send(data, done)
          else conn.sock.write(data, done)
        })
      } catch (err) {
        this.#drop()
        throw err
      }
      if (this.codec.rewrite) this.#drop()
    }
  }

  #drop(): void {
    const conn = this.#conn
    this.#conn = undefined
    if (!conn) return
    if (conn.kind === 'udp') {
      try {
        conn.sock.close()
      } catch {
        // Already closed.
      }
    } else {
      conn.sock.end()
    }
  }

  async close(): Promise<void> {
    this.#drop()
  }
}
