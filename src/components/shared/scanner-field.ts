/**
 * The `scanner` field of byte-stream inputs (`stdin`, `file`), or the deprecated `codec` field,
 * which overrides it when present (`lines`, `all-bytes`, `delim:<x>`).
 */
import type { ComponentContext, Scanner } from '../../spec/index.js'
import { linesScanner } from '../scanners/lines.js'
import { toTheEndScanner } from '../scanners/to-the-end.js'
import { invalid } from './field-error.js'

export interface ScannerFields {
  scanner: unknown
  codec?: string | undefined
  max_buffer?: number | undefined
}

export async function scannerFor(conf: ScannerFields, ctx: ComponentContext, typeName: string): Promise<Scanner> {
  if (conf.codec !== undefined && conf.codec !== '') {
    const max = conf.max_buffer ?? 1000000
    if (conf.codec === 'lines') return linesScanner({ max_buffer_size: max, omit_empty: false })
    if (conf.codec === 'all-bytes') return toTheEndScanner()
    if (conf.codec.startsWith('delim:') && conf.codec.length > 'delim:'.length) {
      return linesScanner({ custom_delimiter: conf.codec.slice('delim:'.length), max_buffer_size: max, omit_empty: false })
    }
    throw invalid('codec', `codec was not recognised: ${conf.codec}`)
  }
  return ctx.build('scanner', conf.scanner, `${typeName}.scanner`)
}

/** Field specs shared by the scanner-based inputs. */
export const SCANNER_DEFAULT = { lines: {} }
