/**
 * Message JSON has two native routes (a JSON.parse proven exact by cheap text tests, and a scan +
 * JSON.parse + fix walk) and JavaScript parsers behind them. Whatever route a text takes, the
 * values must be those of the careful JavaScript parser; a leading space keeps a document off the
 * first route, so both native routes are compared with it.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { JsonNumber, parseJson, toJson, valueToString, type Value } from '../../src/value/index.js'
import { boxFractions, carefulParse, parseJsonDocument } from '../../src/value/json-parse.js'

/** Value structure with each JsonNumber shown as its text and int-ness (deepEqual sees neither). */
function shape(v: Value): unknown {
  if (v instanceof JsonNumber) return { jsonNumber: v.text, isInt: v.isInt(), float: v.float() }
  if (Array.isArray(v)) return v.map(shape)
  if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]))
  }
  return v
}

function sameAsOtherRoute(text: string): void {
  const want = carefulParse(text)
  for (const got of [parseJson(text), parseJson(' ' + text)]) {
    assert.deepEqual(shape(got), shape(want), text)
    assert.equal(toJson(got), toJson(want), text)
  }
  // A document that says its fractions are boxed must hold no plain fraction; one that says they
  // are not must become exact once they are boxed.
  const doc = parseJsonDocument(text)
  if (doc.unboxedFractions) boxFractions(doc.value)
  assert.deepEqual(shape(doc.value), shape(want), text)
}

/** Whether any number in `v` is a plain fraction. */
function hasPlainFraction(v: Value): boolean {
  if (typeof v === 'number') return !Number.isInteger(v)
  if (Array.isArray(v)) return v.some(hasPlainFraction)
  if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) return Object.values(v).some(hasPlainFraction)
  return false
}

test('numbers keep their text whatever route parses them', () => {
  const cases = [
    '{"a":1.5,"b":[0.25,-3.75,{"c":100.125}],"d":12}',
    '{"a":1.50}',
    '{"a":1.0,"b":2}',
    '{"a":1e5}',
    '{"a":1E+5,"b":2e-3}',
    '{"a":-0}',
    '[-0 ]',
    '{"a":-0.5,"b":-0.0}',
    '{"a":0.000001,"b":0.0000001}',
    '{"a":123456789012345,"b":1234567890123456,"c":12345678901234567890}',
    '{"a":1234567.123456789,"b":0.12345678901234567}',
    '{"a":1234567890.5,"b":12345678901234.5,"c":1234567890123.25,"d":123456789012345.5,"e":0.1234567}',
    '{"a":0.0000015,"b":-0.000001,"c":[0.5e1,5.0]}',
    '{"t":"2024-01-01T00:00:00.000Z","n":3.5}',
    '{"h":"3e4f","x":"1e5","n":0.1}',
    '{"a": 1.5 ,\n "b" :\t[ 2.25 ] }',
    '{"__proto__":1.5,"x":{"__proto__":[2.5]}}',
    '{"2":1.5,"1":2.5,"a":3.5}',
    '{"a":1.5,"a":2.5}',
    '{"s":"\\ud83d\\ude00","n":1.5}',
    '{"s":"\\ud800","n":1.5}',
    '[1.5,2,3.25]',
    '{"":{"":[]," ":[-0],"":{"":0}}}',
    '{"a":[1.5],"a":[2,3.25]}',
  ]
  for (const c of cases) sameAsOtherRoute(c)
  const v = parseJson('{"p":10.5,"q":[0.2]}') as { p: Value; q: Value[] }
  assert.ok(v.p instanceof JsonNumber && v.q[0] instanceof JsonNumber)
  assert.equal(valueToString(v.p), '10.5')
  assert.equal(toJson(v), '{"p":10.5,"q":[0.2]}')
})

test('a document proven canonical keeps its fractions unboxed; anything else is boxed at parse', () => {
  const item = (k: number): string => `{"sku":"sku-${k}","price":${1.25 * (k + 1)},"at":"2024-01-0${k % 9}"}`
  const long = `{"items":[${Array.from({ length: 40 }, (_, k) => item(k)).join(',')}],"n":-0.5}`
  assert.ok(long.length > 1000)
  for (const text of ['{"p":10.5,"q":[0.2]}', long]) {
    const doc = parseJsonDocument(text)
    assert.equal(doc.unboxedFractions, true, text)
    assert.ok(hasPlainFraction(doc.value))
    boxFractions(doc.value)
    assert.equal(hasPlainFraction(doc.value), false)
    assert.deepEqual(shape(doc.value), shape(carefulParse(text)))
  }
  // Many brackets in a long text: the depth walk runs and boxes on the way.
  const bracketHeavy = `[${Array.from({ length: 1100 }, () => '[0.5]').join(',')}]`
  for (const text of ['{"a":-0,"b":1.5}', '{"a":[ -0],"b":1.5}', '{"a":1.5e3,"b":2.5}', '{"a":12345678901234567,"b":0.5}', '{"a":1.50}', bracketHeavy]) {
    const doc = parseJsonDocument(text)
    assert.equal(doc.unboxedFractions, false, text)
    assert.equal(hasPlainFraction(doc.value), false, text)
    assert.deepEqual(shape(doc.value), shape(carefulParse(text)), text)
  }
})

test('nesting beyond the limit is refused on every route', () => {
  const deep = '['.repeat(1500) + '1.5' + ']'.repeat(1500)
  assert.throws(() => parseJson(deep), { message: 'exceeded max depth' })
  const deepInt = '['.repeat(1500) + '1' + ']'.repeat(1500)
  assert.throws(() => parseJson(deepInt), { message: 'exceeded max depth' })
})

test('random documents parse alike on every route', () => {
  // Numbers written many ways: fractions with and without trailing zeros, exponents, long digits.
  const numberText = fc.oneof(
    fc.integer().map(String),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
    fc.tuple(fc.integer({ min: -99999, max: 99999 }), fc.stringMatching(/^[0-9]{1,18}$/)).map(([i, f]) => `${i}.${f}`),
    fc.tuple(fc.integer({ min: -9, max: 9 }), fc.integer({ min: -30, max: 30 })).map(([m, e]) => `${m}e${e}`),
    fc.stringMatching(/^-?[1-9][0-9]{0,20}$/),
    fc.constant('-0'),
  )
  const doc = fc.letrec<{ v: string }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      numberText,
      fc.string().map((s) => JSON.stringify(s)),
      fc.constantFrom('true', 'false', 'null'),
      fc.array(tie('v'), { maxLength: 5 }).map((xs) => `[${xs.join(',')}]`),
      fc.array(fc.tuple(fc.string({ maxLength: 4 }), tie('v')), { maxLength: 5 }).map((kv) => `{${kv.map(([k, x]) => `${JSON.stringify(k)}:${x}`).join(',')}}`),
    ),
  })).v
  const top = fc.oneof(
    fc.array(doc, { maxLength: 6 }).map((xs) => `[${xs.join(',')}]`),
    fc.array(fc.tuple(fc.string({ maxLength: 4 }), doc), { maxLength: 6 }).map((kv) => `{${kv.map(([k, x]) => `${JSON.stringify(k)}:${x}`).join(',')}}`),
  )
  fc.assert(
    fc.property(top, (text) => sameAsOtherRoute(text)),
    { numRuns: 2000 },
  )
})
