/**
 * Over-approximate character sets of RE2 tree nodes, as sorted code-point range pairs. The
 * linearity check (re2-linear.ts) only needs "these two sets cannot share a character", so every
 * set here may be larger than the truth, never smaller: Unicode properties and folds it cannot
 * enumerate become "any character".
 */
import type { ClassItem, Node } from './re2-ast.js'
import { caseVariants, foldRanges, hasCase } from './re2-case-fold.js'

/** Sorted, non-overlapping [lo, hi, lo, hi, ...] pairs. */
export type CharSet = readonly number[]

const MAX_CP = 0x10ffff
export const ANY: CharSet = [0, MAX_CP]
export const NONE: CharSet = []

export function union(a: CharSet, b: CharSet): CharSet {
  if (a.length === 0) return b
  if (b.length === 0) return a
  return normalize([...a, ...b])
}

/** Sort pairs and merge the ones that touch or overlap. */
function normalize(pairs: readonly number[]): CharSet {
  const idx: number[] = []
  for (let i = 0; i < pairs.length; i += 2) idx.push(i)
  idx.sort((x, y) => pairs[x]! - pairs[y]!)
  const out: number[] = []
  for (const i of idx) {
    const lo = pairs[i]!
    const hi = pairs[i + 1]!
    const n = out.length
    if (n > 0 && lo <= out[n - 1]! + 1) out[n - 1] = Math.max(out[n - 1]!, hi)
    else out.push(lo, hi)
  }
  return out
}

function complement(a: CharSet): CharSet {
  const out: number[] = []
  let next = 0
  for (let i = 0; i < a.length; i += 2) {
    if (a[i]! > next) out.push(next, a[i]! - 1)
    next = a[i + 1]! + 1
  }
  if (next <= MAX_CP) out.push(next, MAX_CP)
  return out
}

export function intersects(a: CharSet, b: CharSet): boolean {
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    if (a[i + 1]! < b[j]!) i += 2
    else if (b[j + 1]! < a[i]!) j += 2
    else return true
  }
  return false
}

/** Folding a wide range is not enumerated by foldRanges (it keeps it unfolded): widen to ANY. */
const FOLD_LIMIT = 4096

function folded(ranges: readonly number[]): CharSet | undefined {
  for (let i = 0; i < ranges.length; i += 2) if (ranges[i + 1]! - ranges[i]! > FOLD_LIMIT) return undefined
  return normalize(foldRanges(ranges))
}

/** The exact set of a class's items, or undefined when it is not known exactly (properties). */
function itemsSet(items: readonly ClassItem[], fold: boolean): CharSet | undefined {
  let acc: CharSet = NONE
  for (const it of items) {
    let s: CharSet | undefined
    if (it.t === 'range') s = fold ? folded([it.lo, it.hi]) : [it.lo, it.hi]
    else if (it.t === 'set') {
      const base = fold ? folded(it.ranges) : normalize(it.ranges)
      s = base === undefined ? undefined : it.neg ? complement(base) : base
    } else s = undefined
    if (s === undefined) return undefined
    acc = union(acc, s)
  }
  return acc
}

/** Characters a one-character node (literal, class, `.`) can match; ANY when unknown. */
export function charSetOf(n: Node): CharSet {
  switch (n.op) {
    case 'lit':
      return n.fold && hasCase(n.cp) ? normalize(caseVariants(n.cp).flatMap((c) => [c, c])) : [n.cp, n.cp]
    case 'class': {
      const s = itemsSet(n.items, n.fold)
      // An inexact set cannot be complemented safely: both cases widen to ANY.
      if (s === undefined) return ANY
      return n.neg ? complement(s) : s
    }
    case 'any':
      return n.nl ? ANY : complement([0x0a, 0x0a])
    default:
      return ANY
  }
}
