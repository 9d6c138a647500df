/**
 * `parse_logfmt`: `key=value` pairs separated by spaces or tabs; values may be double-quoted with
 * backslash escapes; a key without `=` is `true`. Values stay strings, as in the reference.
 */
export class LogfmtError extends Error {}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' }

export function parseLogfmt(s: string): Map<string, string | true> {
  const out = new Map<string, string | true>()
  const blank = (c: string | undefined): boolean => c === ' ' || c === '\t'
  let i = 0
  while (i < s.length) {
    while (i < s.length && blank(s[i])) i++
    if (i >= s.length) break
    const keyStart = i
    while (i < s.length && s[i] !== '=' && !blank(s[i])) i++
    const key = s.slice(keyStart, i)
    if (key === '') {
      i++ // a stray '='
      continue
    }
    if (i >= s.length || s[i] !== '=') {
      out.set(key, true)
      continue
    }
    i++
    if (s[i] === '"') {
      i++
      let val = ''
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length) {
          i++
          const e = ESCAPES[s[i]!]
          val += e ?? '\\' + s[i]
        } else val += s[i]
        i++
      }
      if (i >= s.length) throw new LogfmtError(`logfmt: unterminated quoted value for key ${JSON.stringify(key)}`)
      i++
      out.set(key, val)
    } else {
      const valStart = i
      while (i < s.length && !blank(s[i])) i++
      out.set(key, s.slice(valStart, i))
    }
  }
  return out
}
