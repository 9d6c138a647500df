/**
 * Puts a build error back into the file: errors raised while constructing a stream carry a config
 * `path` (and Bloblang errors a line/column inside their field); this adds the line and column in
 * the source text, like LiquidJS wraps inner errors with the token they came from.
 */
import type { ErrorData } from '../errors.js'
import { nodeAt, parsePath, parseYamlText, locateNearest, valueOrigin } from './yaml.js'

/**
 * @param err error with `path` set (e.g. `pipeline.processors[1].mapping`)
 * @param sourceText the text the config was parsed from (after env interpolation)
 * @param file shown with the error when given
 */
export function locateError(err: ErrorData, sourceText: string | undefined, file?: string): ErrorData {
  const out: ErrorData = file !== undefined && err.file === undefined ? { ...err, file } : { ...err }
  if (!err.path || sourceText === undefined || sourceText === '') return out
  const parsed = parseYamlText(sourceText)
  if (!parsed.ok) return out
  const path = parsePath(err.path)
  const inField = err.code === 'BLOBLANG_PARSE' || err.code === 'BLOBLANG_RUNTIME'
  if (inField && err.line !== undefined) {
    const hit = nodeAt(parsed.doc, path)
    const origin = hit ? valueOrigin(parsed.doc, hit.node) : undefined
    if (origin) return { ...out, line: origin.line + err.line - 1, col: origin.col + (err.col ?? 0) }
  }
  if (err.line !== undefined) return out
  const pos = locateNearest(parsed.doc, path)
  return pos ? { ...out, line: pos.line, col: pos.col } : out
}
