/**
 * A compiled mapping and the ways hosts run it (spec §1): `mapping` (new message), `mutation`
 * (edit in place), `check` (boolean result), plus the conformance contract `apply`.
 */
import { WeirError } from '../errors.js'
import { Message } from '../message/message.js'
import type { CompiledStmt } from './compiler.js'
import { FailedAssignment, NoContextError } from './compiler.js'
import { ExecContext, MapMeta, UNPARSED, type MessageView } from './context.js'
import { bytesToString, stringToBytes } from '../value/coerce.js'
import { lineCol } from './parser.js'
import { toPlain } from './plain.js'
import { AnnotatedError, errorMessage, typeError } from '../value/value-errors.js'
import { DELETE, NOTHING, type Result, type Value } from '../value/value-types.js'

export interface ApplyInput {
  content: string | Uint8Array
  metadata?: Record<string, unknown>
}

export interface ApplyOutput {
  content: Uint8Array
  metadata: Record<string, unknown>
}

/** How a mapping was compiled, for benchmarks and lint. */
export interface CompiledForm {
  /** Statements are generated JavaScript (false: closures). */
  generated: boolean
  /** Constructs inside generated code that run as closures, one entry per occurrence. */
  fallbacks: readonly string[]
}

export class Mapping {
  readonly #stmts: CompiledStmt[]
  readonly #source: string
  readonly compiledForm: CompiledForm

  constructor(stmts: CompiledStmt[], source: string, codegen?: { fallbacks: string[] }) {
    this.#stmts = stmts
    this.#source = source
    this.compiledForm = { generated: codegen !== undefined, fallbacks: codegen?.fallbacks ?? [] }
  }

  /** Runs the statements; returns the final root. Throws WeirError BLOBLANG_RUNTIME. */
  run(c: ExecContext): Result {
    const stmts = this.#stmts
    for (let i = 0; i < stmts.length; i++) {
      const st = stmts[i]!
      try {
        st.exec(c)
      } catch (err) {
        throw this.#runtimeError(err, st.line, c)
      }
    }
    return c.root
  }

  #runtimeError(err: unknown, line: number, c: ExecContext): WeirError {
    let detail: string
    if (err instanceof NoContextError && c.parseError !== undefined) {
      const what = err.fieldName !== '' ? `this.${err.fieldName}` : 'this'
      detail = `unable to reference message as structured (with '${what}'): parse as json: ${c.parseError}`
    } else if (err instanceof NoContextError && c.message() === undefined) {
      const what = err.fieldName !== '' ? `this.${err.fieldName}` : 'this'
      detail = `unable to reference message as structured (with '${what}'): message is empty`
    } else if (err instanceof RangeError) {
      detail = 'maximum call stack size exceeded (unbounded recursion?)'
    } else if (err instanceof FailedAssignment || err instanceof AnnotatedError || err instanceof Error) {
      detail = err.message
    } else detail = errorMessage(err)
    const col = columnOfLine(this.#source, line)
    return new WeirError({ code: 'BLOBLANG_RUNTIME', message: `failed assignment (line ${line}): ${detail}`, line, col }, { cause: err })
  }

  /**
   * Runs against message `index` of `batch` and returns the final root (a value, DELETE or
   * NOTHING). `self` overrides `this` (default: the message parsed as JSON, lazily); `meta` is
   * the metadata `@` reads and `meta` statements edit (default: the message's own).
   */
  runOn(batch: readonly Message[], index: number, opts: { self?: Value; meta?: Map<string, Value> } = {}): Result {
    const msg = batch[index]
    const c = new ExecContext(batch as readonly MessageView[], index, opts.self !== undefined ? opts.self : UNPARSED, NOTHING, opts.meta ? new MapMeta(opts.meta, true) : msg)
    return this.run(c)
  }

  /** `mapping` processor: a new message built from `root`; undefined when deleted. */
  execMapping(batch: Message[], index: number): Message | undefined {
    const input = batch[index]!
    const out = input.copy()
    const c = new ExecContext(batch as MessageView[], index, UNPARSED, NOTHING, out)
    const root = this.run(c)
    // The result may reference parts of the input document: neither side may edit them in place.
    if (c.self !== UNPARSED && typeof root === 'object' && root !== null) input.markStructuredShared()
    return finish(out, root) ? out : undefined
  }

  /** `mutation` processor: edits the message in place; false when the mapping deleted it. */
  execMutation(batch: Message[], index: number): boolean {
    const msg = batch[index]!
    let root: Result = NOTHING
    let self: Result | typeof UNPARSED = UNPARSED
    try {
      root = msg.structuredMut()
      self = root
    } catch {
      root = NOTHING
    }
    const c = new ExecContext(batch as MessageView[], index, self, root, msg)
    const out = this.run(c)
    return finish(msg, out)
  }

  /** `check` fields: the mapping's root must be a boolean. */
  queryBool(batch: Message[], index: number): boolean {
    const input = batch[index]!
    const c = new ExecContext(batch as MessageView[], index, UNPARSED, NOTHING, new MapMeta(input.metadata, false))
    let root = this.run(c)
    if (root === DELETE) {
      throw new WeirError({ code: 'BLOBLANG_RUNTIME', message: 'query mapping resulted in deleted message, expected a boolean value' })
    }
    if (root === NOTHING) {
      try {
        root = input.structured()
      } catch (err) {
        throw new WeirError({ code: 'BLOBLANG_RUNTIME', message: errorMessage(err) })
      }
    }
    if (typeof root === 'boolean') return root
    throw new WeirError({ code: 'BLOBLANG_RUNTIME', message: typeError(root, 'bool').setFrom('mapping').message })
  }

  /** The conformance contract: one message in, one message out (undefined = deleted). */
  apply(msg: ApplyInput): ApplyOutput | undefined {
    const m = new Message(typeof msg.content === 'string' ? stringToBytes(msg.content) : msg.content)
    const meta = m.metaMut()
    for (const [k, v] of Object.entries(msg.metadata ?? {})) meta.set(k, fromPlain(v))
    const out = this.execMapping([m], 0)
    if (out === undefined) return undefined
    const metadata: Record<string, unknown> = {}
    for (const [k, v] of out.metadata) metadata[k] = toPlain(v)
    return { content: out.bytes(), metadata }
  }
}

/** Applies the final root to a message; false when the message is deleted. */
function finish(msg: Message, root: Result): boolean {
  if (root === DELETE) return false
  if (root === NOTHING) return true
  if (typeof root === 'string') msg.setBytes(stringToBytes(root))
  else if (root instanceof Uint8Array) msg.setBytes(root)
  else msg.setStructured(root, true)
  return true
}

function columnOfLine(source: string, line: number): number {
  let pos = 0
  for (let l = 1; l < line; l++) {
    const nl = source.indexOf('\n', pos)
    if (nl < 0) break
    pos = nl + 1
  }
  while (source[pos] === ' ' || source[pos] === '\t') pos++
  return lineCol(source, pos).col
}

/** Host-provided metadata (strings from inputs, or plain JSON-ish values) as values. */
export function fromPlain(v: unknown): Value {
  if (v === null || v === undefined) return null
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v
    case 'number':
      return Number.isInteger(v) ? v : v
    case 'bigint':
      return v
  }
  if (v instanceof Uint8Array) return v
  if (Array.isArray(v)) return v.map(fromPlain)
  if (typeof v === 'object') {
    const o: Record<string, Value> = {}
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) o[k] = fromPlain(x)
    return o
  }
  return bytesToString(stringToBytes(String(v)))
}
