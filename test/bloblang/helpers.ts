/** Shared helpers for the Bloblang tests: run a mapping on one message and read the result. */
import { compileMapping, type CompileOptions } from '../../src/bloblang/index.js'

const decoder = new TextDecoder()

/** Output content of `mapping` applied to `input` ('<deleted>' when the message is dropped). */
export function run(mapping: string, input = '{}', metadata?: Record<string, unknown>, opts?: CompileOptions): string {
  const out = compileMapping(mapping, opts).apply({ content: input, metadata })
  return out === undefined ? '<deleted>' : decoder.decode(out.content)
}

/** Output metadata of `mapping` applied to `input`. */
export function runMeta(mapping: string, input = '{}', metadata?: Record<string, unknown>): Record<string, unknown> | undefined {
  return compileMapping(mapping).apply({ content: input, metadata })?.metadata
}

/** The error message (parse or runtime) of `mapping` on `input`; throws if there is none. */
export function errorOf(mapping: string, input = '{}', opts?: CompileOptions): string {
  try {
    compileMapping(mapping, opts).apply({ content: input })
  } catch (err) {
    return err instanceof Error ? err.message : String(err)
  }
  throw new Error(`expected an error from ${JSON.stringify(mapping)}`)
}

/** The WeirError data of a failing mapping. */
export function errorDataOf(mapping: string, input = '{}'): { code?: string; line?: number; col?: number; message: string } {
  try {
    compileMapping(mapping).apply({ content: input })
  } catch (err) {
    const data = (err as { data?: { code?: string; line?: number; col?: number; message: string } }).data
    if (data !== undefined) return data
    throw err
  }
  throw new Error(`expected an error from ${JSON.stringify(mapping)}`)
}
