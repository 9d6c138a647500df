/** The reload plan is a pure function of two maps: no threads, files or clock. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ALWAYS_CHANGED, diffStreams } from '../../src/supervisor/stream-diff.js'

const same = (a: string, b: string): boolean => a === b
const m = (o: Record<string, string>): Map<string, string> => new Map(Object.entries(o))

test('added, changed and removed ids are told apart; unchanged ones appear nowhere', () => {
  const plan = diffStreams(m({ keep: 'h1', edit: 'h2', gone: 'h3' }), m({ keep: 'h1', edit: 'h2b', fresh: 'h4' }), same)
  assert.deepEqual(plan, { add: ['fresh'], change: ['edit'], remove: ['gone'] })
})

test('nothing running: everything is added (start-up)', () => {
  assert.deepEqual(diffStreams(new Map<string, string>(), m({ b: '1', a: '2' }), same), { add: ['a', 'b'], change: [], remove: [] })
})

test('nothing wanted: everything is removed (POST /streams with an empty body)', () => {
  assert.deepEqual(diffStreams(m({ b: '1', a: '2' }), new Map<string, string>(), same), { add: [], change: [], remove: ['a', 'b'] })
})

test('identical maps give an empty plan', () => {
  assert.deepEqual(diffStreams(m({ a: '1', b: '2' }), m({ a: '1', b: '2' }), same), { add: [], change: [], remove: [] })
})

test('ALWAYS_CHANGED replaces every running id, as the reference bulk POST does', () => {
  const running = new Map([['a', 'a'], ['b', 'b']])
  const wanted = new Map<string, Record<string, unknown>>([['a', { input: {} }], ['c', {}]])
  assert.deepEqual(diffStreams(running, wanted, ALWAYS_CHANGED), { add: ['c'], change: ['a'], remove: ['b'] })
})

test('the comparison sees the running version first and the wanted one second', () => {
  const calls: [string, number][] = []
  const plan = diffStreams(m({ a: 'file.yaml' }), new Map([['a', 7]]), (r, w) => {
    calls.push([r, w])
    return false
  })
  assert.deepEqual(calls, [['file.yaml', 7]])
  assert.deepEqual(plan.change, ['a'])
})

test('the inputs are not modified', () => {
  const running = m({ a: '1', gone: '2' })
  const wanted = m({ a: '3', fresh: '4' })
  diffStreams(running, wanted, same)
  assert.deepEqual([...running], [['a', '1'], ['gone', '2']])
  assert.deepEqual([...wanted], [['a', '3'], ['fresh', '4']])
})
