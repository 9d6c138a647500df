/**
 * Routing outputs end to end in-process: real streams built from the default registry plus
 * scripted test components, acks observed at the source.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WeirError } from '../../src/errors.js'
import { startStream, buildError, until } from '../stream/harness.js'
import { ROUTING_SPECS, feed, hold, push, sink, texts } from './routing-components.js'

const opts = { extraSpecs: ROUTING_SPECS }
let n = 0
/** A fresh name per use, so tests never share a sink or feed. */
const uniq = (s: string): string => `${s}-${++n}`

const acksOf = (name: string, count: number): Promise<string[]> => until(`${count} acks on ${name}`, () => feed(name).acks.length >= count && feed(name).acks)

test('broker fan_out: every child gets every message; a failing child is retried without duplicating the others', async (t) => {
  const [src, a, b] = [uniq('src'), uniq('a'), uniq('b')]
  await startStream(t, {
    input: { feed: { name: src, messages: ['m1', 'm2'] } },
    output: { broker: { pattern: 'fan_out', outputs: [{ scripted: { name: a } }, { scripted: { name: b, fail_first: 1 } }] } },
  }, opts)
  assert.deepEqual(await acksOf(src, 2), ['m1:ok', 'm2:ok'])
  assert.deepEqual(texts(a), ['m1', 'm2'])
  assert.deepEqual(texts(b).sort(), ['m1', 'm2'])
  assert.equal(sink(b).attempts, 3)
})

test('broker fan_out_fail_fast: the first child error nacks with its text', async (t) => {
  const [src, a, b] = [uniq('src'), uniq('a'), uniq('b')]
  await startStream(t, {
    input: { feed: { name: src, messages: ['m1'] } },
    output: { broker: { pattern: 'fan_out_fail_fast', outputs: [{ scripted: { name: a } }, { scripted: { name: b, fail_first: 1, error: 'b is down' } }] } },
  }, opts)
  assert.deepEqual(await acksOf(src, 1), ['m1:b is down'])
  assert.deepEqual(texts(a), ['m1'])
})

test('broker fan_out_sequential: the next child is written only after the previous one acked', async (t) => {
  const [src, a, b] = [uniq('src'), uniq('a'), uniq('b')]
  const release = hold(a)
  await startStream(t, {
    input: { feed: { name: src, messages: ['m1'] } },
    output: { broker: { pattern: 'fan_out_sequential_fail_fast', outputs: [{ scripted: { name: a } }, { scripted: { name: b } }] } },
  }, opts)
  await until('a to hold the write', () => sink(a).inFlight === 1)
  assert.equal(sink(b).attempts, 0)
  release()
  assert.deepEqual(await acksOf(src, 1), ['m1:ok'])
  assert.deepEqual([texts(a), texts(b)], [['m1'], ['m1']])
})

test('broker round_robin takes turns; greedy gives work to the free child', async (t) => {
  const [src, a, b] = [uniq('src'), uniq('a'), uniq('b')]
  await startStream(t, {
    input: { feed: { name: src, messages: ['1', '2', '3', '4'] } },
    output: { broker: { pattern: 'round_robin', outputs: [{ scripted: { name: a } }, { scripted: { name: b } }] } },
  }, opts)
  await acksOf(src, 4)
  assert.deepEqual([texts(a), texts(b)], [['1', '3'], ['2', '4']])

  const [src2, c, d] = [uniq('src'), uniq('c'), uniq('d')]
  const release = hold(c)
  await startStream(t, {
    input: { feed: { name: src2, end: false } },
    output: { broker: { pattern: 'greedy', outputs: [{ scripted: { name: c } }, { scripted: { name: d } }] } },
  }, opts)
  for (const m of ['x', 'y', 'z']) push(src2, [m])
  await until('d to take the work c cannot', () => texts(d).length === 2)
  assert.deepEqual(texts(d), ['y', 'z'])
  release()
  await until('c to finish', () => texts(c).length === 1)
  assert.deepEqual(texts(c), ['x'])
})

test('broker: child processors run per child, batching sits in front, copies multiply children', async (t) => {
  const [src, a, b] = [uniq('src'), uniq('a'), uniq('b')]
  await startStream(t, {
    input: { feed: { name: src, messages: ['p', 'q', 'r', 's'] } },
    output: {
      broker: {
        batching: { count: 2 },
        outputs: [{ scripted: { name: a } }, { scripted: { name: b }, processors: [{ mapping: 'root = content().uppercase()' }] }],
      },
    },
  }, opts)
  await acksOf(src, 4)
  assert.deepEqual(sink(a).batches, [['p', 'q'], ['r', 's']])
  assert.deepEqual(sink(b).batches, [['P', 'Q'], ['R', 'S']])

  const [src2, c] = [uniq('src'), uniq('c')]
  await startStream(t, { input: { feed: { name: src2, messages: ['1', '2'] } }, output: { broker: { copies: 2, pattern: 'round_robin', outputs: [{ scripted: { name: c, max_in_flight: 1 } }] } } }, opts)
  await acksOf(src2, 2)
  assert.equal(sink(c).connects, 2)
})

test('broker build errors are located: no outputs, unknown pattern', async () => {
  const e1 = await buildError({ input: { generate: { mapping: 'root = 1' } }, output: { broker: { outputs: [] } } })
  assert.ok(e1 instanceof WeirError)
  assert.equal(e1.data.path, 'output.broker.outputs')
  assert.equal(e1.message, 'attempting to create broker output type with no outputs')
  const e2 = await buildError({ input: { generate: { mapping: 'root = 1' } }, output: { broker: { pattern: 'nope', outputs: [{ drop: {} }] } } })
  assert.ok(e2 instanceof WeirError)
  assert.equal(e2.message, 'broker pattern was not recognised: nope')
})

test('a child output that loses its connection reconnects and gets the same batch again', async (t) => {
  const [src, a, b] = [uniq('src'), uniq('a'), uniq('b')]
  sink(b).disconnects = 1
  await startStream(t, {
    input: { feed: { name: src, messages: ['m'] } },
    output: { broker: { pattern: 'fan_out_fail_fast', outputs: [{ scripted: { name: a } }, { scripted: { name: b } }] } },
  }, opts)
  assert.deepEqual(await acksOf(src, 1), ['m:ok'])
  assert.deepEqual(texts(b), ['m'])
  assert.equal(sink(b).attempts, 2)
})

test('switch: first matching case, continue, drop when unmatched, one batch per case', async (t) => {
  const [src, a, b, c] = [uniq('src'), uniq('a'), uniq('b'), uniq('c')]
  const h = await startStream(t, {
    input: { feed: { name: src, end: false } },
    output: {
      switch: {
        cases: [
          { check: 'content().has_prefix("a")', output: { scripted: { name: a } }, continue: true },
          { check: 'content().contains("b")', output: { scripted: { name: b } } },
          { check: 'this.missing.field > 1', output: { scripted: { name: c } } },
        ],
      },
    },
  }, opts)
  push(src, ['ab', 'b1', 'a2', 'zz', 'b3'])
  assert.deepEqual(await acksOf(src, 1), ['ab+b1+a2+zz+b3:ok'])
  assert.deepEqual(sink(a).batches, [['ab', 'a2']])
  assert.deepEqual(sink(b).batches, [['ab', 'b1', 'b3']])
  assert.equal(sink(c).attempts, 0)
  assert.ok(h.logs.some((l) => l.includes('Failed to test case 2')))
})

test('switch strict_mode nacks unmatched messages; case failures nack with their text', async (t) => {
  const [src, a, b] = [uniq('src'), uniq('a'), uniq('b')]
  await startStream(t, {
    input: { feed: { name: src, messages: ['ok', 'nomatch', 'fail'] } },
    output: {
      switch: {
        strict_mode: true,
        cases: [
          { check: 'content() == "ok"', output: { scripted: { name: a } } },
          { check: 'content() == "fail"', output: { scripted: { name: b, fail_first: 5, error: 'case b failed' } } },
        ],
      },
    },
  }, opts)
  assert.deepEqual(await acksOf(src, 3), ['ok:ok', 'nomatch:no switch output conditions were met by message', 'fail:case b failed'])
})

test('switch with a reject case: the interpolated rejection nacks; build and lint rules hold', async (t) => {
  const [src, a] = [uniq('src'), uniq('a')]
  await startStream(t, {
    input: { feed: { name: src, messages: ['good', 'bad'] } },
    pipeline: { processors: [{ mapping: 'root = if content() == "bad" { throw("not good") } else { content() }' }] },
    output: {
      switch: {
        cases: [
          { check: '!errored()', output: { scripted: { name: a } } },
          { output: { reject: 'processing failed due to: ${! error() }' } },
        ],
      },
    },
  }, opts)
  const acks = await acksOf(src, 2)
  assert.equal(acks[0], 'good:ok')
  assert.match(acks[1]!, /^bad:processing failed due to: .*not good/)
  assert.deepEqual(texts(a), ['good'])

  const e = await buildError({ output: { switch: { cases: [{ output: { drop: {} } }] } } })
  assert.ok(e instanceof WeirError)
  assert.deepEqual([e.data.path, e.message], ['output.switch.cases', 'attempting to create switch with fewer than 2 cases'])
})

test('fallback: the next tier gets the failed batch with fallback_error; the last failure nacks', async (t) => {
  const [src, a, b] = [uniq('src'), uniq('a'), uniq('b')]
  await startStream(t, {
    input: { feed: { name: src, messages: ['one', 'two'] } },
    output: { fallback: [{ scripted: { name: a, fail_matching: 'two', error: 'a refused' } }, { scripted: { name: b } }] },
  }, opts)
  assert.deepEqual(await acksOf(src, 2), ['one:ok', 'two:ok'])
  assert.deepEqual([texts(a), texts(b)], [['one'], ['two']])
  assert.deepEqual(sink(b).fallbackErrors, ['a refused'])

  const [src2, c, d] = [uniq('src'), uniq('c'), uniq('d')]
  await startStream(t, {
    input: { feed: { name: src2, messages: ['x'] } },
    output: { fallback: [{ scripted: { name: c, fail_first: 9, error: 'c down' } }, { scripted: { name: d, fail_first: 9, error: 'd down' } }] },
  }, opts)
  assert.deepEqual(await acksOf(src2, 1), ['x:d down'])
})

test('reject_errored inside fallback: clean messages to the first tier, flagged ones on to the next', async (t) => {
  const [src, a, b] = [uniq('src'), uniq('a'), uniq('b')]
  await startStream(t, {
    input: { feed: { name: src, end: false } },
    pipeline: { processors: [{ mutation: 'root = if content() == "bad" { throw("broken") } else { content() }' }] },
    output: { fallback: [{ reject_errored: { scripted: { name: a } } }, { scripted: { name: b } }] },
  }, opts)
  push(src, ['ok1', 'bad', 'ok2'])
  assert.deepEqual(await acksOf(src, 1), ['ok1+bad+ok2:ok'])
  assert.deepEqual(sink(a).batches, [['ok1', 'ok2']])
  assert.deepEqual(sink(b).batches, [['bad']])
  assert.match(sink(b).fallbackErrors[0]!, /^rejecting due to failed processing: .*broken/)

  const src2 = uniq('src')
  await startStream(t, {
    input: { feed: { name: src2, messages: ['bad'] } },
    pipeline: { processors: [{ mutation: 'root = throw("broken")' }] },
    output: { reject_errored: { drop: {} } },
  }, opts)
  assert.match((await acksOf(src2, 1))[0]!, /^bad:rejecting due to failed processing: .*broken/)
})

test('retry: failed writes are retried with back-off; exhausted retries nack with the reference text', async (t) => {
  const [src, a] = [uniq('src'), uniq('a')]
  await startStream(t, {
    input: { feed: { name: src, messages: ['m'] } },
    output: { retry: { backoff: { initial_interval: '5ms', max_interval: '20ms' }, output: { scripted: { name: a, fail_first: 3 } } } },
  }, opts)
  assert.deepEqual(await acksOf(src, 1), ['m:ok'])
  assert.equal(sink(a).attempts, 4)

  const [src2, b] = [uniq('src'), uniq('b')]
  const h = await startStream(t, {
    input: { feed: { name: src2, messages: ['m'] } },
    output: { retry: { max_retries: 2, backoff: { initial_interval: '5ms', max_interval: '10ms' }, output: { scripted: { name: b, fail_first: 99, error: 'nope' } } } },
  }, opts)
  assert.deepEqual(await acksOf(src2, 1), ['m:message failed to reach a target destination'])
  assert.equal(sink(b).attempts, 3)
  assert.ok(h.logs.some((l) => l.includes('level=warn') && l.includes('Failed to send message: nope')))
})

test('reject: every write nacks with the interpolated text, logged at DEBUG; an empty text fails the build', async (t) => {
  const src = uniq('src')
  const h = await startStream(t, { input: { feed: { name: src, messages: ['abc'] } }, output: { reject: 'rejected ${! content().uppercase() }' } }, opts)
  assert.deepEqual(await acksOf(src, 1), ['abc:rejected ABC'])
  await until('the debug line', () => h.logs.some((l) => l.includes('level=debug') && l.includes('Rejecting message: rejected ABC')))
  assert.ok(!h.logs.some((l) => l.includes('level=error')))
  const e = await buildError({ output: { reject: '' } })
  assert.ok(e instanceof WeirError)
  assert.equal(e.message, 'an error message must be provided in order to provide context for the rejection')
})

test('drop_on: error, error_patterns and back_pressure', async (t) => {
  const [src, a] = [uniq('src'), uniq('a')]
  await startStream(t, { input: { feed: { name: src, messages: ['m'] } }, output: { drop_on: { error: true, output: { scripted: { name: a, fail_first: 1 } } } } }, opts)
  assert.deepEqual(await acksOf(src, 1), ['m:ok'])

  const [src2, b] = [uniq('src'), uniq('b')]
  await startStream(t, {
    input: { feed: { name: src2, messages: ['drop me', 'keep me'] } },
    output: { drop_on: { error_patterns: ['^dropped:'], output: { scripted: { name: b, fail_first: 2, error: 'dropped: reason' } } } },
  }, opts)
  assert.deepEqual(await acksOf(src2, 2), ['drop me:ok', 'keep me:ok'])
  const [src3, c] = [uniq('src'), uniq('c')]
  await startStream(t, {
    input: { feed: { name: src3, messages: ['x'] } },
    output: { drop_on: { error_patterns: ['^dropped:'], output: { scripted: { name: c, fail_first: 1, error: 'other failure' } } } },
  }, opts)
  assert.deepEqual(await acksOf(src3, 1), ['x:other failure'])

  const [src4, d] = [uniq('src'), uniq('d')]
  const release = hold(d)
  t.after(release)
  await startStream(t, { input: { feed: { name: src4, messages: ['slow', 'next'] } }, output: { drop_on: { back_pressure: '50ms', output: { scripted: { name: d } } } } }, opts)
  const acks = await acksOf(src4, 2)
  assert.deepEqual(acks.slice(0, 2), ['slow:experienced back pressure beyond: 50ms', 'next:experienced back pressure beyond: 50ms'])

  const e = await buildError({ output: { drop_on: { error: true, error_patterns: ['x'], output: { drop: {} } } } })
  assert.ok(e instanceof WeirError)
  assert.deepEqual([e.data.path, e.message], ['output.drop_on.error_patterns', "field 'error_patterns' is ineffective when 'error' is set to `true`"])
})

test('fan_out and switch ack upstream only once every child has acked', async (t) => {
  const [src, a, b] = [uniq('src'), uniq('a'), uniq('b')]
  const release = hold(b)
  await startStream(t, { input: { feed: { name: src, end: false } }, output: { broker: { pattern: 'fan_out', outputs: [{ scripted: { name: a } }, { scripted: { name: b } }] } } }, opts)
  push(src, ['m'])
  await until('a to take its copy', () => texts(a).length === 1)
  await until('b to hold its copy', () => sink(b).inFlight === 1)
  assert.deepEqual(feed(src).acks, [])
  release()
  assert.deepEqual(await acksOf(src, 1), ['m:ok'])

  const [src2, c, d] = [uniq('src'), uniq('c'), uniq('d')]
  const release2 = hold(d)
  await startStream(t, {
    input: { feed: { name: src2, end: false } },
    output: { switch: { cases: [{ check: 'content() == "to-c"', output: { scripted: { name: c } } }, { output: { scripted: { name: d } } }] } },
  }, opts)
  push(src2, ['to-c', 'to-d'])
  await until('c to take its part', () => texts(c).length === 1)
  await until('d to hold its part', () => sink(d).inFlight === 1)
  assert.deepEqual(feed(src2).acks, [])
  release2()
  assert.deepEqual(await acksOf(src2, 1), ['to-c+to-d:ok'])
})
