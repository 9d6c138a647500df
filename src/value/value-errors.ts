/**
 * Runtime error values raised while evaluating a mapping. They are thrown (cheap enough: errors are
 * the exception) and caught by `catch`/`or`/`|` or by the statement, which prefixes the line.
 * The wording follows the reference so that error substrings match.
 */
import { typeName, type Result, type TypeName, JsonNumber } from './value-types.js'

/** A mapping failure with a plain message. */
export class MappingError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MappingError'
  }
}

/**
 * "expected X value, got Y from <origin> (<value>)". `from` is filled in by the caller that knows
 * the expression (method target or function), exactly once.
 */
export class ValueTypeError extends MappingError {
  from: string
  constructor(
    readonly expected: readonly string[],
    readonly actual: TypeName | string,
    readonly valueText: string,
    from = '',
  ) {
    super('')
    this.from = from
    this.message = this.render()
  }
  setFrom(from: string): this {
    if (this.from === '') {
      this.from = from
      this.message = this.render()
    }
    return this
  }
  private render(): string {
    let s: string
    if (this.expected.length > 0) {
      s = 'expected '
      this.expected.forEach((e, i) => {
        if (i > 0) s += this.expected.length > 2 && i < this.expected.length - 1 ? ', ' : ' or '
        s += e
      })
      s += ' value'
    } else s = 'unexpected value'
    s += `, got ${this.actual}`
    if (this.from !== '') s += ` from ${this.from}`
    if (this.valueText !== '') s += ` (${this.valueText})`
    return s
  }
}

/** Type error for value `v` where one of `expected` was required. */
export function typeError(v: Result, ...expected: string[]): ValueTypeError {
  const t = typeName(v)
  let text = ''
  if (t === 'string') text = `"${v as string}"`
  else if (t === 'bool') text = String(v)
  else if (t === 'number') text = numberText(v)
  return new ValueTypeError(expected, t, text)
}

/** Go `%v` of a number (floats in %g form). */
let numberTextImpl: (v: Result) => string = (v) => (v instanceof JsonNumber ? v.text : String(v))
export function numberText(v: Result): string {
  return numberTextImpl(v)
}
/** Wired by coerce.ts (avoids an import cycle). */
export function setNumberText(fn: (v: Result) => string): void {
  numberTextImpl = fn
}

/** "cannot <op> types X (from A) and Y (from B)". */
export function typeMismatch(op: string, left: Result, right: Result, fromLeft: string, fromRight: string): MappingError {
  return new MismatchError(`cannot ${op} types ${typeName(left)} (from ${fromLeft}) and ${typeName(right)} (from ${fromRight})`)
}

/** Wraps an error with the annotation of the expression that produced it (Go `ErrFrom`). */
export function errFrom(err: unknown, from: string): Error {
  if (err instanceof ValueTypeError) return err.setFrom(from)
  if (err instanceof AnnotatedError || err instanceof MismatchError) return err
  const msg = err instanceof Error ? err.message : String(err)
  return new AnnotatedError(`${from}: ${msg}`)
}

/** An error already prefixed with its origin (not prefixed twice). */
export class AnnotatedError extends MappingError {}
/** Type mismatch between operands (never re-annotated). */
export class MismatchError extends MappingError {}

/** Any thrown value as a message string. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
