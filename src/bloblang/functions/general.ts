/**
 * General functions (spec §23.2): sentinels, errors, ranges, identifiers, counters, variables.
 */
import { crypto } from '../../util/lazy-builtins.js'
import { defineFunction, type Args, type FunctionDef } from '../registry.js'
import { getInt, toInt64 } from '../../value/coerce.js'
import { formatUuid } from '../text/uuid.js'
import { MappingError } from '../../value/value-errors.js'
import { DELETE, NOTHING, makeFloat, makeInt, type Value } from '../../value/value-types.js'


/** Results larger than this are refused rather than exhausting memory. */
const MAX_GENERATED = 10_000_000

/** Constant ranges up to this many elements are built while compiling; longer ones on first use. */
const FOLD_MAX_ELEMENTS = 4096

/** Elements of `range(start, stop, step)`; 0 for arguments the constructor rejects. */
function rangeLength(args: Args): bigint {
  const start = BigInt(args.int64('start'))
  const stop = BigInt(args.int64('stop'))
  const step = BigInt(args.int64('step'))
  if (step === 0n) return 0n
  const n = (stop - start) / step
  return n < 0n ? 0n : n
}

const NANOID_ALPHABET = '_-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

function nanoid(alphabet: string, size: number): string {
  const chars = [...alphabet]
  // Rejection sampling over a power-of-two mask keeps the distribution uniform.
  const mask = (2 << (31 - Math.clz32((chars.length - 1) | 1))) - 1
  // Counted in characters (code points), not UTF-16 units: an astral alphabet still gives `size`.
  const out: string[] = []
  while (out.length < size) {
    const bytes = crypto().randomBytes(Math.ceil((1.6 * mask * (size - out.length)) / chars.length) + 1)
    for (const b of bytes) {
      const i = b & mask
      if (i < chars.length) {
        out.push(chars[i]!)
        if (out.length >= size) break
      }
    }
  }
  return out.join('')
}

function ksuid(): string {
  const buf = Buffer.alloc(20)
  buf.writeUInt32BE((Math.floor(Date.now() / 1000) - 1400000000) >>> 0, 0)
  crypto().randomBytes(16).copy(buf, 4)
  let n = BigInt('0x' + buf.toString('hex'))
  let s = ''
  while (n > 0n) {
    s = BASE62[Number(n % 62n)] + s
    n /= 62n
  }
  return s.padStart(27, '0')
}

function uuidV7(ms: number): string {
  const b = crypto().randomBytes(16)
  const t = BigInt(Math.max(0, Math.floor(ms)))
  for (let i = 0; i < 6; i++) b[i] = Number((t >> BigInt(8 * (5 - i))) & 0xffn)
  b[6] = (b[6]! & 0x0f) | 0x70
  b[8] = (b[8]! & 0x3f) | 0x80
  return formatUuid(b)
}

/** splitmix64: a small seeded generator (the reference's exact sequence is Go-specific). */
function seededRandom(seed: bigint): () => bigint {
  let state = BigInt.asUintN(64, seed)
  return () => {
    state = BigInt.asUintN(64, state + 0x9e3779b97f4a7c15n)
    let z = state
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n)
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn)
    return z ^ (z >> 31n)
  }
}

const counters = new Map<string, number>()

export const generalFunctions: FunctionDef[] = [
  defineFunction({ name: 'deleted', params: [], foldConstant: true, ctor: () => () => DELETE }),
  defineFunction({ name: 'nothing', params: [], foldConstant: true, ctor: () => () => NOTHING }),
  defineFunction({
    name: 'throw',
    params: [{ name: 'why', type: 'string' }],
    ctor: (args) => {
      const why = args.string('why')
      return () => {
        throw new MappingError(why)
      }
    },
  }),
  defineFunction({
    name: 'range',
    params: [
      { name: 'start', type: 'int' },
      { name: 'stop', type: 'int' },
      { name: 'step', type: 'int', default: 1 },
    ],
    // Folded only while the result is small (FOLD_MAX_ELEMENTS).
    foldConstant: (args) => rangeLength(args) <= FOLD_MAX_ELEMENTS,
    examples: [{ mapping: 'root = range(0, 10, 3)', input: '{}', output: '[0,3,6]' }],
    ctor: (args) => {
      const start = BigInt(args.int64('start'))
      const stop = BigInt(args.int64('stop'))
      const step = BigInt(args.int64('step'))
      if (step === 0n) throw new MappingError('step must be greater than or less than 0')
      if (step < 0n) {
        if (stop > start) throw new MappingError(`with negative step arg stop (${stop}) must be <= start (${start})`)
      } else if (start >= stop) throw new MappingError(`with positive step arg start (${start}) must be < stop (${stop})`)
      const n = (stop - start) / step
      if (n > BigInt(MAX_GENERATED)) throw new MappingError(`range of ${n} elements exceeds the limit of ${MAX_GENERATED}`)
      // Built on first use, not when the mapping is compiled: a large range in a branch that
      // never runs must not hold its memory from the start (the argument errors above stay
      // compile-time errors, as in the reference).
      let out: Value[] | undefined
      return () => {
        if (out === undefined) {
          const built: Value[] = []
          for (let i = 0n; i < n; i++) built.push(makeInt(start + step * i))
          out = built
        }
        return out
      }
    },
  }),
  defineFunction({ name: 'uuid_v4', params: [], impure: true, ctor: () => () => crypto().randomUUID() }),
  defineFunction({
    name: 'uuid_v7',
    params: [{ name: 'time', type: 'timestamp', optional: true }],
    impure: true,
    ctor: (args) => {
      const t = args.optTimestamp('time')
      return () => uuidV7(t !== undefined ? t.epochMillis() : Date.now())
    },
  }),
  defineFunction({
    name: 'nanoid',
    params: [
      { name: 'length', type: 'int', optional: true },
      { name: 'alphabet', type: 'string', optional: true },
    ],
    impure: true,
    ctor: (args) => {
      const len = args.optInt('length')
      const alphabet = args.optString('alphabet')
      if (alphabet !== undefined && len === undefined) throw new MappingError('field length must be specified when an alphabet is specified')
      if (len !== undefined && (len <= 0 || len > MAX_GENERATED)) throw new MappingError('size must be positive integer')
      if (alphabet !== undefined && ([...alphabet].length === 0 || [...alphabet].length > 255)) {
        throw new MappingError('alphabet must not be empty and contain no more than 255 chars')
      }
      return () => nanoid(alphabet ?? NANOID_ALPHABET, len ?? 21)
    },
  }),
  defineFunction({ name: 'ksuid', params: [], impure: true, ctor: () => () => ksuid() }),
  defineFunction({
    name: 'random_int',
    params: [
      { name: 'seed', type: 'query', default: 0 },
      { name: 'min', type: 'int', default: 0, noDynamic: true },
      { name: 'max', type: 'int', default: 9223372036854775806n, noDynamic: true },
    ],
    impure: true,
    ctor: (args) => {
      const seedQ = args.query('seed')
      const min = BigInt(args.int64('min'))
      const max = BigInt(args.int64('max'))
      if (min < 0n) throw new MappingError(`min (${min}) must be a positive number`)
      if (max < min) throw new MappingError(`min (${min}) must be smaller or equal than max (${max})`)
      if (max >= 9223372036854775807n) throw new MappingError('max must be smaller than the max allowed for an int64 (9223372036854775807)')
      let next: (() => bigint) | undefined
      return (ctx) => {
        if (next === undefined) {
          let seed: number | bigint
          try {
            seed = toInt64(ctx.here(seedQ))
          } catch (err) {
            throw new MappingError(`failed to seed random number generator: ${(err as Error).message}`)
          }
          next = seededRandom(BigInt(seed))
        }
        return makeInt((next() % (max - min + 1n)) + min)
      }
    },
  }),
  defineFunction({
    name: 'counter',
    params: [
      { name: 'min', type: 'query', default: 1 },
      { name: 'max', type: 'query', default: 9223372036854775807n },
      { name: 'set', type: 'query', optional: true },
    ],
    impure: true,
    ctor: (args) => {
      const minQ = args.query('min')
      const maxQ = args.query('max')
      const setQ = args.optQuery('set')
      let min = 0n
      let max = 0n
      let i: bigint | undefined
      return (ctx) => {
        if (i === undefined) {
          try {
            min = BigInt(toInt64(ctx.here(minQ)))
          } catch (err) {
            throw new MappingError(`failed to resolve min argument: ${(err as Error).message}`)
          }
          if (min < 0n) throw new MappingError(`min argument must be >0, got ${min}`)
          try {
            max = BigInt(toInt64(ctx.here(maxQ)))
          } catch (err) {
            throw new MappingError(`failed to resolve max argument: ${(err as Error).message}`)
          }
          if (max < 0n || max <= min) throw new MappingError(`max argument must be >0 and >min, got ${max}`)
          i = min - 1n
        }
        if (setQ !== undefined) {
          let s
          try {
            s = ctx.here(setQ)
          } catch (err) {
            throw new MappingError(`failed to resolve set argument: ${(err as Error).message}`)
          }
          if (s === null) return makeInt(i)
          if (s === DELETE) i = min - 1n
          else if (s !== NOTHING) {
            let iv
            try {
              iv = BigInt(getInt(s))
            } catch (err) {
              throw new MappingError(`failed to resolve set argument: ${(err as Error).message}`)
            }
            i = iv
            return makeInt(iv)
          }
        }
        i++
        const v = i
        if (v >= max) i = min - 1n
        return makeInt(v)
      }
    },
  }),
  defineFunction({
    name: 'count',
    params: [{ name: 'name', type: 'string' }],
    impure: true,
    ctor: (args) => {
      const name = args.string('name')
      return () => {
        const n = (counters.get(name) ?? 0) + 1
        counters.set(name, n)
        return n
      }
    },
  }),
  defineFunction({
    name: 'var',
    params: [{ name: 'name', type: 'string' }],
    impure: true,
    ctor: (args) => {
      const name = args.string('name')
      return (ctx) => {
        const v = ctx.vars.get(name)
        if (v === undefined) throw new MappingError(`variable '${name}' undefined`)
        return v
      }
    },
  }),
  defineFunction({
    name: 'bytes',
    params: [{ name: 'length', type: 'int' }],
    ctor: (args) => {
      const n = args.int('length')
      if (n < 0) throw new MappingError(`length must be positive, got ${n}`)
      if (n > MAX_GENERATED * 10) throw new MappingError(`length of ${n} bytes exceeds the limit of ${MAX_GENERATED * 10}`)
      return () => new Uint8Array(n)
    },
  }),
  defineFunction({ name: 'pi', params: [], foldConstant: true, ctor: () => () => makeFloat(Math.PI) }),
]


