/**
 * Bounds on config documents (stream files, `-r` resources, templates, the root config and API
 * bodies): a hostile or broken document is refused with a located error before it can exhaust the
 * stack or the heap of the main thread, which every stream shares.
 *
 * The reference (Go yaml.v3) stops at 10,000 levels of nesting and refuses excessive aliasing; it
 * has no size limit. Weir's parser and config walkers recurse, so its depth bound is lower: real
 * configs nest a few dozen levels at most, and 10,000 would overflow the JS stack.
 */
export const MAX_CONFIG_DEPTH = 256

/** Largest config text accepted, in bytes (after env interpolation for files and bodies). */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024

/**
 * Most YAML tokens (scalars, indicators, brackets; not indentation) in one document. The parsed
 * document costs about 2.5 KiB per key, so bytes alone do not bound memory: 4 MiB of `k: v` lines
 * took 1 GiB and 12 s. 200,000 tokens is about 65,000 `key: value` lines.
 */
export const MAX_CONFIG_TOKENS = 200_000

/**
 * Alias expansions allowed per document (yaml's `maxAliasCount`): more is an alias bomb
 * ("billion laughs"). Merge keys (`<<: *base`) count as aliases.
 */
export const MAX_ALIAS_COUNT = 100

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${(n / (1024 * 1024)).toFixed(1)} MiB`
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`
  return `${n} bytes`
}
