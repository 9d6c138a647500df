/** Matching with a translated RE2 pattern under Go's rules: iteration over empty matches, ReplaceAll. */
import { expandTemplate } from './go-template.js'
import { translateRe2 } from './re2-translate.js'

/** A compiled RE2 pattern. `re` is global and shared: callers set lastIndex before each exec. */
export interface Re2 {
  readonly re: RegExp
  readonly names: readonly string[]
}

/** Compile an RE2 pattern; throws Re2SyntaxError with Go's message. */
export function compileRe2(pattern: string): Re2 {
  const t = translateRe2(pattern)
  return { re: new RegExp(t.source, `g${t.flags}`), names: t.names }
}

function execAt(r: Re2, s: string, pos: number): RegExpExecArray | null {
  r.re.lastIndex = pos
  let m = r.re.exec(s)
  // V8 can report an empty-width match between the halves of a surrogate pair even in `v` mode;
  // RE2 works on whole characters, so such a position does not exist there.
  while (m !== null && isMidSurrogate(s, m.index)) {
    r.re.lastIndex = m.index + 1
    m = r.re.exec(s)
  }
  return m
}

function isMidSurrogate(s: string, i: number): boolean {
  if (i <= 0 || i >= s.length) return false
  const before = s.charCodeAt(i - 1)
  const at = s.charCodeAt(i)
  return before >= 0xd800 && before <= 0xdbff && at >= 0xdc00 && at <= 0xdfff
}

function charWidth(s: string, pos: number): number {
  if (pos >= s.length) return 0
  const c = s.charCodeAt(pos)
  return c >= 0xd800 && c <= 0xdbff && pos + 1 < s.length ? 2 : 1
}

/** Go `MatchString`. */
export function re2Test(r: Re2, s: string): boolean {
  return execAt(r, s, 0) !== null
}

/** Go `FindStringSubmatch` (null when nothing matches). */
export function re2First(r: Re2, s: string): RegExpExecArray | null {
  return execAt(r, s, 0)
}

/** Go `FindAll*` iteration: an empty match right after the previous match is skipped. */
export function re2All(r: Re2, s: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = []
  const end = s.length
  let prevEnd = -1
  for (let pos = 0; pos <= end; ) {
    const m = execAt(r, s, pos)
    if (m === null) break
    const stop = m.index + m[0].length
    let accept = true
    if (stop === pos) {
      if (m.index === prevEnd) accept = false
      const w = charWidth(s, pos)
      pos = w > 0 ? pos + w : end + 1
    } else pos = stop
    prevEnd = stop
    if (accept) out.push(m)
  }
  return out
}

/** Go `ReplaceAllString`: `$1`, `${1}`, `$name`, `${name}`, `$$` in the template. */
export function re2ReplaceAll(r: Re2, s: string, template: string): string {
  const end = s.length
  let out = ''
  let lastEnd = 0
  for (let pos = 0; pos <= end; ) {
    const m = execAt(r, s, pos)
    if (m === null) break
    const a0 = m.index
    const a1 = a0 + m[0].length
    out += s.slice(lastEnd, a0)
    // No replacement for an empty match right after the previous one (Go avoids doubling).
    if (a1 > lastEnd || a0 === 0) out += expandTemplate(r, template, m)
    lastEnd = a1
    const w = charWidth(s, pos)
    if (pos + w > a1) pos += w
    else if (pos + 1 > a1) pos++
    else pos = a1
  }
  return out + s.slice(lastEnd)
}
