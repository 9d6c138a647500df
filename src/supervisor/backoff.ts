/**
 * Restart back-off for crashed streams: exponential with full jitter, reset once a worker has been
 * stable for `stableMs`.
 */
export interface BackoffPolicy {
  initialMs: number
  maxMs: number
  /** A worker alive this long counts as healthy again: the next crash starts from `initialMs`. */
  stableMs: number
  /** Consecutive crashes after which the state reads `crash_looping`. */
  loopThreshold: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 200, maxMs: 30_000, stableMs: 60_000, loopThreshold: 3 }

/** Delay before restart number `attempt` (1-based); `random` is injectable for tests. */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, attempt - 1))
  // Half fixed, half jitter: never zero, and streams that crash together spread out.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}
