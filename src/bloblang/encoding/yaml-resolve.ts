/**
 * How gopkg.in/yaml.v3 (the reference's YAML library) reads a plain scalar: `true`/`null`/`.inf`
 * by table, numbers with Go's base-0 integer syntax (`0x1F`, `0o17`, `0777`, `1_000`), floats,
 * and everything else as a string. Used by `parse_yaml` to type plain scalars and by
 * `format_yaml` to decide whether a string needs quotes.
 */
import { parseGoFloat, parseGoInt, parseGoUint } from '../../value/index.js'

export type Resolved =
  | { tag: 'null' }
  | { tag: 'bool'; value: boolean }
  | { tag: 'int'; value: number | bigint; unsigned: boolean }
  | { tag: 'float'; value: number }
  | { tag: 'timestamp' }
  | { tag: 'merge' }
  | { tag: 'str' }

const TABLE: Readonly<Record<string, Resolved>> = (() => {
  const t: Record<string, Resolved> = {}
  for (const s of ['true', 'True', 'TRUE']) t[s] = { tag: 'bool', value: true }
  for (const s of ['false', 'False', 'FALSE']) t[s] = { tag: 'bool', value: false }
  for (const s of ['', '~', 'null', 'Null', 'NULL']) t[s] = { tag: 'null' }
  for (const s of ['.nan', '.NaN', '.NAN']) t[s] = { tag: 'float', value: NaN }
  for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) t[s] = { tag: 'float', value: Infinity }
  for (const s of ['-.inf', '-.Inf', '-.INF']) t[s] = { tag: 'float', value: -Infinity }
  t['<<'] = { tag: 'merge' }
  return t
})()

const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/
// The reference accepts `date`, `date time` (no zone) and `dateTtime` with a zone.
const TIMESTAMP = /^\d{4}-\d{1,2}-\d{1,2}(?:[Tt]\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})| \d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?)?$/

function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn()
  } catch {
    return undefined
  }
}

/** Resolve an untagged plain scalar. */
export function resolvePlain(s: string): Resolved {
  const c = s === '' ? '' : s[0]
  const hint = c === '' ? 'N' : '+-'.includes(c) ? 'S' : c >= '0' && c <= '9' ? 'D' : 'yYnNtTfFoO~'.includes(c) ? 'M' : c === '.' ? '.' : ''
  if (hint === '') return { tag: 'str' }
  if (Object.hasOwn(TABLE, s)) return TABLE[s]!
  if (hint === '.') {
    const f = attempt(() => parseGoFloat(s))
    if (f !== undefined) return { tag: 'float', value: f }
  }
  if (hint === 'D' || hint === 'S') {
    if (TIMESTAMP.test(s) && looksLikeDate(s)) return { tag: 'timestamp' }
    const plain = s.replace(/_/g, '')
    const i = attempt(() => parseGoInt(plain))
    if (i !== undefined) return { tag: 'int', value: i, unsigned: false }
    const u = attempt(() => parseGoUint(plain))
    if (u !== undefined) return { tag: 'int', value: u, unsigned: true }
    if (YAML_FLOAT.test(plain)) {
      const f = attempt(() => parseGoFloat(plain))
      if (f !== undefined) return { tag: 'float', value: f }
    }
    for (const [prefix, base, neg] of [['0b', 2, false], ['-0b', 2, true], ['0o', 8, false], ['-0o', 8, true]] as const) {
      if (!plain.startsWith(prefix)) continue
      const digits = plain.slice(prefix.length)
      const re = base === 2 ? /^[+-]?[01]+$/ : /^[+-]?[0-7]+$/
      if (!re.test(digits)) break
      let v = BigInt((digits[0] === '-' ? '-' : '') + (base === 2 ? '0b' : '0o') + digits.replace(/^[+-]/, ''))
      if (neg) v = -v
      if (v >= -(2n ** 63n) && v < 2n ** 63n) return { tag: 'int', value: Number.isSafeInteger(Number(v)) ? Number(v) : v, unsigned: false }
      if (!neg && v >= 0n && v < 2n ** 64n) return { tag: 'int', value: v, unsigned: true }
      break
    }
  }
  return { tag: 'str' }
}

/** The calendar check Go's time.Parse would make for the date part. */
function looksLikeDate(s: string): boolean {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(s)
  if (m === null) return false
  const month = Number(m[2])
  const day = Number(m[3])
  return month >= 1 && month <= 12 && day >= 1 && day <= 31
}

/**
 * YAML 1.1 spellings quoted on output (`yes`, `off`, `1:30`). yaml.v3 also quotes the one-letter
 * forms y/Y/n/N, but the project's conformance suite expects `a: y`, so those stay plain here
 * (a deliberate, documented divergence).
 */
export function needsLegacyQuotes(s: string): boolean {
  if (['yes', 'Yes', 'YES', 'on', 'On', 'ON', 'no', 'No', 'NO', 'off', 'Off', 'OFF'].includes(s)) return true
  if (s === '' || !s.includes(':')) return false
  const c = s[0]
  if (!(c === '+' || c === '-' || (c >= '0' && c <= '9'))) return false
  return /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s)
}
