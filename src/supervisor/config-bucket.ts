/**
 * `--config-kv`: the NATS KV bucket that holds every host's stream configs (key = stream id, value
 * = YAML). This is the only file that talks to NATS for it; the rest of the supervisor sees
 * `ConfigBucket`, so the watch and the API's write-through are testable and the client is
 * replaceable.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node'
import { Kvm, type KV, type KvEntry } from '@nats-io/kv'
import { weirError, type ErrorData } from '../errors.js'
import type { Logger } from '../spec/index.js'
import { maskUserInfo } from '../util/mask-url.js'

export interface ConfigKvAddress {
  /** `host:port` for the client. */
  server: string
  bucket: string
  user?: string
  pass?: string
  token?: string
  /** The URL as given, with any password masked: for logs and `source`. */
  display: string
}

/** One change seen on the bucket, in revision order. */
export interface BucketEntry {
  key: string
  revision: number
  /** `DEL` and `PURGE` remove the stream. */
  op: 'PUT' | 'DEL' | 'PURGE'
  value: Uint8Array
}

export interface ConfigBucket {
  readonly address: ConfigKvAddress
  /**
   * Delivers the last value of every key, then every change, to `onEntry`, until `close()`;
   * `onSnapshot` runs once every key present when the watch started has been delivered. A watch
   * lost with the server is resumed after the last revision seen, so nothing is delivered twice
   * and nothing written during the outage is missed.
   */
  watch(onEntry: (e: BucketEntry) => void, onSnapshot: () => void): Promise<void>
  /** Write only if the key holds no value; `exists` when it does. */
  create(key: string, text: string): Promise<{ ok: true; revision: number } | { ok: false; exists: boolean; error: ErrorData }>
  put(key: string, text: string): Promise<{ ok: true; revision: number } | { ok: false; exists: boolean; error: ErrorData }>
  /** Marks the key deleted; resolves with the revision of the delete marker. */
  delete(key: string): Promise<{ ok: true; revision: number } | { ok: false; exists: boolean; error: ErrorData }>
  close(): Promise<void>
}

/** Parses `nats://[user:pass@|token@]host:port/bucket`. */
export function parseConfigKvUrl(url: string): { ok: true; address: ConfigKvAddress } | { ok: false; error: ErrorData } {
  // The URL may carry a password or token: errors show it with its user info masked.
  const shown = maskUserInfo(url)
  const bad = (why: string): { ok: false; error: ErrorData } => ({
    ok: false,
    error: weirError('CONFIG_INVALID', `--config-kv ${JSON.stringify(shown)}: ${why}`, { hint: 'give it as nats://host:4222/bucket' }).data,
  })
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return bad('not a URL')
  }
  if (u.protocol !== 'nats:') return bad(`scheme must be nats://, not ${u.protocol}//`)
  if (!u.hostname) return bad('no host')
  const bucket = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, ''))
  if (!bucket) return bad('no bucket name after the host')
  if (!/^[-\w]+$/.test(bucket)) return bad(`bucket name '${bucket}' may hold only letters, digits, '-' and '_'`)
  const server = `${u.hostname}:${u.port || '4222'}`
  const user = u.username ? decodeURIComponent(u.username) : undefined
  const pass = u.password ? decodeURIComponent(u.password) : undefined
  // A lone user name is a token (as nats.go reads it): masked like a password.
  const display = `nats://${user ? (pass ? `${user}:***@` : '***@') : ''}${server}/${bucket}`
  const auth = user !== undefined && pass === undefined ? { token: user } : { ...(user ? { user } : {}), ...(pass ? { pass } : {}) }
  return { ok: true, address: { server, bucket, display, ...auth } }
}

/** Stream ids the bucket can hold: KV keys are NATS subject tokens (no spaces, `*`, `>`, empty tokens). */
export function checkKvKey(id: string): string | undefined {
  if (!/^[-=.\w]+$/.test(id) || id.startsWith('.') || id.endsWith('.') || id.includes('..')) {
    return `stream id '${id}' cannot be a NATS KV key: with --config-kv, ids may hold only letters, digits, '-', '_', '=' and single inner '.'`
  }
  return undefined
}

const CONNECT_TIMEOUT_MS = 10_000
const RESUME_DELAY_MS = 1_000
const CLOSE_DRAIN_MS = 2_000

export async function openConfigBucket(address: ConfigKvAddress, logger: Logger): Promise<{ ok: true; bucket: ConfigBucket } | { ok: false; error: ErrorData }> {
  let nc: NatsConnection
  try {
    nc = await connect({
      servers: address.server,
      name: 'weir-config-kv',
      timeout: CONNECT_TIMEOUT_MS,
      // A host outlives any outage of the server: it keeps the streams it runs and catches up.
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1_000,
      ...(address.user ? { user: address.user } : {}),
      ...(address.pass ? { pass: address.pass } : {}),
      ...(address.token ? { token: address.token } : {}),
    })
  } catch (err) {
    return { ok: false, error: weirError('CONFIG_INVALID', `--config-kv ${address.display}: cannot connect: ${message(err)}`, { hint: 'is nats-server running with JetStream (-js)?' }).data }
  }
  let kv: KV
  try {
    const kvm = new Kvm(nc)
    // Opened when it exists (whatever its settings); created with a short history otherwise.
    kv = await kvm
      .open(address.bucket)
      .then(async (b) => (await b.status(), b))
      .catch(() => kvm.create(address.bucket, { history: 5 }))
  } catch (err) {
    await nc.close().catch(() => undefined)
    return { ok: false, error: weirError('CONFIG_INVALID', `--config-kv ${address.display}: cannot open bucket: ${message(err)}`, { hint: 'JetStream must be enabled on the server (nats-server -js)' }).data }
  }
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') logger.warn(`config bucket ${address.display}: disconnected from NATS`)
      else if (s.type === 'reconnect') logger.info(`config bucket ${address.display}: reconnected to NATS`)
    }
  })()
  return { ok: true, bucket: new NatsConfigBucket(address, nc, kv, logger) }
}

class NatsConfigBucket implements ConfigBucket {
  #closed = false
  #stopWatch: (() => void) | undefined
  #watching: Promise<void> | undefined

  constructor(
    readonly address: ConfigKvAddress,
    private readonly nc: NatsConnection,
    private readonly kv: KV,
    private readonly logger: Logger,
  ) {}

  async watch(onEntry: (e: BucketEntry) => void, onSnapshot: () => void): Promise<void> {
    // The last revision in the bucket when the watch starts: once it (or anything later) has been
    // delivered, every key present then has been seen.
    const state = (await this.kv.status()).streamInfo.state
    let snapshotDone = false
    const snapshot = (): void => {
      if (snapshotDone) return
      snapshotDone = true
      onSnapshot()
    }
    if (state.messages === 0) snapshot()
    let last = 0
    const loop = async (): Promise<void> => {
      while (!this.#closed) {
        try {
          // The client's ordered consumer already rides out reconnects; this catches a watch that
          // ends anyway (consumer lost with a restarted server) and resumes after `last`.
          const iter = await this.kv.watch(last > 0 ? { resumeFromRevision: last + 1 } : {})
          this.#stopWatch = () => iter.stop()
          if (this.#closed) iter.stop()
          for await (const e of iter) {
            if (e.revision <= last) continue
            last = e.revision
            onEntry(toEntry(e))
            if (e.revision >= state.last_seq) snapshot()
          }
        } catch (err) {
          if (!this.#closed) this.logger.warn(`config bucket ${this.address.display}: watch interrupted (${message(err)}), resuming after revision ${last}`)
        }
        if (!this.#closed) await new Promise((r) => setTimeout(r, RESUME_DELAY_MS))
      }
    }
    this.#watching = loop()
  }

  async create(key: string, text: string): ReturnType<ConfigBucket['create']> {
    try {
      return { ok: true, revision: await this.kv.create(key, text) }
    } catch (err) {
      const cur = await this.kv.get(key).catch(() => null)
      const exists = cur !== null && cur.operation === 'PUT'
      return { ok: false, exists, error: this.#error('write', key, err) }
    }
  }

  async put(key: string, text: string): ReturnType<ConfigBucket['put']> {
    try {
      return { ok: true, revision: await this.kv.put(key, text) }
    } catch (err) {
      return { ok: false, exists: false, error: this.#error('write', key, err) }
    }
  }

  async delete(key: string): ReturnType<ConfigBucket['delete']> {
    try {
      const cur = await this.kv.get(key)
      if (!cur || cur.operation !== 'PUT') return { ok: false, exists: false, error: this.#error('delete', key, 'no such key') }
      // Guarded by the revision read, so a concurrent write is not deleted unseen.
      await this.kv.delete(key, { previousSeq: cur.revision })
      const marker = await this.kv.get(key)
      return { ok: true, revision: marker?.revision ?? cur.revision + 1 }
    } catch (err) {
      return { ok: false, exists: true, error: this.#error('delete', key, err) }
    }
  }

  async close(): Promise<void> {
    this.#closed = true
    this.#stopWatch?.()
    // A drain waits for the server; during an outage shutdown must not wait for it to come back.
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<void>((r) => (timer = setTimeout(r, CLOSE_DRAIN_MS)))
    await Promise.race([this.nc.drain().catch(() => undefined), late])
    clearTimeout(timer)
    if (!this.nc.isClosed()) await this.nc.close().catch(() => undefined)
    await this.#watching?.catch(() => undefined)
  }

  #error(what: string, key: string, err: unknown): ErrorData {
    return weirError('CONFIG_KV', `cannot ${what} key '${key}' in NATS KV bucket ${this.address.display}: ${message(err)}`).data
  }
}

function toEntry(e: KvEntry): BucketEntry {
  return { key: e.key, revision: e.revision, op: e.operation, value: e.value }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
