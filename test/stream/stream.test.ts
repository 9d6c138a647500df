import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync, existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { WeirError } from '../../src/errors.js'
import { startStream, buildError, tempDir, until, deadline } from './harness.js'
import { TEST_SPECS, capture, acks } from './test-components.js'

test('generate count 3 writes exactly three lines to a file output and the stream finishes', async (t) => {
  const dir = tempDir(t)
  const out = join(dir, 'out.txt')
  const h = await startStream(t, {
    input: { generate: { count: 3, interval: '', mapping: 'root = {"n": count("gen")}' } },
    output: { file: { path: out, codec: 'lines' } },
  })
  await deadline(h.stream.finished, 10_000, 'stream to finish')
  assert.equal(readFileSync(out, 'utf8'), '{"n":1}\n{"n":2}\n{"n":3}\n')
  const stats = h.metrics.stats()
  assert.equal(stats['input_received{label="",path="root.input",stream="test"}'], 3)
  assert.equal(stats['output_sent{label="",path="root.output",stream="test"}'], 3)
  assert.equal(stats['output_batch_sent{label="",path="root.output",stream="test"}'], 3)
  assert.deepEqual(
    h.stream.statuses().map((s) => [s.path, s.label]),
    [
      ['input', ''],
      ['output', ''],
    ],
  )
})

test('pipeline processors run in order, split batches, and count processor metrics', async (t) => {
  const name = 'order'
  const h = await startStream(
    t,
    {
      input: { generate: { count: 4, batch_size: 2, interval: '', mapping: 'root = {"n": count("order")}' } },
      pipeline: {
        threads: 1,
        processors: [{ mapping: 'root = this.n * 10' }, { label: 'drop_odd', mutation: 'root = if this % 20 != 0 { deleted() }' }],
      },
      output: { capture: { name } },
    },
    { extraSpecs: TEST_SPECS },
  )
  await deadline(h.stream.finished, 10_000, 'stream to finish')
  assert.deepEqual(capture(name).batches, [['20'], ['40']])
  const s = h.metrics.stats()
  assert.equal(s['processor_received{label="",path="root.pipeline.processors.0",stream="test"}'], 4)
  assert.equal(s['processor_batch_received{label="",path="root.pipeline.processors.0",stream="test"}'], 2)
  assert.equal(s['processor_received{label="drop_odd",path="root.pipeline.processors.1",stream="test"}'], 4)
  assert.equal(s['processor_sent{label="drop_odd",path="root.pipeline.processors.1",stream="test"}'], 2)
})

test('a processor error flags the message, is counted, and the message still reaches the output', async (t) => {
  const name = 'flagged'
  const h = await startStream(
    t,
    {
      input: { acking: { name, messages: ['{"a":1}', 'not json'] } },
      pipeline: { processors: [{ mapping: 'root = this.a + 1' }] },
      output: { capture: { name } },
    },
    { extraSpecs: TEST_SPECS },
  )
  await deadline(h.stream.finished, 10_000, 'stream to finish')
  assert.deepEqual(capture(name).texts, ['2', 'not json'])
  assert.equal(capture(name).errors[0], '')
  assert.match(capture(name).errors[1]!, /./)
  assert.deepEqual(acks.get(name), ['{"a":1}:ok', 'not json:ok'])
  assert.equal(h.metrics.stats()['processor_error{label="",path="root.pipeline.processors.0",stream="test"}'], 1)
  assert.ok(h.logs.some((l) => l.startsWith('level=error ') && l.includes('path=root.pipeline.processors.0')))
})

test('an output error nacks the transaction back to the input', async (t) => {
  const name = 'nacked'
  const h = await startStream(
    t,
    {
      input: { acking: { name, messages: ['a', 'b'] } },
      output: { capture: { name, fail_first: 1, error: 'disk on fire' } },
    },
    { extraSpecs: TEST_SPECS },
  )
  await deadline(h.stream.finished, 10_000, 'stream to finish')
  assert.deepEqual(acks.get(name), ['a:disk on fire', 'b:ok'])
  assert.deepEqual(capture(name).texts, ['b'])
  const s = h.metrics.stats()
  assert.equal(s['output_error{label="",path="root.output",stream="test"}'], 1)
  assert.ok(h.logs.some((l) => l.includes('msg="Failed to send message to capture: disk on fire"')))
})

test('generate replays nacked batches until the output accepts them, then finishes', async (t) => {
  const name = 'replay'
  const h = await startStream(
    t,
    {
      input: { generate: { count: 3, interval: '', mapping: 'root = count("replay")' } },
      output: { capture: { name, fail_first: 2 } },
    },
    { extraSpecs: TEST_SPECS },
  )
  await deadline(h.stream.finished, 10_000, 'stream to finish')
  assert.deepEqual([...capture(name).texts].sort(), ['1', '2', '3'])
  assert.equal(capture(name).attempts, 5)
})

test('input-level and output-level processors run around the pipeline', async (t) => {
  const name = 'levels'
  const h = await startStream(
    t,
    {
      input: { acking: { name, messages: ['{"p":[]}'] }, processors: [{ mapping: 'root.p = this.p.append("in")' }] },
      pipeline: { processors: [{ mapping: 'root.p = this.p.append("pipe")' }] },
      output: { capture: { name }, processors: [{ mapping: 'root.p = this.p.append("out")' }] },
    },
    { extraSpecs: TEST_SPECS },
  )
  await deadline(h.stream.finished, 10_000, 'stream to finish')
  assert.deepEqual(capture(name).texts, ['{"p":["in","pipe","out"]}'])
  assert.equal(h.metrics.stats()['processor_received{label="",path="root.input.processors.0",stream="test"}'], 1)
  assert.equal(h.metrics.stats()['processor_received{label="",path="root.output.processors.0",stream="test"}'], 1)
})

test('filtering every message acks the transaction without reaching the output', async (t) => {
  const name = 'filtered'
  const h = await startStream(
    t,
    {
      input: { acking: { name, messages: ['{"keep":false}', '{"keep":true}'] } },
      pipeline: { processors: [{ mapping: 'root = if this.keep == false { deleted() }' }] },
      output: { capture: { name } },
    },
    { extraSpecs: TEST_SPECS },
  )
  await deadline(h.stream.finished, 10_000, 'stream to finish')
  assert.deepEqual(acks.get(name), ['{"keep":false}:ok', '{"keep":true}:ok'])
  assert.deepEqual(capture(name).texts, ['{"keep":true}'])
})

test('build errors carry the config path and the Bloblang position', async () => {
  const err = await buildError({
    input: { generate: { count: 1, mapping: 'root = 1' } },
    pipeline: { processors: [{ noop: {} }, { mapping: 'root = this.foo.' }] },
    output: { drop: {} },
  })
  assert.ok(err instanceof WeirError)
  assert.equal(err.data.code, 'BLOBLANG_PARSE')
  assert.equal(err.data.path, 'pipeline.processors[1].mapping')
  assert.equal(err.data.line, 1)
  assert.equal(typeof err.data.col, 'number')
})

test('build errors inside object configs point at the field', async () => {
  const err = await buildError({
    input: { generate: { count: 1, mapping: 'root = 1' } },
    pipeline: { processors: [{ log: { fields_mapping: 'root = ' } }] },
    output: { drop: {} },
  })
  assert.ok(err instanceof WeirError)
  assert.equal(err.data.code, 'BLOBLANG_PARSE')
  assert.equal(err.data.path, 'pipeline.processors[0].log.fields_mapping')

  const unknown = await buildError({ input: { generate: { count: 1, mapping: 'root = 1' } }, output: { nope: {} } })
  assert.ok(unknown instanceof WeirError)
  assert.deepEqual([unknown.data.code, unknown.data.path], ['CONFIG_UNKNOWN_COMPONENT', 'output'])

  const required = await buildError({ input: { generate: { count: 1 } }, output: { drop: {} } })
  assert.ok(required instanceof WeirError)
  assert.deepEqual([required.data.code, required.data.path], ['CONFIG_REQUIRED', 'input.generate.mapping'])
})

test('legacy `type:` form and default sections are accepted', async (t) => {
  const name = 'legacy'
  const h = await startStream(
    t,
    { input: { type: 'acking', acking: { name, messages: ['m'] } }, output: { type: 'capture', capture: { name } } },
    { extraSpecs: TEST_SPECS },
  )
  await deadline(h.stream.finished, 10_000, 'stream to finish')
  assert.deepEqual(capture(name).texts, ['m'])
})

test('memory buffer acks at once, re-batches by policy, and requeues nacked batches at the front', async (t) => {
  const name = 'membuf'
  const h = await startStream(
    t,
    {
      input: { acking: { name, messages: ['1', '2', '3', '4', '5'] } },
      buffer: { memory: { batch_policy: { enabled: true, count: 2 } } },
      output: { capture: { name, fail_first: 1 } },
    },
    { extraSpecs: TEST_SPECS },
  )
  await deadline(h.stream.finished, 10_000, 'stream to finish')
  // Acked by the buffer before the output ever failed.
  assert.deepEqual(acks.get(name), ['1:ok', '2:ok', '3:ok', '4:ok', '5:ok'])
  // The failed first batch went back to the front: order and batching survive the retry.
  assert.deepEqual(capture(name).batches, [['1', '2'], ['3', '4'], ['5']])
  assert.equal(capture(name).attempts, 4)
  const s = h.metrics.stats()
  assert.equal(s['buffer_received{label="",path="root.buffer",stream="test"}'], 5)
  assert.equal(s['buffer_batch_sent{label="",path="root.buffer",stream="test"}'], 4)
  assert.equal(s['batch_created{label="",mechanism="count",path="root.buffer",stream="test"}'], 3)
})

test('file input reads files in order with metadata and delete_on_finish removes them', async (t) => {
  const dir = tempDir(t)
  const a = join(dir, 'a.txt')
  const b = join(dir, 'b.txt')
  writeFileSync(a, 'one\r\ntwo\n\nthree')
  writeFileSync(b, 'four\n')
  const mtime = Math.floor(statSync(a).mtimeMs / 1000)
  const name = 'filein'
  const h = await startStream(t, { input: { file: { paths: [join(dir, '*.txt')], delete_on_finish: true } }, output: { capture: { name } } }, { extraSpecs: TEST_SPECS })
  await deadline(h.stream.finished, 10_000, 'stream to finish')
  assert.deepEqual(capture(name).texts, ['one', 'two', '', 'three', 'four'])
  assert.deepEqual(capture(name).metas[0], { path: a, mod_time_unix: String(mtime), mod_time: new Date(mtime * 1000).toISOString().replace('.000Z', 'Z') })
  assert.equal(capture(name).metas[4]!.path, b)
  await until('inputs deleted', () => !existsSync(a) && !existsSync(b))
})

test('file output appends per interpolated path, creating directories', async (t) => {
  const dir = tempDir(t)
  const h = await startStream(t, {
    input: { generate: { count: 4, interval: '', mapping: 'root = {"n": count("fileout"), "k": count("fileout2") % 2}' } },
    output: { file: { path: join(dir, 'sub', '${! json("k") }.txt') } },
  })
  await deadline(h.stream.finished, 10_000, 'stream to finish')
  assert.equal(readFileSync(join(dir, 'sub', '1.txt'), 'utf8'), '{"k":1,"n":1}\n{"k":1,"n":3}\n')
  assert.equal(readFileSync(join(dir, 'sub', '0.txt'), 'utf8'), '{"k":0,"n":2}\n{"k":0,"n":4}\n')
})

test('pause holds the input until resume', async (t) => {
  const name = 'paused'
  const h = await startStream(t, { input: { acking: { name, messages: ['p'] } }, output: { capture: { name } } }, { extraSpecs: TEST_SPECS, paused: true })
  assert.equal(h.stream.stats().paused, true)
  assert.deepEqual(capture(name).texts, [])
  h.stream.resume()
  await deadline(h.stream.finished, 10_000, 'stream to finish')
  assert.deepEqual(capture(name).texts, ['p'])
})

test('graceful stop lets in-flight messages finish and be acked', async (t) => {
  const name = 'graceful'
  const h = await startStream(
    t,
    {
      input: { acking: { name, messages: Array.from({ length: 20 }, (_, i) => `m${i}`) } },
      pipeline: { threads: 2, processors: [{ sleep: { duration: '50ms' } }] },
      output: { capture: { name } },
    },
    { extraSpecs: TEST_SPECS },
  )
  await until('first message written', () => capture(name).texts.length >= 1)
  const outcome = await h.stream.stop(10_000)
  assert.deepEqual(outcome, { graceful: true, inFlight: 0 })
  const seen = acks.get(name)!
  // Every message read was delivered and acked successfully; nothing was lost or nacked.
  assert.ok(seen.length >= 1, `acks: ${seen.join(',')}`)
  assert.ok(seen.every((a) => a.endsWith(':ok')), seen.join(','))
  assert.deepEqual([...capture(name).texts].sort(), seen.map((a) => a.slice(0, -3)).sort())
})

test('a forced stop after the deadline reports who held the messages', async (t) => {
  const name = 'forced'
  const h = await startStream(
    t,
    {
      input: { acking: { name, messages: ['slow'] } },
      pipeline: { processors: [{ sleep: { duration: '1h' } }] },
      output: { capture: { name } },
    },
    { extraSpecs: TEST_SPECS },
  )
  await until('message in the pipeline', () => h.stream.stats().pipeline_busy === 1)
  const outcome = await h.stream.stop(300)
  assert.deepEqual(outcome, { graceful: false, heldBy: 'root.pipeline', inFlight: 1 })
  assert.deepEqual(capture(name).texts, [])
})

test('a replayed batch starts again from the message as the input produced it', async (t) => {
  const name = 'pristine'
  const h = await startStream(
    t,
    {
      input: { generate: { count: 2, interval: '', mapping: 'root = {"n": count("pristine")}' } },
      pipeline: { processors: [{ mutation: 'root.m = (this.m | 0) + 1' }] },
      output: { capture: { name, fail_first: 1 } },
    },
    { extraSpecs: TEST_SPECS },
  )
  await deadline(h.stream.finished, 10_000, 'stream to finish')
  assert.deepEqual([...capture(name).texts].sort(), ['{"m":1,"n":1}', '{"m":1,"n":2}'])
})
