/**
 * Matching under Go's regexp rules (leftmost-first, Go's iteration over empty matches, ReplaceAll)
 * in time linear in the input. Patterns V8's backtracking engine provably runs in linear time
 * (re2-linear.ts) use the translated JavaScript RegExp; all others run on re2js, a port of RE2.
 */
import { createRequire } from 'node:module'
import type { Matcher, RE2JS } from 're2js'
import { expandTemplate } from './go-template.js'
import type { Node } from './re2-ast.js'
import { linearPlan, type LinearPlan } from './re2-linear.js'
import { translateRe2, type Re2Translation } from './re2-translate.js'

/** One match: the whole match then each group (undefined when it took no part), and its start. */
export type Re2Match = readonly (string | undefined)[] & { readonly index: number }

/** Which engine runs a pattern: V8's backtracking one (proved linear) or RE2's automata. */
export type Re2Engine = 'v8' | 're2'

/** A compiled RE2 pattern. */
export interface Re2 {
  readonly names: readonly string[]
  readonly engine: Re2Engine
  /** Go `MatchString`. */
  test(s: string): boolean
  /** The leftmost-first match starting at or after `pos`; text before `pos` still counts for `^`, `\b`. */
  execAt(s: string, pos: number): Re2Match | null
}

/**
 * Compile an RE2 pattern; throws Re2SyntaxError with Go's message. `engine` forces one engine
 * (tests compare the two); by default V8 runs the pattern only when that is provably linear.
 */
export function compileRe2(pattern: string, engine?: Re2Engine): Re2 {
  const t = translateRe2(pattern)
  const plan = engine === 're2' ? undefined : engine === 'v8' ? {} : linearPlan(t.root)
  if (plan !== undefined) return v8Re2(t, t.root, plan)
  if (engine === 're2') return new AutomatonRe2(pattern, t.names)
  // Whether a match exists does not depend on optional repeats at either end (`.*x.*` matches
  // exactly where `x` does), so `test` may still run on V8 without them.
  const core = withoutOptionalEnds(t.root)
  const corePlan = core === undefined ? undefined : linearPlan(core)
  return new AutomatonRe2(pattern, t.names, core === undefined || corePlan === undefined ? undefined : v8Re2(t, core, corePlan))
}

function v8Re2(t: Re2Translation, root: Node, plan: LinearPlan): V8Re2 {
  const source = root === t.root ? t.source : t.emit(root)
  if (plan.guard === undefined) return new V8Re2(new RegExp(source, `g${t.flags}`), t.names)
  // Attempts only where the leading repeat's run starts, plus one at the search start.
  const guarded = new RegExp(`(?<!${t.emit(plan.guard)})(?:${source})`, `g${t.flags}`)
  return new V8Re2(guarded, t.names, new RegExp(source, `y${t.flags}`))
}

/** The top-level concatenation without its leading and trailing optional repeats; undefined when there are none. */
function withoutOptionalEnds(root: Node): Node | undefined {
  if (root.op !== 'cat') return undefined
  const optional = (n: Node): boolean => n.op === 'rep' && n.min === 0
  let a = 0
  let b = root.subs.length
  while (a < b && optional(root.subs[a]!)) a++
  while (b > a && optional(root.subs[b - 1]!)) b--
  if (a === 0 && b === root.subs.length) return undefined
  return { op: 'cat', subs: root.subs.slice(a, b) }
}

class V8Re2 implements Re2 {
  readonly engine = 'v8'
  constructor(
    /** Global and shared: every use sets lastIndex first. */
    private readonly re: RegExp,
    readonly names: readonly string[],
    /** With a guarded `re` (linear-plan case e): the plain pattern, sticky, tried at the search start. */
    private readonly atStart?: RegExp,
  ) {}

  test(s: string): boolean {
    return this.execAt(s, 0) !== null
  }

  execAt(s: string, pos: number): Re2Match | null {
    const first = this.atStart
    if (first !== undefined && pos > 0 && !isMidSurrogate(s, pos)) {
      first.lastIndex = pos
      const m = first.exec(s)
      if (m !== null) return m
    }
    const re = this.re
    re.lastIndex = pos
    let m = re.exec(s)
    // V8 can report an empty-width match between the halves of a surrogate pair even in `v` mode;
    // RE2 works on whole characters, so such a position does not exist there.
    while (m !== null && isMidSurrogate(s, m.index)) {
      re.lastIndex = m.index + 1
      m = re.exec(s)
    }
    return m
  }
}

type Re2jsModule = typeof import('re2js')
let re2js: Re2jsModule | undefined

/** re2js is loaded on first use: most streams never need it, and every worker would pay its load time. */
function loadRe2js(): Re2jsModule {
  re2js ??= createRequire(import.meta.url)('re2js') as Re2jsModule
  return re2js
}

/**
 * The pattern with every `(?P<name>` / `(?<name>` written as a plain `(`: the same groups in the
 * same order. Escapes, `\Q...\E` and character classes are stepped over, so a `(` in them stays.
 */
export function stripGroupNames(p: string): string {
  if (!p.includes('(?P<') && !p.includes('(?<')) return p
  let out = ''
  let inClass = false
  for (let i = 0; i < p.length; i++) {
    const ch = p[i]!
    if (ch === '\\') {
      if (p[i + 1] === 'Q') {
        const end = p.indexOf('\\E', i + 2)
        const stop = end < 0 ? p.length : end + 2
        out += p.slice(i, stop)
        i = stop - 1
      } else {
        out += p.slice(i, i + 2)
        i++
      }
      continue
    }
    if (inClass) {
      if (ch === '[' && p[i + 1] === ':') {
        const e = p.indexOf(':]', i + 2)
        if (e >= 0) {
          out += p.slice(i, e + 2)
          i = e + 1
          continue
        }
      }
      if (ch === ']') inClass = false
      out += ch
      continue
    }
    if (ch === '[') {
      inClass = true
      out += ch
      if (p[i + 1] === '^') out += p[++i]
      if (p[i + 1] === ']') out += p[++i]
      continue
    }
    if (ch === '(' && p[i + 1] === '?') {
      const m = NAMED_GROUP.exec(p.slice(i, i + 200))
      if (m) {
        out += '('
        i += m[0].length - 1
        continue
      }
    }
    out += ch
  }
  return out
}

const NAMED_GROUP = /^\(\?P?<[A-Za-z0-9_]+>/

class AutomatonRe2 implements Re2 {
  readonly engine = 're2'
  readonly #re: RE2JS
  readonly #groups: number
  /** The matcher of the last subject: iterating over one string reuses it. */
  #matcher: Matcher | undefined
  #subject = ''

  constructor(
    pattern: string,
    readonly names: readonly string[],
    /** A provably linear V8 pattern that matches wherever this one does, for `test`. */
    private readonly tester?: Re2,
  ) {
    // The pattern already passed the Go-compatible parser, so re2js sees valid RE2 syntax; the
    // flags stay inline in the pattern as Go has them. Group names go (`names` holds them): Go
    // allows one name on several groups (Grok expressions do it), re2js refuses that.
    this.#re = loadRe2js().RE2JS.compile(stripGroupNames(pattern))
    this.#groups = names.length - 1
  }

  test(s: string): boolean {
    return this.tester !== undefined ? this.tester.test(s) : this.#re.test(s)
  }

  execAt(s: string, pos: number): Re2Match | null {
    let m = this.#matcher
    if (m === undefined || this.#subject !== s) {
      m = this.#re.matcher(s)
      this.#matcher = m
      this.#subject = s
    }
    if (!m.find(pos)) return null
    const out: (string | undefined)[] & { index: number } = Object.assign([] as (string | undefined)[], { index: m.start(0) })
    out.push(m.group(0) ?? '')
    for (let i = 1; i <= this.#groups; i++) out.push(m.group(i) ?? undefined)
    return out
  }
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
  return r.test(s)
}

/** Go `FindStringSubmatch` (null when nothing matches). */
export function re2First(r: Re2, s: string): Re2Match | null {
  return r.execAt(s, 0)
}

/** Go `FindAll*` iteration, at most `limit` matches: an empty match right after the previous match is skipped. */
export function re2All(r: Re2, s: string, limit = Infinity): Re2Match[] {
  const out: Re2Match[] = []
  const end = s.length
  let prevEnd = -1
  for (let pos = 0; pos <= end && out.length < limit; ) {
    const m = r.execAt(s, pos)
    if (m === null) break
    const stop = m.index + m[0]!.length
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
    const m = r.execAt(s, pos)
    if (m === null) break
    const a0 = m.index
    const a1 = a0 + m[0]!.length
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
