/**
 * Remembers the original order of a batch across child processors that regroup or replace its
 * messages (the reference's `message.SortGroup`): each message gets its own copy of its context
 * carrying a tag, which copies of the message share (contexts are shared by reference), and
 * `reorder` sorts results back by that tag. Contexts hold only references (the sync-response
 * store), so a copy reaches the same state.
 */
import type { Message, MessageContext } from '../../message/message.js'

/** One key for every group; nested groups (a switch in a switch) chain their tags. */
const TAG: unique symbol = Symbol('sort-group')

interface Tag {
  group: SortGroup
  index: number
  /** The context the message had before tagging, put back by `release`. */
  original: MessageContext
  outer: Tag | undefined
}

type Tagged = MessageContext & { [TAG]?: Tag }

export class SortGroup {
  /** Tags every message of `batch` with its index. */
  constructor(batch: readonly Message[]) {
    for (let i = 0; i < batch.length; i++) {
      const m = batch[i]!
      // A shallow copy, not a prototype link: turning every context into a prototype is slow in V8.
      const original = m.context
      m.context = { ...original, [TAG]: { group: this, index: i, original, outer: (original as Tagged)[TAG] } } as Tagged
    }
  }

  /** The original index of `m` (or of the message it was copied from), -1 when unknown. */
  indexOf(m: Message): number {
    for (let t = (m.context as Tagged)[TAG]; t !== undefined; t = t.outer) if (t.group === this) return t.index
    return -1
  }

  /**
   * Stable sort of `parts` by original index (a message without a tag keeps its position as its
   * key, as the reference does), then removes the tags.
   */
  reorder(parts: Message[]): Message[] {
    let sorted = true
    const keys = new Array<number>(parts.length)
    for (let pos = 0; pos < parts.length; pos++) {
      const i = this.indexOf(parts[pos]!)
      keys[pos] = i >= 0 ? i : pos
      if (pos > 0 && keys[pos]! < keys[pos - 1]!) sorted = false
    }
    let out = parts
    if (!sorted) {
      const order = parts.map((_, pos) => pos).sort((a, b) => keys[a]! - keys[b]! || a - b)
      out = order.map((pos) => parts[pos]!)
    }
    this.release(out)
    return out
  }

  /** Removes this group's tags from `parts` (those directly on their contexts). */
  release(parts: readonly Message[]): void {
    for (const m of parts) {
      const tag = (m.context as Tagged)[TAG]
      if (tag?.group === this) m.context = tag.original
    }
  }
}
