/**
 * Metadata filter block (spec components §11.4): a key matches a prefix or a regex pattern;
 * both lists empty matches nothing.
 */
import type { Message } from '../../message/message.js'
import { compileRe2, re2Test, type Re2 } from '../../bloblang/regex/index.js'
import { invalid } from './field-error.js'

export interface MetadataFilter {
  readonly empty: boolean
  matches(key: string): boolean
  /** Matching metadata entries of `msg` as strings, in insertion order. */
  walk(msg: Message, fn: (key: string, value: string) => void): void
}

export function metadataFilter(conf: unknown, field: string): MetadataFilter {
  const c = (conf ?? {}) as { include_prefixes?: unknown; include_patterns?: unknown }
  const prefixes = Array.isArray(c.include_prefixes) ? c.include_prefixes.map(String) : []
  // RE2 syntax and linear-time matching, as the reference's regexp package gives.
  const patterns: Re2[] = []
  for (const [i, p] of (Array.isArray(c.include_patterns) ? c.include_patterns : []).entries()) {
    try {
      patterns.push(compileRe2(String(p)))
    } catch (err) {
      throw invalid(`${field}.include_patterns[${i}]`, `failed to compile regexp: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  const empty = prefixes.length === 0 && patterns.length === 0
  const matches = (key: string): boolean => prefixes.some((p) => key.startsWith(p)) || patterns.some((r) => re2Test(r, key))
  return {
    empty,
    matches,
    walk(msg, fn) {
      if (empty) return
      for (const k of msg.metadata.keys()) if (matches(k)) fn(k, msg.metaString(k) ?? '')
    },
  }
}

export const metadataFilterFields = ['include_prefixes', 'include_patterns'] as const
