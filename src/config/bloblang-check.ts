/**
 * How lint compiles Bloblang fields: the real compiler by default, an injected checker in tests.
 * Problems carry the line and column inside the mapping; lint adds the field's position.
 */
import { compileInterpolation, compileMapping } from '../bloblang/index.js'

export interface BloblangProblem {
  message: string
  /** 1-based line within the mapping (parse errors only). */
  line?: number
  /** 1-based column within that line (parse errors only). */
  col?: number
}

export interface BloblangChecker {
  mapping(source: string): BloblangProblem | undefined
  interpolation(source: string): BloblangProblem | undefined
}

export const defaultBloblangChecker: BloblangChecker = {
  mapping: (source) => problemOf(() => compileMapping(source)),
  interpolation: (source) => problemOf(() => compileInterpolation(source)),
}

function problemOf(compile: () => unknown): BloblangProblem | undefined {
  try {
    compile()
    return undefined
  } catch (err) {
    const data = (err as { data?: { code?: string; message?: string; line?: number; col?: number } } | null)?.data
    const raw = data?.message ?? (err instanceof Error ? err.message : String(err))
    // The reference's lint text has no location prefix: the location goes into (line,col).
    const message = raw.replace(/^line \d+ char \d+: /, '')
    if (data?.code === 'BLOBLANG_PARSE' && data.line !== undefined) return { message, line: data.line, col: data.col ?? 1 }
    return { message }
  }
}
