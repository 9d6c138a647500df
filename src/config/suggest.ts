/**
 * "Did you mean" hints for unknown field and component names: the nearest known name by edit
 * distance, when it is near enough to be a typo rather than a different word.
 */

/** Levenshtein distance with adjacent transpositions counted as one edit (`mapipng` → `mapping`). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) d[0]![j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1)
      d[i]![j] = v
    }
  }
  return d[a.length]![b.length]!
}

/**
 * The candidate nearest to `word`, if within two edits and a third of the word's length (at
 * least one): `mappings` → `mapping`, but `log` never becomes `noop`. Ties go to the first in
 * sorted order so hints are stable.
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.min(2, Math.max(1, Math.floor(word.length / 3)))
  let best: string | undefined
  let bestD = Infinity
  for (const c of [...new Set(candidates)].sort()) {
    if (c === word) continue
    const dist = editDistance(word.toLowerCase(), c.toLowerCase())
    if (dist <= limit && dist < bestD) {
      best = c
      bestD = dist
    }
  }
  return best
}

/** `did you mean \`mapping\`?`, or undefined when nothing is near. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const n = nearest(word, candidates)
  return n === undefined ? undefined : `did you mean \`${n}\`?`
}
