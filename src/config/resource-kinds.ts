/**
 * The one table of resource kinds (spec §3.2, §10): the root field that lists each kind, the name
 * errors use for it, and its place in the reference's label check. Everything that walks resource
 * lists (schema, label checks, start-up, the watcher, the API) reads this table.
 */
import { isPlainObject } from './values.js'

export type ResourceKind = 'input' | 'processor' | 'output' | 'cache' | 'rate_limit'

export interface ResourceKindRow {
  kind: ResourceKind
  /** Top-level list in root and resource files. */
  field: string
  /** As error messages name it. */
  name: string
  /** Position in the reference's label-uniqueness check, which reports the first clash it meets. */
  labelCheck: number
}

/** In the order the reference declares the lists (schema, docs, JSON schema). */
export const RESOURCE_KINDS: readonly ResourceKindRow[] = [
  { kind: 'input', field: 'input_resources', name: 'input', labelCheck: 0 },
  { kind: 'processor', field: 'processor_resources', name: 'processor', labelCheck: 2 },
  { kind: 'output', field: 'output_resources', name: 'output', labelCheck: 3 },
  { kind: 'cache', field: 'cache_resources', name: 'cache', labelCheck: 1 },
  { kind: 'rate_limit', field: 'rate_limit_resources', name: 'rate limit', labelCheck: 4 },
]

export function isResourceKind(s: string): s is ResourceKind {
  return RESOURCE_KINDS.some((r) => r.kind === s)
}

export interface ResourceItem {
  kind: ResourceKind
  label: string
  /** The item without its `label`. */
  conf: Record<string, unknown>
}

/** Every resource a root or resource config declares, kind by kind in table order. */
export function resourceItems(config: Record<string, unknown>): ResourceItem[] {
  const out: ResourceItem[] = []
  for (const { kind, field } of RESOURCE_KINDS) {
    const list = config[field]
    if (!Array.isArray(list)) continue
    for (const item of list) {
      if (!isPlainObject(item)) continue
      const { label, ...conf } = item
      out.push({ kind, label: String(label ?? ''), conf })
    }
  }
  return out
}
