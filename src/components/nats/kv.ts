/**
 * What the `nats_kv` cache, processor, input and output share (the reference's `kvDocs` and
 * `newMessageFromKVEntry`): the connection fields around `bucket`, one connection plus bucket
 * handle opened on demand (and again after the connection closed for good), and an entry as a
 * message with the reference's `nats_kv_*` metadata.
 */
import { Kvm, type KV, type KvEntry } from '@nats-io/kv'
import { Message, type MessageContext } from '../../message/message.js'
import { Timestamp, UInt64, type Value } from '../../value/index.js'
import { f, NotConnectedError, type ComponentContext } from '../../spec/index.js'
import { invalid } from '../shared/field-error.js'
import { natsConnectionOptions, NatsLink, type ConnectionConf, type NatsConnectionOptions } from './connection.js'

export const bucketField = f.string('bucket', { description: 'The name of the KV bucket.' })

export interface KvConf extends ConnectionConf {
  bucket: string
}

export function kvSettings(c: KvConf, ctx: ComponentContext): { conn: NatsConnectionOptions; bucket: string } {
  if (c.bucket === '') throw invalid('bucket', 'a bucket name is required')
  return { conn: natsConnectionOptions(c, ctx.label || `${ctx.stream}.${ctx.path}`), bucket: c.bucket }
}

/** One connection and its bucket handle. `open()` is idempotent while the connection lives. */
export class KvHandle {
  readonly bucket: string
  readonly #conn: NatsConnectionOptions
  readonly #ctx: Pick<ComponentContext, 'logger' | 'metrics'>
  #link: NatsLink | undefined
  #kv: KV | undefined
  #opening: Promise<KV> | undefined
  readonly #watchers: (() => void)[] = []

  constructor(s: { conn: NatsConnectionOptions; bucket: string }, ctx: Pick<ComponentContext, 'logger' | 'metrics'>) {
    this.bucket = s.bucket
    this.#conn = s.conn
    this.#ctx = ctx
  }

  /** The bucket, connecting first when needed; rejects when the server or bucket is not there. */
  open(): Promise<KV> {
    if (this.#kv && this.#link && !this.#link.closed) return Promise.resolve(this.#kv)
    this.#opening ??= this.#connect().finally(() => (this.#opening = undefined))
    return this.#opening
  }

  async #connect(): Promise<KV> {
    await this.#drop()
    const link = await NatsLink.open(this.#conn, { logger: this.#ctx.logger, metrics: this.#ctx.metrics })
    try {
      // The bucket must exist (as in the reference): components never create one.
      const kv = await new Kvm(link.nc).open(this.bucket)
      await kv.status()
      this.#link = link
      this.#kv = kv
      link.onChange(() => {
        for (const w of this.#watchers) w()
      })
      return kv
    } catch (err) {
      await link.close().catch(() => undefined)
      throw new Error(`nats_kv bucket '${this.bucket}': ${err instanceof Error ? err.message : String(err)}`)
    }
  }

  /** Calls `onChange` whenever `up` may have changed (the client rides out outages by itself). */
  watch(onChange: () => void): void {
    this.#watchers.push(onChange)
  }

  /** Resolves once the open connection is up again after an outage (see `NatsLink.waitUp`). */
  async waitUp(signal: AbortSignal, timeoutMs: number): Promise<void> {
    if (this.#link && !this.#link.closed) await this.#link.waitUp(signal, timeoutMs)
  }

  /** The bucket when connected now; NotConnectedError otherwise (the engine reconnects). */
  current(): KV {
    if (!this.#kv || !this.#link || this.#link.closed) throw new NotConnectedError()
    return this.#kv
  }

  get up(): boolean {
    return this.#kv !== undefined && this.#link?.up === true
  }

  async #drop(): Promise<void> {
    const link = this.#link
    this.#link = undefined
    this.#kv = undefined
    await link?.close().catch(() => undefined)
  }

  async close(): Promise<void> {
    await this.#opening?.catch(() => undefined)
    await this.#drop()
  }
}

/** Metadata of an entry, as the reference sets it (revision and delta are uint64, created a timestamp). */
export function entryMetadata(e: KvEntry): Map<string, Value> {
  return new Map<string, Value>([
    ['nats_kv_key', e.key],
    ['nats_kv_bucket', e.bucket],
    ['nats_kv_revision', new UInt64(BigInt(e.revision))],
    ['nats_kv_delta', new UInt64(BigInt(e.delta ?? 0))],
    ['nats_kv_operation', operationName(e.operation)],
    ['nats_kv_created', Timestamp.fromMillis(e.created.getTime())],
  ])
}

/** A new message for an entry; `context` carries over the one it replaces (a `sync_response` store). */
export function entryMessage(e: KvEntry, context?: MessageContext): Message {
  return new Message(e.value, () => entryMetadata(e), context)
}

/** nats.go's names for the operations (`KeyValuePutOp` prints as `KeyValuePutOp`). */
export function operationName(op: KvEntry['operation']): string {
  return op === 'PUT' ? 'KeyValuePutOp' : op === 'DEL' ? 'KeyValueDeleteOp' : 'KeyValuePurgeOp'
}
