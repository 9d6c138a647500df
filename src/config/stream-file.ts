/**
 * Reading one stream config, from a file (spec §4.3) or an API body (§6.1, §6.4): env
 * interpolation → YAML parse → lint → structural check. The config returned is the raw object
 * after interpolation, without defaults (what `GET /streams/{id}` shows).
 */
import { readConfigBytes } from './read-file.js'
import { toErrorData, weirError, type ErrorData } from '../errors.js'
import type { SpecLookup } from '../spec/index.js'
import { interpolateEnv, missingEnvMessage, type EnvLookup } from './env.js'
import { documentFinding, lintStreamDoc, type LintFinding, type LintOptions } from './lint.js'
import { checkStreamStructure } from './structure.js'
import { rememberSourceText } from './secrets.js'
import { isPlainObject } from './values.js'
import { INVALID_UTF8_MESSAGE, decodeUtf8, isLintDisabled, parseYamlText, type YamlDoc } from './yaml.js'

export interface ReadOptions {
  lookup: SpecLookup
  env: EnvLookup
  /**
   * `--chilled`. Findings are returned either way (the caller logs them as warnings or refuses the
   * file); chilled only matters to callers, kept here so every reader takes the same options.
   */
  chilled?: boolean
  lint?: LintOptions
}

export type StreamRead =
  | { ok: true; id: string; file: string; config: Record<string, unknown>; text: string; doc: YamlDoc; findings: LintFinding[] }
  | { ok: false; id: string; file: string; error: ErrorData }

/** Reads a config file's bytes as text, with findings for invalid UTF-8. */
export function readConfigText(file: string): { ok: true; text: string; findings: LintFinding[]; lintDisabled: boolean } | { ok: false; error: ErrorData } {
  const read = readConfigBytes(file)
  if (!read.ok) return read
  const bytes = read.bytes
  const { text, valid } = decodeUtf8(bytes)
  return { ok: true, text, findings: valid ? [] : [documentFinding(INVALID_UTF8_MESSAGE, 'failed_read')], lintDisabled: isLintDisabled(bytes) }
}

/** Env interpolation; a missing variable is a finding, a bad decode function an error. */
export function interpolateText(text: string, env: EnvLookup): { ok: true; text: string; missing: string[] } | { ok: false; error: ErrorData } {
  try {
    const r = interpolateEnv(text, env)
    return { ok: true, text: r.text, missing: r.missing }
  } catch (err) {
    return { ok: false, error: toErrorData(err, 'CONFIG_INVALID') }
  }
}

/**
 * Reads a stream file: read → env interpolation → YAML parse → lint (unless the file starts with
 * `# BENTHOS LINT DISABLE`) → structural check. Lint findings do not fail the read; the caller
 * decides (refuse, or log with `--chilled`).
 */
export function readStreamFile(file: string, id: string, opts: ReadOptions): StreamRead {
  const raw = readConfigText(file)
  if (!raw.ok) return { ok: false, id, file, error: { ...raw.error, file, stream: id } }
  return readStreamText(raw, file, id, opts)
}

/**
 * The same steps from text already read (a NATS KV value); `file` names where it came from in
 * errors (`nats-kv://bucket/key`).
 */
export function readStreamText(raw: { text: string; findings: LintFinding[] }, file: string, id: string, opts: ReadOptions): StreamRead {
  const fail = (error: ErrorData): StreamRead => ({ ok: false, id, file, error: { ...error, file, stream: id } })
  const interp = interpolateText(raw.text, opts.env)
  if (!interp.ok) return fail(interp.error)
  const findings = [...raw.findings]
  if (interp.missing.length) findings.push(documentFinding(missingEnvMessage(interp.missing), 'missing_env_var'))
  const parsed = parseYamlText(interp.text, file)
  if (!parsed.ok) return fail(parsed.error)
  // The reference would run an empty file as stdin -> stdout. A file caught empty (truncated by an
  // editor mid-save, or a placeholder) is almost never meant that way, so Weir refuses it.
  if (parsed.value === null) return fail(weirError('CONFIG_INVALID', 'stream config is empty', { line: 1, col: 1, hint: 'add at least an input and an output' }).data)
  // The reference checks the marker on the interpolated bytes.
  if (!isLintDisabled(interp.text)) findings.push(...lintStreamDoc(parsed.doc, opts.lookup, { ...opts.lint, allowTests: true }))
  const structural = checkStreamStructure(parsed.doc, opts.lookup)
  if (structural) return fail(structural)
  const config = asConfig(parsed.value)
  rememberSourceText(config, raw.text, interp.text)
  return { ok: true, id, file, config, text: interp.text, doc: parsed.doc, findings }
}

export interface BodyOptions {
  /** Apply `${VAR}` interpolation (single-stream POST/PUT and resources; not bulk POST or PATCH). */
  interpolate: boolean
  /** Lint the body; `false` is `?chilled=true`, which also tolerates missing env vars. */
  lint: boolean
  lookup: SpecLookup
  env: EnvLookup
  lintOptions?: LintOptions
}

export type BodyParse =
  | { ok: true; config: Record<string, unknown>; text: string; doc: YamlDoc; findings: LintFinding[] }
  | { ok: false; error: ErrorData }

/**
 * Parses a stream config sent to the API. Linting uses the stream fields only, so `tests` and
 * `*_resources` keys are findings. Errors (400 `Error: ...` in the API): a bad decode function,
 * missing env vars when linting ("required environment variables were not set: [A B]"), YAML
 * syntax, a body that is not an object, and component types that cannot be inferred.
 */
export function parseStreamBody(text: string, opts: BodyOptions): BodyParse {
  const body = interpolateBody(text, opts)
  if (!body.ok) return body
  const parsed = parseYamlText(body.text)
  if (!parsed.ok) return parsed
  const findings = opts.lint ? lintStreamDoc(parsed.doc, opts.lookup, { ...opts.lintOptions, allowTests: false }) : []
  const structural = checkStreamStructure(parsed.doc, opts.lookup)
  if (structural) return { ok: false, error: structural }
  const config = asConfig(parsed.value)
  rememberSourceText(config, text, body.text)
  return { ok: true, config, text: body.text, doc: parsed.doc, findings }
}

/**
 * API bodies: `${VAR}` interpolation when the route applies it; a missing variable is an error
 * unless the request is chilled (then the best-effort text is used).
 */
export function interpolateBody(
  text: string,
  opts: { interpolate: boolean; lint: boolean; env: EnvLookup },
): { ok: true; text: string } | { ok: false; error: ErrorData } {
  if (!opts.interpolate) return { ok: true, text }
  const interp = interpolateText(text, opts.env)
  if (!interp.ok) return interp
  if (interp.missing.length && opts.lint) return { ok: false, error: weirError('CONFIG_ENV_MISSING', missingEnvMessage(interp.missing)).data }
  return { ok: true, text: interp.text }
}

function asConfig(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {}
}
