/**
 * `socket_server` input (spec components, tier 3): listens on TCP, TLS, UDP or a Unix socket and
 * splits what each connection sends with a scanner. As in the reference, data is acknowledged on
 * arrival (a socket has no way to take an ack back); a slow pipeline slows the senders instead,
 * because a connection is only read when its last batch has been taken. The bound address can be
 * written to a cache, which matters when the port is chosen by the system (`127.0.0.1:0`).
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram'
import { readFileSync } from 'node:fs'
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { createServer as createTlsServer, type TLSSocket } from 'node:tls'
import { defineComponent, f } from '../../spec/index.js'
import { END_OF_INPUT, type ComponentContext, type Input, type ReadResult, type Scanner } from '../../spec/index.js'
import type { Batch } from '../../message/message.js'
import { CLOSED, Rendezvous } from '../../util/channel.js'
import { invalid } from '../shared/field-error.js'
import { Notifier } from '../shared/notifier.js'
import { SCANNER_DEFAULT, scannerFor } from '../shared/scanner-field.js'
import { selfSignedCertificate } from '../shared/self-signed-cert.js'
import { splitHostPort } from '../shared/socket-dial.js'

const NETWORKS = ['unix', 'tcp', 'udp', 'tls', 'unixgram']
/** How much a UDP server holds for a lagging pipeline before it drops datagrams. */
const UDP_QUEUE_DATAGRAMS = 10_000
const UDP_QUEUE_BYTES = 16 * 1024 * 1024
const CLIENT_AUTH = ['no', 'request', 'require_any', 'require_valid', 'verify_if_given']

export default defineComponent({
  kind: 'input',
  name: 'socket_server',
  status: 'stable',
  summary: 'Creates a server that receives a stream of messages over a TCP, UDP or Unix socket.',
  config: f.object('', [
    f.string('network', { options: NETWORKS, description: 'A network type to accept.' }),
    f.string('address', { description: 'The address to listen from (`0.0.0.0:6000`, or a path such as `/tmp/benthos.sock` for Unix sockets).' }),
    f.string('address_cache', {
      optional: true,
      description: 'A cache in which to write the bound address once known, under the key `<label>_address` (`socket_server_address` without a label).',
    }),
    f.object(
      'tcp',
      [
        f.bool('reuse_addr', { default: false, description: 'Enable SO_REUSEADDR (Node.js sets it on every TCP listener already).' }),
        f.bool('reuse_port', { default: false, description: 'Enable SO_REUSEPORT, where the Node.js version supports it (22.12 and later).' }),
      ],
      { optional: true, advanced: true, description: 'TCP listener socket configuration.' },
    ),
    f.object(
      'tls',
      [
        f.string('cert_file', { optional: true, description: 'PEM encoded certificate for use with TLS.' }),
        f.string('key_file', { optional: true, description: 'PEM encoded private key for use with TLS.' }),
        f.bool('self_signed', { default: false, description: 'Whether to generate self signed certificates.' }),
        f.string('client_auth', { default: 'no', options: CLIENT_AUTH, description: 'How client authentication is handled.' }),
      ],
      { optional: true, description: 'TLS specific configuration, valid when the `network` is set to `tls`.' },
    ),
    f.bool('auto_replay_nacks', { default: true, description: 'Whether messages that are rejected (nacked) at the output level should be automatically replayed indefinitely.' }),
    f.component('scanner', 'scanner', { default: SCANNER_DEFAULT, description: 'The scanner by which the stream of bytes consumed will be broken out into individual messages.' }),
    f.string('codec', { optional: true, deprecated: true, advanced: true, description: 'The way in which the bytes of a data source should be converted into discrete messages.' }),
    f.int('max_buffer', { default: 1000000, deprecated: true, advanced: true }),
  ]),
  build: async (c, ctx): Promise<Input> => {
    if (c.network === 'unixgram') throw invalid('network', 'unixgram sockets are not supported: Node.js has no Unix datagram sockets')
    if (c.address_cache !== undefined && !ctx.resources.hasCache(c.address_cache)) throw invalid('address_cache', `cache named ${c.address_cache} not found`)
    let tls: TlsOptions | undefined
    if (c.network === 'tls') tls = tlsOptions(c.tls)
    const scanner = await scannerFor(c, ctx, 'socket_server')
    return new SocketServerInput({ network: c.network, address: c.address, addressCache: c.address_cache, reusePort: c.tcp?.reuse_port === true, tls }, scanner, c.auto_replay_nacks, ctx)
  },
})

interface TlsOptions {
  cert: string
  key: string
  clientAuth: string
}

function readPem(path: string, field: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    throw invalid(field, err instanceof Error ? err.message : String(err))
  }
}

function tlsOptions(t: { cert_file?: string | undefined; key_file?: string | undefined; self_signed: boolean; client_auth: string } | undefined): TlsOptions {
  const clientAuth = t?.client_auth ?? 'no'
  if (t?.cert_file && t.key_file) return { cert: readPem(t.cert_file, 'tls.cert_file'), key: readPem(t.key_file, 'tls.key_file'), clientAuth }
  if (t?.self_signed !== true) throw invalid('tls', 'must specify either a certificate file or enable self signed')
  return { ...selfSignedCertificate(), clientAuth }
}

interface ServerConf {
  network: string
  address: string
  addressCache: string | undefined
  reusePort: boolean
  tls: TlsOptions | undefined
}

/** `host:port` as Go prints a listener's address (`[::1]:6000` for IPv6). */
function addressText(a: AddressInfo | string | null): string {
  if (a === null) return ''
  if (typeof a === 'string') return a
  return a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`
}

/** A listen address: an empty host means every interface. */
function listenTarget(address: string, network: string): { host: string | undefined; port: number } {
  const { host, port } = splitHostPort(address, network, 'listen')
  return { host: host === '' ? undefined : host, port }
}

/** Closes a UDP socket that may be closed already (dgram throws on a second close). */
function closeQuietly(udp: UdpSocket): void {
  try {
    udp.close()
  } catch {
    // Already closed.
  }
}

class SocketServerInput implements Input {
  readonly replayNacks: boolean
  readonly #conf: ServerConf
  readonly #scanner: Scanner
  readonly #ctx: ComponentContext
  readonly #batches = new Rendezvous<Batch>()
  readonly #conns = new Set<Socket>()
  readonly #stop = new AbortController()
  #server: Server | undefined
  #udp: UdpSocket | undefined
  #listening = false

  constructor(conf: ServerConf, scanner: Scanner, replay: boolean, ctx: ComponentContext) {
    this.#conf = conf
    this.#scanner = scanner
    this.replayNacks = replay
    this.#ctx = ctx
  }

  connected(): boolean {
    return this.#listening
  }

  async connect(): Promise<void> {
    if (this.#listening) return
    const addr = this.#conf.network === 'udp' ? await this.#listenUdp() : await this.#listenStream()
    this.#listening = true
    this.#ctx.logger.info(`Receiving ${this.#conf.network} socket messages from address: ${addr}`)
    if (this.#conf.addressCache !== undefined) {
      const key = this.#ctx.label !== '' ? `${this.#ctx.label}_address` : 'socket_server_address'
      try {
        await this.#ctx.resources.cache(this.#conf.addressCache).set(key, Buffer.from(addr))
      } catch (err) {
        this.#ctx.logger.error(`Failed to set address in cache: ${err instanceof Error ? err.message : String(err)}`)
      }
    }
  }

  async #listenStream(): Promise<string> {
    const onConn = (sock: Socket): void => this.#serve(sock)
    const t = this.#conf.tls
    const server = t
      ? createTlsServer({ cert: t.cert, key: t.key, minVersion: 'TLSv1.2', requestCert: t.clientAuth !== 'no', rejectUnauthorized: t.clientAuth === 'require_valid' }, (s: TLSSocket) => {
          if (!this.#clientAllowed(s, t.clientAuth)) {
            s.destroy()
            return
          }
          onConn(s)
        })
      : createTcpServer(onConn)
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      const done = (): void => {
        server.off('error', reject)
        resolve()
      }
      if (this.#conf.network === 'unix') server.listen(this.#conf.address, done)
      else {
        const { host, port } = listenTarget(this.#conf.address, 'tcp')
        server.listen({ host, port, ...(this.#conf.reusePort ? { reusePort: true } : {}) }, done)
      }
    })
    server.on('error', (err) => this.#ctx.logger.error(`Failed to accept Socket connection: ${err.message}`))
    this.#server = server
    return addressText(server.address())
  }

  /** The checks `client_auth` adds beyond what Node's `rejectUnauthorized` does. */
  #clientAllowed(s: TLSSocket, mode: string): boolean {
    if (mode === 'require_any') return Object.keys(s.getPeerCertificate()).length > 0
    if (mode === 'verify_if_given') return Object.keys(s.getPeerCertificate()).length === 0 || s.authorized
    return true
  }

  async #listenUdp(): Promise<string> {
    const { host, port } = listenTarget(this.#conf.address, 'udp')
    const udp = createSocket({ type: host !== undefined && host.includes(':') ? 'udp6' : 'udp4', reuseAddr: this.#conf.reusePort })
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject)
      udp.bind(port, host, () => {
        udp.off('error', reject)
        resolve()
      })
    })
    this.#udp = udp
    // Datagrams become one byte stream, as the reference's reader over the packet connection
    // does: a scanner may join or split them. A datagram waits while the last batch is taken.
    const queue: Uint8Array[] = []
    const arrived = new Notifier()
    let ended = false
    // UDP has no back pressure: while the pipeline lags, datagrams wait here, up to a bound past
    // which they are dropped (counted and logged), as a full kernel buffer would drop them for
    // the reference. Without the bound a flood would grow the thread's memory without limit.
    let held = 0
    let dropped = 0
    udp.on('message', (msg) => {
      if (queue.length >= UDP_QUEUE_DATAGRAMS || held + msg.length > UDP_QUEUE_BYTES) {
        if (dropped++ % 1000 === 0) this.#ctx.logger.warn(`Dropping UDP datagrams while the pipeline catches up (${dropped} so far)`)
        return
      }
      held += msg.length
      queue.push(msg)
      arrived.notify()
    })
    udp.on('close', () => {
      ended = true
      arrived.notify()
    })
    const chunks: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<Uint8Array>> => {
          for (;;) {
            const since = arrived.seq
            const value = queue.shift()
            if (value !== undefined) {
              held -= value.length
              return { done: false, value }
            }
            if (ended) return { done: true, value: undefined }
            await arrived.wait(this.#stop.signal, since)
          }
        },
      }),
    }
    // close() may have closed the socket already, and a second close throws.
    void this.#pump(chunks, () => closeQuietly(udp))
    return addressText(udp.address())
  }

  #serve(sock: Socket): void {
    if (this.#stop.signal.aborted) {
      sock.destroy()
      return
    }
    this.#conns.add(sock)
    sock.on('close', () => this.#conns.delete(sock))
    // A reset by the peer is the end of that connection, not a failure of the input.
    sock.on('error', () => {})
    void this.#pump(sock, () => sock.destroy())
  }

  /** Reads batches from one byte source into the input until it ends, fails or the input closes. */
  async #pump(source: AsyncIterable<Uint8Array>, end: () => void): Promise<void> {
    const reader = this.#scanner.open(source)
    try {
      for (;;) {
        const batch = await reader.next()
        if (batch === undefined) break
        await this.#batches.put(batch, this.#stop.signal)
      }
    } catch (err) {
      if (!this.#stop.signal.aborted) this.#ctx.logger.error(`Connection dropped due to: ${err instanceof Error ? err.message : String(err)}`)
    } finally {
      end()
    }
  }

  async read(signal: AbortSignal): Promise<ReadResult> {
    const batch = await this.#batches.take(signal)
    if (batch === CLOSED) return END_OF_INPUT
    return { batch, ack: () => {} }
  }

  async close(): Promise<void> {
    if (this.#stop.signal.aborted) return
    this.#stop.abort()
    this.#listening = false
    for (const s of this.#conns) s.destroy()
    const server = this.#server
    if (server) await new Promise<void>((r) => server.close(() => r()))
    if (this.#udp) closeQuietly(this.#udp)
    this.#batches.close()
    await this.#scanner.close()
  }
}
