/**
 * Text-level config inputs: `${VAR}` interpolation (spec §5.1), dotenv files (§5.4) and `--set`
 * overrides (§5.3).
 */
import { parse as parseYamlValue } from 'yaml'
import { weirError } from '../errors.js'

// The reference's grammar, unchanged: a default may textually contain `${...}` and the decode
// function is whatever follows the last `|`.
const ENV_RE = /\$\{[0-9A-Za-z_.]+(:((\$\{[^}]+\})|[^}])*)?(?:\|[0-9A-Za-z]+)?\}/g
const ESCAPED_ENV_RE = /\$\{(\{[0-9A-Za-z_.]+(:((\$\{[^}]+\})|[^}])*)?\})\}/g

export type EnvLookup = (name: string) => string | undefined

export interface Interpolated {
  /** Best-effort text: missing variables are replaced by "". */
  text: string
  /** Variables referenced without a default and not set, in order of appearance (duplicates kept). */
  missing: string[]
}

/**
 * Replaces `${NAME}`, `${NAME:default}`, `${NAME|base64decode}` and `${NAME:default|base64decode}`,
 * then turns `${{NAME}}` into a literal `${NAME}`. `${! ... }` is left for Bloblang.
 * Throws WeirError CONFIG_INVALID for an unknown decode function or bad base64.
 *
 * @example interpolateEnv('count: ${N:5}', () => undefined) // { text: 'count: 5', missing: [] }
 */
export function interpolateEnv(text: string, lookup: EnvLookup): Interpolated {
  const missing: string[] = []
  const errors: string[] = []
  let firstErrorAt = -1
  const replaced = text.replace(ENV_RE, (match: string, ...rest: unknown[]) => {
    const at = rest.find((x) => typeof x === 'number') as number
    const before = errors.length
    const inner = match.slice(2, -1)
    let fn = ''
    let value: string
    const colon = inner.indexOf(':')
    if (colon === -1) {
      let name = inner
      const pipe = inner.lastIndexOf('|')
      if (pipe !== -1) {
        name = inner.slice(0, pipe)
        fn = inner.slice(pipe + 1)
      }
      const v = lookup(name)
      if (v === undefined) missing.push(name)
      value = v ?? ''
    } else {
      const name = inner.slice(0, colon)
      let def = inner.slice(colon + 1)
      const pipe = def.lastIndexOf('|')
      if (pipe !== -1) {
        fn = def.slice(pipe + 1)
        def = def.slice(0, pipe)
      }
      const v = lookup(name)
      value = v === undefined || v === '' ? def : v
    }
    if (fn === 'base64decode') {
      const decoded = decodeBase64Strict(value)
      if (typeof decoded === 'string') value = decoded
      else errors.push(`failed to decode base64-encoded env var: illegal base64 data at input byte ${decoded.at}`)
    } else if (fn !== '') {
      errors.push(`unknown env var decode function: ${fn}`)
    }
    if (errors.length > before && firstErrorAt < 0) firstErrorAt = at
    // Keeps multi-line values on one YAML line.
    return value.replace(/\n/g, '\\n')
  })
  // Located at the first bad reference, like every other config error (found by fuzzing).
  if (errors.length) throw weirError('CONFIG_INVALID', errors.join('\n'), offsetLineCol(text, firstErrorAt))
  return { text: replaced.replace(ESCAPED_ENV_RE, (_m, inner: string) => `$${inner}`), missing }
}

function offsetLineCol(text: string, offset: number): { line: number; col: number } {
  const upTo = text.slice(0, Math.max(0, offset))
  const nl = upTo.lastIndexOf('\n')
  return { line: upTo.split('\n').length, col: upTo.length - nl }
}

/** The lint text for missing variables, formatted like Go's `%v` of a string slice. */
export function missingEnvMessage(missing: readonly string[]): string {
  return `required environment variables were not set: [${missing.join(' ')}]`
}

/** Go's `base64.StdEncoding` is strict (padding required); Node's decoder accepts anything. */
function decodeBase64Strict(s: string): string | { at: number } {
  const alphabet = /[A-Za-z0-9+/]/
  let data = 0
  let pad = 0
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    if (c === '\r' || c === '\n') continue
    if (c === '=') {
      pad++
      if (pad > 2 || data % 4 < 2) return { at: i }
      continue
    }
    if (pad > 0 || !alphabet.test(c)) return { at: i }
    data++
  }
  if ((data + pad) % 4 !== 0) return { at: s.length - ((data + pad) % 4) }
  return Buffer.from(s.replace(/[\r\n]/g, ''), 'base64').toString('utf8')
}

/**
 * Parses a dotenv file: `KEY=value` lines, spaces/tabs around `=`, values unquoted (up to
 * whitespace or `#`), "double quoted" (Go escapes), 'single quoted' (literal) or """triple
 * quoted""" (multi-line, literal); `#` comments, blank lines and CRLF. Throws WeirError
 * CONFIG_INVALID with the line number on anything else.
 */
export function parseDotenv(text: string): Record<string, string> {
  const vars: Record<string, string> = {}
  let i = 0
  let line = 1
  const fail = (what: string): never => {
    throw weirError('CONFIG_INVALID', `${line}: expected ${what}`, { line, col: 1 })
  }
  const skipBlanks = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++
  }
  const endOfLine = (): void => {
    skipBlanks()
    if (text[i] === '#') while (i < text.length && text[i] !== '\n') i++
    if (text[i] === '\r' && text[i + 1] === '\n') i++
    if (i < text.length && text[i] !== '\n') fail('line break')
    if (i < text.length) {
      i++
      line++
    }
  }
  while (i < text.length) {
    skipBlanks()
    const c = text[i]
    if (c === '#' || c === '\n' || c === '\r' || c === undefined) {
      endOfLine()
      continue
    }
    const keyStart = i
    while (i < text.length && !'= \t\n\r#'.includes(text[i]!)) i++
    const key = text.slice(keyStart, i)
    skipBlanks()
    if (key === '' || text[i] !== '=') fail('Environment variable assignment')
    i++
    skipBlanks()
    let value = ''
    if (text.startsWith('"""', i)) {
      const end = text.indexOf('"""', i + 3)
      if (end === -1) fail('end triple-quote')
      value = text.slice(i + 3, end)
      line += countNewlines(value)
      i = end + 3
    } else if (text[i] === '"') {
      const end = closingQuote(text, i)
      if (end === -1) fail('end quote')
      value = unquoteGo(text.slice(i + 1, end), line)
      i = end + 1
    } else if (text[i] === "'") {
      const end = text.indexOf("'", i + 1)
      if (end === -1 || text.slice(i + 1, end).includes('\n')) fail('end quote')
      value = text.slice(i + 1, end)
      i = end + 1
    } else {
      const start = i
      while (i < text.length && !'# \t\n\r'.includes(text[i]!)) i++
      value = text.slice(start, i)
    }
    vars[key] = value
    endOfLine()
  }
  return vars
}

function countNewlines(s: string): number {
  let n = 0
  for (const c of s) if (c === '\n') n++
  return n
}

function closingQuote(text: string, open: number): number {
  let escaped = false
  for (let j = open + 1; j < text.length; j++) {
    const c = text[j]
    if (c === '\n') return -1
    if (c === '"' && !escaped) return j
    escaped = c === '\\' ? !escaped : false
  }
  return -1
}

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" }

/** Go `strconv.Unquote` escapes for a double-quoted dotenv value. */
function unquoteGo(body: string, line: number): string {
  let out = ''
  for (let j = 0; j < body.length; j++) {
    const c = body[j]!
    if (c !== '\\') {
      out += c
      continue
    }
    const e = body[++j]
    const bad = (): never => {
      throw weirError('CONFIG_INVALID', `${line}: failed to unescape quoted string contents: invalid syntax`, { line, col: 1 })
    }
    if (e === undefined) bad()
    if (e! in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e!]
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const len = e === 'x' ? 2 : e === 'u' ? 4 : 8
      const hex = body.slice(j + 1, j + 1 + len)
      if (!new RegExp(`^[0-9A-Fa-f]{${len}}$`).test(hex)) bad()
      out += e === 'x' ? String.fromCharCode(parseInt(hex, 16)) : String.fromCodePoint(parseInt(hex, 16))
      j += len
    } else if (e! >= '0' && e! <= '7') {
      const oct = body.slice(j, j + 3)
      if (!/^[0-7]{3}$/.test(oct)) bad()
      out += String.fromCharCode(parseInt(oct, 8))
      j += 2
    } else {
      bad()
    }
  }
  return out
}

export interface SetExpression {
  /** Dot path split into segments (`~1` stands for a literal `.`, `~0` for `~`). */
  path: string[]
  value: unknown
}

/** Splits `path=value` and parses the value as YAML. Throws WeirError CONFIG_INVALID. */
export function parseSetExpression(expr: string): SetExpression {
  const eq = expr.indexOf('=')
  const path = eq === -1 ? '' : expr.slice(0, eq)
  const raw = eq === -1 ? '' : expr.slice(eq + 1)
  if (path === '' || raw === '') throw weirError('CONFIG_INVALID', `invalid set expression '${expr}': expected foo=bar syntax`)
  let value: unknown
  try {
    value = parseYamlValue(raw, { version: '1.2' })
  } catch (err) {
    throw weirError('CONFIG_INVALID', `invalid set expression '${expr}': ${err instanceof Error ? err.message : String(err)}`)
  }
  return { path: path.split('.').map((s) => s.replace(/~1/g, '.').replace(/~0/g, '~')), value }
}

/**
 * Applies one `--set path=value` override to a plain config object in place. Arrays are indexed by
 * number (negative counts from the end, `-` appends); missing or scalar intermediates become
 * objects. Throws WeirError CONFIG_INVALID on a bad expression or index.
 *
 * @example applySet(conf, 'http.address=127.0.0.1:0')
 */
export function applySet(obj: Record<string, unknown>, expr: string): void {
  const { path, value } = parseSetExpression(expr)
  let cur: Record<string, unknown> | unknown[] = obj
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!
    const last = i === path.length - 1
    if (Array.isArray(cur)) {
      const idx = arrayIndex(seg, cur.length, expr)
      if (last) {
        cur[idx] = value
        return
      }
      if (!isContainer(cur[idx])) cur[idx] = {}
      cur = cur[idx] as Record<string, unknown> | unknown[]
    } else {
      if (last) {
        cur[seg] = value
        return
      }
      if (!isContainer(cur[seg])) cur[seg] = {}
      cur = cur[seg] as Record<string, unknown> | unknown[]
    }
  }
}

/** Resolves a path segment against an array of `length` items (`-` = append). */
export function arrayIndex(seg: string, length: number, expr: string): number {
  if (seg === '-') return length
  const n = /^-?\d+$/.test(seg) ? Number(seg) : NaN
  const idx = n < 0 ? length + n : n
  if (!Number.isInteger(idx) || idx < 0 || idx >= length) {
    throw weirError('CONFIG_INVALID', `failed to set config field override: ${seg}: invalid array index in '${expr}'`)
  }
  return idx
}

function isContainer(v: unknown): boolean {
  return typeof v === 'object' && v !== null
}
