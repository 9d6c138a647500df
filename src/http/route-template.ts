/**
 * The route grammar every Weir HTTP server shares, gorilla/mux's as the reference uses it
 * (`internal/api/package.go` GetMuxRoute): a template ending in `/` is a prefix, anything else must
 * match the whole path; `{name}` matches `[^/]+`, `{name:re}` matches the RE2 expression `re`,
 * which may span `/`. Literal text matches itself. Templates are matched against the decoded path.
 */
import { weirError, type WeirError } from '../errors.js'
import { Re2SyntaxError, compileRe2, type Re2 } from '../bloblang/regex/index.js'

/** Parameters of one match; the shared empty object when the template has none (never mutate). */
export type RouteParams = Readonly<Record<string, string>>

export const NO_PARAMS: RouteParams = Object.freeze({})

/** A template ready to match: a plain path compares as a string, anything else runs `exec`. */
export type CompiledTemplate = { readonly kind: 'exact' } | { readonly kind: 'pattern'; readonly exec: (path: string) => RouteParams | undefined }

const EXACT: CompiledTemplate = { kind: 'exact' }

/** gorilla/mux's default variable pattern for paths. */
const DEFAULT_PATTERN = '[^/]+'

/**
 * Compiles `template`; throws a `CONFIG_INVALID` WeirError with mux's or Go regexp's message when
 * braces are unbalanced, a name or pattern is empty, the expression is not valid RE2, or it has
 * capturing groups of its own (mux panics on those; a located build error serves better).
 *
 * @example compileTemplate('/items/{id:[0-9]+}').exec('/items/42') // { id: '42' }
 */
export function compileTemplate(template: string): CompiledTemplate {
  const prefix = template.endsWith('/')
  const braces = braceIndices(template)
  // A `%` in a literal template is matched against the decoded path like any text, which the
  // router's raw-path lookup cannot do: such templates take the pattern route.
  if (braces.length === 0 && !prefix && !template.includes('%')) return EXACT
  const names: string[] = []
  let re2 = '^'
  let end = 0
  for (let i = 0; i < braces.length; i += 2) {
    re2 += quoteMeta(template.slice(end, braces[i]!))
    end = braces[i + 1]!
    const inner = template.slice(braces[i]! + 1, end - 1)
    const colon = inner.indexOf(':')
    const name = colon === -1 ? inner : inner.slice(0, colon)
    const pattern = colon === -1 ? DEFAULT_PATTERN : inner.slice(colon + 1)
    if (name === '' || pattern === '') throw templateError(`mux: missing name or pattern in ${JSON.stringify(template.slice(braces[i]!, end))}`)
    // mux compiles each variable's expression alone first, so its errors name that expression.
    re2Check(`^${pattern}$`)
    names.push(name)
    re2 += `(${pattern})`
  }
  re2 += quoteMeta(template.slice(end))
  if (!prefix) re2 += '$'
  const t = re2Check(re2)
  if (t.names.length - 1 !== names.length) {
    throw templateError(`route ${template} contains capture groups in its regexp. Only non-capturing groups are accepted: e.g. (?:pattern) instead of (pattern)`)
  }
  // Request paths are client input: the expression runs on the linear-time engine choice.
  return {
    kind: 'pattern',
    exec(path) {
      const m = t.execAt(path, 0)
      if (m === null) return undefined
      if (names.length === 0) return NO_PARAMS
      const params: Record<string, string> = {}
      for (let i = 0; i < names.length; i++) params[names[i]!] = m[i + 1] ?? ''
      return params
    },
  }
}

/** The problem with `template` as a message, or undefined when it compiles. */
export function templateProblem(template: string): string | undefined {
  try {
    compileTemplate(template)
    return undefined
  } catch (err) {
    return err instanceof Error ? err.message : String(err)
  }
}

function re2Check(pattern: string): Re2 {
  try {
    return compileRe2(pattern)
  } catch (err) {
    if (err instanceof Re2SyntaxError) throw templateError(err.message)
    throw err
  }
}

function templateError(message: string): WeirError {
  return weirError('CONFIG_INVALID', message)
}

/** Start and end (exclusive) of each top-level `{...}`; nested braces belong to the expression. */
function braceIndices(s: string): number[] {
  const idxs: number[] = []
  let level = 0
  let start = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 0x7b) {
      if (++level === 1) start = i
    } else if (c === 0x7d) {
      if (--level === 0) idxs.push(start, i + 1)
      else if (level < 0) throw templateError(`mux: unbalanced braces in ${JSON.stringify(s)}`)
    }
  }
  if (level !== 0) throw templateError(`mux: unbalanced braces in ${JSON.stringify(s)}`)
  return idxs
}

/** Go's `regexp.QuoteMeta`. */
function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')
}
