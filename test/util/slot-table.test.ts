import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SlotTable } from '../../src/util/slot-table.js'

test('slots are reused and a handle that outlived its entry misses the next occupant', () => {
  const t = new SlotTable<string>()
  const a = t.add('a')
  const b = t.add('b')
  assert.equal(t.size, 2)
  assert.equal(t.take(a), 'a')
  assert.equal(t.take(a), undefined, 'taken twice')
  const c = t.add('c')
  assert.notEqual(c, a, 'the reused slot has a new generation')
  assert.equal(t.take(a), undefined, 'stale handle')
  assert.equal(t.delete(a), false)
  assert.equal(t.size, 2, 'the stale handle left the next occupant in place')
  assert.deepEqual(t.handles(), [c, b], 'slot order')
  assert.deepEqual(t.drain(), ['c', 'b'])
  assert.equal(t.size, 0)
  assert.equal(t.take(b), undefined)
})

test('handles stay small integers across many generations of one slot', () => {
  const t = new SlotTable<number>()
  const seen = new Set<number>()
  for (let i = 0; i < 2000; i++) {
    const h = t.add(i)
    assert.ok(Number.isInteger(h) && h >= 0 && h < 2 ** 31, `handle ${h}`)
    seen.add(h)
    assert.equal(t.take(h), i)
  }
  // 512 generations per slot: handles repeat only after the generation wraps.
  assert.equal(seen.size, 512)
})
