/**
 * The other API bodies (spec §6.3, §6.7, §6.10): the bulk `POST /streams` map, a resource
 * component, and the structural check of a PATCH-merged config. Single-stream bodies are
 * `parseStreamBody` in stream-file.ts.
 */
import { isMap, isScalar, type Pair } from 'yaml'
import { weirError, type ErrorData } from '../errors.js'
import type { ComponentKind, SpecLookup } from '../spec/index.js'
import { withBuiltins } from './builtin-specs.js'
import type { EnvLookup } from './env.js'
import { lintComponentDoc, lintStreamDoc, renderLintCompat, type LintFinding, type LintOptions } from './lint.js'
import { checkComponent, checkStreamStructure } from './structure.js'
import { interpolateBody } from './stream-file.js'
import { isPlainObject } from './values.js'
import { docFromValue, keyString, locateNearest, parsePath, parseYamlText, shortTag } from './yaml.js'

export { checkStreamConfig } from './structure.js'

export interface StreamSetOptions {
  /** `false` for `?chilled=true`. */
  lint: boolean
  lookup: SpecLookup
  lintOptions?: LintOptions
}

export type StreamSetParse =
  | {
      ok: true
      configs: Map<string, Record<string, unknown>>
      /** Rendered as the reference returns them: `stream '<id>': (line,col) text`. */
      lintErrors: string[]
    }
  | { ok: false; error: ErrorData }

/**
 * Parses a `POST /streams` body: a map of id → stream config, no env interpolation. An empty
 * body is an empty map (which deletes every stream). Lint lines refer to the whole body.
 */
export function parseStreamSetBody(text: string, opts: StreamSetOptions): StreamSetParse {
  const parsed = parseYamlText(text)
  if (!parsed.ok) return parsed
  const contents = parsed.doc.document.contents
  const configs = new Map<string, Record<string, unknown>>()
  if (contents === null || contents === undefined || (isScalar(contents) && contents.value === null)) return { ok: true, configs, lintErrors: [] }
  if (!isMap(contents)) return { ok: false, error: weirError('CONFIG_TYPE', `expected object value, got ${shortTag(contents)}`, { line: 1, col: 1 }).data }
  const lintErrors: string[] = []
  const value = parsed.value as Record<string, unknown>
  for (const pair of contents.items as Pair[]) {
    const id = keyString(pair)
    if (opts.lint) {
      for (const f of lintStreamDoc(parsed.doc, opts.lookup, { ...opts.lintOptions, allowTests: false, at: [id] })) {
        lintErrors.push(`stream '${id}': ${renderLintCompat(f)}`)
      }
    }
  }
  for (const [id, entry] of Object.entries(value)) {
    const err = checkStreamStructure(docFromValue(entry), opts.lookup)
    if (err) {
      const pos = err.path ? locateNearest(parsed.doc, [id, ...parsePath(err.path)]) : undefined
      return { ok: false, error: { ...err, stream: id, ...(pos ? { line: pos.line, col: pos.col } : {}) } }
    }
    configs.set(id, isPlainObject(entry) ? entry : {})
  }
  return { ok: true, configs, lintErrors }
}

export interface ResourceBodyOptions {
  interpolate: boolean
  /** `false` for `?chilled=true`, which also tolerates missing env vars. */
  lint: boolean
  lookup: SpecLookup
  env: EnvLookup
  lintOptions?: LintOptions
}

export type ResourceBodyParse = { ok: true; config: unknown; findings: LintFinding[] } | { ok: false; error: ErrorData }

/** Parses `POST /resources/{type}/{id}`: one component config without a surrounding list. */
export function parseResourceBody(kind: ComponentKind, text: string, opts: ResourceBodyOptions): ResourceBodyParse {
  const body = interpolateBody(text, opts)
  if (!body.ok) return body
  const parsed = parseYamlText(body.text)
  if (!parsed.ok) return parsed
  const findings = opts.lint ? lintComponentDoc(kind, parsed.doc, opts.lookup, opts.lintOptions) : []
  const err = checkComponent(kind, parsed.value, [], withBuiltins(opts.lookup))
  if (err) {
    const pos = locateNearest(parsed.doc, [])
    return { ok: false, error: pos ? { ...err, line: pos.line, col: pos.col } : err }
  }
  return { ok: true, config: parsed.value, findings }
}
