/** Shared helpers for the Bloblang tests: run a mapping on one message and read the result. */
import assert from 'node:assert/strict'
import { compileMapping, type CompileOptions } from '../../src/bloblang/index.js'

const decoder = new TextDecoder()

/** UTF-8 text of output bytes. */
export function text(b: Uint8Array): string {
  return decoder.decode(b)
}

/** Output content of `mapping` applied to `input` ('<deleted>' when the message is dropped). */
export function run(mapping: string, input: string | Uint8Array = '{}', metadata?: Record<string, unknown>, opts?: CompileOptions): string {
  const out = compileMapping(mapping, opts).apply({ content: input, metadata })
  return out === undefined ? '<deleted>' : text(out.content)
}

/** Output content of `mapping` applied to `{"s": s}`. */
export function onString(mapping: string, s: string): string {
  return run(mapping, JSON.stringify({ s }))
}

/** Output bytes of `mapping` applied to `input`; the message must not be dropped. */
export function runBytes(mapping: string, input: string | Uint8Array = '{}'): Buffer {
  const out = compileMapping(mapping).apply({ content: input })
  assert.ok(out !== undefined, 'message was deleted')
  return Buffer.from(out.content)
}

/** Output metadata of `mapping` applied to `input`. */
export function runMeta(mapping: string, input = '{}', metadata?: Record<string, unknown>): Record<string, unknown> | undefined {
  return compileMapping(mapping).apply({ content: input, metadata })?.metadata
}

/** The error message (parse or runtime) of `mapping` on `input`, or its output when it succeeds. */
function attempt(mapping: string, input: string, opts?: CompileOptions): { error: string } | { output: string } {
  try {
    const out = compileMapping(mapping, opts).apply({ content: input })
    return { output: out === undefined ? '<deleted>' : text(out.content) }
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) }
  }
}

/** The error message (parse or runtime) of `mapping` on `input`; throws if there is none. */
export function errorOf(mapping: string, input = '{}', opts?: CompileOptions): string {
  const r = attempt(mapping, input, opts)
  if ('error' in r) return r.error
  throw new Error(`expected an error from ${JSON.stringify(mapping)}`)
}

/** The error message of `mapping` on `input`, or `no error: <output>` when it succeeds. */
export function failure(mapping: string, input = '{}'): string {
  const r = attempt(mapping, input)
  return 'error' in r ? r.error : `no error: ${r.output}`
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
