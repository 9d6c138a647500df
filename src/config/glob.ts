/**
 * Path patterns as the reference expands them (`internal/filepath/glob.go`): Go `path.Match`
 * segments (`*`, `?`, `[...]`, `\` escapes), `**` for any depth, and `dir/...` super paths for
 * `weir lint`. Results use Go's cleaned, slash-separated form.
 */
import { readdirSync, statSync, type Dirent } from 'node:fs'
import { posix } from 'node:path'
import { weirError } from '../errors.js'

/** Characters that make a path a pattern (Go's `hasMeta` on non-Windows). */
export function hasMeta(p: string): boolean {
  return /[*?[\\]/.test(p)
}

/** Go's `filepath.Clean` for slash paths: `./a/` → `a`, `` → `.`. */
export function cleanPath(p: string): string {
  if (p === '') return '.'
  const n = posix.normalize(p)
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n
}

/**
 * Go's `path.Match(pattern, name)` for a single segment. Throws WeirError CONFIG_INVALID on a
 * malformed pattern (Go's `ErrBadPattern`).
 */
export function matchSegment(pattern: string, name: string): boolean {
  return new RegExp(`^${segmentRegex(pattern)}$`, 'su').test(name)
}

const regexCache = new Map<string, string>()

function segmentRegex(pattern: string): string {
  const cached = regexCache.get(pattern)
  if (cached !== undefined) return cached
  let re = ''
  const chars = [...pattern]
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!
    if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else if (c === '\\') {
      const next = chars[++i]
      if (next === undefined) throw badPattern()
      re += escapeRe(next)
    } else if (c === '[') {
      let j = i + 1
      let cls = ''
      if (chars[j] === '^') {
        cls += '^'
        j++
      }
      let count = 0
      for (;;) {
        const ch = chars[j]
        if (ch === undefined) throw badPattern()
        if (ch === ']' && count > 0) break
        if (ch === '-' || ch === ']') throw badPattern()
        let lo = ch
        if (lo === '\\') {
          lo = chars[++j] ?? ''
          if (lo === '') throw badPattern()
        }
        j++
        if (chars[j] === '-') {
          let hi = chars[j + 1]
          j += 2
          if (hi === undefined || hi === '-' || hi === ']') throw badPattern()
          if (hi === '\\') hi = chars[j++]
          if (hi === undefined || hi < lo) throw badPattern()
          cls += `${escapeClass(lo)}-${escapeClass(hi)}`
        } else {
          cls += escapeClass(lo)
        }
        count++
      }
      // Go's classes never match the separator, negated or not.
      re += cls.startsWith('^') ? `(?!/)[${cls}]` : `[${cls}]`
      i = j
    } else re += escapeRe(c)
  }
  regexCache.set(pattern, re)
  return re
}

function badPattern(): Error {
  return weirError('CONFIG_INVALID', 'syntax error in pattern')
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

function escapeClass(c: string): string {
  return c.replace(/[\]\\^-]/g, '\\$&')
}

function exists(p: string): boolean {
  try {
    statSync(p)
    return true
  } catch {
    return false
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory()
  } catch {
    return false
  }
}

function readDirSorted(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  } catch {
    return []
  }
}

/** Go's `fs.Glob` on the OS: one pattern, matches sorted per directory. */
export function globSimple(pattern: string): string[] {
  if (!hasMeta(pattern)) return exists(pattern) ? [pattern] : []
  const slash = pattern.lastIndexOf('/')
  const dirPat = slash === -1 ? '' : pattern.slice(0, slash) || '/'
  const file = pattern.slice(slash + 1)
  // Validate the file part even when no directory matches, as Go does.
  segmentRegex(file)
  const dirs = dirPat === '' ? ['.'] : hasMeta(dirPat) ? globSimple(dirPat) : [cleanPath(dirPat)]
  const out: string[] = []
  for (const dir of dirs) {
    if (!isDir(dir)) continue
    for (const e of readDirSorted(dir)) if (matchSegment(file, e.name)) out.push(posix.join(dir, e.name))
  }
  return out
}

/** Every path under `root` (itself included), depth first in lexical order; symlinked dirs are not entered. */
export function walk(root: string, visit: (path: string, isDirectory: boolean) => void): void {
  let st
  try {
    st = statSync(root)
  } catch {
    return
  }
  visit(root, st.isDirectory())
  if (!st.isDirectory()) return
  const rec = (dir: string): void => {
    for (const e of readDirSorted(dir)) {
      const p = posix.join(dir, e.name)
      const d = e.isDirectory()
      visit(p, d)
      if (d) rec(p)
    }
  }
  rec(root)
}

/** A pattern containing `**`: each `**` matches any number of directories (including none). */
function superGlob(segments: string[]): string[] {
  let matches = new Set<string>([''])
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1
    const next = new Set<string>()
    for (const m of matches) {
      for (const p of globSimple(m + segment)) {
        walk(p, (path, dir) => {
          if (!(last && dir)) next.add(path)
        })
      }
    }
    matches = next
  })
  return [...matches].sort()
}

/**
 * Expands paths and patterns (Go's `filepath.Globs`): de-duplicated in argument order; a path
 * with no metacharacters that matches nothing is kept as given (so it fails later with "no such
 * file"); a pattern that matches nothing is dropped. Throws WeirError on a malformed pattern.
 */
export function expandGlobs(paths: readonly string[]): string[] {
  const out: string[] = []
  const seen = new Set<string>()
  const add = (p: string): void => {
    if (!seen.has(p)) {
      seen.add(p)
      out.push(p)
    }
  }
  for (const p of paths) {
    const segments = p.split('**')
    const found = segments.length === 1 ? globSimple(p) : superGlob(segments)
    for (const g of found) add(g)
    if (found.length === 0 && !hasMeta(p)) add(p)
  }
  return out
}

/**
 * `weir lint` targets: `dir/...` walks `dir` for names ending in one of `extensions`; other
 * arguments go through `expandGlobs`. Super-path results come first, as in the reference.
 */
export function expandSuperPaths(paths: readonly string[], extensions: readonly string[]): string[] {
  const supers: string[] = []
  const rest: string[] = []
  for (let p of paths) {
    if (!p.endsWith('...')) {
      rest.push(p)
      continue
    }
    p = p === './...' || p === '...' ? '.' : p.replace(/\/\.\.\.$/, '')
    if (!isDir(p) && !exists(p)) throw weirError('CONFIG_READ', `lstat ${p}: no such file or directory`)
    walk(p, (path, dir) => {
      if (!dir && extensions.some((e) => path.endsWith(e))) supers.push(path)
    })
  }
  return [...supers, ...(rest.length ? expandGlobs(rest) : [])]
}
