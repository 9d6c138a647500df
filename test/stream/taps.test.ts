/** The worker's tap board: points, the off state, and the bounds on what a tapped point samples. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { TapBoard, TAP_MAX_BYTES, TAP_MAX_PER_SECOND } from '../../src/stream/taps.js'
import { Message } from '../../src/message/message.js'
import type { TapEvent } from '../../src/protocol/messages.js'

function collect(board: TapBoard): { got: [string, TapEvent[]][]; next: () => Promise<[string, TapEvent[]]> } {
  const got: [string, TapEvent[]][] = []
  let wake: (() => void) | undefined
  board.setSink((point, events) => {
    got.push([point, events])
    wake?.()
  })
  return {
    got,
    next: () =>
      new Promise((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error('no samples within 30 s')), 30_000)
        wake = () => {
          clearTimeout(deadline)
          resolve(got.shift()!)
        }
        if (got.length) wake()
      }),
  }
}

test('points are input, each processor, output; all off until started', () => {
  const board = new TapBoard(2)
  assert.deepEqual(board.points, ['input', 'processor:0', 'processor:1', 'output'])
  assert.deepEqual([...board.on], [0, 0, 0, 0])
  assert.equal(board.start('processor:1'), true)
  assert.equal(board.start('processor:2'), false)
  assert.deepEqual([...board.on], [0, 0, 1, 0])
  assert.deepEqual(board.active(), ['processor:1'])
  board.stop('processor:1')
  assert.deepEqual(board.active(), [])
  assert.deepEqual(new TapBoard(0).points, ['input', 'output'])
})

test('a tapped point samples at most its rate per second and cuts long contents', async () => {
  const board = new TapBoard(0)
  const sink = collect(board)
  board.start('output')
  const meta = new Map<string, unknown>([['k', 'v'], ['n', 3]])
  const batch = Array.from({ length: TAP_MAX_PER_SECOND + 10 }, (_, i) => new Message(`m${i}`, new Map(meta) as Map<string, never>))
  board.offer(board.outputSlot, batch)
  const [point, events] = await sink.next()
  assert.equal(point, 'output')
  assert.equal(events.length, TAP_MAX_PER_SECOND)
  assert.deepEqual(events[0], { at: events[0]!.at, content: 'm0', bytes: 2, truncated: false, metadata: { k: 'v', n: '3' } })
  // Still within the same second: more messages are skipped, nothing is sent.
  board.offer(board.outputSlot, [[new Message('over')]])
  await new Promise((r) => setTimeout(r, 300))
  assert.equal(sink.got.length, 0)
  const big = new Message('x'.repeat(TAP_MAX_BYTES + 5))
  const fresh = new TapBoard(0)
  const freshSink = collect(fresh)
  fresh.start('input')
  fresh.offer(0, [big])
  const [, cut] = await freshSink.next()
  assert.equal(cut[0]!.content.length, TAP_MAX_BYTES)
  assert.equal(cut[0]!.truncated, true)
  assert.equal(cut[0]!.bytes, TAP_MAX_BYTES + 5)
})

test('samples taken just before a stop are not delivered', async () => {
  const board = new TapBoard(0)
  const sink = collect(board)
  board.start('input')
  board.offer(0, [new Message('late')])
  board.stop('input')
  board.start('output')
  board.offer(board.outputSlot, [new Message('kept')])
  const [point, events] = await sink.next()
  assert.deepEqual([point, events.map((e) => e.content)], ['output', ['kept']])
  assert.equal(sink.got.length, 0)
})
