/**
 * A worker's latest metrics snapshot in memory shared with the main thread: the worker writes each
 * new one in place (`SnapshotWriter`), the main thread copies the latest at scrape time
 * (`SnapshotReader`). No message per snapshot: with 100 busy streams, ~140 snapshot messages a
 * second each woke the main thread and left a string to deserialise and collect. Only a new buffer
 * (the first one, or a bigger one when the series outgrow it) crosses the port, as `metrics.buffer`.
 *
 * It lives in protocol/ (not metrics/) because the supervisor reads it (heartbeat, scrape targets)
 * and metrics/ sits above the supervisor. What the bytes mean (family blocks, the families table)
 * is metrics/block-index.ts's business; this file only moves a text, its offsets and a side table.
 *
 * Layout (native-endian words; both sides are threads of one process), by byte offset:
 *
 *   0   SEQ        Int32  seqlock word (below)
 *   4   BEAT       Int32  bumped on every write and heap update: the heartbeat's proof of a turning loop
 *   8   SLOT_BYTES Int32  capacity of each slot
 *   16  HEAP_USED  BigInt64  V8 heap figures of the worker, atomic, outside the seqlock
 *   24  HEAP_LIMIT BigInt64
 *   32  slot 0, then slot 1 at 32 + SLOT_BYTES; each slot:
 *         0  text bytes (T)   4  offset count (N)   8  table bytes (F)   12  unused
 *         16 N Int32 byte offsets into the text, then the text (T bytes, UTF-8), then the table (F bytes)
 *
 * Seqlock with two slots: snapshot k (k = SEQ >>> 1) is complete in slot k & 1. The writer makes
 * SEQ odd, fills the other slot, then makes SEQ even again, so slot (k + 1) & 1 holds snapshot
 * k + 1. A reader copies slot k & 1 while the writer fills the other one, so it retries only when
 * SEQ reached 2k + 3 meanwhile (the writer started on the reader's slot again: two writes within
 * one copy). Atomics are sequentially consistent, so the copy cannot be reordered around the two
 * loads of SEQ that bracket it.
 */

/**
 * What a reader gets: a private copy of the latest snapshot. Its memory is reused: it stays intact
 * while it is the reader's latest and until the reader has copied one more after it (the reader
 * alternates between two copy areas; a copy per read cost more than the rest of a scrape).
 */
export interface PackedSnapshot {
  /** Snapshot number within its buffer (a new buffer starts again). */
  readonly version: number
  readonly text: Uint8Array
  /** Byte offsets into `text`, as the writer was given them in UTF-16 offsets. */
  readonly offsets: Int32Array
  /** The side table as UTF-8 bytes. */
  readonly table: Uint8Array
}

const SEQ = 0
const BEAT = 1
const SLOT_BYTES = 2
const HEADER_BYTES = 32
/** Text length, offset count, table length, padding. */
const SLOT_HEAD = 16
/** A slot is a multiple of this, so the next one's Int32 offsets stay aligned. */
const SLOT_ALIGN = 4096
/** Retries before a reader settles for the snapshot it read last (a writer rewriting nonstop). */
const MAX_ATTEMPTS = 1000

const UTF8 = new TextEncoder()

/**
 * The worker side. Allocates its buffer at the first write, sized for that snapshot with room to
 * grow, and a bigger one (announced again) when a snapshot outgrows it.
 */
export class SnapshotWriter {
  readonly #announce: (buffer: SharedArrayBuffer) => void
  #words: Int32Array | undefined
  #bytes: Uint8Array | undefined
  #heap: BigInt64Array | undefined
  #slotBytes = 0
  #heapUsed = 0
  #heapLimit = 0
  #beat = 0

  /** `announce` hands a new buffer to the main thread (before any reader can need it). */
  constructor(announce: (buffer: SharedArrayBuffer) => void) {
    this.#announce = announce
  }

  /**
   * Publishes `text`, its `offsets` (UTF-16 offsets into `text`, ascending) and `table`.
   *
   * @example writer.write('# HELP a h\n…', [0, 28], 'a counter 0 h\n')
   */
  write(text: string, offsets: readonly number[], table: string): void {
    const textBytes = Buffer.byteLength(text)
    const need = SLOT_HEAD + offsets.length * 4 + textBytes + Buffer.byteLength(table)
    const fresh = need > this.#slotBytes
    if (fresh) this.#allocate(need)
    const words = this.#words!
    const bytes = this.#bytes!
    const seq = Atomics.load(words, SEQ)
    const base = HEADER_BYTES + (((seq >>> 1) + 1) & 1) * this.#slotBytes
    Atomics.store(words, SEQ, seq + 1)
    const at = base >> 2
    words[at] = textBytes
    words[at + 1] = offsets.length
    const textAt = base + SLOT_HEAD + offsets.length * 4
    // All ASCII (the usual case): UTF-16 and byte offsets agree.
    if (textBytes === text.length) words.set(offsets, at + 4)
    else byteOffsets(text, offsets, words, at + 4)
    UTF8.encodeInto(text, bytes.subarray(textAt, textAt + textBytes))
    const { written } = UTF8.encodeInto(table, bytes.subarray(textAt + textBytes, base + this.#slotBytes))
    words[at + 2] = written
    Atomics.store(words, SEQ, seq + 2)
    this.#bumpBeat()
    if (fresh) this.#announce(words.buffer as SharedArrayBuffer)
  }

  /** The worker's heap figures, read with every snapshot; also proves the loop turns. */
  heap(used: number, limit: number): void {
    this.#heapUsed = used
    this.#heapLimit = limit
    if (!this.#heap) return
    Atomics.store(this.#heap, 0, BigInt(used))
    Atomics.store(this.#heap, 1, BigInt(limit))
    this.#bumpBeat()
  }

  #bumpBeat(): void {
    this.#beat = (this.#beat + 1) | 0
    Atomics.store(this.#words!, BEAT, this.#beat)
  }

  /** A new buffer for snapshots of `need` bytes, with half as much again to grow into. */
  #allocate(need: number): void {
    const slot = Math.ceil((need * 1.5) / SLOT_ALIGN) * SLOT_ALIGN
    const buffer = new SharedArrayBuffer(HEADER_BYTES + 2 * slot)
    this.#words = new Int32Array(buffer)
    this.#bytes = new Uint8Array(buffer)
    this.#heap = new BigInt64Array(buffer, 16, 2)
    this.#slotBytes = slot
    this.#words[SLOT_BYTES] = slot
    // Carried over, so the new buffer reads as the old one did until the next update.
    this.#words[BEAT] = this.#beat
    this.#heap[0] = BigInt(this.#heapUsed)
    this.#heap[1] = BigInt(this.#heapLimit)
  }
}

/** UTF-16 offsets into `text` as UTF-8 byte offsets, written to `out` from `at`. */
function byteOffsets(text: string, offsets: readonly number[], out: Int32Array, at: number): void {
  let char = 0
  let byte = 0
  for (let i = 0; i < offsets.length; i++) {
    const next = offsets[i]!
    // Offsets sit at line and field boundaries, never inside a surrogate pair.
    byte += Buffer.byteLength(text.slice(char, next))
    char = next
    out[at + i] = byte
  }
}

/** The main-thread side of one buffer; cheap to ask repeatedly while nothing changes. */
export class SnapshotReader {
  readonly #words: Int32Array
  readonly #bytes: Uint8Array
  readonly #heap: BigInt64Array
  readonly #slotBytes: number
  #last: PackedSnapshot | undefined
  /** Where snapshots are copied, in turn: a new one never lands where `#last` is. */
  readonly #areas: [Uint8Array, Uint8Array] = [new Uint8Array(0), new Uint8Array(0)]
  #area = 0

  constructor(buffer: SharedArrayBuffer) {
    this.#words = new Int32Array(buffer)
    this.#bytes = new Uint8Array(buffer)
    this.#heap = new BigInt64Array(buffer, 16, 2)
    this.#slotBytes = this.#words[SLOT_BYTES]!
  }

  /**
   * The latest complete snapshot: the same object as last time while no new one was written;
   * undefined only when none could be read (the writer announces a buffer after its first write).
   */
  read(): PackedSnapshot | undefined {
    const words = this.#words
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const s1 = Atomics.load(words, SEQ)
      const version = s1 >>> 1
      if (this.#last?.version === version) return this.#last
      const base = HEADER_BYTES + (version & 1) * this.#slotBytes
      const at = base >> 2
      const textBytes = words[at]!
      const count = words[at + 1]!
      const tableBytes = words[at + 2]!
      const used = SLOT_HEAD + count * 4 + textBytes + tableBytes
      // Lengths read while the writer was on this slot may be anything: bound them before copying.
      const sane = textBytes >= 0 && count >= 0 && tableBytes >= 0 && used <= this.#slotBytes
      const copy = sane ? this.#areaFor(used) : undefined
      copy?.set(this.#bytes.subarray(base, base + used))
      const s2 = Atomics.load(words, SEQ)
      if (((s2 - (s1 & ~1)) | 0) > 2 || !copy) continue
      const textAt = SLOT_HEAD + count * 4
      this.#area ^= 1
      this.#last = {
        version,
        offsets: new Int32Array(copy.buffer, SLOT_HEAD, count),
        text: copy.subarray(textAt, textAt + textBytes),
        table: copy.subarray(textAt + textBytes, textAt + textBytes + tableBytes),
      }
      return this.#last
    }
    return this.#last
  }

  /** The copy area not holding the latest snapshot, `size` bytes or more. */
  #areaFor(size: number): Uint8Array {
    let area = this.#areas[this.#area]
    if (area.length < size) this.#areas[this.#area] = area = new Uint8Array(Math.min(this.#slotBytes, Math.ceil((size * 1.25) / 1024) * 1024))
    return area
  }

  /** The worker's latest heap figures (they move apart from snapshots). */
  heap(): { heapUsed: number; heapLimit: number } {
    return { heapUsed: Number(Atomics.load(this.#heap, 0)), heapLimit: Number(Atomics.load(this.#heap, 1)) }
  }

  /** Changes whenever the worker wrote a snapshot or its heap figures. */
  beat(): number {
    return Atomics.load(this.#words, BEAT)
  }
}
