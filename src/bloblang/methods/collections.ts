/**
 * Objects and arrays (spec §23.7), plus `length`, `index`, `slice` and `contains` for every target
 * kind (strings count bytes). Implementations never mutate their target: they build new values.
 */
import { defineMethod, type MethodDef, type Query } from '../registry.js'
import type { ExecContext } from '../context.js'
import { bytesToString, getString, stringToBytes, toFloat, valueToBytesConv, valueToString } from '../../value/coerce.js'
import { deepCopy, valuesEqual } from '../../value/equality.js'
import { dotPathToSlice, getPath, pathExists, setPathIn } from '../paths.js'
import { isAsciiString } from '../../value/text/ascii.js'
import { indexOfBytes } from '../text/bytes.js'
import { utf8Length } from '../../value/text/utf8.js'
import { AnnotatedError, MappingError, errFrom, errorMessage, typeError } from '../../value/value-errors.js'
import {
  DELETE,
  Float,
  JsonNumber,
  NOTHING,
  Sized,
  Timestamp,
  UInt64,
  compareBytewise,
  getKey,
  isObject,
  setKey,
  typeName,
  type Result,
  type Value,
  type VObject,
} from '../../value/value-types.js'

function requireArray(t: Result): Value[] {
  if (Array.isArray(t)) return t
  throw typeError(t, 'array')
}

function requireObject(t: Result): VObject {
  if (isObject(t)) return t
  throw typeError(t, 'object')
}

function kv(key: string, value: Value): VObject {
  return { key, value }
}

/** "failed to process element i: <query annotation>: <cause>" (reference map_each wording). */
function elementError(i: number | string, err: unknown, q: Query): MappingError {
  return elementFailure(i, err, q.ann ?? 'query')
}

/** `elementError` for a query known by its annotation (generated code runs some queries inline). */
export function elementFailure(i: number | string, err: unknown, ann: string): MappingError {
  return new MappingError(`failed to process element ${i}: ${errorMessage(errFrom(err, ann))}`)
}

/** Go's gabs Merge / MergeFn onto a fresh object. */
function mergeInto(dest: VObject, src: Result, collide: (a: Value, b: Value) => Value): void {
  if (!isObject(src)) return
  for (const k of Object.keys(src)) {
    const sv = src[k]!
    const existing = getKey(dest, k)
    if (existing === undefined) {
      setKey(dest, k, deepCopy(sv))
      continue
    }
    if (isObject(sv) && isObject(existing)) {
      mergeInto(existing, sv, collide)
      continue
    }
    setKey(dest, k, collide(existing, deepCopy(sv)))
  }
}

function mergeCollision(dest: Value, src: Value): Value {
  if (Array.isArray(dest)) return Array.isArray(src) ? [...dest, ...src] : [...dest, src]
  if (Array.isArray(src)) return [dest, ...src]
  return [dest, src]
}

function mergeLike(name: 'merge' | 'assign', collide: (a: Value, b: Value) => Value): MethodDef {
  return defineMethod({
    name,
    params: [{ name: 'with', type: 'any' }],
    ctor: (args) => {
      const from = args.value('with')
      return (t) => {
        const src = deepCopy(from)
        if (Array.isArray(t)) return Array.isArray(src) ? [...t, ...src] : [...t, src]
        if (!isObject(t)) throw typeError(t, 'object', 'array')
        const root: VObject = {}
        mergeInto(root, t, collide)
        mergeInto(root, src, collide)
        return root
      }
    },
  })
}

function pathsArg(rest: readonly Value[]): string[][] {
  return rest.map((a, i) => {
    try {
      return dotPathToSlice(getString(a))
    } catch (err) {
      throw new MappingError(`argument ${i}: ${errorMessage(err)}`)
    }
  })
}

function mapWithout(m: VObject, paths: string[][]): VObject {
  const out: VObject = {}
  for (const k of Object.keys(m)) {
    const v = m[k]!
    let excluded = false
    const nested: string[][] = []
    for (const p of paths) {
      if (p[0] === k) {
        if (p.length > 1) nested.push(p.slice(1))
        else excluded = true
      }
    }
    if (excluded) continue
    setKey(out, k, nested.length > 0 && isObject(v) ? mapWithout(v, nested) : v)
  }
  return out
}

function mapWith(m: VObject, paths: string[][]): VObject {
  const out: VObject = {}
  for (const k of Object.keys(m)) {
    const v = m[k]!
    let included = false
    const nested: string[][] = []
    for (const p of paths) {
      if (p[0] === k) {
        included = true
        if (p.length > 1) nested.push(p.slice(1))
      }
    }
    if (!included) continue
    setKey(out, k, nested.length > 0 && isObject(v) ? mapWith(v, nested) : v)
  }
  return out
}

/** gabs Flatten: dot paths (unescaped) to leaf values. */
function flatten(v: Value, path: string, out: VObject, includeEmpty: boolean): void {
  if (isObject(v)) {
    const keys = Object.keys(v)
    if (includeEmpty && keys.length === 0 && path !== '') setKey(out, path, {})
    for (const k of keys) flatten(v[k]!, path === '' ? k : `${path}.${k}`, out, includeEmpty)
    return
  }
  if (Array.isArray(v)) {
    if (includeEmpty && v.length === 0 && path !== '') setKey(out, path, [])
    v.forEach((el, i) => flatten(el, path === '' ? String(i) : `${path}.${i}`, out, includeEmpty))
    return
  }
  setKey(out, path, v)
}

/** The kinds the reference's sort recognises as numbers (sized casts excluded). */
function sortsAsNumber(v: Result): boolean {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof Float || v instanceof UInt64 || v instanceof JsonNumber
}

function sortsAsString(v: Result): boolean {
  return typeof v === 'string' || v instanceof Uint8Array
}

/** One side of a default-sort comparison, failures reported against its element index. */
function sortKey<T>(get: (v: Value) => T, v: Value, i: number, label: string, wrap: (e: unknown) => unknown): T {
  try {
    return get(v)
  } catch (err) {
    throw new MappingError(`${label} ${i}: ${errorMessage(wrap(err))}`)
  }
}

/** Go's `less` for the default sort; throws on kinds it cannot order. */
function defaultLess(a: Value, b: Value, ia: number, ib: number, label: string, wrap: (e: unknown) => unknown = (e) => e): boolean {
  if (sortsAsNumber(a)) return sortKey(toFloat, a, ia, label, wrap) < sortKey(toFloat, b, ib, label, wrap)
  if (sortsAsString(a)) return compareBytewise(sortKey(getString, a, ia, label, wrap), sortKey(getString, b, ib, label, wrap)) < 0
  throw new MappingError(`${label} ${ia}: ${errorMessage(wrap(typeError(a, 'number', 'string')))}`)
}

function sortWith(values: Value[], less: (a: Value, b: Value, ia: number, ib: number) => boolean): Value[] {
  const idx = values.map((_, i) => i)
  idx.sort((i, j) => (less(values[i]!, values[j]!, i, j) ? -1 : less(values[j]!, values[i]!, j, i) ? 1 : 0))
  return idx.map((i) => values[i]!)
}

function bool(v: Result): v is boolean {
  return typeof v === 'boolean'
}

function runBoolQuery(q: Query, ctx: ExecContext, v: Value, i: number): boolean {
  let r: Result
  try {
    r = q(ctx, v)
  } catch (err) {
    throw new MappingError(`element ${i}: ${errorMessage(err)}`)
  }
  if (!bool(r)) throw new MappingError(`element ${i}: ${typeError(r, 'bool').message}`)
  return r
}

/** Unique-key of a value for `unique` (strings and numbers kept apart). */
function uniqueKey(v: Result, i: number): string {
  if (typeof v === 'string') return 's' + v
  if (v instanceof Uint8Array) return 's' + bytesToString(v)
  if (v instanceof Timestamp) return 's' + valueToString(v)
  if (typeof v === 'number' || typeof v === 'bigint' || v instanceof Float || v instanceof JsonNumber || v instanceof UInt64 || v instanceof Sized) {
    return 'n' + String(toFloat(v))
  }
  throw new MappingError(`index ${i}: ${typeError(v, 'string', 'number').message}`)
}

/** Exported so generated code can recognise it and run it inline (codegen/array-lambdas.ts). */
export const mapEachMethod: MethodDef = defineMethod({
  name: 'map_each',
  params: [{ name: 'query', type: 'query' }],
  examples: [{ mapping: 'root = this.xs.map_each(x -> x * 2)', input: '{"xs":[1,2]}', output: '[2,4]' }],
  ctor: (args) => {
    const q = args.query('query')
    return (t, ctx) => {
      if (Array.isArray(t)) {
        const out: Value[] = []
        for (let i = 0; i < t.length; i++) {
          const v = t[i]!
          let r: Result
          try {
            r = q(ctx, v)
          } catch (err) {
            throw elementError(i, err, q)
          }
          if (r === DELETE) continue
          out.push(r === NOTHING ? v : r)
        }
        return out
      }
      if (isObject(t)) {
        const out: VObject = {}
        for (const k of Object.keys(t)) {
          const v = t[k]!
          let r: Result
          try {
            r = q(ctx, kv(k, v))
          } catch (err) {
            throw elementError(k, err, q)
          }
          if (r === DELETE) continue
          setKey(out, k, r === NOTHING ? v : r)
        }
        return out
      }
      throw typeError(t, 'array')
    }
  },
})

/** Exported so generated code can recognise it and run it inline (codegen/array-lambdas.ts). */
export const filterMethod: MethodDef = defineMethod({
  name: 'filter',
  params: [{ name: 'test', type: 'query' }],
  ctor: (args) => {
    const q = args.query('test')
    return (t, ctx) => {
      if (Array.isArray(t)) return t.filter((v) => q(ctx, v) === true)
      if (isObject(t)) {
        const out: VObject = {}
        for (const k of Object.keys(t)) if (q(ctx, kv(k, t[k]!)) === true) setKey(out, k, t[k]!)
        return out
      }
      throw typeError(t, 'array', 'object')
    }
  },
})

export const collectionMethods: MethodDef[] = [
  defineMethod({
    name: 'length',
    params: [],
    examples: [{ mapping: 'root = this.s.length()', input: '{"s":"héllo"}', output: '6' }],
    ctor: () => (t) => {
      if (typeof t === 'string') return utf8Length(t)
      if (t instanceof Uint8Array) return t.length
      if (Array.isArray(t)) return t.length
      if (isObject(t)) return Object.keys(t).length
      throw typeError(t, 'string', 'array', 'object')
    },
  }),
  defineMethod({
    name: 'index',
    params: [{ name: 'index', type: 'int' }],
    ctor: (args) => {
      const index = args.int('index')
      return (t) => {
        if (Array.isArray(t) || t instanceof Uint8Array) {
          const i = index < 0 ? t.length + index : index
          if (i < 0 || i >= t.length) throw new MappingError(`index '${i}' was out of bounds for array size: ${t.length}`)
          return t[i]!
        }
        throw typeError(t, 'array')
      }
    },
  }),
  defineMethod({
    name: 'slice',
    params: [
      { name: 'low', type: 'int' },
      { name: 'high', type: 'int', optional: true },
    ],
    ctor: (args) => {
      const low = args.int('low')
      const high = args.optInt('high')
      if (high !== undefined && high > 0 && low >= high) throw new MappingError(`lower slice bound ${low} must be lower than upper (${high})`)
      const bounds = (l: number): [number, number] => {
        let hi = l
        if (high !== undefined) hi = high < 0 ? hi + high : high
        if (hi > l) hi = l
        if (hi < 0) hi = 0
        let lo = low
        if (lo < 0) lo = Math.max(l + lo, 0)
        if (lo > hi) throw new MappingError(`lower slice bound ${lo} must be lower than or equal to upper bound (${hi}) and target length (${l})`)
        return [lo, hi]
      }
      return (t) => {
        if (typeof t === 'string') {
          if (isAsciiString(t)) {
            const [lo, hi] = bounds(t.length)
            return t.slice(lo, hi)
          }
          const b = stringToBytes(t)
          const [lo, hi] = bounds(b.length)
          return bytesToString(b.subarray(lo, hi))
        }
        if (t instanceof Uint8Array) {
          const [lo, hi] = bounds(t.length)
          return t.slice(lo, hi)
        }
        if (Array.isArray(t)) {
          const [lo, hi] = bounds(t.length)
          return t.slice(lo, hi)
        }
        throw typeError(t, 'array', 'string')
      }
    },
  }),
  defineMethod({
    name: 'contains',
    params: [{ name: 'value', type: 'any' }],
    examples: [{ mapping: 'root = this.tags.contains("a")', input: '{"tags":["a","b"]}', output: 'true' }],
    ctor: (args) => {
      const needle = args.value('value')
      const sub = valueToString(needle)
      let bsub: Uint8Array | undefined
      return (t) => {
        if (typeof t === 'string') return t.includes(sub)
        if (t instanceof Uint8Array) {
          bsub ??= valueToBytesConv(needle)
          return indexOfBytes(t, bsub) >= 0
        }
        if (Array.isArray(t)) {
          for (const el of t) if (valuesEqual(needle, el)) return true
          return false
        }
        if (isObject(t)) {
          for (const k of Object.keys(t)) if (valuesEqual(needle, t[k]!)) return true
          return false
        }
        throw typeError(t, 'string', 'array', 'object')
      }
    },
  }),
  defineMethod({
    name: 'keys',
    params: [],
    ctor: () => (t) => Object.keys(requireObject(t)).sort(compareBytewise),
  }),
  defineMethod({
    name: 'values',
    params: [],
    ctor: () => (t) => {
      const o = requireObject(t)
      return Object.keys(o).map((k) => o[k]!)
    },
  }),
  defineMethod({
    name: 'key_values',
    params: [],
    ctor: () => (t) => {
      const o = requireObject(t)
      return Object.keys(o).map((k) => kv(k, o[k]!))
    },
  }),
  defineMethod({
    name: 'exists',
    params: [{ name: 'path', type: 'string' }],
    ctor: (args) => {
      const path = dotPathToSlice(args.string('path'))
      return (t) => pathExists(t, path)
    },
  }),
  defineMethod({
    name: 'get',
    params: [{ name: 'path', type: 'string' }],
    ctor: (args) => {
      const path = dotPathToSlice(args.string('path'))
      return (t) => getPath(t, path) ?? null
    },
  }),
  defineMethod({
    name: 'append',
    params: [],
    variadic: true,
    ctor: (args) => {
      const extra = args.rest
      return (t) => [...requireArray(t), ...extra]
    },
  }),
  defineMethod({
    name: 'concat',
    params: [],
    variadic: true,
    ctor: (args) => {
      const arrays = args.rest.map((a) => requireArray(a))
      return (t) => {
        const out = [...requireArray(t)]
        for (const a of arrays) out.push(...a)
        return out
      }
    },
  }),
  mergeLike('merge', mergeCollision),
  mergeLike('assign', (_d, s) => s),
  defineMethod({
    name: 'without',
    params: [],
    variadic: true,
    ctor: (args) => {
      const paths = pathsArg(args.rest)
      return (t) => mapWithout(requireObject(t), paths)
    },
  }),
  defineMethod({
    name: 'with',
    params: [],
    variadic: true,
    ctor: (args) => {
      const paths = pathsArg(args.rest)
      return (t) => mapWith(requireObject(t), paths)
    },
  }),
  mapEachMethod,
  defineMethod({
    name: 'map_each_key',
    params: [{ name: 'query', type: 'query' }],
    ctor: (args) => {
      const q = args.query('query')
      return (t, ctx) => {
        const o = requireObject(t)
        const out: VObject = {}
        for (const k of Object.keys(o)) {
          const r = q(ctx, k)
          if (r === NOTHING) setKey(out, k, o[k]!)
          else if (typeof r === 'string') setKey(out, r, o[k]!)
          else throw new MappingError(`unexpected result from key mapping: ${typeError(r, 'string').message}`)
        }
        return out
      }
    },
  }),
  filterMethod,
  defineMethod({
    name: 'fold',
    params: [
      { name: 'initial', type: 'any' },
      { name: 'query', type: 'query' },
    ],
    ctor: (args) => {
      const initial = args.value('initial')
      const q = args.query('query')
      return (t, ctx) => {
        const arr = requireArray(t)
        let tally: Result = deepCopy(initial)
        for (const v of arr) tally = q(ctx, { tally: tally as Value, value: v })
        return tally
      }
    },
  }),
  defineMethod({
    name: 'any',
    params: [{ name: 'test', type: 'query' }],
    ctor: (args) => {
      const q = args.query('test')
      return (t, ctx) => {
        const arr = requireArray(t)
        for (let i = 0; i < arr.length; i++) if (runBoolQuery(q, ctx, arr[i]!, i)) return true
        return false
      }
    },
  }),
  defineMethod({
    name: 'all',
    params: [{ name: 'test', type: 'query' }],
    ctor: (args) => {
      const q = args.query('test')
      return (t, ctx) => {
        const arr = requireArray(t)
        if (arr.length === 0) return false
        for (let i = 0; i < arr.length; i++) if (!runBoolQuery(q, ctx, arr[i]!, i)) return false
        return true
      }
    },
  }),
  defineMethod({
    name: 'sort',
    params: [{ name: 'compare', type: 'query', optional: true }],
    ctor: (args) => {
      const q = args.optQuery('compare')
      return (t, ctx) => {
        const arr = requireArray(t)
        if (q === undefined) {
          try {
            return sortWith(arr, (a, b, ia, ib) => defaultLess(a, b, ia, ib, 'sort element'))
          } catch (err) {
            throw new AnnotatedError(errorMessage(err))
          }
        }
        return sortWith(arr, (a, b) => {
          const r = q(ctx, { left: a, right: b })
          if (typeof r !== 'boolean') throw new AnnotatedError(typeError(r, 'bool').setFrom('sort argument').message)
          return r
        })
      }
    },
  }),
  defineMethod({
    name: 'sort_by',
    params: [{ name: 'query', type: 'query' }],
    ctor: (args) => {
      const q = args.query('query')
      return (t, ctx) => {
        const arr = requireArray(t)
        const keys = arr.map((v) => q(ctx, v) as Value)
        const wrap = (e: unknown): unknown => errFrom(e, q.ann ?? 'query')
        const idx = arr.map((_, i) => i)
        try {
          idx.sort((i, j) => {
            if (defaultLess(keys[i]!, keys[j]!, i, j, 'sort_by element', wrap)) return -1
            return defaultLess(keys[j]!, keys[i]!, j, i, 'sort_by element', wrap) ? 1 : 0
          })
        } catch (err) {
          throw new AnnotatedError(errorMessage(err))
        }
        return idx.map((i) => arr[i]!)
      }
    },
  }),
  defineMethod({
    name: 'unique',
    params: [{ name: 'emit', type: 'query', optional: true }],
    ctor: (args) => {
      const q = args.optQuery('emit')
      return (t, ctx) => {
        const arr = requireArray(t)
        const seen = new Set<string>()
        const out: Value[] = []
        for (let i = 0; i < arr.length; i++) {
          const v = arr[i]!
          let check: Result = v
          if (q !== undefined) {
            try {
              check = q(ctx, v)
            } catch (err) {
              throw new MappingError(`index ${i}: ${errorMessage(err)}`)
            }
          }
          const key = uniqueKey(check, i)
          if (!seen.has(key)) {
            seen.add(key)
            out.push(v)
          }
        }
        return out
      }
    },
  }),
  defineMethod({
    name: 'flatten',
    params: [],
    ctor: () => (t) => {
      const out: Value[] = []
      for (const el of requireArray(t)) {
        if (Array.isArray(el)) out.push(...el)
        else out.push(el)
      }
      return out
    },
  }),
  defineMethod({
    name: 'collapse',
    params: [{ name: 'include_empty', type: 'bool', default: false }],
    ctor: (args) => {
      const includeEmpty = args.bool('include_empty')
      return (t) => {
        if (!isObject(t) && !Array.isArray(t)) throw new MappingError('not an object or array')
        const out: VObject = {}
        flatten(t, '', out, includeEmpty)
        return out
      }
    },
  }),
  defineMethod({
    name: 'enumerated',
    params: [],
    ctor: () => (t) => requireArray(t).map((value, index) => ({ index, value })),
  }),
  defineMethod({
    name: 'explode',
    params: [{ name: 'path', type: 'string' }],
    ctor: (args) => {
      const raw = args.string('path')
      const path = dotPathToSlice(raw)
      return (t) => {
        const root = requireObject(t)
        const target = getPath(root, path)
        const base = mapWithout(root, [path])
        const one = (el: Value): Value => {
          const doc = deepCopy(base)
          try {
            setPathIn(doc, path, el)
          } catch {
            // The reference ignores set failures here.
          }
          return doc
        }
        if (Array.isArray(target)) return target.map(one)
        if (target !== undefined && isObject(target)) {
          const out: VObject = {}
          for (const k of Object.keys(target)) setKey(out, k, one(target[k]!))
          return out
        }
        throw new MappingError(`expected array or object value at path '${raw}', found: ${target === undefined ? 'null' : typeName(target)}`)
      }
    },
  }),
  defineMethod({
    name: 'squash',
    params: [],
    ctor: () => (t) => {
      const root: VObject = {}
      for (const el of requireArray(t)) mergeInto(root, el, mergeCollision)
      return root
    },
  }),
  defineMethod({
    name: 'zip',
    params: [],
    variadic: true,
    ctor: (args) => {
      const arrays = args.rest.map((a) => requireArray(a))
      for (const a of arrays) if (a.length !== arrays[0]!.length) throw new MappingError("can't zip different length array values")
      return (t) => {
        const arr = requireArray(t)
        if (arrays.length === 0) throw new MappingError('zip requires at least one argument')
        if (arr.length !== arrays[0]!.length) throw new MappingError("can't zip different length array values")
        return arr.map((v, i) => [v, ...arrays.map((a) => a[i]!)])
      }
    },
  }),
  defineMethod({
    name: 'find',
    params: [{ name: 'value', type: 'any' }],
    ctor: (args) => {
      const needle = args.value('value')
      return (t) => requireArray(t).findIndex((el) => valuesEqual(needle, el))
    },
  }),
  defineMethod({
    name: 'find_all',
    params: [{ name: 'value', type: 'any' }],
    ctor: (args) => {
      const needle = args.value('value')
      return (t) => {
        const out: Value[] = []
        requireArray(t).forEach((el, i) => {
          if (valuesEqual(needle, el)) out.push(i)
        })
        return out
      }
    },
  }),
  ...(['find_by', 'find_all_by'] as const).map((name) =>
    defineMethod({
      name,
      params: [{ name: 'query', type: 'query' }],
      ctor: (args) => {
        const q = args.query('query')
        return (t, ctx) => {
          const arr = requireArray(t)
          const out: Value[] = []
          for (let i = 0; i < arr.length; i++) {
            let r: Result
            try {
              r = q(ctx, arr[i]!)
            } catch (err) {
              throw new MappingError(`query returned an error for index ${i}: ${errorMessage(err)}`)
            }
            if (typeof r !== 'boolean') throw new MappingError(`query returned a non-boolean value for index ${i}: ${typeError(r, 'bool').message}`)
            if (r) {
              if (name === 'find_by') return i
              out.push(i)
            }
          }
          return name === 'find_by' ? -1 : out
        }
      },
    }),
  ),
]
