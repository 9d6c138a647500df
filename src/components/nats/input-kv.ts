/**
 * `nats_kv` input (the reference's `input_kv.go`): watches `key` (wildcards allowed) on a bucket
 * that must exist and emits the last value of every matching key, then each change, with the
 * `nats_kv_*` metadata. `ignore_deletes` drops delete and purge markers, `include_history` starts
 * from every revision kept, `meta_only` emits empty messages with the metadata. Acks have nothing
 * to confirm (a watch is not a durable consumer); the client's ordered consumer rides out
 * reconnects, and a watch that ends anyway is started again on the next connect.
 */
import type { KvWatchEntry } from '@nats-io/kv'
import { KvWatchInclude } from '@nats-io/kv'
import { Message } from '../../message/message.js'
import { defineComponent, f, NotConnectedError, type ComponentContext, type Input, type ReadResult } from '../../spec/index.js'
import { abortError } from '../../util/channel.js'
import { connectionHeadFields, connectionTailFields } from './connection.js'
import { bucketField, entryMetadata, KvHandle, kvSettings } from './kv.js'

interface Settings {
  key: string
  ignoreDeletes: boolean
  includeHistory: boolean
  metaOnly: boolean
}

export default defineComponent({
  kind: 'input',
  name: 'nats_kv',
  status: 'stable',
  summary: 'Watches for updates in a NATS key-value bucket.',
  config: f.object('', [
    ...connectionHeadFields,
    bucketField,
    f.string('key', { default: '>', description: 'Key to watch for updates, can include wildcards.' }),
    f.bool('auto_replay_nacks', { default: true, description: 'Whether messages that are rejected (nacked) at the output level should be automatically replayed indefinitely.' }),
    f.bool('ignore_deletes', { default: false, description: 'Do not send delete markers as messages.' }),
    f.bool('include_history', { default: false, description: 'Include all the history per key, not just the last one.' }),
    f.bool('meta_only', { default: false, description: 'Retrieve only the metadata of the entry' }),
    ...connectionTailFields,
  ]),
  build: (c, ctx): Input => {
    const handle = new KvHandle(kvSettings(c, ctx), ctx)
    return new KvInput(handle, { key: c.key, ignoreDeletes: c.ignore_deletes, includeHistory: c.include_history, metaOnly: c.meta_only }, c.auto_replay_nacks, ctx)
  },
})

class KvInput implements Input {
  readonly replayNacks: boolean
  readonly #handle: KvHandle
  readonly #s: Settings
  readonly #ctx: ComponentContext
  #iter: AsyncIterator<KvWatchEntry> | undefined
  #stop: (() => void) | undefined
  /** A `next()` a read gave up on (aborted): the next read takes its entry, so none is lost. */
  #pending: Promise<IteratorResult<KvWatchEntry>> | undefined

  constructor(handle: KvHandle, s: Settings, replay: boolean, ctx: ComponentContext) {
    this.#handle = handle
    this.#s = s
    this.replayNacks = replay
    this.#ctx = ctx
  }

  watchConnection(onChange: () => void): void {
    this.#handle.watch(onChange)
  }

  async connect(signal: AbortSignal): Promise<void> {
    // The watch (an ordered consumer) survives an outage the client rides out: wait for it.
    await this.#handle.waitUp(signal, 10_000)
    if (this.#iter && this.#handle.up) return
    const kv = await this.#handle.open()
    const w = await kv.watch({
      key: this.#s.key,
      ignoreDeletes: this.#s.ignoreDeletes,
      headers_only: this.#s.metaOnly,
      ...(this.#s.includeHistory ? { include: KvWatchInclude.AllHistory } : {}),
    })
    this.#stop = () => w.stop()
    this.#pending = undefined
    this.#iter = w[Symbol.asyncIterator]()
  }

  connected(): boolean {
    return this.#iter !== undefined && this.#handle.up
  }

  async read(signal: AbortSignal): Promise<ReadResult> {
    const iter = this.#iter
    if (!iter) throw new NotConnectedError()
    if (signal.aborted) throw abortError(signal)
    let onAbort: (() => void) | undefined
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(abortError(signal))
      signal.addEventListener('abort', onAbort, { once: true })
    })
    try {
      this.#pending ??= iter.next()
      const next = await Promise.race([this.#pending, aborted])
      this.#pending = undefined
      if (next.done) {
        // The watch ended (connection closed for good): the engine reconnects and watches again.
        this.#iter = undefined
        throw new NotConnectedError()
      }
      const e = next.value
      this.#ctx.logger.debug?.(`Received kv bucket update: ${e.bucket} ${e.key} revision ${e.revision} ${e.operation}`)
      const msg = new Message(this.#s.metaOnly ? new Uint8Array(0) : e.value, () => entryMetadata(e))
      return { batch: [msg], ack: () => {} }
    } finally {
      signal.removeEventListener('abort', onAbort!)
    }
  }

  async close(): Promise<void> {
    this.#stop?.()
    this.#iter = undefined
    await this.#handle.close()
  }
}
