/** Case-insensitive matching by expansion: the code points RE2's simple case folding treats as equal. */
import { escapeCp } from './js-pattern-text.js'

// Fold orbits that toLowerCase/toUpperCase alone do not connect (Kelvin sign, long s, Greek
// symbol forms, Cyrillic historic forms...). Members are confirmed against the `i` flag anyway.
const EXTRA_ORBITS: readonly (readonly number[])[] = [
  [0x4b, 0x6b, 0x212a], [0x53, 0x73, 0x17f], [0xc5, 0xe5, 0x212b], [0x3a9, 0x3c9, 0x2126],
  [0xdf, 0x1e9e], [0xb5, 0x3bc, 0x39c], [0x345, 0x3b9, 0x399, 0x1fbe], [0x3b2, 0x3d0, 0x392],
  [0x3b5, 0x3f5, 0x395], [0x3b8, 0x3d1, 0x398, 0x3f4], [0x3ba, 0x3f0, 0x39a], [0x3c0, 0x3d6, 0x3a0],
  [0x3c1, 0x3f1, 0x3a1], [0x3c2, 0x3c3, 0x3a3], [0x3c6, 0x3d5, 0x3a6], [0x1e61, 0x1e9b, 0x1e60],
  [0x432, 0x1c80, 0x412], [0x434, 0x1c81, 0x414], [0x43e, 0x1c82, 0x41e], [0x441, 0x1c83, 0x421],
  [0x442, 0x1c84, 0x1c85, 0x422], [0x44a, 0x1c86, 0x42a], [0x463, 0x1c87, 0x462], [0xa64b, 0x1c88, 0xa64a],
]

const variantCache = new Map<number, number[]>()

/** The code points a case-insensitive match treats as equal to `cp` (including itself). */
export function caseVariants(cp: number): number[] {
  const hit = variantCache.get(cp)
  if (hit !== undefined) return hit
  const found = new Set<number>([cp])
  const addMappings = (c: number): void => {
    const ch = String.fromCodePoint(c)
    for (const m of [ch.toLowerCase(), ch.toUpperCase()]) {
      const first = m.codePointAt(0)!
      if (m.length === (first > 0xffff ? 2 : 1)) found.add(first)
    }
  }
  addMappings(cp)
  for (const c of [...found]) addMappings(c)
  for (const orbit of EXTRA_ORBITS) if (orbit.some((c) => found.has(c))) for (const c of orbit) found.add(c)
  const probe = new RegExp(`^${escapeCp(cp)}$`, 'iv')
  const out = [...found].filter((c) => c === cp || probe.test(String.fromCodePoint(c))).sort((a, b) => a - b)
  variantCache.set(cp, out)
  return out
}

/** Whether `cp` has other case forms (so folding changes what it matches). */
export function hasCase(cp: number): boolean {
  const ch = String.fromCodePoint(cp)
  return ch.toLowerCase() !== ch.toUpperCase() || EXTRA_ORBITS.some((o) => o.includes(cp))
}

// Folding very wide ranges by enumeration is not worth it; they keep their literal bounds.
const MAX_FOLD_ENUMERATION = 4096

/** Ranges plus the case variants of their members, merged and sorted. */
export function foldRanges(ranges: readonly number[]): number[] {
  const points: number[] = []
  const wide: number[] = []
  for (let i = 0; i < ranges.length; i += 2) {
    const lo = ranges[i]!
    const hi = ranges[i + 1]!
    if (hi - lo > MAX_FOLD_ENUMERATION) {
      wide.push(lo, hi)
      continue
    }
    for (let c = lo; c <= hi; c++) {
      if (hasCase(c)) points.push(...caseVariants(c))
      else points.push(c)
    }
  }
  points.sort((a, b) => a - b)
  const out: number[] = []
  for (const p of points) {
    const n = out.length
    if (n > 0 && p <= out[n - 1]! + 1) out[n - 1] = Math.max(out[n - 1]!, p)
    else out.push(p, p)
  }
  return [...out, ...wide]
}
