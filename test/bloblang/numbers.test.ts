/**
 * Number methods (spec §23.6) through the public compileMapping: result kinds (int64 when a rounded
 * float fits, float64 otherwise), Go's rounding (halves away from zero), aggregate and bitwise
 * behaviour and the reference's error texts. `.string()` shows the kind: floats print in %g form.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { failure, run } from './helpers.js'

test('round, floor and ceil: Go rounding, integer results when they fit in int64', () => {
  const input = '{"a":2.5,"b":-2.5,"c":-0.4,"d":0.49999999999999994,"e":-3.2,"f":5.7,"g":7}'
  assert.equal(
    run('root = [this.a.round(), this.b.round(), this.c.round(), this.d.round(), this.e.floor(), this.e.ceil(), this.f.floor(), this.f.ceil(), this.g.round()]', input),
    '[3,-3,0,0,-4,-3,5,6,7]',
  )
  // Whole results are integers (plain %v text); beyond int64 they stay floats (%g text).
  assert.equal(run('root = [this.a.round().string(), this.b.ceil().string(), this.c.floor().string()]', '{"a":2.5,"b":1e20,"c":9.3e18}'), '["3","1e+20","9.3e+18"]')
  assert.equal(run('root = [this.a.round(), this.b.round()]', '{"a":1e20,"b":-9223372036854775808.0}'), '[100000000000000000000,-9223372036854775808]')
  assert.equal(run('root = this.a.round().type()', '{"a":1.5}'), 'number')
})

test('round family: errors name the offending value', () => {
  assert.equal(failure('root = this.v.round()', '{"v":"x"}'), 'failed assignment (line 1): expected number value, got string from field `this.v` ("x")')
  assert.equal(failure('root = this.v.floor()', '{"v":null}'), 'failed assignment (line 1): expected number value, got null from field `this.v`')
  // The reference's numberMethod does not accept the sized casts.
  assert.equal(failure('root = 5.int32().ceil()'), 'failed assignment (line 1): expected number value, got number from method int32 (5)')
})

test('abs keeps the kind; the minimum int64 becomes the maximum', () => {
  assert.equal(run('root = [this.a.abs(), this.b.abs(), this.c.abs(), this.d.abs(), 5.int32().abs()]', '{"a":-3,"b":-1.5,"c":4,"d":-9223372036854775808}'), '[3,1.5,4,9223372036854775807,5]')
  assert.equal(run('root = [-5.abs(), (-5).abs(), (-2.0).abs().string()]'), '[-5,5,"2"]')
  // Plugin method: the error carries no origin, and on literals it is reported while compiling.
  assert.equal(failure('root = this.x.abs()', '{"x":"a"}'), 'failed assignment (line 1): expected number or integer value, got string ("a")')
  assert.equal(failure('root = this.v.uint64().abs()', '{"v":5}'), 'failed assignment (line 1): expected number or integer value, got number (5)')
  assert.equal(failure('root = "x".abs()'), 'line 1 char 17: expected number or integer value, got string ("x")')
})

test('max, min and sum aggregate arrays of numbers into floats', () => {
  assert.equal(run('root = [this.xs.sum(), this.xs.min(), this.xs.max()]', '{"xs":[4,1.5,10]}'), '[15.5,1.5,10]')
  assert.equal(run('root = [this.xs.max().string(), this.xs.sum().string(), [].sum()]', '{"xs":[1e6,2e6]}'), '["2e+06","3e+06",0]')
  // A number target is returned unchanged by sum (input numbers keep their spelling).
  assert.equal(run('root = [this.n.sum(), 7.sum()]', '{"n":1.50}'), '[1.50,7]')
})

test('max, min and sum: errors', () => {
  assert.equal(failure('root = this.xs.max()', '{"xs":[]}'), 'failed assignment (line 1): field `this.xs`: the array was empty')
  assert.equal(failure('root = this.xs.min()', '{"xs":[1,"a"]}'), 'failed assignment (line 1): field `this.xs`: index 1 of array: expected number value, got string ("a")')
  assert.equal(failure('root = this.xs.max()', '{"xs":"a"}'), 'failed assignment (line 1): expected array value, got string from field `this.xs` ("a")')
  // sum keeps going and reports the last bad element, without an origin.
  assert.equal(failure('root = this.xs.sum()', '{"xs":[1,"a",2,"b"]}'), 'failed assignment (line 1): index 3: expected number value, got string ("b")')
  assert.equal(failure('root = this.xs.sum()', '{"xs":"a"}'), 'failed assignment (line 1): expected array value, got string from field `this.xs` ("a")')
})

test('log, log10, pow and trigonometry give floats', () => {
  assert.equal(run('root = [this.x.pow(2), this.y.log10(), 10.log(), 1.log(), 2.pow(-2), 10.pow(-2)]', '{"x":3,"y":1000}'), '[9,3,2.302585092994046,0,0.25,0.01]')
  assert.equal(run('root = [(45 * (pi() / 180)).sin(), 0.cos(), (pi() / 4).tan().round()]'), '[0.7071067811865475,1,1]')
  assert.equal(run('root = [this.x.pow(0.5).string(), 0.log().string()]', '{"x":2}'), '["1.4142135623730951","-Inf"]')
  assert.equal(failure('root = this.s.pow(2)', '{"s":"a"}'), 'failed assignment (line 1): expected number value, got string ("a")')
  assert.equal(failure('root = this.s.log()', '{"s":"a"}'), 'failed assignment (line 1): expected number value, got string from field `this.s` ("a")')
})

test('bitwise operations on int64', () => {
  assert.equal(run('root = [this.v.bitwise_and(6), this.v.bitwise_or(1), this.v.bitwise_xor(5)]', '{"v":12}'), '[4,13,9]')
  assert.equal(run('root = [(-12).bitwise_and(6), 12.bitwise_or(-1), 9223372036854775807.bitwise_xor(-1), this.f.bitwise_or(0)]', '{"f":7.9}'), '[4,-1,-9223372036854775808,7]')
  assert.equal(run('root = 9007199254740993.bitwise_and(9007199254740993)'), '9007199254740993')
  assert.equal(failure('root = this.v.bitwise_and(3)', '{"v":"x"}'), 'failed assignment (line 1): expected integer value, got string from field `this.v` ("x")')
})
