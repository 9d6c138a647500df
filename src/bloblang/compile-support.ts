/** Types and small helpers shared by the compiler modules. */
import type { Source } from './ast.js'
import { ExecContext, UNPARSED, boxRead } from './context.js'
import { ParseError, fatal } from './parser.js'
import type { Query, Registry } from './registry.js'
import { AnnotatedError, MappingError, errorMessage } from '../value/value-errors.js'
import { DELETE, NOTHING, isObject, type Result, type Value } from '../value/value-types.js'

export type Fn = (c: ExecContext) => Result

/** A compiled expression. `lit` is set when the value is known at compile time. */
export interface Node {
  fn: Fn
  /** The reference's annotation for error messages (`field \`this.a\``, `method uppercase`, ...). */
  ann: string
  lit?: { v: Result }
  /** The value is built fresh per evaluation (no copy needed when assigned). */
  fresh?: boolean
  /** A function call whose arguments are evaluated per message (generated code names it a fallback). */
  dynamicArgs?: boolean
}

export interface CompiledStmt {
  exec: (c: ExecContext) => void
  line: number
}

export interface CompiledMap {
  name: string
  stmts: CompiledStmt[]
}

export interface CompileEnv {
  registry: Registry
  configDir: string
  maps: Map<string, CompiledMap>
  /**
   * Set: statements become generated JavaScript (src/bloblang/codegen), and what could not be
   * generated (a closure runs for that sub-tree) is listed here by construct.
   */
  codegen?: { fallbacks: string[] }
}

/** Raised when `this` is needed but there is no context (message not JSON). */
export class NoContextError extends MappingError {
  constructor(readonly fieldName: string) {
    super(fieldName !== '' ? `context was undefined, unable to reference \`${fieldName}\`` : 'context was undefined')
  }
}

export const MAX_APPLY_DEPTH = 5000

export function literalNode(v: Result, ann?: string): Node {
  return { fn: () => v, ann: ann ?? `${typeNameOf(v)} literal`, lit: { v } }
}

export function typeNameOf(v: Result): string {
  if (typeof v === 'symbol') return v === DELETE ? 'delete' : 'nothing'
  if (v === null) return 'null'
  switch (typeof v) {
    case 'string':
      return 'string'
    case 'boolean':
      return 'bool'
    case 'number':
    case 'bigint':
      return 'number'
  }
  if (Array.isArray(v)) return 'array'
  if (isObject(v)) return 'object'
  if (v instanceof Uint8Array) return 'bytes'
  return 'number'
}

/**
 * `this` as a whole value (the input document, parsed on first use); throws NoContextError when
 * unavailable. Fractions the parse left unboxed are boxed first.
 */
export function loadSelf(c: ExecContext, field: string): Result {
  const s = c.self === UNPARSED ? loadSelfUnboxed(c, field) : c.self
  return s === c.unboxedSelf ? boxRead(c, s) : s
}

/**
 * `this` for a path read, which boxes what it reads (`boxRead`) while `this` is
 * `c.unboxedSelf`: parsing the input leaves its fractions unboxed when it can.
 */
export function loadSelfUnboxed(c: ExecContext, field: string): Result {
  const s = c.self
  if (s !== UNPARSED) return s
  const msg = c.message()
  if (msg === undefined) throw new NoContextError(field)
  try {
    if (msg.structuredUnboxed === undefined) c.self = msg.structured()
    else {
      const v = msg.structuredUnboxed()
      c.self = v
      if (msg.unboxedFractions === true) c.unboxedSelf = v
    }
  } catch (err) {
    c.parseError = errorMessage(err)
    throw new NoContextError(field)
  }
  return c.self
}

/** A compile error located at `pos` of `source`. */
export function compileError(message: string, pos: number, source: Source): ParseError {
  return fatal(message, pos, source)
}


/** Error from a statement of a named map (already carries its line). */
export class FailedAssignment extends AnnotatedError {
  constructor(
    readonly line: number,
    detail: string,
  ) {
    super(`failed assignment (line ${line}): ${detail}`)
  }
}

export function withAnn(q: Query, ann: string): Query {
  q.ann = ann
  return q
}

export function loadSelfOrNull(c: ExecContext): Result {
  try {
    return loadSelf(c, '')
  } catch {
    return null
  }
}

export function constQuery(v: Value): Query {
  return () => v
}

export function keyText(v: Result): string {
  return typeof v === 'string' ? v : new TextDecoder().decode(v as Uint8Array)
}

/** Context used when folding constants (no message, no metadata). */
export function foldContext(): ExecContext {
  return new ExecContext([], 0, null, NOTHING, undefined)
}
