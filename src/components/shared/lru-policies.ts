/**
 * Eviction policies of the `lru` cache, after the reference's `golang-lru` v2 package: `standard`
 * (least recently used), `two_queues` (2Q: entries seen once wait in a FIFO before earning a place
 * in the frequent LRU; a ghost list remembers recent evictions) and `arc` (adaptive replacement:
 * the split between recent and frequent adapts to hits on ghost lists). A JS Map keeps insertion
 * order, so delete + set moves a key to the most recent end and the first key is the oldest.
 */

export interface LruPolicy {
  /** Value, counting as a use. */
  get(key: string): Uint8Array | undefined
  /** Value without counting as a use. */
  peek(key: string): Uint8Array | undefined
  add(key: string, value: Uint8Array): void
  remove(key: string): void
}

/** A bounded ordered map: `add` past the size evicts the oldest. */
class Ordered<V> {
  readonly map = new Map<string, V>()
  get size(): number {
    return this.map.size
  }
  has(key: string): boolean {
    return this.map.has(key)
  }
  /** Moves `key` to the most recent end. */
  touch(key: string): V | undefined {
    const v = this.map.get(key)
    if (v === undefined) return undefined
    this.map.delete(key)
    this.map.set(key, v)
    return v
  }
  set(key: string, v: V): void {
    this.map.delete(key)
    this.map.set(key, v)
  }
  delete(key: string): boolean {
    return this.map.delete(key)
  }
  removeOldest(): [string, V] | undefined {
    const first = this.map.entries().next()
    if (first.done) return undefined
    this.map.delete(first.value[0])
    return first.value
  }
}

export class StandardLru implements LruPolicy {
  readonly #items = new Ordered<Uint8Array>()
  readonly #size: number
  constructor(size: number) {
    this.#size = size
  }
  get(key: string): Uint8Array | undefined {
    return this.#items.touch(key)
  }
  peek(key: string): Uint8Array | undefined {
    return this.#items.map.get(key)
  }
  add(key: string, value: Uint8Array): void {
    this.#items.set(key, value)
    if (this.#items.size > this.#size) this.#items.removeOldest()
  }
  remove(key: string): void {
    this.#items.delete(key)
  }
}

export class TwoQueueLru implements LruPolicy {
  readonly #size: number
  readonly #recentSize: number
  readonly #recent = new Ordered<Uint8Array>()
  readonly #frequent = new Ordered<Uint8Array>()
  readonly #ghosts = new Ordered<true>()
  readonly #ghostSize: number

  constructor(size: number, recentRatio: number, ghostRatio: number) {
    if (recentRatio < 0 || recentRatio > 1) throw new Error('invalid recent ratio')
    if (ghostRatio < 0 || ghostRatio > 1) throw new Error('invalid ghost ratio')
    this.#size = size
    this.#recentSize = Math.trunc(size * recentRatio)
    this.#ghostSize = Math.trunc(size * ghostRatio)
  }

  get(key: string): Uint8Array | undefined {
    const f = this.#frequent.touch(key)
    if (f !== undefined) return f
    const r = this.#recent.map.get(key)
    if (r === undefined) return undefined
    this.#recent.delete(key)
    this.#frequent.set(key, r)
    return r
  }

  peek(key: string): Uint8Array | undefined {
    return this.#frequent.map.get(key) ?? this.#recent.map.get(key)
  }

  add(key: string, value: Uint8Array): void {
    if (this.#frequent.has(key)) return this.#frequent.set(key, value)
    if (this.#recent.delete(key)) return this.#frequent.set(key, value)
    if (this.#ghosts.delete(key)) {
      this.#ensureSpace(true)
      return this.#frequent.set(key, value)
    }
    this.#ensureSpace(false)
    this.#recent.set(key, value)
  }

  remove(key: string): void {
    this.#frequent.delete(key) || this.#recent.delete(key) || this.#ghosts.delete(key)
  }

  #ensureSpace(recentEvict: boolean): void {
    const recentLen = this.#recent.size
    if (recentLen + this.#frequent.size < this.#size) return
    if (recentLen > 0 && (recentLen > this.#recentSize || (recentLen === this.#recentSize && !recentEvict))) {
      const old = this.#recent.removeOldest()
      if (old) {
        this.#ghosts.set(old[0], true)
        if (this.#ghosts.size > this.#ghostSize) this.#ghosts.removeOldest()
      }
      return
    }
    this.#frequent.removeOldest()
  }
}

export class ArcLru implements LruPolicy {
  readonly #size: number
  /** Target size of t1 (recent), adapted on ghost hits. */
  #p = 0
  readonly #t1 = new Ordered<Uint8Array>()
  readonly #t2 = new Ordered<Uint8Array>()
  readonly #b1 = new Ordered<true>()
  readonly #b2 = new Ordered<true>()

  constructor(size: number) {
    this.#size = size
  }

  get(key: string): Uint8Array | undefined {
    const r = this.#t1.map.get(key)
    if (r !== undefined) {
      this.#t1.delete(key)
      this.#t2.set(key, r)
      return r
    }
    return this.#t2.touch(key)
  }

  peek(key: string): Uint8Array | undefined {
    return this.#t1.map.get(key) ?? this.#t2.map.get(key)
  }

  add(key: string, value: Uint8Array): void {
    if (this.#t1.delete(key)) return this.#t2.set(key, value)
    if (this.#t2.has(key)) return this.#t2.set(key, value)
    const b1 = this.#b1.size
    const b2 = this.#b2.size
    if (this.#b1.has(key)) {
      const delta = b2 > b1 ? Math.trunc(b2 / b1) : 1
      this.#p = Math.min(this.#p + delta, this.#size)
      if (this.#t1.size + this.#t2.size >= this.#size) this.#replace(false)
      this.#b1.delete(key)
      return this.#t2.set(key, value)
    }
    if (this.#b2.has(key)) {
      const delta = b1 > b2 ? Math.trunc(b1 / b2) : 1
      this.#p = delta >= this.#p ? 0 : this.#p - delta
      if (this.#t1.size + this.#t2.size >= this.#size) this.#replace(true)
      this.#b2.delete(key)
      return this.#t2.set(key, value)
    }
    if (this.#t1.size + this.#t2.size >= this.#size) this.#replace(false)
    if (this.#b1.size > this.#size - this.#p) this.#b1.removeOldest()
    if (this.#b2.size > this.#p) this.#b2.removeOldest()
    this.#t1.set(key, value)
  }

  remove(key: string): void {
    this.#t1.delete(key) || this.#t2.delete(key) || this.#b1.delete(key) || this.#b2.delete(key)
  }

  #replace(b2HasKey: boolean): void {
    const t1 = this.#t1.size
    if (t1 > 0 && (t1 > this.#p || (t1 === this.#p && b2HasKey))) {
      const old = this.#t1.removeOldest()
      if (old) this.#b1.set(old[0], true)
    } else {
      const old = this.#t2.removeOldest()
      if (old) this.#b2.set(old[0], true)
    }
  }
}
