/**
 * RE2 syntax translated to an equivalent JavaScript `v`-mode RegExp: the parsed tree is
 * re-emitted so that it behaves as RE2 does where JavaScript differs.
 */
import type { ClassItem, Node } from './re2-ast.js'
import { caseVariants, foldRanges, hasCase } from './re2-case-fold.js'
import { escapeCp, rangesText } from './js-pattern-text.js'
import { parseRe2 } from './re2-parser.js'

// The parser (re2-parser.ts) accepts and rejects exactly what Go's regexp does; its tree is
// re-emitted as a JavaScript `v`-mode RegExp whose behaviour matches RE2 where JavaScript differs:
//
//   RE2                       JavaScript emitted
//   .        (no \n)          [^\n]            (JS `.` also excludes \r, U+2028, U+2029)
//   (?s).                     [\s\S]
//   ^ $      (text)           ^ $              (never the JS `m` flag)
//   (?m)^ (?m)$               (?<=^|\n) (?=\n|$)   (only \n ends a line in RE2)
//   \s  \S                    [\t\n\f\r ]      (ASCII only, no \v)
//   \z \A                     $ ^
//   (?P<n>x) (?<n>x)          (x)              names kept in a side table (RE2 allows `1x`)
//   [[:alpha:]] \pL \p{Greek} ASCII ranges, \p{L}, \p{Script=Greek}
//   (?i) for the whole        the `i` flag; partial (?i:...) expands letters into classes
//   (?U)                      greediness swapped at parse time
//
// Look-around, backreferences, \C, \Z and possessive/stacked quantifiers are rejected like RE2.

interface EmitContext {
  /** Fold by expanding letters (the pattern mixes case-sensitive and insensitive parts). */
  manualFold: boolean
}

function emitClassItems(items: readonly ClassItem[], fold: boolean): string {
  let out = ''
  for (const it of items) {
    switch (it.t) {
      case 'range': {
        const r = fold ? foldRanges([it.lo, it.hi]) : [it.lo, it.hi]
        out += rangesText(r)
        break
      }
      case 'set': {
        const r = fold ? foldRanges(it.ranges) : it.ranges
        out += it.neg ? `[^${rangesText(r)}]` : rangesText(r)
        break
      }
      case 'prop': {
        const props = it.body.map((b) => `\\p{${b}}`).join('')
        out += it.neg ? `[^${props}]` : props
      }
    }
  }
  return out
}

function emitNode(n: Node, ctx: EmitContext): string {
  switch (n.op) {
    case 'lit':
      if (ctx.manualFold && n.fold && hasCase(n.cp)) return `[${caseVariants(n.cp).map(escapeCp).join('')}]`
      return escapeCp(n.cp)
    case 'class':
      return `[${n.neg ? '^' : ''}${emitClassItems(n.items, ctx.manualFold && n.fold)}]`
    case 'any':
      return n.nl ? '[\\s\\S]' : '[^\\n]'
    case 'bol':
      return '(?<=^|\\n)'
    case 'eol':
      return '(?=\\n|$)'
    case 'bot':
      return '^'
    case 'eot':
      return '$'
    case 'wb':
      return '\\b'
    case 'nwb':
      return '\\B'
    case 'empty':
      return '(?:)'
    case 'cap':
      return `(${emitNode(n.sub, ctx)})`
    case 'rep': {
      const sub = n.sub
      const atom = sub.op === 'lit' || sub.op === 'class' || sub.op === 'any' || sub.op === 'cap'
      const body = emitNode(sub, ctx)
      let min = n.min
      // JavaScript rejects an optional iteration that matches empty and backtracks into the body;
      // RE2 keeps it (its skip path can never win). When the body can always match empty, the
      // first greedy iteration is therefore effectively mandatory.
      if (n.greedy && min === 0 && n.max !== 0 && alwaysEmpty(sub)) {
        if (n.max === 1) return atom ? body : `(?:${body})`
        min = 1
      }
      let q: string
      if (min === 0 && n.max === -1) q = '*'
      else if (min === 1 && n.max === -1) q = '+'
      else if (min === 0 && n.max === 1) q = '?'
      else if (n.max === -1) q = `{${min},}`
      else if (min === n.max) q = `{${min}}`
      else q = `{${min},${n.max}}`
      return `${atom ? body : `(?:${body})`}${q}${n.greedy ? '' : '?'}`
    }
    case 'cat':
      return n.subs.map((s) => (s.op === 'alt' ? `(?:${emitNode(s, ctx)})` : emitNode(s, ctx))).join('')
    case 'alt':
      return n.subs.map((s) => emitNode(s, ctx)).join('|')
  }
}

/** Whether the node matches the empty string everywhere (an empty path without assertions). */
function alwaysEmpty(n: Node): boolean {
  switch (n.op) {
    case 'empty':
      return true
    case 'cap':
      return alwaysEmpty(n.sub)
    case 'rep':
      return n.min === 0 || alwaysEmpty(n.sub)
    case 'cat':
      return n.subs.every(alwaysEmpty)
    case 'alt':
      return n.subs.some(alwaysEmpty)
    default:
      return false
  }
}

/** Which fold settings the case-relevant parts of the pattern use. */
function foldUsage(n: Node, acc: { on: boolean; off: boolean }): void {
  switch (n.op) {
    case 'lit':
      if (hasCase(n.cp)) acc[n.fold ? 'on' : 'off'] = true
      return
    case 'class':
      acc[n.fold ? 'on' : 'off'] = true
      return
    case 'cap':
    case 'rep':
      foldUsage(n.sub, acc)
      return
    case 'cat':
    case 'alt':
      for (const s of n.subs) foldUsage(s, acc)
  }
}

/** A translated pattern: JS source and flags, and the RE2 group names (index 0 is the match). */
export interface Re2Translation {
  source: string
  flags: string
  names: readonly string[]
  /** The parsed tree, for callers that analyse the pattern further. */
  root: Node
  /** JavaScript source for one part of the tree, emitted as in `source` (same folding). */
  emit: (n: Node) => string
}

/** Translate RE2 syntax to an equivalent JavaScript pattern; throws Re2SyntaxError like Go. */
export function translateRe2(pattern: string): Re2Translation {
  const { root, names } = parseRe2(pattern)
  const usage = { on: false, off: false }
  foldUsage(root, usage)
  const ctx: EmitContext = { manualFold: usage.on && usage.off }
  const source = emitNode(root, ctx)
  return { source, flags: usage.on && !usage.off ? 'iv' : 'v', names, root, emit: (n) => emitNode(n, ctx) }
}
