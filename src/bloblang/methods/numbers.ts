/**
 * Number methods (spec §23.6): rounding, abs, array aggregates (max/min/sum), float math and
 * bitwise operations, with the reference's result kinds (int64 when a rounded float fits,
 * float64 otherwise) and error texts.
 */
import { defineMethod, type MethodDef } from '../registry.js'
import {
  AnnotatedError,
  Float,
  INT64_MAX,
  INT64_MIN,
  JsonNumber,
  MappingError,
  Sized,
  UInt64,
  getInt,
  makeFloat,
  makeInt,
  toFloat,
  typeError,
  type Result,
  type Value,
} from '../../value/index.js'

/** A number as the reference's `numberMethod` sees it: float64, int64 or uint64 (sized casts excluded). */
type NumberView = { kind: 'float'; v: number } | { kind: 'int'; v: number | bigint } | { kind: 'uint'; v: UInt64 }

function numberView(v: Result): NumberView {
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) ? { kind: 'int', v } : { kind: 'float', v }
    case 'bigint':
      return { kind: 'int', v }
  }
  if (v instanceof Float) return { kind: 'float', v: v.v }
  if (v instanceof UInt64) return { kind: 'uint', v }
  if (v instanceof JsonNumber) {
    if (v.isInt()) return { kind: 'int', v: v.value() as number | bigint }
    const f = v.float()
    if (!Number.isFinite(f)) throw new MappingError(`failed to parse number: strconv.ParseFloat: parsing "${v.text}": value out of range`)
    return { kind: 'float', v: f }
  }
  throw typeError(v, 'number')
}

const TWO_63 = 9223372036854775808

/** Go `IToInt` on a whole float: the int64 when it fits, else undefined (the float is kept). */
function wholeFloatToInt(f: number): number | bigint | undefined {
  if (!Number.isFinite(f) || f >= TWO_63 || f < -TWO_63 || !Number.isInteger(f)) return undefined
  return Number.isSafeInteger(f) ? makeInt(f) : makeInt(BigInt(f))
}

/** Go `math.Round`: halves away from zero (JavaScript's Math.round rounds -2.5 to -2). */
function roundHalfAway(x: number): number {
  if (!Number.isFinite(x)) return x
  const t = Math.trunc(x)
  // x - t is exact for doubles, so this decides the half case without rounding error.
  return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t
}

type Examples = MethodDef['examples']

function roundingMethod(name: string, op: (x: number) => number, description: string, examples: Examples): MethodDef {
  return defineMethod({
    name,
    params: [],
    description,
    examples,
    ctor: () => (target) => {
      const n = numberView(target)
      if (n.kind === 'int') return makeInt(n.v)
      if (n.kind === 'uint') return n.v
      const r = op(n.v)
      return wholeFloatToInt(r) ?? makeFloat(r)
    },
  })
}

/** Float math on any number kind (the reference's `Float64Method`); plugin errors carry no origin. */
function floatMethod(name: string, fn: (x: number) => number, description: string, examples: Examples): MethodDef {
  return defineMethod({
    name,
    params: [],
    description,
    examples,
    foldConstant: true,
    ctor: () => (target) => makeFloat(fn(pluginFloat(target))),
  })
}

function pluginFloat(target: Result): number {
  try {
    return toFloat(target)
  } catch (err) {
    throw new AnnotatedError(err instanceof Error ? err.message : String(err))
  }
}

/** Float math of `numberMethod` shape (log, log10): any int/float/uint, float64 result. */
function logMethod(name: string, fn: (x: number) => number, description: string, examples: Examples): MethodDef {
  return defineMethod({
    name,
    params: [],
    description,
    examples,
    ctor: () => (target) => {
      const n = numberView(target)
      const x = n.kind === 'float' ? n.v : n.kind === 'int' ? Number(n.v) : Number(n.v.v)
      return makeFloat(fn(x))
    },
  })
}

function extremum(name: string, better: (a: number, b: number) => boolean, description: string, examples: Examples): MethodDef {
  return defineMethod({
    name,
    params: [],
    description,
    examples,
    ctor: () => (target) => {
      if (!Array.isArray(target)) throw typeError(target, 'array')
      if (target.length === 0) throw new MappingError('the array was empty')
      let best = 0
      target.forEach((e, i) => {
        const f = elementNumber(e, `index ${i} of array`)
        if (i === 0 || better(f, best)) best = f
      })
      return makeFloat(best)
    },
  })
}

function elementNumber(e: Value, context: string): number {
  try {
    return toFloat(e)
  } catch (err) {
    throw new MappingError(`${context}: ${err instanceof Error ? err.message : String(err)}`)
  }
}

function bitwiseMethod(name: string, op: (a: bigint, b: bigint) => bigint, description: string, examples: Examples): MethodDef {
  return defineMethod({
    name,
    params: [{ name: 'value', type: 'int' }],
    description,
    examples,
    ctor: (args) => {
      const rhs = BigInt(args.int64('value'))
      return (target) => {
        let lhs: number | bigint
        try {
          lhs = getInt(target)
        } catch {
          throw typeError(target, 'integer')
        }
        return makeInt(BigInt.asIntN(64, op(BigInt(lhs), rhs)))
      }
    },
  })
}

export const numberMethods: MethodDef[] = [
  roundingMethod('round', roundHalfAway, 'Rounds to the nearest integer, halves away from zero; an integer when it fits in 64 bits.', [{ mapping: 'root = [this.a.round(), this.b.round()]', input: '{"a":2.5,"b":-2.5}', output: '[3,-3]' }]),
  roundingMethod('floor', Math.floor, 'Rounds down; an integer when it fits in 64 bits.', [{ mapping: 'root = this.v.floor()', input: '{"v":-3.2}', output: '-4' }]),
  roundingMethod('ceil', Math.ceil, 'Rounds up; an integer when it fits in 64 bits.', [{ mapping: 'root = this.v.ceil()', input: '{"v":5.3}', output: '6' }]),
  defineMethod({
    name: 'abs',
    params: [],
    description: 'Absolute value: integers stay integers (the minimum int64 becomes the maximum), floats stay floats.',
    examples: [{ mapping: 'root = this.xs.map_each(x -> x.abs())', input: '{"xs":[9,-18,1.23,-4.56]}', output: '[9,18,1.23,4.56]' }],
    foldConstant: true,
    ctor: () => (target) => {
      // The reference sanitises first: sized integers count as int64, float32 as float64.
      let v: Result = target
      if (v instanceof JsonNumber) v = v.value()
      if (v instanceof Sized) v = v.kind === 'float32' ? makeFloat(v.v) : v.v
      if (typeof v === 'number') return Number.isInteger(v) ? makeInt(Math.abs(v)) : Math.abs(v)
      if (v instanceof Float) return makeFloat(Math.abs(v.v))
      if (typeof v === 'bigint') return v === INT64_MIN ? INT64_MAX : makeInt(v < 0n ? -v : v)
      throw new AnnotatedError(typeError(target, 'number', 'integer').message)
    },
  }),
  extremum('max', (a, b) => a > b, 'Largest number of an array (float result); the array must not be empty.', [{ mapping: 'root = this.xs.max()', input: '{"xs":[0,3,2.5]}', output: '3' }]),
  extremum('min', (a, b) => a < b, 'Smallest number of an array (float result); the array must not be empty.', [{ mapping: 'root = this.xs.min()', input: '{"xs":[0,3,-2.5]}', output: '-2.5' }]),
  defineMethod({
    name: 'sum',
    params: [],
    description: 'Sum of an array of numbers as a float; a number target is returned unchanged.',
    examples: [{ mapping: 'root = this.xs.sum()', input: '{"xs":[10.5,20.25,5]}', output: '35.75' }],
    ctor: () => (target) => {
      if (!Array.isArray(target)) {
        if (target instanceof JsonNumber || target instanceof Sized || target instanceof UInt64 || target instanceof Float) return target
        if (typeof target === 'number' || typeof target === 'bigint') return target
        throw typeError(target, 'array')
      }
      let total = 0
      let failure: string | undefined
      target.forEach((e, i) => {
        try {
          total += toFloat(e)
        } catch (err) {
          // The reference keeps summing and reports the last bad element, without an origin.
          failure = `index ${i}: ${err instanceof Error ? err.message : String(err)}`
        }
      })
      if (failure !== undefined) throw new AnnotatedError(failure)
      return makeFloat(total)
    },
  }),
  logMethod('log', Math.log, 'Natural logarithm (float).', [{ mapping: 'root = this.v.log()', input: '{"v":1}', output: '0' }]),
  logMethod('log10', Math.log10, 'Base-10 logarithm (float).', [{ mapping: 'root = this.v.log10()', input: '{"v":1000}', output: '3' }]),
  defineMethod({
    name: 'pow',
    params: [{ name: 'exponent', type: 'float' }],
    description: 'The number raised to `exponent` (float).',
    examples: [{ mapping: 'root = this.v.pow(-2)', input: '{"v":2}', output: '0.25' }],
    foldConstant: true,
    ctor: (args) => {
      const exp = args.float('exponent')
      return (target) => makeFloat(Math.pow(pluginFloat(target), exp))
    },
  }),
  floatMethod('sin', Math.sin, 'Sine of an angle in radians (float).', [{ mapping: 'root = 0.sin()', input: '{}', output: '0' }]),
  floatMethod('cos', Math.cos, 'Cosine of an angle in radians (float).', [{ mapping: 'root = 0.cos()', input: '{}', output: '1' }]),
  floatMethod('tan', Math.tan, 'Tangent of an angle in radians (float).', [{ mapping: 'root = 0.tan()', input: '{}', output: '0' }]),
  bitwiseMethod('bitwise_and', (a, b) => a & b, 'Bitwise AND with an integer.', [{ mapping: 'root = this.v.bitwise_and(6)', input: '{"v":12}', output: '4' }]),
  bitwiseMethod('bitwise_or', (a, b) => a | b, 'Bitwise OR with an integer.', [{ mapping: 'root = this.v.bitwise_or(1)', input: '{"v":12}', output: '13' }]),
  bitwiseMethod('bitwise_xor', (a, b) => a ^ b, 'Bitwise XOR with an integer.', [{ mapping: 'root = this.v.bitwise_xor(5)', input: '{"v":12}', output: '9' }]),
]
