/**
 * Per-execution state of a mapping. One ExecContext is created per message execution (or reused
 * by a host that runs sequentially) and passed to every compiled closure; rebinding `this` for
 * lambdas mutates `self` and restores it, so no allocation happens per element.
 * Method/function implementations normally only pass it through to queries.
 */
import { boxFractions } from '../value/json-parse.js'
import { JsonNumber, type Result, type Value } from '../value/value-types.js'

/** What Bloblang needs from a message (src/message/message.ts `Message` satisfies it). */
export interface MessageView {
  bytes(): Uint8Array
  structured(): Value
  /** The parsed content with its fractions possibly unboxed (see Message.structuredUnboxed). */
  structuredUnboxed?(): Value
  readonly unboxedFractions?: boolean
  readonly metadata: ReadonlyMap<string, Value>
  error: { message: string; sourceName?: string; sourceLabel?: string; sourcePath?: string } | undefined
}

/**
 * The metadata a mapping reads (`@`) and writes (`meta`). A message is one (its metadata is
 * copy-on-write); `MapMeta` wraps a plain map.
 */
export interface MetaTarget {
  readonly metadata: ReadonlyMap<string, Value>
  /** The map to edit, copied first when it is shared. */
  metaMut(): Map<string, Value>
}

/** A plain map as a MetaTarget: `owned` false copies it on the first write. */
export class MapMeta implements MetaTarget {
  #map: ReadonlyMap<string, Value>
  #owned: boolean

  constructor(map: ReadonlyMap<string, Value>, owned: boolean) {
    this.#map = map
    this.#owned = owned
  }

  get metadata(): ReadonlyMap<string, Value> {
    return this.#map
  }

  metaMut(): Map<string, Value> {
    if (!this.#owned) {
      this.#map = new Map(this.#map)
      this.#owned = true
    }
    return this.#map as Map<string, Value>
  }
}

/** Sentinel for "`this` not parsed yet" (the input is parsed only when referenced). */
export const UNPARSED: unique symbol = Symbol('unparsed')

export class ExecContext {
  /** The current `this`. */
  self: Result | typeof UNPARSED
  /**
   * The input document while its fractions may be unboxed (Message.structuredUnboxed): whatever
   * is read out of it is boxed on the way (`boxRead`), so no other code meets such a fraction.
   */
  unboxedSelf: Value | undefined = undefined
  /** Values of lambda names in scope, by compile-time slot. */
  slots: Result[] = []
  /** `let` variables (one flat scope per execution; `apply` gets a fresh one). Created on first use. */
  #vars: Map<string, Value> | undefined
  /** The document being built (`root` on the right-hand side reads it). */
  root: Result
  /** Metadata of the output message (`@` reads, `meta` writes). Undefined where metadata is unavailable. */
  #meta: MetaTarget | undefined
  /** Batch and the message's position: message functions read `batch[index]`. */
  batch: readonly MessageView[]
  index: number
  /** Nesting depth of `apply` calls (bounded). */
  depth = 0
  /** Why `this` could not be parsed (set when loading it failed). */
  parseError: string | undefined

  constructor(batch: readonly MessageView[], index: number, self: Result | typeof UNPARSED, root: Result, meta: MetaTarget | undefined) {
    this.batch = batch
    this.index = index
    this.self = self
    this.root = root
    this.#meta = meta
  }

  get vars(): Map<string, Value> {
    return (this.#vars ??= new Map())
  }

  set vars(v: Map<string, Value>) {
    this.#vars = v
  }

  /** The metadata `@` reads; undefined where metadata is unavailable. */
  get meta(): ReadonlyMap<string, Value> | undefined {
    return this.#meta?.metadata
  }

  /** The metadata `meta` statements edit (copied first when shared). */
  metaMut(): Map<string, Value> | undefined {
    return this.#meta?.metaMut()
  }

  /**
   * Evaluates a query parameter in the current context (`this` unchanged), as functions such as
   * `counter(set: ...)` do; methods pass an element instead: `q(ctx, element)`.
   */
  here(q: (ctx: ExecContext, value: Result) => Result): Result {
    if (this.self === this.unboxedSelf) boxRead(this, this.self)
    return q(this, this.self as Result)
  }

  /** The message functions refer to (undefined outside the batch, e.g. `.from(99)`). */
  message(): MessageView | undefined {
    return this.batch[this.index]
  }
}

/** A value read out of `c.unboxedSelf`, with the fractions in it boxed as json.Numbers. */
export function boxRead(c: ExecContext, v: Result): Result {
  if (typeof v === 'number') return Number.isInteger(v) ? v : JsonNumber.fraction(v)
  if (typeof v === 'object' && v !== null) {
    boxFractions(v)
    if (v === c.unboxedSelf) c.unboxedSelf = undefined
  }
  return v
}
