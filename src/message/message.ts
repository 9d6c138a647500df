/**
 * The message model shared by every component and by Bloblang: raw bytes, lazily parsed structured
 * content, typed metadata, an error flag and a per-request context that survives shallow copies.
 */
import { boxFractions, deepCopy, parseJsonBytesDocument, valueToBytes, valueToString, valueToText, type Value } from '../value/index.js'

const decoder = new TextDecoder()

/** Which component flagged a message as failed (`error_source_*` in Bloblang). */
export interface MessageError {
  message: string
  sourceName?: string
  sourceLabel?: string
  sourcePath?: string
}

/** Sync-response capture: filled by `sync_response` processors/outputs, read by `http_server`. */
export interface SyncResponseStore {
  /** Batches captured so far, in capture order. */
  batches: Message[][]
}

/** Per-transaction state carried by reference through copies (one object per originating request). */
export interface MessageContext {
  syncResponse?: SyncResponseStore
}

export class Message {
  #bytes: Uint8Array | undefined
  #structured: Value | undefined
  #hasStructured = false
  /** The parsed content may hold unboxed fractions (see JsonDocument): `structured()` boxes them. */
  #unboxedFractions = false
  /** The structured value may be referenced by another message (copy before editing it). */
  #shared = false
  /** Undefined until first used: see `#metaSource`. */
  #meta: Map<string, Value> | undefined
  /**
   * Builds the metadata on first use. An input that attaches metadata to every message (HTTP
   * headers, say) pays nothing when no component reads it. Must return a fresh map per call:
   * copies made before first use each build their own.
   */
  #metaSource: (() => Map<string, Value>) | undefined
  /**
   * Another message holds the same metadata map: copy it before the first edit. Copies share it
   * because most never edit it (copying it per copy was a tenth of the HTTP endpoint's CPU).
   */
  #metaShared = false
  error: MessageError | undefined
  context: MessageContext

  /**
   * `metadata` becomes the message's own map (not copied), or, as a function, builds it when it
   * is first read (a fresh map per call).
   */
  constructor(content: Uint8Array | string, metadata?: Map<string, Value> | (() => Map<string, Value>), context?: MessageContext) {
    this.#bytes = typeof content === 'string' ? valueToBytes(content) : content
    if (typeof metadata === 'function') {
      this.#meta = undefined
      this.#metaSource = metadata
    } else {
      this.#meta = metadata
      this.#metaSource = undefined
    }
    this.error = undefined
    this.context = context ?? {}
  }

  /** Metadata for reading; edit through `metaMut()`. */
  get metadata(): ReadonlyMap<string, Value> {
    if (this.#meta !== undefined) return this.#meta
    return this.#metaSource ? this.#materialize() : NO_META
  }

  /** The metadata map for editing (copied first when another message shares it). */
  metaMut(): Map<string, Value> {
    if (this.#meta === undefined) return this.#materialize()
    if (this.#metaShared) {
      this.#meta = new Map(this.#meta)
      this.#metaShared = false
    }
    return this.#meta
  }

  #materialize(): Map<string, Value> {
    const m = this.#metaSource ? this.#metaSource() : new Map<string, Value>()
    this.#metaSource = undefined
    this.#meta = m
    return m
  }

  /** A message whose content is a structured value (serialised only when bytes are asked for). */
  static fromValue(v: Value, metadata?: Map<string, Value>, context?: MessageContext): Message {
    const m = new Message(EMPTY, metadata, context)
    m.setStructured(v)
    return m
  }

  /** Raw content bytes (serialising the structured value if that is the newer form). */
  bytes(): Uint8Array {
    if (this.#bytes === undefined) this.#bytes = valueToBytes(this.#structured as Value)
    return this.#bytes
  }

  /**
   * The content as text when only the structured value holds it (its JSON, or a string value),
   * without encoding it to bytes or keeping it; undefined when the bytes are at hand.
   */
  unencodedText(): string | undefined {
    if (this.#bytes !== undefined) return undefined
    return valueToText(this.#structured as Value)
  }

  /** Content as UTF-8 text. */
  text(): string {
    return decoder.decode(this.bytes())
  }

  setBytes(content: Uint8Array | string): void {
    this.#bytes = typeof content === 'string' ? valueToBytes(content) : content
    this.#structured = undefined
    this.#hasStructured = false
    this.#unboxedFractions = false
    this.#shared = false
  }

  /** Content parsed as JSON (cached). Throws when the content is not exactly one JSON document. */
  structured(): Value {
    if (!this.#hasStructured) this.#parse()
    if (this.#unboxedFractions) {
      // In place: copies that share the document see the same numbers either way.
      boxFractions(this.#structured as Value)
      this.#unboxedFractions = false
    }
    return this.#structured as Value
  }

  /**
   * The parsed content as held, for a reader that boxes what it reads when `unboxedFractions`
   * says so (Bloblang's `this`). Throws like `structured()`.
   */
  structuredUnboxed(): Value {
    if (!this.#hasStructured) this.#parse()
    return this.#structured as Value
  }

  /** Whether `structuredUnboxed()` may hold fractions that stand for json.Numbers (JsonDocument). */
  get unboxedFractions(): boolean {
    return this.#unboxedFractions
  }

  #parse(): void {
    const doc = parseJsonBytesDocument(this.bytes())
    this.#structured = doc.value
    this.#unboxedFractions = doc.unboxedFractions
    this.#hasStructured = true
  }

  /**
   * The structured value for editing in place (the `mutation` processor): copied first when another
   * message shares it, and from now on the bytes are derived from it.
   */
  structuredMut(): Value {
    const v = this.structured()
    if (this.#shared) {
      this.#structured = deepCopy(v)
      this.#shared = false
    }
    this.#bytes = undefined
    return this.#structured as Value
  }

  /**
   * Note that another message may now reference this message's structured value (so in-place
   * edits through `structuredMut` copy it first).
   */
  markStructuredShared(): void {
    if (this.#hasStructured) this.#shared = true
  }

  /** Whether the structured form is already known (no parse needed). */
  hasStructured(): boolean {
    return this.#hasStructured
  }

  /**
   * Replace the content with a structured value. `shared`: the value may reference data other
   * messages hold (Bloblang results do), so `structuredMut` copies before editing.
   */
  setStructured(v: Value, shared = false): void {
    this.#structured = v
    this.#hasStructured = true
    this.#unboxedFractions = false
    this.#shared = shared
    this.#bytes = undefined
  }

  /** Metadata value rendered as a string (undefined when absent). */
  metaString(key: string): string | undefined {
    const v = this.metadata.get(key)
    return v === undefined ? undefined : valueToString(v)
  }

  /**
   * Shallow copy: content and metadata shared until one side writes (writes replace the bytes;
   * in-place edits of the structured value go through `structuredMut` and of the metadata through
   * `metaMut`, which copy a shared value first), context shared by reference.
   */
  copy(): Message {
    const m = new Message(EMPTY, undefined, this.context)
    if (this.#meta !== undefined) {
      m.#meta = this.#meta
      m.#metaShared = true
      this.#metaShared = true
    } else {
      m.#metaSource = this.#metaSource
    }
    m.#bytes = this.#bytes
    m.#structured = this.#structured
    m.#hasStructured = this.#hasStructured
    m.#unboxedFractions = this.#unboxedFractions
    if (this.#hasStructured) {
      m.#shared = true
      this.#shared = true
    }
    m.error = this.error
    return m
  }
}

const EMPTY = new Uint8Array(0)

/** What a message without metadata reads (never handed out for editing). */
const NO_META: ReadonlyMap<string, Value> = new Map()

export type Batch = Message[]
