/**
 * Grok expressions compiled to RE2 (through the Bloblang regex engine, so matching is linear in
 * the input as in the reference) with the reference's grok library semantics: `%{NAME:alias:type}`
 * references, named captures only by default, `int`/`float` casts, dotted names that nest, and
 * the first expression that captures anything wins.
 */
import { compileRe2, re2First, type Re2 } from '../../bloblang/regex/index.js'
import { makeFloat, newObject, getKey, setKey, isObject, type Value, type VObject } from '../../value/index.js'
import { DEFAULT_GROK_PATTERNS } from './grok-patterns.js'

export interface GrokOptions {
  expressions: readonly string[]
  definitions: Readonly<Record<string, string>>
  namedOnly: boolean
  useDefaults: boolean
  removeEmpty: boolean
}

/** Where a Grok configuration fails: the pattern set, or one expression (by index). */
export type GrokCompileError = { where: 'patterns'; message: string } | { where: 'expression'; index: number; message: string }

interface Pattern {
  expression: string
  /** Type hints by (safe) capture name: `int` or `float` (or anything else, which fails a parse). */
  hints: Map<string, string>
  /** Capture names rewritten to be valid group names, by rewritten name. */
  aliases: Map<string, string>
}

const REFERENCE = /%\{([\w.-]+(?::[\w.-]+(?::[\w.-]+)?)?)\}/g

/** A pattern with its `%{...}` references replaced (the grok library's newPattern). */
function expand(pattern: string, known: ReadonlyMap<string, Pattern>, namedOnly: boolean): Pattern {
  const hints = new Map<string, string>()
  const aliases = new Map<string, string>()
  let expression = pattern
  for (const m of [...pattern.matchAll(REFERENCE)]) {
    const names = m[1]!.split(':')
    const refKey = names[0]!
    let alias = names.length > 1 ? names[1]! : refKey
    const safe = alias.replace(/\W/g, '_')
    if (safe !== alias) {
      aliases.set(safe, alias)
      alias = safe
    }
    if (names.length === 3 && names[2] !== 'string') hints.set(alias, names[2]!)
    const ref = known.get(refKey)
    if (ref === undefined) throw new Error(`no pattern found for %{${refKey}}`)
    const replacement = !namedOnly || names.length > 1 ? `(?P<${alias}>${ref.expression})` : `(${ref.expression})`
    for (const [k, t] of ref.hints) if (!hints.has(k)) hints.set(k, t.toLowerCase())
    for (const [s, real] of ref.aliases) if (!aliases.has(s)) aliases.set(s, real)
    expression = expression.split(m[0]).join(replacement)
  }
  return { expression, hints, aliases }
}

/** Adds a set of named patterns, each after the ones it refers to. */
function addPatterns(known: Map<string, Pattern>, defs: Readonly<Record<string, string>>, namedOnly: boolean): void {
  const resolving = new Set<string>()
  const resolve = (key: string, pattern: string): void => {
    if (known.has(key)) return
    if (resolving.has(key)) throw new Error(`pattern %{${key}} refers to itself`)
    resolving.add(key)
    for (const m of pattern.matchAll(REFERENCE)) {
      const ref = m[1]!.split(':')[0]!
      if (known.has(ref)) continue
      const def = defs[ref]
      if (def === undefined) throw new Error(`no pattern found for %{${ref}}`)
      resolve(ref, def)
    }
    known.set(key, expand(pattern, known, namedOnly))
    resolving.delete(key)
  }
  for (const [key, pattern] of Object.entries(defs)) resolve(key, pattern)
}

interface Compiled {
  re: Re2
  hints: Map<string, string>
  aliases: Map<string, string>
}

/** A capture cast by its type hint (Go's strconv rules); undefined for a value that does not cast. */
function cast(text: string, hint: string | undefined): Value | undefined {
  if (hint === undefined || hint === 'string') return text
  if (hint === 'int') return /^[+-]?\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined
  if (hint === 'float') {
    if (!/^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|[iI]nf(inity)?|NaN)$/.test(text)) return undefined
    return makeFloat(Number(text.replace(/^([+-]?)inf(inity)?$/i, '$1Infinity')))
  }
  return undefined
}

/** gabs' SetP: a dotted name makes nested objects; a path through a non-object is skipped. */
function setPath(root: VObject, name: string, v: Value): void {
  const parts = name.split('.')
  let o = root
  for (let i = 0; i < parts.length - 1; i++) {
    const next = getKey(o, parts[i]!)
    if (next === undefined) {
      const child = newObject()
      setKey(o, parts[i]!, child)
      o = child
    } else if (isObject(next)) o = next
    else return
  }
  setKey(o, parts[parts.length - 1]!, v)
}

/** What parsing a message gives: the captures, or why there are none. */
export type GrokResult = { ok: true; value: VObject } | { ok: false; debug: string[] }

export class GrokParser {
  constructor(
    readonly compiled: readonly Compiled[],
    readonly removeEmpty: boolean,
  ) {}

  /** The captures of the first expression that yields any. */
  parse(text: string): GrokResult {
    const debug: string[] = []
    for (const c of this.compiled) {
      const m = re2First(c.re, text)
      if (m === null) continue
      const out = newObject()
      let n = 0
      let failed = false
      for (let i = 1; i < m.length; i++) {
        const key = c.re.names[i]
        if (!key) continue
        const s = m[i] ?? ''
        if (this.removeEmpty && s === '') continue
        const v = cast(s, c.hints.get(key))
        if (v === undefined) {
          debug.push(`Failed to parse body: the value ${s} cannot be converted to ${c.hints.get(key)}`)
          failed = true
          break
        }
        setPath(out, c.aliases.get(key) ?? key, v)
        n++
      }
      if (!failed && n > 0) return { ok: true, value: out }
    }
    return { ok: false, debug }
  }
}

/** Compiles a Grok configuration, or says which part is wrong and why. */
export function compileGrok(o: GrokOptions): { ok: true; parser: GrokParser } | { ok: false; error: GrokCompileError } {
  const known = new Map<string, Pattern>()
  try {
    if (o.useDefaults) addPatterns(known, DEFAULT_GROK_PATTERNS, o.namedOnly)
    addPatterns(known, o.definitions, o.namedOnly)
  } catch (err) {
    return { ok: false, error: { where: 'patterns', message: (err as Error).message } }
  }
  const compiled: Compiled[] = []
  for (const [index, expr] of o.expressions.entries()) {
    try {
      const p = expand(expr, known, o.namedOnly)
      compiled.push({ re: compileRe2(p.expression), hints: p.hints, aliases: p.aliases })
    } catch (err) {
      return { ok: false, error: { where: 'expression', index, message: (err as Error).message } }
    }
  }
  return { ok: true, parser: new GrokParser(compiled, o.removeEmpty) }
}
