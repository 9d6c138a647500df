/**
 * Values under small integer handles, for per-request bookkeeping on hot paths (pending replies,
 * abort subscribers, RPCs in flight).
 *
 * Why not a Map keyed by a request counter: a hash table that gains and loses a key per request
 * rehashes again and again, and V8 links each discarded table to its successor. Once one of those
 * tables has been promoted to the old generation, the scavenger treats what it points at as live,
 * so every later table, and every request it held, is promoted too, until the next full GC.
 * Measured on the stream endpoint path: 3.5 MB promoted per scavenge and 5-10 ms pauses with a
 * Map, nothing promoted and 0.6 ms pauses with this table. Slots in a plain array, reused through
 * a free list, never rehash.
 *
 * A handle is `generation * SLOTS + slot`, kept below 2^31 so it stays a small integer; the
 * generation makes a handle that outlived its entry (a late reply after a timeout) miss instead
 * of hitting the slot's next occupant.
 */

const SLOT_BITS = 22
const SLOTS = 1 << SLOT_BITS
const GENERATIONS = 1 << (31 - SLOT_BITS)

export class SlotTable<T> {
  #values: (T | undefined)[] = []
  #generations: number[] = []
  #free: number[] = []
  #size = 0

  get size(): number {
    return this.#size
  }

  /** Stores `value` and returns its handle. */
  add(value: T): number {
    let slot = this.#free.pop()
    if (slot === undefined) {
      slot = this.#values.length
      if (slot >= SLOTS) throw new RangeError(`more than ${SLOTS} entries in flight`)
      this.#values.push(value)
      this.#generations.push(0)
    } else {
      this.#values[slot] = value
    }
    this.#size++
    return this.#generations[slot]! * SLOTS + slot
  }

  /** Removes the entry and returns its value; undefined when the handle is stale or unknown. */
  take(handle: number): T | undefined {
    const slot = handle & (SLOTS - 1)
    if (this.#generations[slot] !== handle >>> SLOT_BITS) return undefined
    const v = this.#values[slot]
    if (v === undefined) return undefined
    this.#values[slot] = undefined
    this.#generations[slot] = (this.#generations[slot]! + 1) % GENERATIONS
    this.#free.push(slot)
    this.#size--
    return v
  }

  delete(handle: number): boolean {
    return this.take(handle) !== undefined
  }

  /** Handles of every entry, in slot order (a snapshot: safe to take entries while iterating it). */
  handles(): number[] {
    const out: number[] = []
    const vs = this.#values
    for (let i = 0; i < vs.length; i++) if (vs[i] !== undefined) out.push(this.#generations[i]! * SLOTS + i)
    return out
  }

  /** Removes every entry and returns their values, in slot order. */
  drain(): T[] {
    const out: T[] = []
    for (const h of this.handles()) out.push(this.take(h)!)
    return out
  }
}
