/** The semaphore (stream starts, output fan-out): at most `limit` holders, waiters served in arrival order. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Semaphore } from '../../src/util/semaphore.js'

test('at most size holders at once, the rest served in arrival order as slots come back', async () => {
  const s = new Semaphore(2)
  const got: number[] = []
  await s.acquire()
  await s.acquire()
  const waiters = [1, 2, 3].map((i) => s.acquire().then(() => void got.push(i)))
  await Promise.resolve()
  assert.deepEqual(got, [])
  assert.equal(s.waiting, 3)
  s.release()
  await waiters[0]
  assert.deepEqual(got, [1])
  s.release()
  s.release()
  await Promise.all(waiters)
  assert.deepEqual(got, [1, 2, 3])
  // Every holder gives its slot back: two free again, never more than the limit.
  for (let i = 0; i < 5; i++) s.release()
  await s.acquire()
  await s.acquire()
  let third = false
  void s.acquire().then(() => (third = true))
  await new Promise((r) => setImmediate(r))
  assert.equal(third, false)
})
