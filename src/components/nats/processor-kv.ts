/**
 * `nats_kv` processor (the reference's `processor_kv.go`): one KV operation per message on a
 * bucket that must exist, with interpolated `key` (wildcards for `history` and `keys`) and
 * `revision`. `get`/`get_revision` replace the message with the entry (and its `nats_kv_*`
 * metadata); writes keep the message and add key, bucket, revision and operation; `history` and
 * `keys` replace it with an array. A failed operation flags the message, as every processor does.
 */
import type { KV } from '@nats-io/kv'
import { compileInterpolation, type Interpolation } from '../../bloblang/index.js'
import { Message, type Batch } from '../../message/message.js'
import { Timestamp, UInt64, type Value } from '../../value/index.js'
import { defineComponent, f, type Processor } from '../../spec/index.js'
import { durationField } from '../shared/durations.js'
import { atField, invalid } from '../shared/field-error.js'
import { errorFlagger } from '../shared/processor-error.js'
import { connectionHeadFields, connectionTailFields } from './connection.js'
import { bucketField, entryMessage, KvHandle, kvSettings, operationName } from './kv.js'

const OPERATIONS = ['get', 'get_revision', 'create', 'put', 'update', 'delete', 'purge', 'history', 'keys'] as const
type Operation = (typeof OPERATIONS)[number]
const NEEDS_REVISION: readonly Operation[] = ['get_revision', 'update']

export default defineComponent({
  kind: 'processor',
  name: 'nats_kv',
  status: 'stable',
  summary: 'Perform operations on a NATS key-value bucket.',
  config: f.object('', [
    ...connectionHeadFields,
    bucketField,
    f.string('operation', { options: OPERATIONS, description: 'The operation to perform on the KV bucket.' }),
    f.interp('key', { description: 'The key for each message. Supports wildcards for the history and keys operations.' }),
    f.interp('revision', { optional: true, advanced: true, description: 'The revision of the key to operate on. Used by get_revision and update operations.' }),
    f.duration('timeout', { default: '5s', advanced: true, description: 'The maximum period to wait on an operation before aborting and returning an error.' }),
    ...connectionTailFields,
  ]),
  build: (c, ctx): Processor => {
    const op = c.operation as Operation
    if (!OPERATIONS.includes(op)) throw invalid('operation', `invalid kv operation: ${c.operation}`)
    if (c.key === '') throw invalid('key', "'key' must be set to a non-empty string")
    if (NEEDS_REVISION.includes(op) && c.revision === undefined) throw invalid('revision', `'revision' must be set when operation is '${op}'`)
    if (!NEEDS_REVISION.includes(op) && c.revision !== undefined) throw invalid('revision', `'revision' cannot be set when operation is '${op}'`)
    const key = atField('key', () => compileInterpolation(c.key))
    const revision = c.revision === undefined ? undefined : atField('revision', () => compileInterpolation(c.revision!))
    const timeoutMs = durationField('timeout', c.timeout)
    const handle = new KvHandle(kvSettings(c, ctx), ctx)
    const flag = errorFlagger(ctx, 'nats_kv')
    const run = operation(op, handle.bucket, revision)
    return {
      process: async (batch: Batch): Promise<Batch[]> => {
        const out: Batch = []
        for (let i = 0; i < batch.length; i++) {
          const msg = batch[i]!
          try {
            const k = key.string(batch, i)
            const kv = await handle.open()
            out.push(await withTimeout(run(kv, k, batch, i), timeoutMs, op))
          } catch (err) {
            flag(msg, err)
            out.push(msg)
          }
        }
        return [out]
      },
      close: () => handle.close(),
    }
  },
})

type Run = (kv: KV, key: string, batch: Batch, i: number) => Promise<Message>

function operation(op: Operation, bucket: string, revision: Interpolation | undefined): Run {
  const rev = (batch: Batch, i: number): number => {
    const text = revision!.string(batch, i)
    if (!/^\d+$/.test(text)) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`)
    return Number(text)
  }
  const written = (msg: Message, key: string, revisionNo: number, kvOp: 'PUT' | 'DEL' | 'PURGE'): Message => {
    const m = msg.copy()
    const meta = m.metaMut()
    meta.set('nats_kv_key', key)
    meta.set('nats_kv_bucket', bucket)
    meta.set('nats_kv_revision', new UInt64(BigInt(revisionNo)))
    meta.set('nats_kv_operation', operationName(kvOp))
    return m
  }
  switch (op) {
    case 'get':
      return async (kv, key, b, i) => entryMessage(found(await kv.get(key), key), b[i]!.context)
    case 'get_revision':
      return async (kv, key, b, i) => entryMessage(found(await kv.get(key, { revision: rev(b, i) }), key), b[i]!.context)
    case 'create':
      return async (kv, key, b, i) => written(b[i]!, key, await kv.create(key, b[i]!.bytes()), 'PUT')
    case 'put':
      return async (kv, key, b, i) => written(b[i]!, key, await kv.put(key, b[i]!.bytes()), 'PUT')
    case 'update':
      return async (kv, key, b, i) => written(b[i]!, key, await kv.update(key, b[i]!.bytes(), rev(b, i)), 'PUT')
    case 'delete':
      return async (kv, key, b, i) => {
        await kv.delete(key)
        return written(b[i]!, key, 0, 'DEL')
      }
    case 'purge':
      return async (kv, key, b, i) => {
        await kv.purge(key)
        return written(b[i]!, key, 0, 'PURGE')
      }
    case 'history':
      return async (kv, key, b, i) => {
        const records: Value[] = []
        for await (const e of await kv.history({ key })) {
          records.push({
            key: e.key,
            value: e.value,
            bucket: e.bucket,
            revision: new UInt64(BigInt(e.revision)),
            delta: new UInt64(BigInt(e.delta ?? 0)),
            operation: operationName(e.operation),
            created: Timestamp.fromMillis(e.created.getTime()),
          })
        }
        return Message.fromValue(records, undefined, b[i]!.context)
      }
    case 'keys':
      return async (kv, key, b, i) => {
        const keys: Value[] = []
        for await (const k of await kv.keys(key)) keys.push(k)
        return Message.fromValue(keys, new Map<string, Value>([['nats_kv_bucket', bucket]]), b[i]!.context)
      }
  }
}

/** `get` of a missing or deleted key is nats.go's `ErrKeyNotFound`. */
function found<T extends { operation: string }>(e: T | null, key: string): T {
  if (!e || e.operation !== 'PUT') throw new Error(`nats: key not found: ${key}`)
  return e
}

function withTimeout<T>(p: Promise<T>, ms: number, op: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`nats_kv ${op}: context deadline exceeded after ${ms}ms`)), ms)
  })
  return Promise.race([p, t]).finally(() => clearTimeout(timer))
}
