/**
 * A registry's exposition the way the main thread gets it from a worker: packed, written to a
 * snapshot buffer, read back and cut into byte blocks (the production path minus the thread).
 */
import { SnapshotReader, SnapshotWriter } from '../../src/protocol/snapshot-buffer.js'
import { packExposition, SnapshotCutter } from '../../src/metrics/block-index.js'
import type { BytePart } from '../../src/metrics/merge.js'
import type { Exposition } from '../../src/metrics/worker-metrics.js'

export interface Buffered {
  reader: SnapshotReader
  /** Writes the next exposition (a bigger buffer replaces `reader`, as `metrics.buffer` does). */
  write(e: Exposition): void
  part(): BytePart
}

export function throughBuffer(e: Exposition, heap = { used: 1_000_000, limit: 4_000_000 }): Buffered {
  const cutter = new SnapshotCutter()
  let reader: SnapshotReader | undefined
  const writer = new SnapshotWriter((b) => (reader = new SnapshotReader(b)))
  const out: Buffered = {
    get reader() {
      return reader!
    },
    write: (x) => {
      const p = packExposition(x)
      writer.write(p.text, p.offsets, p.table)
    },
    part: () => cutter.cut(reader!.read()!),
  }
  writer.heap(heap.used, heap.limit)
  out.write(e)
  return out
}
