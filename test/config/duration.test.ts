import { test } from 'node:test'
import assert from 'node:assert/strict'
import { formatGoDuration, parseDuration, parseGoDuration } from '../../src/config/duration.js'

test('parseDuration accepts Go durations and returns milliseconds', () => {
  const cases: [string, number][] = [
    ['0', 0],
    ['1s', 1000],
    ['1.5s', 1500],
    ['.5s', 500],
    ['1.s', 1000],
    ['1h30m', 5_400_000],
    ['-250ms', -250],
    ['+2m', 120_000],
    ['10us', 0.01],
    ['10µs', 0.01],
    ['10μs', 0.01],
    ['100ns', 0.0001],
    ['1h2m3s4ms', 3_723_004],
  ]
  for (const [s, ms] of cases) assert.equal(parseDuration(s), ms, s)
})

test('parseDuration rejects what Go rejects', () => {
  for (const s of ['', '1', '1d', 's', '.s', '-', '1.5.5s', '1 s', '5sec', 'abc', '1h-5m']) {
    assert.equal(parseDuration(s), undefined, JSON.stringify(s))
  }
  assert.equal(parseGoDuration('3000000h'), undefined)
})

test('formatGoDuration matches Duration.String()', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [1, '1ns'],
    [1500, '1.5µs'],
    [250_000_000, '250ms'],
    [1_500_000, '1.5ms'],
    [1_000_000_000, '1s'],
    [19_381_001_552, '19.381001552s'],
    [60e9, '1m0s'],
    [69_334_717_193, '1m9.334717193s'],
    [3600e9, '1h0m0s'],
    [3_723_000_000_000, '1h2m3s'],
    [-1_500_000_000, '-1.5s'],
    [90 * 3600e9, '90h0m0s'],
  ]
  for (const [ns, s] of cases) assert.equal(formatGoDuration(ns), s, String(ns))
})
