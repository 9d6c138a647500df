/**
 * The snapshot buffer a worker shares with the main thread: offsets survive UTF-8, a reader never
 * returns a torn snapshot (a writer on another thread rewriting nonstop, and a write caught half
 * done), and a snapshot that outgrows the buffer moves to a bigger one.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads'
import { SnapshotReader, SnapshotWriter, type PackedSnapshot } from '../../src/protocol/snapshot-buffer.js'

const UTF8 = new TextDecoder()

function written(text: string, offsets: number[], table: string): { reader: SnapshotReader; buffers: SharedArrayBuffer[]; writer: SnapshotWriter } {
  const buffers: SharedArrayBuffer[] = []
  const writer = new SnapshotWriter((b) => buffers.push(b))
  writer.write(text, offsets, table)
  return { reader: new SnapshotReader(buffers[0]!), buffers, writer }
}

test('offsets given in UTF-16 units come back as byte offsets at the same places, non-BMP text included', () => {
  const text = 'a{k="é"} 1\nb{k="🚀流"} 2\n\nc 3\n'
  const offsets = [0, text.indexOf('b'), text.indexOf('c'), text.length]
  const { reader } = written(text, offsets, 'tablé\n')
  const s = reader.read()!
  assert.equal(UTF8.decode(s.text), text)
  assert.equal(UTF8.decode(s.table), 'tablé\n')
  assert.deepEqual(
    [...s.offsets].map((o) => UTF8.decode(s.text.subarray(0, o))),
    offsets.map((o) => text.slice(0, o)),
  )
  // Unchanged: the very same object, nothing copied.
  assert.equal(reader.read(), s)
})

test('heap figures and the beat: written apart from snapshots, carried into a new buffer', () => {
  const buffers: SharedArrayBuffer[] = []
  const writer = new SnapshotWriter((b) => buffers.push(b))
  writer.heap(5_000_000_000, 8_000_000_000)
  writer.write('x 1\n', [0], '')
  const reader = new SnapshotReader(buffers[0]!)
  assert.deepEqual(reader.heap(), { heapUsed: 5_000_000_000, heapLimit: 8_000_000_000 })
  const beat = reader.beat()
  writer.heap(6, 8)
  assert.deepEqual(reader.heap(), { heapUsed: 6, heapLimit: 8 })
  assert.notEqual(reader.beat(), beat)
  writer.write('y '.repeat(100_000), [0], '')
  assert.equal(buffers.length, 2)
  const bigger = new SnapshotReader(buffers[1]!)
  assert.deepEqual(bigger.heap(), { heapUsed: 6, heapLimit: 8 })
  assert.ok(bigger.beat() > beat)
  assert.equal(bigger.read()!.text.length, 200_000)
})

test('a write caught half done: readers keep to the complete slot and never look at the one being written', () => {
  const { reader, buffers } = written('first\n', [0], 'one\n')
  const words = new Int32Array(buffers[0]!)
  const bytes = new Uint8Array(buffers[0]!)
  const seq = words[0]!
  const slotBytes = words[2]!
  const slot = (k: number): number => 32 + (k & 1) * slotBytes
  // The writer has begun the next snapshot: SEQ odd, the other slot half scribbled.
  Atomics.store(words, 0, seq + 1)
  bytes.fill(0x7a, slot((seq >>> 1) + 1) + 16, slot((seq >>> 1) + 1) + 64)
  const fresh = new SnapshotReader(buffers[0]!)
  assert.equal(UTF8.decode(fresh.read()!.text), 'first\n')
  assert.equal(UTF8.decode(reader.read()!.text), 'first\n')
})

// The writer thread: snapshot k is a text of one letter, k-dependent length and offsets, and the
// table `k`, so any mix of two snapshots shows. It rewrites nonstop until told to stop.
const WRITER = `
import { workerData } from 'node:worker_threads'
const { SnapshotWriter } = await import(workerData.module)
const stop = new Int32Array(workerData.stop)
const writer = new SnapshotWriter((b) => workerData.port.postMessage(b))
for (let k = 0; Atomics.load(stop, 0) === 0; k++) {
  const len = 500 + ((k * 7919) % 6000)
  const text = String.fromCharCode(65 + (k % 26)).repeat(len)
  writer.write(text, [0, len >> 1, len - (k % 50)], String(k))
}
`

function expectWhole(s: PackedSnapshot): number {
  const k = Number(UTF8.decode(s.table))
  const len = 500 + ((k * 7919) % 6000)
  assert.equal(s.text.length, len, `snapshot ${k}: length`)
  const letter = 65 + (k % 26)
  for (let i = 0; i < s.text.length; i++) if (s.text[i] !== letter) assert.fail(`snapshot ${k}: byte ${i} is ${s.text[i]}, not ${letter}`)
  assert.deepEqual([...s.offsets], [0, len >> 1, len - (k % 50)], `snapshot ${k}: offsets`)
  return k
}

test('a reader racing a writer on another thread never returns a torn snapshot (and the buffer grows under it)', async (t) => {
  const stop = new SharedArrayBuffer(4)
  const { port1, port2 } = new MessageChannel()
  const module = new URL('../../src/protocol/snapshot-buffer.js', import.meta.url).href
  const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(WRITER)}`), { workerData: { module, stop, port: port2 }, transferList: [port2] })
  t.after(async () => {
    Atomics.store(new Int32Array(stop), 0, 1)
    await w.terminate()
    port1.close()
  })
  let failed: Error | undefined
  w.once('error', (err) => (failed = err))
  // Buffers are taken off the port synchronously (as a scrape reads), never through a listener.
  let announced = receiveMessageOnPort(port1)
  for (const deadline = Date.now() + 60_000; !announced; announced = receiveMessageOnPort(port1)) {
    assert.ok(!failed && Date.now() < deadline, `no buffer from the writer: ${String(failed)}`)
    await new Promise((r) => setTimeout(r, 5))
  }
  let reader = new SnapshotReader(announced.message as SharedArrayBuffer)
  let buffers = 1
  const seen = new Set<number>()
  let last = -1
  const deadline = Date.now() + 10_000
  // Synchronous reads, as a scrape does them; a new buffer is picked up between reads.
  for (let i = 0; seen.size < 20_000 && Date.now() < deadline; i++) {
    const next = receiveMessageOnPort(port1)
    if (next) {
      reader = new SnapshotReader(next.message as SharedArrayBuffer)
      buffers++
    }
    const s = reader.read()
    assert.ok(s, 'a readable snapshot')
    const k = expectWhole(s)
    assert.ok(k >= last, `snapshot ${k} after ${last}`)
    last = k
    seen.add(k)
  }
  // Many distinct snapshots, so the reads really raced the writes.
  assert.ok(seen.size >= 20, `only ${seen.size} snapshots seen`)
  assert.ok(buffers >= 2, 'the writer outgrew its first buffer')
})
