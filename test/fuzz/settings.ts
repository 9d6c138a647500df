/**
 * Shared fast-check settings for the fuzz tests. `npm test` runs every property with a fixed seed
 * and a small run count so the suite stays fast and reproducible; `FUZZ_RUNS=n` (and optionally
 * `FUZZ_SEED=s`) turns the same properties into a long hunt (`npm run fuzz`, README).
 */
import fc, { type IProperty, type Parameters } from 'fast-check'

/** Seed used when FUZZ_SEED is not set: every `npm test` replays the same cases. */
const DEFAULT_SEED = 20261207

export const FUZZ_SEED = envInt('FUZZ_SEED') ?? DEFAULT_SEED
const override = envInt('FUZZ_RUNS')

/** fast-check parameters: `runs` cases unless FUZZ_RUNS overrides it. */
export function fuzzParams<T>(runs: number, extra: Parameters<T> = {}): Parameters<T> {
  return { seed: FUZZ_SEED, numRuns: override ?? runs, includeErrorInReport: true, ...extra }
}

/** Whether a long run was asked for (wider budgets, e.g. per-case deadlines stay but totals grow). */
export const LONG_RUN = override !== undefined

function envInt(name: string): number | undefined {
  const v = process.env[name]
  if (v === undefined || v === '') return undefined
  const n = Number(v)
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, got ${JSON.stringify(v)}`)
  return n
}

/**
 * Near-miss text: `source` with one to three spots cut, doubled or replaced by one of `inserts`
 * (the characters a parser is most likely to trip on).
 */
export function mangle(source: fc.Arbitrary<string>, inserts: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(source, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 4 }), fc.constantFrom(...inserts)), { minLength: 1, maxLength: 3 }))
    .map(([src, edits]) => {
      let s = src
      for (const [at, len, ins] of edits) {
        const i = s.length ? at % s.length : 0
        s = s.slice(0, i) + ins + s.slice(i + len)
      }
      return s
    })
}

/** Runs a property; a counterexample becomes the report rather than a throw (workers post it back). */
export function checkProperty<T>(property: IProperty<T>, params: Parameters<T>): { ok: boolean; report: string } {
  try {
    fc.assert(property, params)
    return { ok: true, report: '' }
  } catch (err) {
    return { ok: false, report: err instanceof Error ? err.message : String(err) }
  }
}
