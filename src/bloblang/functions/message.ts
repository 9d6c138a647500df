/**
 * Message, batch and metadata functions (spec §23.1). They read the message at `ctx.index`
 * (which `.from()` / `.from_all()` change); out-of-range indexes behave like an empty message.
 */
import { defineFunction, type FunctionDef } from '../registry.js'
import { dotPathToSlice, getPath, sliceToDotPath } from '../paths.js'
import { valueToString } from '../../value/coerce.js'
import { MappingError, errorMessage } from '../../value/value-errors.js'
import { JsonNumber, setKey, type Result, type Value, type VObject } from '../../value/value-types.js'
import type { ExecContext } from '../context.js'

const EMPTY = new Uint8Array(0)

/** Go ISanitize for a top-level value read through `json()`: input numbers lose their text. */
function sanitize(v: Value): Value {
  return v instanceof JsonNumber ? v.value() : v
}

/** `meta()` semantics: string conversion, empty string reads as null. */
function metaString(v: Value | undefined): Value {
  if (v === undefined) return null
  const s = valueToString(v)
  return s === '' ? null : s
}

function metaObject(meta: ReadonlyMap<string, Value> | undefined, conv: (v: Value) => Value): VObject {
  const o: VObject = {}
  if (meta !== undefined) for (const [k, v] of meta) setKey(o, k, conv(v))
  return o
}

function messageError(ctx: ExecContext): { message: string; sourceName?: string; sourceLabel?: string; sourcePath?: string } | undefined {
  return ctx.message()?.error
}

export const messageFunctions: FunctionDef[] = [
  defineFunction({
    name: 'content',
    params: [],
    impure: true,
    description: 'Raw bytes of the current message.',
    ctor: () => (ctx) => ctx.message()?.bytes() ?? EMPTY,
  }),
  defineFunction({
    name: 'json',
    params: [{ name: 'path', type: 'string', default: '' }],
    impure: true,
    description: 'A dot path of the message parsed as JSON (the whole document when empty).',
    examples: [{ mapping: 'root.n = json("a.b")', input: '{"a":{"b":3}}', output: '{"n":3}' }],
    ctor: (args) => {
      const path = args.string('path')
      const segs = path === '' ? [] : dotPathToSlice(path)
      return (ctx) => {
        const msg = ctx.message()
        if (msg === undefined) throw new MappingError('message is empty')
        let doc: Value
        try {
          doc = msg.structured()
        } catch (err) {
          throw new MappingError(errorMessage(err))
        }
        const v = segs.length === 0 ? doc : getPath(doc, segs)
        return v === undefined ? null : sanitize(v)
      }
    },
  }),
  defineFunction({
    name: 'meta',
    params: [{ name: 'key', type: 'string', default: '' }],
    impure: true,
    description: 'Deprecated: input metadata as a string (empty string reads as null).',
    ctor: (args) => {
      const key = args.string('key')
      if (key === '') return (ctx) => metaObject(ctx.message()?.metadata, (v) => valueToString(v))
      return (ctx) => metaString(ctx.message()?.metadata.get(key))
    },
  }),
  defineFunction({
    name: 'metadata',
    params: [{ name: 'key', type: 'string', default: '' }],
    impure: true,
    description: 'Input metadata with its type (all of it as an object when the key is empty).',
    ctor: (args) => {
      const key = args.string('key')
      if (key === '') return (ctx) => metaObject(ctx.message()?.metadata, (v) => v)
      return (ctx) => ctx.message()?.metadata.get(key) ?? null
    },
  }),
  defineFunction({
    name: 'root_meta',
    params: [{ name: 'key', type: 'string', default: '' }],
    impure: true,
    description: 'Deprecated: output metadata as a string.',
    ctor: (args) => {
      const key = args.string('key')
      return (ctx) => {
        if (ctx.meta === undefined) throw new MappingError('root metadata cannot be queried in this context')
        if (key === '') return metaObject(ctx.meta, (v) => valueToString(v))
        return metaString(ctx.meta.get(key))
      }
    },
  }),
  defineFunction({
    name: 'batch_index',
    params: [],
    impure: true,
    ctor: () => (ctx) => ctx.index,
  }),
  defineFunction({
    name: 'batch_size',
    params: [],
    impure: true,
    ctor: () => (ctx) => ctx.batch.length,
  }),
  defineFunction({
    name: 'error',
    params: [],
    impure: true,
    ctor: () => (ctx) => messageError(ctx)?.message ?? null,
  }),
  defineFunction({
    name: 'errored',
    params: [],
    impure: true,
    ctor: () => (ctx) => messageError(ctx) !== undefined,
  }),
  defineFunction({
    name: 'error_source_name',
    params: [],
    impure: true,
    ctor: () => (ctx) => sourceField(messageError(ctx), 'sourceName'),
  }),
  defineFunction({
    name: 'error_source_label',
    params: [],
    impure: true,
    ctor: () => (ctx) => sourceField(messageError(ctx), 'sourceLabel'),
  }),
  defineFunction({
    name: 'error_source_path',
    params: [],
    impure: true,
    ctor: () => (ctx) => {
      const p = sourceField(messageError(ctx), 'sourcePath')
      return typeof p === 'string' ? sliceToDotPath(p.split('.')) : p
    },
  }),
  defineFunction({
    name: 'tracing_id',
    params: [],
    impure: true,
    description: 'Trace id of the message (tracing is not implemented: empty string).',
    ctor: () => () => '',
  }),
  defineFunction({
    name: 'tracing_span',
    params: [],
    impure: true,
    description: 'Tracing span text map (tracing is not implemented: null).',
    ctor: () => () => null,
  }),
]

function sourceField(
  err: { message: string; sourceName?: string; sourceLabel?: string; sourcePath?: string } | undefined,
  k: 'sourceName' | 'sourceLabel' | 'sourcePath',
): Result {
  if (err === undefined) return null
  const v = err[k]
  if (v === undefined) return err.sourceName === undefined ? null : ''
  return v
}
