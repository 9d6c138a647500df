/**
 * Which RE2 patterns V8's backtracking engine provably runs in linear time, so that the regex
 * methods can keep V8's speed for them and send everything else to the RE2 engine.
 *
 * The tree is flattened (through groups and top-level concatenation) into elements: assertions,
 * single characters, repeats of a single character class, and bounded blocks (anything without an
 * unbounded repeat, e.g. `(GET|POST)` or `\d{1,3}`). A pattern qualifies when:
 *
 *  D. every repeat with a choice (min < max) is followed by text that cannot start with one of its
 *     characters: its class is disjoint from the first characters of the rest, up to and including
 *     the first element that must consume. Shortening such a run puts one of its own characters in
 *     front of the rest, which then fails in O(elements) without consuming, so one attempt costs
 *     O(elements × blocks' paths × scanned length) instead of a product of run lengths; and
 *  S. attempts at different start positions cannot rescan the same text more than a bounded number
 *     of times, because one of:
 *     a. the pattern starts with `^`/`\A` (text start), so only one attempt gets past it;
 *     b. it has no choice repeat at all (every attempt scans a bounded width);
 *     c. before the first choice repeat there is a one-character element whose class is disjoint
 *        from every choice repeat's: an attempt that gets past it at position y has that character
 *        at a position no earlier attempt consumed with a repeat, so at most (fixed width × paths)
 *        attempts scan any one position;
 *     d. everything after the first choice repeat is an optional repeat: once the first repeat has
 *        its minimum the attempt succeeds, and the next search starts after that match;
 *     e. the pattern starts with a choice repeat over class C (the "guard"), and every choice
 *        repeat after it has a class inside C, or all elements after the rest's first choice
 *        repeat are optional repeats. By D, an attempt inside a run of C succeeds only if the
 *        attempt at the run's first character does, so the caller only starts attempts where
 *        the previous character is not in C (a look-behind) or at the search start (a sticky
 *        attempt). Runs of C are then scanned once by the repeat; the rest rescans a position
 *        only from starts it consumed with a fixed element (class inside C) or never fails
 *        after its first choice repeat has its minimum.
 *
 * Sets are over-approximations (char-set.ts), so "disjoint" is never claimed wrongly.
 */
import type { Node } from './re2-ast.js'
import { NONE, charSetOf, intersects, union, type CharSet } from './char-set.js'

type Elem =
  | { k: 'assert'; textStart: boolean }
  | { k: 'rep'; set: CharSet; min: number; max: number }
  | { k: 'block'; first: CharSet; nullable: boolean; paths: number }

/** Bound on the product of the blocks' backtracking paths (each multiplies an attempt's cost). */
const MAX_PATHS = 64

function isOneChar(n: Node): boolean {
  return n.op === 'lit' || n.op === 'class' || n.op === 'any' || (n.op === 'cap' && isOneChar(n.sub))
}

function unwrap(n: Node): Node {
  return n.op === 'cap' ? unwrap(n.sub) : n
}

function oneCharSet(n: Node): CharSet {
  return n.op === 'cap' ? oneCharSet(n.sub) : charSetOf(n)
}

/** Backtracking paths through a node without unbounded repeats; Infinity when unbounded. */
function paths(n: Node): number {
  switch (n.op) {
    case 'cap':
      return paths(n.sub)
    case 'cat':
      return n.subs.reduce((p, s) => Math.min(p * paths(s), Infinity), 1)
    case 'alt':
      return n.subs.reduce((p, s) => p + paths(s), 0)
    case 'rep': {
      // A repeat whose body can match empty is where JavaScript's empty-iteration check departs
      // from RE2's rules, so such patterns go to the RE2 engine whatever their cost.
      if (n.max < 0 || nullable(n.sub)) return Infinity
      const one = paths(n.sub)
      let total = 0
      for (let k = n.min; k <= n.max && total <= MAX_PATHS; k++) total += one ** k
      return total
    }
    default:
      return 1
  }
}

/** Whether the node can match without consuming (assertions count as empty). */
function nullable(n: Node): boolean {
  switch (n.op) {
    case 'lit':
    case 'class':
    case 'any':
      return false
    case 'cap':
      return nullable(n.sub)
    case 'rep':
      return n.min === 0 || nullable(n.sub)
    case 'cat':
      return n.subs.every(nullable)
    case 'alt':
      return n.subs.some(nullable)
    default:
      return true
  }
}

/** Characters the node's first consumed character can be. */
function first(n: Node): CharSet {
  switch (n.op) {
    case 'lit':
    case 'class':
    case 'any':
      return charSetOf(n)
    case 'cap':
    case 'rep':
      return n.op === 'rep' && n.max === 0 ? NONE : first(n.sub)
    case 'cat': {
      let acc: CharSet = NONE
      for (const s of n.subs) {
        acc = union(acc, first(s))
        if (!nullable(s)) break
      }
      return acc
    }
    case 'alt':
      return n.subs.reduce<CharSet>((acc, s) => union(acc, first(s)), NONE)
    default:
      return NONE
  }
}

/** Flatten into elements; undefined when some part is neither a simple repeat nor bounded. */
function flatten(n: Node, out: Elem[], nodes: Node[]): boolean {
  switch (n.op) {
    case 'cat':
      return n.subs.every((s) => flatten(s, out, nodes))
    case 'cap':
      return flatten(n.sub, out, nodes)
    case 'lit':
    case 'class':
    case 'any':
      out.push({ k: 'rep', set: charSetOf(n), min: 1, max: 1 })
      return true
    case 'bot':
      out.push({ k: 'assert', textStart: true })
      return true
    case 'bol':
    case 'eol':
    case 'eot':
    case 'wb':
    case 'nwb':
    case 'empty':
      out.push({ k: 'assert', textStart: false })
      return true
    case 'rep':
      if (isOneChar(n.sub)) {
        nodes[out.length] = unwrap(n.sub)
        out.push({ k: 'rep', set: oneCharSet(n.sub), min: n.min, max: n.max })
        return true
      }
      return block(n, out)
    case 'alt':
      return block(n, out)
  }
}

function block(n: Node, out: Elem[]): boolean {
  const p = paths(n)
  if (!(p <= MAX_PATHS)) return false
  out.push({ k: 'block', first: first(n), nullable: nullable(n), paths: p })
  return true
}

const isChoice = (e: Elem): e is Elem & { k: 'rep' } => e.k === 'rep' && e.min !== e.max

function elemFirst(e: Elem): CharSet {
  return e.k === 'assert' ? NONE : e.k === 'rep' ? (e.max === 0 ? NONE : e.set) : e.first
}

function elemNullable(e: Elem): boolean {
  return e.k === 'assert' || (e.k === 'rep' ? e.min === 0 : e.nullable)
}

/**
 * How V8 may run a pattern in linear time: not at all (undefined), as it is ({}), or only with
 * attempts restricted to the starts of runs of `guard`, a one-character node (case e).
 */
export interface LinearPlan {
  readonly guard?: Node
}

/** Whether V8's backtracking engine runs the (RE2-parsed) pattern in time linear in the input. */
export function backtrackingIsLinear(root: Node): boolean {
  return linearPlan(root) !== undefined
}

/** See the module comment. */
export function linearPlan(root: Node): LinearPlan | undefined {
  const els: Elem[] = []
  const nodes: Node[] = []
  if (!flatten(root, els, nodes)) return undefined
  let product = 1
  for (const e of els) if (e.k === 'block') product *= e.paths
  if (product > MAX_PATHS) return undefined

  // D: a choice repeat's class is disjoint from what can follow it.
  let follow: CharSet = NONE
  for (let i = els.length - 1; i >= 0; i--) {
    const e = els[i]!
    if (isChoice(e) && intersects(e.set, follow)) return undefined
    follow = elemNullable(e) ? union(elemFirst(e), follow) : elemFirst(e)
  }

  // S: bounded rescanning across start positions.
  const firstChoice = els.findIndex(isChoice)
  if (firstChoice < 0) return {} // b
  for (const e of els) {
    if (e.k === 'assert' && e.textStart) return {} // a
    if (e.k !== 'assert') break
  }
  let choices: CharSet = NONE
  for (const e of els) if (isChoice(e)) choices = union(choices, e.set)
  for (let i = 0; i < firstChoice; i++) {
    const e = els[i]!
    if (e.k === 'rep' && e.min >= 1 && !intersects(e.set, choices)) return {} // c
  }
  if (onlyOptionalRepeats(els.slice(firstChoice + 1))) return {} // d
  // An unbounded repeat only: a bounded one started inside a long run can match where the run's start cannot.
  if (firstChoice === 0 && (els[0] as Elem & { k: 'rep' }).max < 0) {
    const guard = els[0] as Elem & { k: 'rep' }
    const rest = els.slice(1)
    const restChoice = rest.findIndex(isChoice)
    const inside = rest.every((e) => !isChoice(e) || subset(e.set, guard.set))
    if (inside || onlyOptionalRepeats(rest.slice(restChoice + 1))) return { guard: nodes[0]! } // e
  }
  return undefined
}

function onlyOptionalRepeats(els: readonly Elem[]): boolean {
  return els.every((e) => e.k === 'rep' && e.min === 0 && e.max !== e.min)
}

/** a ⊆ b for sorted range lists. */
function subset(a: CharSet, b: CharSet): boolean {
  let j = 0
  for (let i = 0; i < a.length; i += 2) {
    while (j < b.length && b[j + 1]! < a[i]!) j += 2
    if (j >= b.length || b[j]! > a[i]! || b[j + 1]! < a[i + 1]!) return false
  }
  return true
}

