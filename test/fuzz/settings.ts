/**
 * Shared fast-check settings for the fuzz tests. `npm test` runs every property with a fixed seed
 * and a small run count so the suite stays fast and reproducible; `FUZZ_RUNS=n` (and optionally
 * `FUZZ_SEED=s`) turns the same properties into a long hunt (`npm run fuzz`, README).
 */
import type { Parameters } from 'fast-check'

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
