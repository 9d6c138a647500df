/**
 * Remembers the original order of a batch across child processors that regroup or replace its
 * messages (the reference's `message.SortGroup`): each message's context gets a tag that copies
 * carry along (contexts are shared by reference), and `reorder` sorts results back by that tag.
 */
import type { Message, MessageContext } from '../../message/message.js'

export class SortGroup {
  /** A key of our own, so nested groups (a switch in a switch) never see each other's tags. */
  readonly #key = Symbol('sort-group')

  /** Tags every message of `batch` with its index. */
  constructor(batch: readonly Message[]) {
    for (let i = 0; i < batch.length; i++) {
      const m = batch[i]!
      m.context = Object.create(m.context, { [this.#key]: { value: i, enumerable: false } }) as MessageContext
    }
  }

  /** The original index of `m` (or of the message it was copied from), -1 when unknown. */
  indexOf(m: Message): number {
    const v = (m.context as Record<symbol, unknown>)[this.#key]
    return typeof v === 'number' ? v : -1
  }

  /**
   * Stable sort of `parts` by original index (a message without a tag keeps its position as its
   * key, as the reference does), then removes the tags.
   */
  reorder(parts: Message[]): Message[] {
    const keyed = parts.map((m, pos) => {
      const i = this.indexOf(m)
      return { m, key: i >= 0 ? i : pos, pos }
    })
    keyed.sort((a, b) => a.key - b.key || a.pos - b.pos)
    const out = keyed.map((k) => k.m)
    this.release(out)
    return out
  }

  /** Removes this group's tags from `parts`. */
  release(parts: readonly Message[]): void {
    for (const m of parts) {
      if (Object.prototype.hasOwnProperty.call(m.context, this.#key)) m.context = Object.getPrototypeOf(m.context) as MessageContext
    }
  }
}
