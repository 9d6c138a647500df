/**
 * Which compiler a mapping uses: generated JavaScript by default; `WEIR_BLOBLANG_CODEGEN=0` (or
 * the `codegen: false` compile option) keeps the closure compiler, so tests can run both.
 */
export const CODEGEN_ENV = 'WEIR_BLOBLANG_CODEGEN'

export function codegenByDefault(): boolean {
  return process.env[CODEGEN_ENV] !== '0'
}
