/**
 * Method and function registry: the contract between the Bloblang compiler and the families of
 * methods/functions (`methods/<family>.ts`, `functions/<family>.ts`). Each family file exports an
 * array of definitions; `methods/index.ts` / `functions/index.ts` collect them; `createRegistry`
 * builds an instance (nothing registers itself by import side effect).
 *
 * How a call is compiled
 * - Arguments are positional or named (never mixed). The registry checks names, counts, defaults
 *   and types (rules below) and hands `ctor` an `Args` holding already-coerced values.
 * - `ctor(args, site)` runs ONCE per call site while compiling when every non-query argument is a
 *   constant; anything it throws becomes a parse error at the call site (validate regexes, enums,
 *   ranges there). When some argument is dynamic, `ctor` runs per message with the evaluated
 *   arguments (a one-entry cache skips it when the argument values repeat), and what it throws is a
 *   runtime error "failed to extract input arg ..."-free: throw plain `MappingError`s.
 * - `ctor` returns the implementation: for methods `(target, ctx) => Result`, for functions
 *   `(ctx) => Result`. Implementations throw `MappingError` (or `typeError(v, 'string')` for type
 *   problems: the compiler adds "from <target annotation>" like the reference).
 * - `foldConstant: true` additionally evaluates the implementation while compiling when the target
 *   (for methods) and all arguments are literals (spec §3: time methods on literal targets,
 *   `range(0, 5)`), so its errors surface at compile time. Leave it off for anything impure.
 *
 * Parameter types and the coercion applied to the argument (reference `parseArgValue`):
 *   'string'    string or bytes → string      (else "wrong argument type, expected string, got X")
 *   'int'       any number → int64 (floats truncated; read with `args.int` / `args.int64`)
 *   'float'     any number → JS double
 *   'bool'      bool, or number truthiness
 *   'timestamp' timestamp, unix number or RFC 3339 string → Timestamp
 *   'array' / 'object'   that kind only
 *   'any'       unchanged
 *   'query'     not evaluated: a `Query` you call per element, `q(ctx, element)`; inside it `this`
 *               is the element (or a lambda's named context is bound to it). To evaluate it in
 *               the caller's context instead (function parameters), use `ctx.here(q)`.
 * `default` makes a parameter optional with that value; `optional: true` without a default leaves
 * it undefined when omitted (read with `args.optString(...)` etc.). `variadic: true` accepts any
 * number of positional arguments of any type (`args.rest`), no named form.
 *
 * Targets: implementations receive the evaluated target as a `Result` (may be null or a sentinel).
 * Never mutate the target (or any argument value): values are shared with the input document;
 * build new arrays/objects instead.
 * Use the coercions from `value.ts` (`getString`, `getBytes`, `toFloat`, ...), which throw the
 * reference's type errors; `stringTarget` below keeps bytes-in → bytes-out for string methods.
 *
 * Worked example (a family file):
 *
 *   import { defineMethod, stringTarget, type MethodDef } from '../registry.js'
 *   import { MappingError } from '../../value/index.js'
 *
 *   export const exampleMethods: MethodDef[] = [
 *     defineMethod({
 *       name: 'repeat',
 *       params: [{ name: 'count', type: 'int' }],
 *       examples: [{ mapping: 'root = this.s.repeat(2)', input: '{"s":"ab"}', output: 'abab' }],
 *       ctor: (args) => {
 *         const n = args.int('count')
 *         if (n < 0) throw new MappingError('invalid count, must be positive')  // parse-time if constant
 *         return (target) => stringTarget(target, (s) => s.repeat(n))
 *       },
 *     }),
 *   ]
 */
import { MappingError, typeError } from '../value/value-errors.js'
import { bytesToString, getBool, getInt, getTimestamp, stringToBytes, toFloat } from '../value/coerce.js'
import type { Timestamp } from '../value/timestamp.js'
import { isObject, typeName, type Result, type Value, type VObject } from '../value/value-types.js'
import type { ExecContext } from './context.js'

export type { ExecContext } from './context.js'

export type ParamType = 'string' | 'int' | 'float' | 'bool' | 'timestamp' | 'array' | 'object' | 'any' | 'query'

export interface ParamDef {
  name: string
  type: ParamType
  description?: string
  /** Value used when the argument is omitted (makes the parameter optional). */
  default?: Value
  /** Omittable without a default (`args.opt*` then returns undefined). */
  optional?: boolean
  /** Must be a constant (a dynamic argument is a parse error). */
  noDynamic?: boolean
}

/** A query argument: evaluate per element with `this` (or the lambda name) bound to `value`. */
export interface Query {
  (ctx: ExecContext, value: Result): Result
  /** Reference-style annotation of the query expression, for error messages. */
  ann?: string
  /** The query is a literal (its value never depends on the element). */
  constant?: boolean
}

export type MethodImpl = (target: Result, ctx: ExecContext) => Result
export type FunctionImpl = (ctx: ExecContext) => Result

/** What a constructor knows about its call site. */
export interface CallSite {
  /** Method or function name as called. */
  name: string
  /** Reference-style annotation of the target (`field \`this.a\``), '' for functions. */
  targetAnnotation: string
  /** Directory for relative file paths (`file_rel`, imports). */
  configDir: string
  /** 1-based position of the call in the mapping. */
  line: number
  col: number
}

export interface Example {
  mapping: string
  input: string
  /** Expected output bytes as text; omit when only `error` is checked. */
  output?: string
  /** Substring of the expected error. */
  error?: string
}

interface CommonDef {
  name: string
  params: ParamDef[]
  variadic?: boolean
  description?: string
  examples?: Example[]
  /**
   * Evaluate while compiling when target and arguments are all literals (see header). A predicate
   * folds only calls whose result is cheap to build and hold (`range` of a few elements): folded
   * values live as long as the mapping, in every worker, even in branches that never run.
   */
  foldConstant?: boolean | ((args: Args) => boolean)
  /** Reads state or the environment (never folded, never treated as constant). */
  impure?: boolean
}

export interface MethodDef extends CommonDef {
  ctor: (args: Args, site: CallSite) => MethodImpl
}

export interface FunctionDef extends CommonDef {
  ctor: (args: Args, site: CallSite) => FunctionImpl
}

/** Whether a call with these constant arguments is folded while compiling. */
export function foldsWith(def: CommonDef, args: Args): boolean {
  if (def.impure === true) return false
  const f = def.foldConstant
  return typeof f === 'function' ? f(args) : f === true
}

export function defineMethod(def: MethodDef): MethodDef {
  validateDef(def)
  return def
}

export function defineFunction(def: FunctionDef): FunctionDef {
  validateDef(def)
  return def
}

function validateDef(def: CommonDef): void {
  if (!/^[a-z0-9_]+$/.test(def.name)) throw new Error(`invalid bloblang name: ${def.name}`)
  if (def.variadic && def.params.length > 0) throw new Error(`${def.name}: variadic definitions take no named parameters`)
}

/** Coerced argument values of one call, read by parameter name. */
export class Args {
  readonly #defs: readonly ParamDef[]
  readonly #values: readonly unknown[]
  /** All positional arguments of a variadic call. */
  readonly rest: readonly Value[]

  constructor(defs: readonly ParamDef[], values: readonly unknown[], rest: readonly Value[] = []) {
    this.#defs = defs
    this.#values = values
    this.rest = rest
  }

  #get(name: string): unknown {
    for (let i = 0; i < this.#defs.length; i++) if (this.#defs[i]!.name === name) return this.#values[i]
    throw new Error(`no parameter named ${name}`)
  }

  /** Whether the argument was given or has a default. */
  has(name: string): boolean {
    return this.#get(name) !== undefined
  }
  string(name: string): string {
    return this.#get(name) as string
  }
  optString(name: string): string | undefined {
    return this.#get(name) as string | undefined
  }
  /** Integer argument as a JS number (values beyond 2^53 lose precision; use int64 for exactness). */
  int(name: string): number {
    const v = this.#get(name) as number | bigint
    return typeof v === 'bigint' ? Number(v) : v
  }
  optInt(name: string): number | undefined {
    const v = this.#get(name) as number | bigint | undefined
    return typeof v === 'bigint' ? Number(v) : v
  }
  int64(name: string): number | bigint {
    return this.#get(name) as number | bigint
  }
  float(name: string): number {
    return this.#get(name) as number
  }
  optFloat(name: string): number | undefined {
    return this.#get(name) as number | undefined
  }
  bool(name: string): boolean {
    return this.#get(name) as boolean
  }
  optBool(name: string): boolean | undefined {
    return this.#get(name) as boolean | undefined
  }
  timestamp(name: string): Timestamp {
    return this.#get(name) as Timestamp
  }
  optTimestamp(name: string): Timestamp | undefined {
    return this.#get(name) as Timestamp | undefined
  }
  array(name: string): Value[] {
    return this.#get(name) as Value[]
  }
  object(name: string): VObject {
    return this.#get(name) as VObject
  }
  /** An 'any' argument (undefined when optional and omitted). */
  value(name: string): Value {
    return this.#get(name) as Value
  }
  optValue(name: string): Value | undefined {
    return this.#get(name) as Value | undefined
  }
  query(name: string): Query {
    return this.#get(name) as Query
  }
  optQuery(name: string): Query | undefined {
    return this.#get(name) as Query | undefined
  }
}

/** Coerce one argument value for its parameter (reference parseArgValue). Throws MappingError. */
export function coerceArg(def: ParamDef, v: Result): unknown {
  switch (def.type) {
    case 'int':
      return getInt(v)
    case 'float':
      return toFloat(v)
    case 'string':
      if (typeof v === 'string') return v
      if (v instanceof Uint8Array) return bytesToString(v)
      break
    case 'timestamp':
      return getTimestamp(v)
    case 'bool':
      return getBool(v)
    case 'array':
      if (Array.isArray(v)) return v
      break
    case 'object':
      if (isObject(v)) return v
      break
    case 'any':
    case 'query':
      return v
  }
  throw new MappingError(`wrong argument type, expected ${def.type}, got ${typeName(v)}`)
}

/**
 * Apply `fn` to the text of a string or bytes target; a bytes target gives a bytes result
 * (spec §23: "a bytes target gives a bytes result"). Other targets: "expected string value".
 */
export function stringTarget(target: Result, fn: (s: string) => string): string | Uint8Array {
  if (typeof target === 'string') return fn(target)
  if (target instanceof Uint8Array) return stringToBytes(fn(bytesToString(target)))
  throw typeError(target, 'string')
}

/** Instance registry: lookups by name for the compiler. */
export interface Registry {
  method(name: string): MethodDef | undefined
  fn(name: string): FunctionDef | undefined
  methodNames(): string[]
  functionNames(): string[]
}

export function createRegistry(parts: { methods: readonly MethodDef[]; functions: readonly FunctionDef[] }): Registry {
  const methods = new Map<string, MethodDef>()
  const functions = new Map<string, FunctionDef>()
  for (const m of parts.methods) {
    if (methods.has(m.name)) throw new Error(`duplicate bloblang method: ${m.name}`)
    methods.set(m.name, m)
  }
  for (const f of parts.functions) {
    if (functions.has(f.name)) throw new Error(`duplicate bloblang function: ${f.name}`)
    functions.set(f.name, f)
  }
  return {
    method: (n) => methods.get(n),
    fn: (n) => functions.get(n),
    methodNames: () => [...methods.keys()].sort(),
    functionNames: () => [...functions.keys()].sort(),
  }
}
