/**
 * The worker side of the live tap (`GET /streams/{id}/tap`): one slot per tap point (after the
 * input, after each pipeline processor, before the output). The hot path reads its slot and does
 * nothing else while nobody listens; a slot turned on samples what passes, bounded in rate and
 * size, and hands samples to `sink` in batches (the worker posts them as `tap.events`).
 */
import type { Batch } from '../message/message.js'
import type { TapEvent } from '../protocol/messages.js'
import { valueToString } from '../value/index.js'

/** Events a point emits per second at most (clients can ask for fewer). */
export const TAP_MAX_PER_SECOND = 50
/** Content bytes kept per event; the rest is cut and the event says so. */
export const TAP_MAX_BYTES = 16 * 1024
/** Samples wait this long so a busy point posts one message per period, not one per batch. */
const FLUSH_MS = 100

const decoder = new TextDecoder()

export type TapSink = (point: string, events: TapEvent[]) => void

export class TapBoard {
  /** 1 = someone listens at that point. Read on the hot path: keep it a typed array. */
  readonly on: Uint8Array
  readonly points: readonly string[]
  #sink: TapSink | undefined
  readonly #windowStart: number[]
  readonly #taken: number[]
  readonly #skipped: number[]
  #pending: { slot: number; events: TapEvent[] }[] = []
  #timer: NodeJS.Timeout | undefined

  /** `processors`: how many pipeline processors can be tapped (0 when they run on a pool). */
  constructor(processors: number) {
    const points = ['input']
    for (let i = 0; i < processors; i++) points.push(`processor:${i}`)
    points.push('output')
    this.points = points
    this.on = new Uint8Array(points.length)
    this.#windowStart = points.map(() => 0)
    this.#taken = points.map(() => 0)
    this.#skipped = points.map(() => 0)
  }

  get outputSlot(): number {
    return this.points.length - 1
  }

  /** Where samples go (set by the worker before any tap starts). */
  setSink(sink: TapSink): void {
    this.#sink = sink
  }

  /** Turn a point on; false when the stream has no such point. */
  start(point: string): boolean {
    const slot = this.points.indexOf(point)
    if (slot === -1) return false
    this.on[slot] = 1
    this.#skipped[slot] = 0
    return true
  }

  stop(point: string): void {
    const slot = this.points.indexOf(point)
    if (slot !== -1) this.on[slot] = 0
  }

  /** Points someone listens to now (shown in the stream's stats). */
  active(): string[] {
    return this.points.filter((_, i) => this.on[i] === 1)
  }

  /** Called only when `on[slot]` is set: samples `batches` within the point's budget. */
  offer(slot: number, batches: Batch | readonly Batch[]): void {
    const now = Date.now()
    if (now - this.#windowStart[slot]! >= 1000) {
      this.#windowStart[slot] = now
      this.#taken[slot] = 0
    }
    const list = isBatch(batches) ? [batches] : batches
    let events: TapEvent[] | undefined
    for (const batch of list) {
      for (const msg of batch) {
        if (this.#taken[slot]! >= TAP_MAX_PER_SECOND) {
          this.#skipped[slot]!++
          continue
        }
        this.#taken[slot]!++
        events ??= this.#bucket(slot)
        events.push(sample(msg, now, this.#skipped[slot]!))
        this.#skipped[slot] = 0
      }
    }
    if (events && this.#timer === undefined) {
      this.#timer = setTimeout(this.#flush, FLUSH_MS)
      this.#timer.unref()
    }
  }

  #bucket(slot: number): TapEvent[] {
    const found = this.#pending.find((p) => p.slot === slot)
    if (found) return found.events
    const events: TapEvent[] = []
    this.#pending.push({ slot, events })
    return events
  }

  #flush = (): void => {
    this.#timer = undefined
    const pending = this.#pending
    this.#pending = []
    for (const p of pending) if (this.on[p.slot] === 1) this.#sink?.(this.points[p.slot]!, p.events)
  }
}

function isBatch(x: Batch | readonly Batch[]): x is Batch {
  return x.length === 0 || !Array.isArray(x[0])
}

function sample(msg: Batch[number], now: number, skipped: number): TapEvent {
  const bytes = msg.bytes()
  const cut = bytes.length > TAP_MAX_BYTES
  const metadata: Record<string, string> = {}
  for (const [k, v] of msg.metadata) metadata[k] = valueToString(v)
  return {
    at: now,
    content: decoder.decode(cut ? bytes.subarray(0, TAP_MAX_BYTES) : bytes),
    bytes: bytes.length,
    truncated: cut,
    metadata,
    ...(msg.error ? { error: msg.error.message } : {}),
    ...(skipped > 0 ? { skipped } : {}),
  }
}
