import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ExponentialBackoff, STOP } from '../../src/components/shared/exponential-backoff.js'

test('back-off grows by 1.5 up to the maximum, randomised ±50 % around each interval', () => {
  const mid = new ExponentialBackoff({ initialMs: 100, maxMs: 300, maxElapsedMs: 0, random: () => 0.5 })
  const waits = Array.from({ length: 5 }, () => Math.round(mid.next()))
  assert.deepEqual(waits, [100, 150, 225, 300, 300])
  const low = new ExponentialBackoff({ initialMs: 100, maxMs: 300, maxElapsedMs: 0, random: () => 0 })
  assert.equal(low.next(), 50)
  const high = new ExponentialBackoff({ initialMs: 100, maxMs: 300, maxElapsedMs: 0, random: () => 0.999999 })
  assert.ok(Math.abs(high.next() - 150) < 0.01)
})

test('back-off stops once the next wait would pass max_elapsed_time; reset starts over', () => {
  const b = new ExponentialBackoff({ initialMs: 1000, maxMs: 1000, maxElapsedMs: 500, random: () => 0.5 })
  assert.equal(b.next(), STOP)
  const ok = new ExponentialBackoff({ initialMs: 10, maxMs: 10, maxElapsedMs: 60_000, random: () => 0.5 })
  assert.equal(Math.round(ok.next()), 10)
  ok.reset()
  assert.equal(Math.round(ok.next()), 10)
})
