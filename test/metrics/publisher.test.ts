/**
 * The worker side of `/metrics`: a registry's series are pushed when they change, several changes
 * within the interval in one snapshot, an unchanged text not again.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MetricsPublisher } from '../../src/metrics/publisher.js'
import { WorkerMetrics } from '../../src/metrics/worker-metrics.js'
import type { MetricsSnapshot } from '../../src/protocol/messages.js'

const SETTINGS = { mapping: '', useHistogramTiming: false, histogramBuckets: [], summaryQuantiles: [] }

/** Collects posts; `next()` resolves with the next one (an event, not a sleep). */
function sink(): { posts: MetricsSnapshot[]; post: (s: MetricsSnapshot) => void; next: () => Promise<MetricsSnapshot> } {
  const posts: MetricsSnapshot[] = []
  let waiter: ((s: MetricsSnapshot) => void) | undefined
  return {
    posts,
    post: (s) => {
      posts.push(s)
      const w = waiter
      waiter = undefined
      w?.(s)
    },
    // The publisher's timers are unref'd (they must not keep a thread alive): the deadline keeps this test's loop up.
    next: () =>
      new Promise((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error('no snapshot within 30 s')), 30_000)
        waiter = (snap) => {
          clearTimeout(deadline)
          resolve(snap)
        }
      }),
  }
}

test('the first snapshot goes out at start; changes follow in one snapshot per interval; heap figures ride along', async (t) => {
  const m = new WorkerMetrics('s', SETTINGS)
  const view = m.view('root.input', '')
  const received = view.counter('input_received')
  const s = sink()
  const p = new MetricsPublisher(m, s.post, { intervalMs: 20, heapEveryMs: 60_000 })
  t.after(() => p.stop())
  p.start()
  assert.equal(s.posts.length, 1)
  assert.match(s.posts[0]!.text!, /^input_received\{label="",path="root\.input",stream="s"\} 0$/m)
  assert.ok(s.posts[0]!.heapUsed > 0 && s.posts[0]!.heapLimit > s.posts[0]!.heapUsed)

  const next = s.next()
  received.inc()
  received.inc()
  received.inc(3)
  const snap = await next
  assert.equal(s.posts.length, 2)
  assert.match(snap.text!, /^input_received\{label="",path="root\.input",stream="s"\} 5$/m)
})

test('an update that leaves the text as it was sends heap figures only; an explicit snapshot resets the schedule', async (t) => {
  const m = new WorkerMetrics('s', SETTINGS)
  const up = m.view('root.output', '').gauge('output_connection_up')
  const s = sink()
  const p = new MetricsPublisher(m, s.post, { intervalMs: 20, heapEveryMs: 60_000 })
  t.after(() => p.stop())
  p.start()
  const next = s.next()
  up.set(0)
  const same = await next
  assert.equal(same.text, undefined)
  assert.equal(typeof same.heapUsed, 'number')

  up.set(1)
  const now = p.snapshot()
  assert.match(now.text!, /^output_connection_up\{label="",path="root\.output",stream="s"\} 1$/m)
  assert.equal(m.changed, false)
})

test('stop publishes what changed since the last snapshot', () => {
  const m = new WorkerMetrics('s', SETTINGS)
  const sent = m.view('root.output', '').counter('output_sent')
  const s = sink()
  const p = new MetricsPublisher(m, s.post, { intervalMs: 60_000, heapEveryMs: 60_000 })
  p.start()
  sent.inc(7)
  p.stop()
  assert.equal(s.posts.length, 2)
  assert.match(s.posts[1]!.text!, /^output_sent\{label="",path="root\.output",stream="s"\} 7$/m)
})
