/**
 * Type checks and conversions (spec §23.3). `bool`, `number`, `timestamp`, `catch`, `or`,
 * `from`, `from_all`, `apply`, `map` and `not` need the unevaluated target and are compiled
 * directly by the compiler (compiler.ts `intrinsicMethod`).
 */
import { defineMethod, type MethodDef } from '../registry.js'
import { toFloat32, toFloat64, toInt64, toSizedInt, toUint64, valueToBytesConv, valueToString } from '../../value/coerce.js'
import { MappingError, typeError } from '../../value/value-errors.js'
import { Sized, UInt64, isObject, makeFloat, typeName, type SizedKind } from '../../value/value-types.js'

function sizedCast(kind: Exclude<SizedKind, 'float32'>): MethodDef {
  return defineMethod({
    name: kind,
    params: [],
    description: `Cast to a ${kind} (strings parsed like Go ParseInt with base prefixes).`,
    ctor: () => (t) => toSizedInt(t, kind),
  })
}

export const conversionMethods: MethodDef[] = [
  defineMethod({
    name: 'type',
    params: [],
    examples: [{ mapping: 'root = this.a.type()', input: '{"a":1.5}', output: 'number' }],
    ctor: () => (t) => typeName(t),
  }),
  defineMethod({
    name: 'string',
    params: [],
    examples: [{ mapping: 'root.s = this.n.string()', input: '{"n":1.50}', output: '{"s":"1.50"}' }],
    ctor: () => (t) => valueToString(t),
  }),
  defineMethod({ name: 'bytes', params: [], ctor: () => (t) => valueToBytesConv(t) }),
  defineMethod({
    name: 'int64',
    params: [],
    examples: [{ mapping: 'root = "0x1F".int64()', input: '{}', output: '31' }],
    ctor: () => (t) => toInt64(t),
  }),
  sizedCast('int32'),
  sizedCast('int16'),
  sizedCast('int8'),
  defineMethod({ name: 'uint64', params: [], ctor: () => (t) => new UInt64(toUint64(t)) }),
  sizedCast('uint32'),
  sizedCast('uint16'),
  sizedCast('uint8'),
  defineMethod({ name: 'float64', params: [], ctor: () => (t) => makeFloat(toFloat64(t)) }),
  defineMethod({ name: 'float32', params: [], ctor: () => (t) => new Sized('float32', toFloat32(t)) }),
  defineMethod({
    name: 'array',
    params: [],
    ctor: () => (t) => (Array.isArray(t) ? t : [typeof t === 'symbol' ? null : t]),
  }),
  defineMethod({
    name: 'not_null',
    params: [],
    ctor: () => (t) => {
      if (t === null) throw new MappingError('value is null')
      return t
    },
  }),
  defineMethod({
    name: 'not_empty',
    params: [],
    ctor: () => (t) => {
      if (typeof t === 'string') {
        if (t === '') throw new MappingError('string value is empty')
        return t
      }
      if (Array.isArray(t)) {
        if (t.length === 0) throw new MappingError('array value is empty')
        return t
      }
      if (isObject(t)) {
        if (Object.keys(t).length === 0) throw new MappingError('object value is empty')
        return t
      }
      throw typeError(t, 'string', 'array', 'object')
    },
  }),
]
