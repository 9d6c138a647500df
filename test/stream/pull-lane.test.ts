/**
 * The pull lane (stream/stream.ts): with no buffer, synchronous processors and an output that
 * writes synchronously, a transaction the read loop reads runs through the pipeline and the output
 * within the loop. Each test runs the same stream with an output that writes synchronously (the
 * lane) and one that does not (the layered path): what the stream delivers, acks and counts must
 * not depend on which one carried it.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startStream, deadline, until } from './harness.js'
import { TEST_SPECS, capture, acks, events } from './test-components.js'

const lanes = [
  ['the pull lane', true],
  ['the layered path', false],
] as const

test('on the pull lane a read is written and acked before the next read; the layered path reads ahead', async (t) => {
  for (const [label, sync] of lanes) {
    const name = `order-${sync}`
    const h = await startStream(
      t,
      {
        input: { acking: { name, messages: ['a', 'b', 'c'] } },
        pipeline: { processors: [{ mapping: 'root = content().uppercase()' }] },
        output: { capture: { name, sync } },
      },
      { extraSpecs: TEST_SPECS },
    )
    await deadline(h.stream.finished, 10_000, `stream on ${label} to finish`)
    assert.deepEqual(capture(name).texts, ['A', 'B', 'C'], label)
    assert.deepEqual(acks.get(name), ['a:ok', 'b:ok', 'c:ok'], label)
    const log = events.get(name)!
    if (sync) assert.deepEqual(log, ['read:a', 'write:A', 'ack:a:ok', 'read:b', 'write:B', 'ack:b:ok', 'read:c', 'write:C', 'ack:c:ok'])
    else assert.ok(log.indexOf('read:b') < log.indexOf('ack:a:ok'), `the layered path reads b before a is acked: ${log.join(' ')}`)
  }
})

test('counts, latencies and processor errors are the same on the pull lane as on the layered path', async (t) => {
  const seen: Record<string, unknown>[] = []
  for (const [label, sync] of lanes) {
    const name = `metrics-${sync}`
    const h = await startStream(
      t,
      {
        input: { generate: { count: 4, interval: '', mapping: 'root = {"n": counter()}' } },
        pipeline: { processors: [{ mapping: 'root = if this.n == 2 { throw("two") } else { this }' }, { mapping: 'root = if this.n == 3 { deleted() } else { this }' }] },
        output: { capture: { name, sync } },
      },
      { extraSpecs: TEST_SPECS },
    )
    await deadline(h.stream.finished, 10_000, `stream on ${label} to finish`)
    assert.deepEqual(capture(name).texts, ['{"n":1}', '{"n":2}', '{"n":4}'], label)
    assert.deepEqual(capture(name).errors, ['', 'failed assignment (line 1): two', ''], label)
    const stats = h.metrics.stats()
    const counts: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(stats)) {
      if (k === 'uptime_ns') continue
      if (typeof v === 'number') counts[k] = v
      // A timer observed once per message: its count is what both paths must agree on.
      else if (k.includes('_latency_ns')) counts[k] = 'observed'
    }
    seen.push(counts)
  }
  assert.equal(seen[0]!['output_sent{label="",path="root.output",stream="test"}'], 3)
  assert.equal(seen[0]!['processor_error{label="",path="root.pipeline.processors.0",stream="test"}'], 1)
  assert.deepEqual(seen[0], seen[1])
})

test('on the pull lane an output error nacks back to the input, and generate replays in order', async (t) => {
  const name = 'lane-nack'
  const h = await startStream(
    t,
    {
      input: { acking: { name, messages: ['a', 'b'] } },
      output: { capture: { name, fail_first: 1, error: 'disk on fire', sync: true } },
    },
    { extraSpecs: TEST_SPECS },
  )
  await deadline(h.stream.finished, 10_000, 'stream to finish')
  assert.deepEqual(acks.get(name), ['a:disk on fire', 'b:ok'])
  assert.deepEqual(capture(name).texts, ['b'])
  assert.equal(h.metrics.stats()['output_error{label="",path="root.output",stream="test"}'], 1)
  assert.ok(h.logs.some((l) => l.includes('msg="Failed to send message to capture: disk on fire"')))

  const replay = 'lane-replay'
  const g = await startStream(
    t,
    {
      input: { generate: { count: 3, interval: '', mapping: 'root = count("lane-replay")' } },
      pipeline: { processors: [{ mutation: 'root = this + 100' }] },
      output: { capture: { name: replay, fail_first: 2, sync: true } },
    },
    { extraSpecs: TEST_SPECS },
  )
  await deadline(g.stream.finished, 10_000, 'replaying stream to finish')
  // A replayed message starts again from what the input produced: 101, not 201.
  assert.deepEqual(capture(replay).texts, ['101', '102', '103'])
  assert.equal(capture(replay).attempts, 5)
})

test('an endless stream on the pull lane pauses, resumes and stops gracefully with everything read delivered', async (t) => {
  const name = 'lane-endless'
  const h = await startStream(
    t,
    {
      input: { generate: { count: 0, interval: '', mapping: 'root = counter()' } },
      pipeline: { processors: [{ mapping: 'root = this' }] },
      output: { capture: { name, sync: true } },
    },
    { extraSpecs: TEST_SPECS },
  )
  const sent = () => h.metrics.stats()['output_sent{label="",path="root.output",stream="test"}'] as number
  await until('messages flowing', () => capture(name).texts.length >= 1000)
  h.stream.pause()
  await until('the stream paused', () => h.stream.stats().paused === true)
  // Reads already past the gate finish; after that nothing moves until resume.
  await until('the written count settles', async () => {
    const before = capture(name).texts.length
    await new Promise((r) => setImmediate(r))
    return capture(name).texts.length === before
  })
  const held = capture(name).texts.length
  // A running loop writes on every one of these turns (it yields with setImmediate every 5 ms).
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r))
  assert.equal(capture(name).texts.length, held, 'nothing is written while paused')
  h.stream.resume()
  await until('messages flowing again', () => capture(name).texts.length > held + 1000)
  const outcome = await h.stream.stop(5_000)
  assert.deepEqual(outcome, { graceful: true, inFlight: 0 })
  const texts = capture(name).texts
  assert.equal(sent(), texts.length)
  assert.equal(h.metrics.stats()['input_received{label="",path="root.input",stream="test"}'], texts.length)
  // In order, none skipped or repeated.
  assert.ok(texts.every((x, i) => x === String(i + 1)), 'messages 1..n in order')
})

test('a connection lost on a direct write is waited out and the write retried, not nacked', async (t) => {
  for (const [label, sync] of lanes) {
    const name = `lost-${sync}`
    const h = await startStream(
      t,
      {
        input: { acking: { name, messages: ['a', 'b', 'c', 'd'] } },
        pipeline: { processors: [{ mapping: 'root = content().uppercase()' }] },
        output: { capture: { name, sync, lose_connection_at: 2 } },
      },
      { extraSpecs: TEST_SPECS },
    )
    await deadline(h.stream.finished, 10_000, `stream on ${label} to finish`)
    assert.deepEqual(capture(name).texts, ['A', 'B', 'C', 'D'], label)
    assert.deepEqual(acks.get(name), ['a:ok', 'b:ok', 'c:ok', 'd:ok'], label)
    const s = h.metrics.stats()
    assert.equal(s['output_connection_lost{label="",path="root.output",stream="test"}'], 1, label)
    assert.equal(s['output_error{label="",path="root.output",stream="test"}'], 0, label)
    assert.equal(s['output_sent{label="",path="root.output",stream="test"}'], 4, label)
  }
})
