/**
 * Reload as a diff (after Vector's `config/diff.rs`): what runs against what is wanted, as the ids
 * to add, change and remove. Pure: no threads, no files, no clock.
 */

export interface StreamPlan {
  add: string[]
  change: string[]
  remove: string[]
}

/**
 * Compare what runs with what is wanted, each an id → version map (the two may hold different
 * version types). `same` decides whether a wanted version is what already runs;
 * ids whose versions are the same appear nowhere in the plan. Each list is sorted.
 *
 * @example
 * diffStreams(new Map([['a', 'h1'], ['b', 'h2']]), new Map([['b', 'h3'], ['c', 'h4']]), (x, y) => x === y)
 * // { add: ['c'], change: ['b'], remove: ['a'] }
 */
export function diffStreams<R, W>(running: ReadonlyMap<string, R>, wanted: ReadonlyMap<string, W>, same: (running: R, wanted: W) => boolean): StreamPlan {
  const plan: StreamPlan = { add: [], change: [], remove: [] }
  for (const id of running.keys()) if (!wanted.has(id)) plan.remove.push(id)
  for (const [id, v] of wanted) {
    if (!running.has(id)) plan.add.push(id)
    else if (!same(running.get(id)!, v)) plan.change.push(id)
  }
  plan.add.sort()
  plan.change.sort()
  plan.remove.sort()
  return plan
}

/** Every running id is replaced, as the reference's `POST /streams` does: it never compares configs. */
export const ALWAYS_CHANGED = (): boolean => false
