/**
 * The one stream-file loader the supervisor's apply path uses (start-up and the watcher): a spec to
 * run, or the errors that refuse the file, each located (file, line, column, config path). Lint
 * findings refuse the file unless `chilled`, then they come back as warnings.
 */
import { weirError, type ErrorData } from '../errors.js'
import { readStreamFile, readStreamText, type ReadOptions, type StreamRead } from './stream-file.js'
import { INVALID_UTF8_MESSAGE, decodeUtf8 } from './yaml.js'
import { documentFinding, type LintFinding } from './lint.js'

/** What the supervisor runs (`StreamSpec` in `supervisor/host.ts` has this shape). */
export interface LoadedSpec {
  config: Record<string, unknown>
  text?: string
  /** The file path. */
  source: string
}

export type StreamLoad =
  | { ok: true; spec: LoadedSpec; warnings: ErrorData[] }
  /** `spec` holds what could be read, so a failed stream still shows its config. */
  | { ok: false; spec: LoadedSpec; errors: ErrorData[] }

export function loadStreamFile(file: string, id: string, opts: ReadOptions & { chilled: boolean }): StreamLoad {
  return fromRead(readStreamFile(file, id, opts), file, id, opts.chilled)
}

/** A stream config held as bytes elsewhere (a NATS KV value), named `source` in errors. */
export function loadStreamBytes(bytes: Uint8Array, source: string, id: string, opts: ReadOptions & { chilled: boolean }): StreamLoad {
  const { text, valid } = decodeUtf8(bytes)
  const findings = valid ? [] : [documentFinding(INVALID_UTF8_MESSAGE, 'failed_read')]
  return fromRead(readStreamText({ text, findings }, source, id, opts), source, id, opts.chilled)
}

function fromRead(r: StreamRead, file: string, id: string, chilled: boolean): StreamLoad {
  if (!r.ok) return { ok: false, spec: { config: {}, source: file }, errors: [r.error] }
  const spec: LoadedSpec = { config: r.config, text: r.text, source: file }
  const findings = r.findings.map((f) => lintError(f, { stream: id, file }))
  if (findings.length && !chilled) return { ok: false, spec, errors: findings }
  return { ok: true, spec, warnings: findings }
}

/** A lint finding as a located error (`CONFIG_LINT`). */
export function lintError(f: LintFinding, where: { stream?: string; file?: string }): ErrorData {
  return weirError('CONFIG_LINT', f.message, { ...where, path: f.path, line: f.line, col: f.col, ...(f.hint ? { hint: f.hint } : {}) }).data
}
