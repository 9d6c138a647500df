/** Small helpers for plain config values (what YAML decodes to). */

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Deep copy of a plain config value, so defaults are never shared between configs. */
export function cloneValue<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneValue) as T
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) out[k] = cloneValue(x)
    return out as T
  }
  return v
}

/** Go's `%v` of a string slice: `[a b c]`. */
export function goList(items: readonly string[]): string {
  return `[${items.join(' ')}]`
}
