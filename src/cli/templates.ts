/**
 * `-t` template files for `weir streams` and `weir lint`: globs expanded, each template compiled,
 * and a lookup in which they stand beside (or, by name, in place of) the built-in components.
 */
import type { ErrorData } from '../errors.js'
import { layeredLookup, type ComponentSpec, type SpecLookup } from '../spec/index.js'
import { expandGlobs } from '../config/glob.js'
import { loadTemplates, type TemplateSource } from '../config/template.js'

export type TemplatesLoad = { ok: true; lookup: SpecLookup; specs: ComponentSpec[]; sources: TemplateSource[] } | { ok: false; error: ErrorData }

/** `base` with the templates named by `patterns` layered on top. */
export function withTemplates(base: SpecLookup, patterns: readonly string[]): TemplatesLoad {
  let files: string[]
  try {
    files = expandGlobs(patterns)
  } catch (err) {
    return { ok: false, error: { code: 'CONFIG_TEMPLATE', message: `template paths: ${err instanceof Error ? err.message : String(err)}` } }
  }
  const r = loadTemplates(files)
  if (!r.ok) return r
  return { ok: true, lookup: layeredLookup(base, r.specs), specs: r.specs, sources: r.sources }
}
