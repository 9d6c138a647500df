/**
 * The worker side of `/metrics`: a registry's series are written to the snapshot buffer when they
 * change, several changes within the interval in one snapshot, an unchanged text not again; the
 * buffer is posted once, and again only when the series outgrow it.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MetricsPublisher } from '../../src/metrics/publisher.js'
import { WorkerMetrics } from '../../src/metrics/worker-metrics.js'
import { SnapshotReader } from '../../src/protocol/snapshot-buffer.js'

const SETTINGS = { mapping: '', useHistogramTiming: false, histogramBuckets: [], summaryQuantiles: [] }
const UTF8 = new TextDecoder()

/** The main thread's side: every announced buffer, and reads of the latest. */
function mainSide(): { buffers: SharedArrayBuffer[]; announce: (b: SharedArrayBuffer) => void; reader: () => SnapshotReader; text: () => string; version: () => number; changed: (from: number) => Promise<void> } {
  const buffers: SharedArrayBuffer[] = []
  let reader: SnapshotReader | undefined
  const side = {
    buffers,
    announce: (b: SharedArrayBuffer) => {
      buffers.push(b)
      reader = new SnapshotReader(b)
    },
    reader: () => reader!,
    text: () => UTF8.decode(reader!.read()!.text),
    version: () => reader!.read()!.version,
    // The publisher's timers are unref'd (they must not keep a thread alive): this poll keeps the test's loop up.
    changed: async (from: number) => {
      const deadline = Date.now() + 30_000
      while (side.version() === from) {
        assert.ok(Date.now() < deadline, 'no new snapshot within 30 s')
        await new Promise((r) => setTimeout(r, 5))
      }
    },
  }
  return side
}

test('the first snapshot is written at start; changes follow in one snapshot per interval; heap figures ride along', async (t) => {
  const m = new WorkerMetrics('s', SETTINGS)
  const received = m.view('root.input', '').counter('input_received')
  const main = mainSide()
  const p = new MetricsPublisher(m, main.announce, { intervalMs: 20, heapEveryMs: 60_000 })
  t.after(() => p.stop())
  p.start()
  assert.equal(main.buffers.length, 1)
  assert.match(main.text(), /^input_received\{label="",path="root\.input",stream="s"\} 0$/m)
  const heap = main.reader().heap()
  assert.ok(heap.heapUsed > 0 && heap.heapLimit > heap.heapUsed, JSON.stringify(heap))

  const first = main.version()
  received.inc()
  received.inc()
  received.inc(3)
  await main.changed(first)
  assert.equal(main.version(), first + 1)
  assert.match(main.text(), /^input_received\{label="",path="root\.input",stream="s"\} 5$/m)
  assert.equal(main.buffers.length, 1)
})

test('an update that leaves the text as it was writes heap figures only; an explicit publish writes at once', (t) => {
  const m = new WorkerMetrics('s', SETTINGS)
  const up = m.view('root.output', '').gauge('output_connection_up')
  const main = mainSide()
  const p = new MetricsPublisher(m, main.announce, { intervalMs: 60_000, heapEveryMs: 60_000 })
  t.after(() => p.stop())
  p.start()
  const first = main.version()
  const beat = main.reader().beat()
  up.set(0)
  p.publish()
  assert.equal(main.version(), first)
  assert.notEqual(main.reader().beat(), beat, 'the heap write still proves the loop turns')

  up.set(1)
  p.publish()
  assert.equal(main.version(), first + 1)
  assert.match(main.text(), /^output_connection_up\{label="",path="root\.output",stream="s"\} 1$/m)
  assert.equal(m.changed, false)
})

test('stop publishes what changed since the last snapshot', () => {
  const m = new WorkerMetrics('s', SETTINGS)
  const sent = m.view('root.output', '').counter('output_sent')
  const main = mainSide()
  const p = new MetricsPublisher(m, main.announce, { intervalMs: 60_000, heapEveryMs: 60_000 })
  p.start()
  sent.inc(7)
  p.stop()
  assert.match(main.text(), /^output_sent\{label="",path="root\.output",stream="s"\} 7$/m)
})

test('series that outgrow the buffer go to a bigger one, announced once; the old one keeps the last snapshot it had', (t) => {
  const m = new WorkerMetrics('many', SETTINGS)
  const hits = m.view('root.pipeline.processors.0', '').counter('hits', ['key'])
  hits.inc(1, ['first'])
  const main = mainSide()
  const p = new MetricsPublisher(m, main.announce, { intervalMs: 60_000, heapEveryMs: 60_000 })
  t.after(() => p.stop())
  p.start()
  const small = main.buffers[0]!
  const before = main.text()
  for (let i = 0; i < 5000; i++) hits.inc(i, [`key-${i}-é🚀`])
  p.publish()
  assert.equal(main.buffers.length, 2)
  assert.ok(main.buffers[1]!.byteLength > 100 * small.byteLength, `${small.byteLength} -> ${main.buffers[1]!.byteLength}`)
  const text = main.text()
  assert.equal(text.split('\n').filter((l) => l.startsWith('hits{')).length, 5001)
  assert.match(text, /^hits\{key="key-4999-é🚀",label="",path="root\.pipeline\.processors\.0",stream="many"\} 4999$/m)
  assert.ok(main.reader().heap().heapUsed > 0, 'heap figures carried into the new buffer')
  // Until the main thread takes the new buffer, the old one still reads whole.
  assert.equal(UTF8.decode(new SnapshotReader(small).read()!.text), before)
  // Smaller again: it stays in the big buffer.
  hits.inc(1, ['first'])
  p.publish()
  assert.equal(main.buffers.length, 2)
})
