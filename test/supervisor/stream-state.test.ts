/**
 * The lifecycle table, walked: every (from, to) pair over all states is either listed and accepted
 * or refused with `STREAM_STATE`, and a record's state moves only through it.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { WeirError } from '../../src/errors.js'
import { nextState, STREAM_STATES, TRANSITIONS, type StreamState } from '../../src/supervisor/stream-state.js'
import { StreamRecord } from '../../src/supervisor/stream-record.js'
import type { StreamStateEvent } from '../../src/supervisor/channels.js'

test('every pair of states is accepted exactly when the table lists it, refused with STREAM_STATE otherwise', () => {
  let accepted = 0
  let refused = 0
  for (const from of STREAM_STATES) {
    for (const to of STREAM_STATES) {
      const r = nextState('s', from, to)
      if (TRANSITIONS[from].includes(to)) {
        assert.equal(r, to, `${from} → ${to} should be accepted`)
        accepted++
      } else {
        assert.ok(r instanceof WeirError, `${from} → ${to} should be refused`)
        assert.deepEqual([r.code, r.data.stream, r.message], ['STREAM_STATE', 's', `stream state cannot change from ${from} to ${to}`])
        refused++
      }
    }
  }
  assert.equal(accepted + refused, STREAM_STATES.length ** 2)
  assert.ok(refused > 0 && accepted > 0)
})

test('the table names only known states, and every state but starting can be reached', () => {
  const reached = new Set<StreamState>()
  for (const from of STREAM_STATES) for (const to of TRANSITIONS[from]) reached.add(to)
  for (const to of reached) assert.ok(STREAM_STATES.includes(to), to)
  assert.deepEqual(STREAM_STATES.filter((s) => !reached.has(s)), ['starting'])
})

test('the lifecycle the supervisor drives is legal; the moves it must never make are not', () => {
  const legal: [StreamState, StreamState][] = [
    ['starting', 'running'],
    ['starting', 'paused'],
    ['starting', 'failed'],
    ['running', 'paused'],
    ['paused', 'running'],
    ['running', 'running'],
    ['running', 'finished'],
    ['running', 'restarting'],
    ['restarting', 'crash_looping'],
    ['crash_looping', 'running'],
    ['failed', 'running'],
    ['finished', 'stopping'],
    ['stopping', 'running'],
    ['stopping', 'failed'],
  ]
  for (const [from, to] of legal) assert.equal(nextState('s', from, to), to, `${from} → ${to}`)
  const illegal: [StreamState, StreamState][] = [
    ['stopping', 'stopping'],
    ['stopping', 'starting'],
    ['running', 'starting'],
    ['finished', 'finished'],
    ['finished', 'failed'],
    ['running', 'failed'],
    ['failed', 'finished'],
    ['restarting', 'finished'],
    ['starting', 'finished'],
  ]
  for (const [from, to] of illegal) assert.ok(nextState('s', from, to) instanceof WeirError, `${from} → ${to}`)
})

test('a record moves through the table, publishes each move, and keeps its state when refused', (t) => {
  const events: StreamStateEvent[] = []
  const onEvent = (m: unknown): void => void events.push(m as StreamStateEvent)
  subscribe('weir:stream:state', onEvent)
  t.after(() => unsubscribe('weir:stream:state', onEvent))
  const rec = new StreamRecord('r1', { config: {}, source: 'api' })
  assert.equal(rec.state, 'starting')
  assert.equal(rec.moveTo('running'), undefined)
  assert.equal(rec.moveTo('finished'), undefined)
  const refused = rec.moveTo('starting')
  assert.equal(refused?.code, 'STREAM_STATE')
  assert.equal(rec.state, 'finished')
  assert.deepEqual(
    events.filter((e) => e.stream === 'r1'),
    [
      { stream: 'r1', from: 'starting', to: 'running' },
      { stream: 'r1', from: 'running', to: 'finished' },
    ],
  )
})
