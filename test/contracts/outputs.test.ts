/**
 * The output contract, run against every output of the default registry (cases in configs.ts):
 * a write acks the source and is counted, a failing write nacks the source with the component's
 * error text and is counted, and close is idempotent and bounded (connected or not).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Message } from '../../src/message/message.js'
import { startStream, until } from '../stream/harness.js'
import { ROUTING_SPECS, feed } from '../components/routing-components.js'
import { BOUND_MS, buildOne, contractEnv, metric, walk, within } from './suite.js'
import { CONTRACT_RESOURCES } from './configs.js'

const { cases, exempt, missing, stale } = walk('output')
const opts = { extraSpecs: ROUTING_SPECS, resources: CONTRACT_RESOURCES }
let n = 0

test('every registered output has a contract case or a listed exemption', () => {
  assert.deepEqual(missing, [], `add a case to test/contracts/configs.ts for: ${missing.join(', ')}`)
  assert.deepEqual(stale, [], `cases for unregistered outputs: ${stale.join(', ')}`)
})

for (const [name, reason] of exempt) test(`output ${name}`, { skip: reason }, () => {})

for (const [name, c] of cases) {
  const ackCase = 'never' in c.config ? undefined : c.config
  const failCase = 'never' in c.failing ? undefined : c.failing

  test(`output ${name}: a write acks the source and is counted`, { skip: ackCase ? false : (c.config as { never: string }).never }, async (t) => {
    const env = await contractEnv(t)
    const src = `out-ok-${name}-${++n}`
    const h = await startStream(t, { input: { feed: { name: src, messages: ['c1'] } }, output: ackCase!(env) }, opts)
    assert.deepEqual(await until('the ack', () => feed(src).acks.length > 0 && feed(src).acks), ['c1:ok'])
    await until('output_sent', () => metric(h.metrics.stats(), 'output_sent', 'root.output') === 1)
    assert.equal(metric(h.metrics.stats(), 'output_error', 'root.output'), 0)
  })

  test(`output ${name}: a failed write nacks the source with its error and is counted`, { skip: failCase ? false : (c.failing as { never: string }).never }, async (t) => {
    const env = await contractEnv(t)
    const src = `out-bad-${name}-${++n}`
    const h = await startStream(t, { input: { feed: { name: src, messages: ['c1'] } }, output: failCase!.config(env) }, opts)
    const [ack] = await until('the nack', () => feed(src).acks.length > 0 && feed(src).acks)
    assert.match(ack!.replace(/^c1:/, ''), failCase!.error)
    await until('output_error', () => metric(h.metrics.stats(), 'output_error', 'root.output') >= 1)
    assert.equal(metric(h.metrics.stats(), 'output_sent', 'root.output'), 0)
  })

  test(`output ${name}: close is idempotent and bounded, connected or not`, async (t) => {
    const env = await contractEnv(t)
    const make = ackCase ?? failCase!.config
    const idle = await buildOne(t, 'output', make(env), 'output')
    await within(idle.instance.close(), BOUND_MS, 'close before connect')
    await within(idle.instance.close(), BOUND_MS, 'a second close')
    const used = await buildOne(t, 'output', make(env), 'output')
    await within(used.instance.connect(used.signal), BOUND_MS, 'connect')
    await within(used.instance.write([new Message('c1')], used.signal).catch(() => {}), BOUND_MS, 'a write')
    await within(used.instance.close(), BOUND_MS, 'close')
    await within(used.instance.close(), BOUND_MS, 'a second close')
  })
}
