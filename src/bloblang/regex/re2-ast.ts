/** The RE2 syntax tree the parser builds and the emitter reads, and Go's `regexp/syntax` errors. */

/** The flags in force at a point of the pattern (`(?imsU)`). */
export interface Flags {
  fold: boolean
  dotNL: boolean
  oneLine: boolean
  nonGreedy: boolean
}

/** One part of a character class: a range, a Perl/POSIX set, or Unicode property bodies. */
export type ClassItem =
  | { t: 'range'; lo: number; hi: number }
  | { t: 'set'; ranges: readonly number[]; neg: boolean }
  | { t: 'prop'; body: readonly string[]; neg: boolean }

/** A parsed RE2 expression (Go's `syntax.Regexp`, reduced to what the emitter needs). */
export type Node =
  | { op: 'lit'; cp: number; fold: boolean }
  | { op: 'class'; items: ClassItem[]; neg: boolean; fold: boolean }
  | { op: 'any'; nl: boolean }
  | { op: 'bol' | 'eol' | 'bot' | 'eot' | 'wb' | 'nwb' | 'empty' }
  | { op: 'cap'; index: number; sub: Node }
  | { op: 'rep'; min: number; max: number; greedy: boolean; counted: boolean; sub: Node }
  | { op: 'cat' | 'alt'; subs: Node[] }

/** A compile failure, worded as Go's `regexp/syntax.Error`. */
export class Re2SyntaxError extends Error {
  constructor(code: string, expr: string) {
    super(`error parsing regexp: ${code}: \`${expr}\``)
    this.name = 'Re2SyntaxError'
  }
}

/** Go's `syntax.ErrorCode` texts. */
export const ERR = {
  invalidCharClass: 'invalid character class',
  invalidCharRange: 'invalid character class range',
  invalidEscape: 'invalid escape sequence',
  invalidNamedCapture: 'invalid named capture',
  invalidPerlOp: 'invalid or unsupported Perl syntax',
  invalidRepeatOp: 'invalid nested repetition operator',
  invalidRepeatSize: 'invalid repeat count',
  missingBracket: 'missing closing ]',
  missingParen: 'missing closing )',
  missingRepeatArgument: 'missing argument to repetition operator',
  trailingBackslash: 'trailing backslash at end of expression',
  unexpectedParen: 'unexpected )',
  nestingDepth: 'expression nests too deeply',
} as const
