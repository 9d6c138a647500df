/**
 * The processor contract, run against every processor of the default registry (cases in
 * configs.ts): a batch passes and is counted, failures flag messages instead of rejecting, acks and
 * nacks reach the source through the processor, and close is idempotent and bounded.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Message } from '../../src/message/message.js'
import { startStream, until } from '../stream/harness.js'
import { ROUTING_SPECS, feed } from '../components/routing-components.js'
import { BOUND_MS, buildOne, contractEnv, walk, within } from './suite.js'
import { CONTRACT_RESOURCES } from './configs.js'

const { cases, exempt, missing, stale } = walk('processor')
const opts = { extraSpecs: ROUTING_SPECS, resources: CONTRACT_RESOURCES }
let n = 0
const PATH = 'root.pipeline.processors.0'
const counter = (stats: Record<string, unknown>, name: string): number => {
  const v = stats[`${name}{label="",path="${PATH}",stream="test"}`]
  return typeof v === 'number' ? v : 0
}

test('every registered processor has a contract case or a listed exemption', () => {
  assert.deepEqual(missing, [], `add a case to test/contracts/configs.ts for: ${missing.join(', ')}`)
  assert.deepEqual(stale, [], `cases for unregistered processors: ${stale.join(', ')}`)
})

for (const [name, reason] of exempt) test(`processor ${name}`, { skip: reason }, () => {})

for (const [name, c] of cases) {
  test(`processor ${name}: a batch passes, is counted, and a clean message stays clean`, async (t) => {
    const env = await contractEnv(t)
    const { instance, metrics } = await buildOne(t, 'processor', c.config(env), 'pipeline.processors[0]')
    const out = await within(Promise.resolve(instance.process([new Message(c.content ?? 'contract')])), BOUND_MS, 'process')
    assert.ok(Array.isArray(out))
    for (const m of out.flat()) assert.equal(m.error, undefined, `unexpected flag: ${m.error?.message}`)
    const stats = metrics.stats()
    assert.equal(counter(stats, 'processor_received'), 1)
    assert.equal(counter(stats, 'processor_batch_received'), 1)
    assert.equal(counter(stats, 'processor_error'), 0)
  })

  test(`processor ${name}: a failure flags the message, is counted, and the message goes on`, { skip: c.flagging ? false : 'this processor never flags a message' }, async (t) => {
    const env = await contractEnv(t)
    const { instance, metrics } = await buildOne(t, 'processor', c.flagging!(env), 'pipeline.processors[0]')
    const out = await instance.process([new Message(c.content ?? 'contract')])
    const msgs = out.flat()
    assert.equal(msgs.length, 1)
    assert.equal(msgs[0]!.text(), c.content ?? 'contract')
    assert.match(msgs[0]!.error?.message ?? '', c.flagged ?? /contract failure/)
    assert.equal(counter(metrics.stats(), 'processor_error'), 1)
  })

  test(`processor ${name}: acks and nacks reach the source through it`, async (t) => {
    const env = await contractEnv(t)
    const [ok, bad] = [`proc-ok-${name}-${++n}`, `proc-bad-${name}-${n}`]
    await startStream(t, { input: { feed: { name: ok, messages: ['x'] } }, pipeline: { processors: [c.config(env)] }, output: { scripted: { name: ok } } }, opts)
    await startStream(t, { input: { feed: { name: bad, messages: ['x'] } }, pipeline: { processors: [c.config(env)] }, output: { scripted: { name: bad, fail_first: 1, error: 'contract nack' } } }, opts)
    assert.deepEqual(await until('the ack', () => feed(ok).acks.length > 0 && feed(ok).acks), ['x:ok'])
    assert.deepEqual(await until('the nack', () => feed(bad).acks.length > 0 && feed(bad).acks), ['x:contract nack'])
  })

  test(`processor ${name}: close is idempotent and bounded`, async (t) => {
    const env = await contractEnv(t)
    const { instance } = await buildOne(t, 'processor', c.config(env), 'pipeline.processors[0]')
    await within(instance.close(), BOUND_MS, 'close')
    await within(instance.close(), BOUND_MS, 'a second close')
  })
}
