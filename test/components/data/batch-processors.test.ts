import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WeirError } from '../../../src/errors.js'
import { buildError } from '../../stream/harness.js'
import { runPipeline } from './run-helpers.js'

/** The stats value of the series `name` whose labels include `labels` (`undefined` when absent). */
function stat(stats: Record<string, unknown>, name: string, labels: Record<string, string>): unknown {
  const key = Object.keys(stats).find((k) => k.startsWith(`${name}{`) && Object.entries(labels).every(([l, v]) => k.includes(`${l}="${v}"`)))
  return key === undefined ? undefined : stats[key]
}

// One pipeline worker: with more, two batches may interleave their cache calls (as in the reference).
const proc = (p: unknown): Record<string, unknown> => ({ pipeline: { threads: 1, processors: [p] } })

async function buildFails(processor: unknown): Promise<[string, string | undefined, string]> {
  const err = await buildError({ input: { generate: { mapping: 'root = 1' } }, ...proc(processor), output: { drop: {} } })
  assert.ok(err instanceof WeirError, String(err))
  return [err.data.code, err.data.path, err.message]
}

test('split: size and byte_size limits, an oversized message alone with a warning', async (t) => {
  const r = await runPipeline(t, proc({ split: { size: 3, byte_size: 6 } }), [['dddddddd', 'aa', 'bb', 'cc', 'dd', 'e', 'f', 'g']])
  assert.deepEqual(r.batches, [['dddddddd'], ['aa', 'bb', 'cc'], ['dd', 'e', 'f'], ['g']])
  assert.ok(r.harness.logs.some((l) => l.includes("A single message exceeds the target batch byte size of '6', actual size: '8'")))
  assert.deepEqual(r.acks, ['ok'])
})

test('select_parts: negative indexes, repeats, out of range ignored; nothing selected drops and acks', async (t) => {
  const r = await runPipeline(t, proc({ select_parts: { parts: [-1, 0, 7, 0] } }), [['a', 'b', 'c'], ['x']])
  assert.deepEqual(r.batches, [['c', 'a', 'a'], ['x', 'x', 'x']])
  const none = await runPipeline(t, proc({ select_parts: { parts: [5] } }), [['a']])
  assert.deepEqual([none.batches, none.acks], [[], ['ok']])
})

test('insert_part: index placement (negative from the end, clamp) and interpolated content with message 0 metadata', async (t) => {
  const r = await runPipeline(t, proc({ insert_part: { index: -2, content: '${! meta("k") }-${! batch_size() }' } }), [[{ content: 'a', metadata: { k: 'v' } }, 'b']])
  assert.deepEqual(r.batches, [['a', 'v-2', 'b']])
  assert.equal(r.metas[1]!.k, 'v')
  const end = await runPipeline(t, proc({ insert_part: { index: 9, content: 'z' } }), [['a']])
  assert.deepEqual(end.batches, [['a', 'z']])
  const front = await runPipeline(t, proc({ insert_part: { index: -9, content: 'z' } }), [['a']])
  assert.deepEqual(front.batches, [['z', 'a']])
})

test('bounds_check: batches outside the bounds are dropped (and acked)', async (t) => {
  const r = await runPipeline(t, proc({ bounds_check: { max_parts: 2, max_part_size: 3, min_part_size: 1 } }), [['a', 'b', 'c'], ['abcd'], ['ok', ''], ['ok']])
  assert.deepEqual(r.batches, [['ok']])
  assert.deepEqual(r.acks, ['ok', 'ok', 'ok', 'ok'])
  assert.ok(r.harness.logs.some((l) => l.includes('Rejecting message due to message parts exceeding limit (2): 3')))
})

test('group_by: first matching group wins, group processors run, groupless last, failing checks logged', async (t) => {
  const r = await runPipeline(
    t,
    proc({
      group_by: [
        { check: 'this.n > 1', processors: [{ mapping: 'root = "big " + this.n.string()' }] },
        { check: 'this.n > 0', processors: [{ mapping: 'root = "small " + this.n.string()' }] },
      ],
    }),
    [['{"n":2}', '{"n":1}', '{"n":0}', 'not json', '{"n":3}']],
  )
  assert.deepEqual(r.batches, [['big 2', 'big 3'], ['small 1'], ['{"n":0}', 'not json']])
  assert.ok(r.harness.logs.some((l) => l.includes('Failed to test group 0')))
})

test('group_by_value: groups in order of first appearance', async (t) => {
  const r = await runPipeline(t, proc({ group_by_value: { value: '${! this.k }' } }), [['{"k":"b","i":1}', '{"k":"a","i":2}', '{"k":"b","i":3}']])
  assert.deepEqual(r.batches, [['{"k":"b","i":1}', '{"k":"b","i":3}'], ['{"k":"a","i":2}']])
})

test('dedupe: repeated keys are dropped across batches; build errors name the field', async (t) => {
  const r = await runPipeline(t, proc({ dedupe: { cache: 'c', key: '${! content() }' } }), [['a', 'b', 'a'], ['b', 'c']], { caches: { c: { memory: {} } } })
  assert.deepEqual(r.batches, [['a', 'b'], ['c']])
  assert.deepEqual(r.acks, ['ok', 'ok'])
  assert.deepEqual(await buildFails({ dedupe: { cache: 'nope', key: 'x' } }), ['CONFIG_INVALID', 'pipeline.processors[0].dedupe.cache', "cache resource 'nope' was not found"])
  assert.deepEqual(await buildFails({ dedupe: { cache: 'nope', key: '' } }), ['CONFIG_INVALID', 'pipeline.processors[0].dedupe.key', 'dedupe key must not be empty'])
})

test('cached: a cached result replaces the message; skip_on leaves results uncached; ttl errors flag', async (t) => {
  const caches = { c: { memory: {} } }
  const r = await runPipeline(
    t,
    proc({ cached: { cache: 'c', key: '${! this.id }', processors: [{ mapping: 'root = this.id + "-" + count("runs").string()' }] } }),
    [['{"id":"a"}'], ['{"id":"b"}'], ['{"id":"a","again":true}']],
    { caches },
  )
  assert.deepEqual(r.texts, ['a-1', 'b-2', 'a-1'])
  const skip = await runPipeline(
    t,
    proc({ cached: { cache: 'c', key: 'k', skip_on: 'content().contains("1")', processors: [{ mapping: 'root = count("skips").string()' }] } }),
    [['x'], ['x'], ['x']],
    { caches },
  )
  assert.deepEqual(skip.texts, ['1', '2', '2'])
  const bad = await runPipeline(t, proc({ cached: { cache: 'c', key: 'k', ttl: 'soon', processors: [] } }), [['x']], { caches })
  assert.deepEqual(bad.errors, ['failed to parse ttl expression: time: invalid duration "soon"'])
  assert.deepEqual(await buildFails({ cached: { cache: 'nope', key: 'k', processors: [] } }), ['CONFIG_INVALID', 'pipeline.processors[0].cached.cache', 'cache named nope not found'])
})

test('metric: counter_by and gauge with interpolated labels; bad values are logged and skipped', async (t) => {
  const r = await runPipeline(
    t,
    {
      pipeline: {
        processors: [
          { metric: { type: 'counter_by', name: 'bytes_seen', value: '${! this.n }', labels: { topic: '${! this.t }' } } },
          { metric: { type: 'gauge', name: 'last_n', value: '${! this.n }' } },
        ],
      },
    },
    [['{"n":2,"t":"a"}', '{"n":3.5,"t":"a"}', '{"n":-1,"t":"b"}', '{"n":"zz","t":"b"}']],
  )
  // Floats show in the Prometheus exposition; the flat stats view keeps integers, as Go's does.
  const text = r.harness.metrics.exposition().text
  assert.match(text, /^bytes_seen\{[^}]*topic="a"[^}]*\} 5\.5$/m)
  assert.doesNotMatch(text, /^bytes_seen\{[^}]*topic="b"/m)
  assert.match(text, /^last_n\{[^}]*path="root\.pipeline\.processors\.1"[^}]*\} 3\.5$/m)
  assert.equal(stat(r.harness.metrics.stats(), 'bytes_seen', { topic: 'a' }), 5)
  assert.ok(r.harness.logs.some((l) => l.includes('Handler error: value -1 is negative')))
  assert.ok(r.harness.logs.some((l) => l.includes('Handler error: strconv.ParseFloat: parsing \\"zz\\": invalid syntax')))
  assert.deepEqual(await buildFails({ metric: { type: 'histo', name: 'x' } }), ['CONFIG_INVALID', 'pipeline.processors[0].metric.type', 'metric type unrecognised: histo'])
  assert.deepEqual(await buildFails({ metric: { type: 'counter', name: '' } }), ['CONFIG_INVALID', 'pipeline.processors[0].metric.name', 'metric name must not be empty'])
})

test('benchmark: totals counted, and the summary logged when the stream stops', async (t) => {
  const r = await runPipeline(t, proc({ benchmark: { interval: '0s' } }), [['abcd', 'ef']])
  const stats = r.harness.metrics.stats()
  assert.equal(stat(stats, 'benchmark_messages_total', { path: 'root.pipeline.processors.0' }), 2)
  assert.equal(stat(stats, 'benchmark_bytes_total', { path: 'root.pipeline.processors.0' }), 6)
  await r.harness.stream.stop(5000)
  assert.ok(r.harness.logs.some((l) => /total stats: [\d.]+ msg\/sec, [\d.]+ [kMG]?B\/sec/.test(l)), r.harness.logs.join('\n'))
})
