/**
 * Running a mapping onto an existing message (the reference's `Executor.MapOnto`), as `branch`
 * needs: `this` and functions read message `index` of `batch`, while `root` starts from the
 * target's own document (when it parses) and `meta` statements and `@` work on the target's
 * metadata.
 */
import type { Message } from '../message/message.js'
import { stringToBytes } from '../value/coerce.js'
import { ExecContext, UNPARSED, type MessageView } from './context.js'
import type { Mapping } from './mapping.js'
import { DELETE, NOTHING, type Result } from '../value/value-types.js'

/**
 * Maps onto `target` in place; false when the mapping deleted it. Throws WeirError
 * BLOBLANG_RUNTIME (statements run before the failure may have edited `target`: pass a copy when
 * that matters).
 */
export function mapOnto(mapping: Mapping, target: Message, batch: readonly MessageView[], index: number): boolean {
  let root: Result = NOTHING
  // Empty content never parses: skip the throw (a request map always starts from empty content).
  if (target.hasStructured() || target.bytes().length > 0) {
    try {
      root = target.structuredMut()
    } catch {
      root = NOTHING
    }
  }
  const c = new ExecContext(batch, index, UNPARSED, root, target)
  const out = mapping.run(c)
  if (out === DELETE) return false
  if (out === NOTHING) return true
  if (typeof out === 'string') target.setBytes(stringToBytes(out))
  else if (out instanceof Uint8Array) target.setBytes(out)
  else target.setStructured(out, true)
  return true
}
