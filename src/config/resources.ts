/**
 * Resource declarations (spec §3.2, §10.1): `-r` resource files and the label rules that span the
 * root config and every resource file.
 */
import { weirError, type ErrorData } from '../errors.js'
import type { SpecLookup } from '../spec/index.js'
import { missingEnvMessage, type EnvLookup } from './env.js'
import { documentFinding, lintResourceDoc, type LintFinding, type LintOptions } from './lint.js'
import { RESOURCE_KINDS } from './resource-kinds.js'
import { interpolateText, readConfigText } from './stream-file.js'
import { isPlainObject } from './values.js'
import { checkName } from './names.js'
import { isLintDisabled, parseYamlText } from './yaml.js'

export interface ResourceFileOptions {
  env: EnvLookup
  lookup: SpecLookup
  lint?: LintOptions
}

export type ResourceFileRead =
  | {
      ok: true
      file: string
      /** The five `*_resources` lists (each defaulting to `[]`, items raw) plus `tests`. */
      config: Record<string, unknown>
      findings: LintFinding[]
    }
  | { ok: false; file: string; error: ErrorData }

/**
 * Reads a `-r` file: env interpolation, YAML, lint against the resource lists (any other top-level
 * key is a finding), then the label rules within the file.
 */
export function loadResourceFile(file: string, opts: ResourceFileOptions): ResourceFileRead {
  const fail = (error: ErrorData): ResourceFileRead => ({ ok: false, file, error: { ...error, file } })
  const raw = readConfigText(file)
  if (!raw.ok) return fail(raw.error)
  const interp = interpolateText(raw.text, opts.env)
  if (!interp.ok) return fail(interp.error)
  const findings = [...raw.findings]
  if (interp.missing.length) findings.push(documentFinding(missingEnvMessage(interp.missing), 'missing_env_var'))
  const parsed = parseYamlText(interp.text, file)
  if (!parsed.ok) return fail(parsed.error)
  if (!isLintDisabled(interp.text)) findings.push(...lintResourceDoc(parsed.doc, opts.lookup, opts.lint))
  const config = resourceLists(parsed.value)
  const labels = checkResourceLabels([config])
  if (labels) return fail(labels)
  return { ok: true, file, config, findings }
}

/** The resource lists of a parsed root or resource config, `[]` where absent or not a list. */
export function resourceLists(value: unknown): Record<string, unknown> {
  const v = isPlainObject(value) ? value : {}
  const out: Record<string, unknown> = {}
  for (const { field } of RESOURCE_KINDS) out[field] = Array.isArray(v[field]) ? v[field] : []
  out.tests = Array.isArray(v.tests) ? v.tests : []
  return out
}

const CHECK_ORDER = [...RESOURCE_KINDS].sort((a, b) => a.labelCheck - b.labelCheck)

/**
 * Resource labels must be non-empty and unique across all five kinds and every source (root
 * config first, then resource files in order), checked in the reference's order.
 */
export function checkResourceLabels(configs: readonly Record<string, unknown>[]): ErrorData | undefined {
  const seen = new Set<string>()
  for (const { field, name } of CHECK_ORDER) {
    for (const conf of configs) {
      const list = conf[field]
      if (!Array.isArray(list)) continue
      for (const item of list) {
        const label = isPlainObject(item) && typeof item.label === 'string' ? item.label : ''
        if (label === '') return weirError('CONFIG_INVALID', `${name} resource has an empty label`, { path: field }).data
        const bad = checkName(`${name} resource label`, label)
        // The label is not echoed: it is what was refused for holding line breaks or being huge.
        if (bad) return weirError('CONFIG_ID', bad, { path: field }).data
        if (seen.has(label)) return weirError('CONFIG_INVALID', `${name} resource label '${label}' collides with a previously defined resource`, { path: field }).data
        seen.add(label)
      }
    }
  }
  return undefined
}
