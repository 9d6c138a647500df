/**
 * Routing inputs end to end in-process: broker fan-in, sequence, read_until and batched, with acks
 * observed at the children.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WeirError } from '../../src/errors.js'
import { defaultRegistry } from '../../src/components/registry.js'
import { lintStreamDoc } from '../../src/config/lint.js'
import { startStream, buildError, until, deadline } from '../stream/harness.js'
import { TEST_SPECS, capture } from '../stream/test-components.js'
import { ROUTING_SPECS, feed, push, sink, texts } from './routing-components.js'

const opts = { extraSpecs: [...ROUTING_SPECS, ...TEST_SPECS] }
let n = 0
const uniq = (s: string): string => `${s}-${++n}`
const acksOf = (name: string, count: number): Promise<string[]> => until(`${count} acks on ${name}`, () => feed(name).acks.length >= count && feed(name).acks)

test('broker input: children read in parallel, child processors before broker-level ones, acks back to each child, ends with the last child', async (t) => {
  const [a, b, out] = [uniq('a'), uniq('b'), uniq('out')]
  const h = await startStream(t, {
    input: {
      broker: {
        inputs: [
          { feed: { name: a, messages: ['a1', 'a2'] }, processors: [{ mapping: 'root = content() + "-child"' }] },
          { feed: { name: b, messages: ['b1'] } },
        ],
      },
      processors: [{ mapping: 'root = content() + "-broker"' }],
    },
    output: { scripted: { name: out } },
  }, opts)
  await deadline(h.stream.finished, 10_000, 'the broker to finish')
  assert.deepEqual(texts(out).sort(), ['a1-child-broker', 'a2-child-broker', 'b1-broker'])
  assert.deepEqual(feed(a).acks, ['a1:ok', 'a2:ok'])
  assert.deepEqual(feed(b).acks, ['b1:ok'])
  assert.equal(h.metrics.stats()['processor_received{label="",path="root.input.broker.inputs.0.processors.0",stream="test"}'], 2)
})

test('broker input: batching combines children, nacks reach every contributing child', async (t) => {
  const [a, b, out] = [uniq('a'), uniq('b'), uniq('out')]
  const h = await startStream(t, {
    input: { broker: { inputs: [{ feed: { name: a, end: false } }, { feed: { name: b, end: false } }], batching: { count: 2 } } },
    output: { scripted: { name: out, fail_first: 1, error: 'first batch refused' } },
  }, opts)
  push(a, ['x'])
  push(b, ['y'])
  await acksOf(a, 1)
  await acksOf(b, 1)
  assert.deepEqual([feed(a).acks, feed(b).acks], [['x:first batch refused'], ['y:first batch refused']])
  push(a, ['z'])
  push(b, ['w'])
  await until('the second batch', () => sink(out).batches.length === 1)
  assert.deepEqual(sink(out).batches[0]!.sort(), ['w', 'z'])
  assert.equal(h.metrics.stats()['batch_created{label="",mechanism="count",path="root.input",stream="test"}'], 2)
})

test('broker input of generate children: nacked batches are replayed by the child that produced them', async (t) => {
  const out = uniq('out')
  const h = await startStream(t, {
    input: {
      broker: {
        inputs: [
          { generate: { count: 2, interval: '', mapping: 'root = "g" + counter().string()' } },
          { generate: { count: 1, interval: '', mapping: 'root = "h"' } },
        ],
      },
    },
    output: { scripted: { name: out, fail_first: 2 } },
  }, opts)
  await deadline(h.stream.finished, 10_000, 'the broker to finish')
  assert.deepEqual(texts(out).sort(), ['g1', 'g2', 'h'])
})

test('sequence: children one after another, each connected in turn, ends after the last', async (t) => {
  const [a, b, out] = [uniq('a'), uniq('b'), uniq('out')]
  const h = await startStream(t, {
    input: { sequence: { inputs: [{ feed: { name: a, messages: ['a1', 'a2'] } }, { feed: { name: b, messages: ['b1'] }, processors: [{ mapping: 'root = content().uppercase()' }] }] } },
    output: { scripted: { name: out } },
  }, opts)
  await deadline(h.stream.finished, 10_000, 'the sequence to finish')
  assert.deepEqual(texts(out), ['a1', 'a2', 'B1'])
  assert.equal(feed(a).closed >= 1, true)
})

test('read_until: the message passing the check goes out marked final and the input ends', async (t) => {
  const out = uniq('out')
  const h = await startStream(t, {
    input: { read_until: { check: 'content() == "3"', input: { generate: { interval: '', mapping: 'root = counter().string()' } } } },
    output: { capture: { name: out } },
  }, opts)
  await deadline(h.stream.finished, 10_000, 'read_until to finish')
  assert.deepEqual(capture(out).texts, ['1', '2', '3'])
  assert.deepEqual(capture(out).metas.map((m) => m.benthos_read_until ?? ''), ['', '', 'final'])
})

test('read_until: a nacked final message keeps the input reading; idle_timeout ends it', async (t) => {
  const [src, out] = [uniq('src'), uniq('out')]
  const h = await startStream(t, {
    input: { read_until: { check: 'content() == "stop"', idle_timeout: '300ms', input: { feed: { name: src, end: false } } } },
    output: { scripted: { name: out, fail_first: 1, error: 'not yet' } },
  }, opts)
  push(src, ['stop'])
  await acksOf(src, 1)
  push(src, ['after'])
  await deadline(h.stream.finished, 10_000, 'the idle timeout')
  assert.deepEqual(feed(src).acks, ['stop:not yet', 'after:ok'])
  assert.ok(h.logs.some((l) => l.includes('Idle timeout reached')))
})

test('read_until restart_input builds the child again until the check passes', async (t) => {
  const [src, out] = [uniq('src'), uniq('out')]
  const h = await startStream(t, {
    input: { read_until: { check: 'count("' + src + '") >= 3', restart_input: true, input: { feed: { name: src, messages: ['again'] } } } },
    output: { scripted: { name: out } },
  }, opts)
  await deadline(h.stream.finished, 10_000, 'read_until to finish')
  assert.deepEqual(texts(out), ['again', 'again', 'again'])
  const e = await buildError({ input: { read_until: { input: { generate: { mapping: 'root = 1' } } } } })
  assert.ok(e instanceof WeirError)
  assert.deepEqual([e.data.path, e.message], ['input.read_until', 'it is required to set either check or idle_timeout'])
})

test('batched: count batches, the rest at the end of input, and period flushes', async (t) => {
  const [src, out] = [uniq('src'), uniq('out')]
  const h = await startStream(t, {
    input: { batched: { child: { feed: { name: src, messages: ['1', '2', '3', '4', '5'] } }, policy: { count: 2 } } },
    output: { scripted: { name: out } },
  }, opts)
  await deadline(h.stream.finished, 10_000, 'batched to finish')
  assert.deepEqual(sink(out).batches, [['1', '2'], ['3', '4'], ['5']])
  assert.deepEqual(feed(src).acks, ['1:ok', '2:ok', '3:ok', '4:ok', '5:ok'])

  const [src2, out2] = [uniq('src'), uniq('out')]
  await startStream(t, { input: { batched: { child: { feed: { name: src2, end: false } }, policy: { count: 10, period: '50ms' } } }, output: { scripted: { name: out2 } } }, opts)
  push(src2, ['p'])
  push(src2, ['q'])
  await until('the period flush', () => sink(out2).batches.length === 1)
  assert.deepEqual(sink(out2).batches, [['p', 'q']])

  const e = await buildError({ input: { batched: { child: { generate: { mapping: 'root = 1' } }, policy: {} } } })
  assert.ok(e instanceof WeirError)
  assert.deepEqual([e.data.path, e.message], ['input.batched.policy', 'batch policy must have at least one active trigger'])
})

test('lint: a switch with retry_until_success and a reject case is flagged', () => {
  const findings = lintStreamDoc(
    { value: { input: { generate: { mapping: 'root = 1' } }, output: { switch: { retry_until_success: true, cases: [{ output: { drop: {} } }, { output: { reject: 'no' } }] } } } },
    defaultRegistry(),
  )
  assert.ok(findings.some((f) => f.message.includes("a 'switch' output with a 'reject' case output must have the field 'switch.retry_until_success' set to 'false'")), JSON.stringify(findings))
})

test('batched over a replaying child: the last partial batch leaves when the source ends, and the stream finishes', async (t) => {
  const out = uniq('out')
  const h = await startStream(t, {
    input: { broker: { inputs: [{ generate: { count: 3, interval: '', mapping: 'root = "g" + counter().string()' } }], batching: { count: 2 } } },
    output: { scripted: { name: out } },
  }, opts)
  await deadline(h.stream.finished, 10_000, 'the stream to finish')
  assert.deepEqual(sink(out).batches, [['g1', 'g2'], ['g3']])
})

test('sequence sharded_join: full-outer joins by id across children and iterations; outer emits on the last child', async (t) => {
  const people = ['{"uuid":"AAA","name":"Melanie"}', '{"uuid":"BBB","name":"Emma"}', 'not json']
  const hobbies = ['{"uuid":"AAA","hobbies":"rowing"}', '{"uuid":"AAA","hobbies":["golf"]}', '{"uuid":"CCC","hobbies":"x"}']
  const run = async (join: Record<string, unknown>): Promise<unknown[]> => {
    const [a, b, out] = [uniq('people'), uniq('hobbies'), uniq('out')]
    const h = await startStream(t, {
      input: { sequence: { sharded_join: join, inputs: [{ feed: { name: a, messages: people } }, { feed: { name: b, messages: hobbies } }] } },
      output: { scripted: { name: out } },
    }, opts)
    await deadline(h.stream.finished, 10_000, 'the join to finish')
    assert.ok(feed(a).acks.every((x) => x.endsWith(':ok')))
    const key = (x: { uuid: string }): string => x.uuid + JSON.stringify(x)
    return texts(out)
      .map((s) => JSON.parse(s) as { uuid: string })
      .sort((x, y) => key(x).localeCompare(key(y)))
  }
  const full = [
    { uuid: 'AAA', name: 'Melanie', hobbies: ['rowing', 'golf'] },
    { uuid: 'BBB', name: 'Emma' },
    { uuid: 'CCC', hobbies: 'x' },
  ]
  assert.deepEqual(await run({ type: 'full-outer', id_path: 'uuid' }), full)
  assert.deepEqual(await run({ type: 'full-outer', id_path: 'uuid', iterations: 3 }), full)
  assert.deepEqual(await run({ type: 'outer', id_path: 'uuid', merge_strategy: 'replace' }), [
    { uuid: 'AAA', name: 'Melanie', hobbies: 'rowing' },
    { uuid: 'AAA', name: 'Melanie', hobbies: ['golf'] },
    { uuid: 'CCC', hobbies: 'x' },
  ])
  const e = await buildError({ input: { sequence: { sharded_join: { type: 'full-outer' }, inputs: [{ generate: { mapping: 'root = 1' } }] } } })
  assert.ok(e instanceof WeirError)
  assert.deepEqual([e.data.path, e.message], ['input.sequence.sharded_join.id_path', 'invalid sharded join config: the id path must not be empty'])
})
