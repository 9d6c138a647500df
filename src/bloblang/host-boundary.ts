/**
 * Where Bloblang meets its hosts: compile failures become located `BLOBLANG_PARSE` errors, and
 * queries run against one message of a batch fail with `BLOBLANG_RUNTIME`.
 */
import { WeirError } from '../errors.js'
import type { Message } from '../message/message.js'
import type { Source } from './ast.js'
import type { Fn } from './compile-support.js'
import { ExecContext, UNPARSED, type MessageView } from './context.js'
import { lineCol, type ParseError } from './parser.js'
import { NOTHING, type Result } from '../value/value-types.js'

/** A parse/compile error as the reference words it: `line L char C: message`. */
export function parseErrorToWeir(err: ParseError, top: Source): WeirError {
  const lc = lineCol(err.source.text, err.pos)
  // Errors inside imported files are already reported at the import statement.
  const at = err.source === top ? lc : lineCol(top.text, 0)
  return new WeirError({ code: 'BLOBLANG_PARSE', message: `line ${at.line} char ${at.col}: ${err.message}`, line: at.line, col: at.col }, { cause: err })
}

/** Evaluate a compiled query against message `index` of `batch`. Throws WeirError BLOBLANG_RUNTIME. */
export function runOnMessage(fn: Fn, batch: readonly Message[], index: number): Result {
  const msg = batch[index]
  const c = new ExecContext(batch as readonly MessageView[], index, UNPARSED, NOTHING, msg)
  try {
    return fn(c)
  } catch (err) {
    throw new WeirError({ code: 'BLOBLANG_RUNTIME', message: err instanceof Error ? err.message : String(err) }, { cause: err })
  }
}
