/**
 * The input contract, run against every input of the default registry (cases in configs.ts):
 * messages flow and are counted, acks and nacks reach the source, a stop is graceful, and close is
 * idempotent and bounded in time.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { END_OF_INPUT } from '../../src/spec/index.js'
import { startStream, until } from '../stream/harness.js'
import { ROUTING_SPECS, sink } from '../components/routing-components.js'
import { BOUND_MS, buildOne, contractEnv, metric, walk, within } from './suite.js'
import { CONTRACT_RESOURCES } from './configs.js'

const { cases, exempt, missing, stale } = walk('input')
const opts = { extraSpecs: ROUTING_SPECS, resources: CONTRACT_RESOURCES }
let n = 0

test('every registered input has a contract case or a listed exemption', () => {
  assert.deepEqual(missing, [], `add a case to test/contracts/configs.ts for: ${missing.join(', ')}`)
  assert.deepEqual(stale, [], `cases for unregistered inputs: ${stale.join(', ')}`)
})

for (const [name, reason] of exempt) test(`input ${name}`, { skip: reason }, () => {})

for (const [name, c] of cases) {
  test(`input ${name}: messages flow, are counted and acked; the stream stops gracefully`, async (t) => {
    const env = await contractEnv(t)
    const out = `in-${name}-${++n}`
    const h = await startStream(t, { input: c.config(env), output: { scripted: { name: out } } }, opts)
    env.streamBase = `${h.base}/test`
    if (c.deliver) assert.equal(await c.deliver(env, 'contract-1'), 'ok')
    await until('a delivered message', () => sink(out).batches.length > 0)
    await until('input_received', () => metric(h.metrics.stats(), 'input_received', 'root.input') >= 1)
    const stopped = await within(h.stream.stop(BOUND_MS), BOUND_MS + 1000, 'stop')
    assert.equal(stopped.graceful, true)
  })

  test(`input ${name}: a nack reaches the source`, async (t) => {
    const env = await contractEnv(t)
    const out = `in-nack-${name}-${++n}`
    const h = await startStream(t, { input: c.config(env), output: { scripted: { name: out, fail_first: 1, error: 'contract nack' } } }, opts)
    env.streamBase = `${h.base}/test`
    if (c.nack === 'answered') {
      assert.match(await c.deliver!(env, 'contract-1'), /contract nack/)
      return
    }
    // A source that is handed data but cannot be answered (a socket): the engine replays.
    if (c.deliver) assert.equal(await c.deliver(env, 'contract-1'), 'ok')
    const first = await until('the refused write', () => sink(out).failed[0])
    await until(`a replay of ${first.join(',')}`, () => first.every((m) => sink(out).batches.flat().includes(m)))
  })

  test(`input ${name}: close is idempotent and bounded`, async (t) => {
    const env = await contractEnv(t)
    const { instance, signal } = await buildOne(t, 'input', c.config(env), 'input')
    await within(instance.connect(signal), BOUND_MS, 'connect')
    await within(instance.close(), BOUND_MS, 'close')
    await within(instance.close(), BOUND_MS, 'a second close')
    // A read after close ends or fails within the bound (it may not hang).
    const read = instance.read(AbortSignal.timeout(BOUND_MS / 2)).then(
      (r) => (r === END_OF_INPUT ? 'end' : 'tx'),
      () => 'rejected',
    )
    assert.ok(['end', 'tx', 'rejected'].includes(await within(read, BOUND_MS, 'read after close')))
  })
}
