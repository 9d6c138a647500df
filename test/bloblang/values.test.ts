/** The value model: number kinds, string conversion, JSON text, equality, Go parsing helpers. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  Float,
  JsonNumber,
  Sized,
  UInt64,
  compareBytewise,
  deepCopy,
  formatFloat32G,
  formatFloatG,
  makeFloat,
  makeInt,
  opEqual,
  parseGoFloat,
  parseGoInt,
  parseJson,
  setKey,
  toInt64,
  toJson,
  typeError,
  typeName,
  valueToString,
  valuesEqual,
  DELETE,
  NOTHING,
  type VObject,
} from '../../src/value/index.js'

test('number constructors keep int and float apart', () => {
  assert.equal(makeInt(5), 5)
  assert.equal(makeInt(2n ** 60n), 2n ** 60n)
  assert.equal(makeInt(2n ** 63n), -(2n ** 63n), 'wraps to int64')
  assert.equal(makeInt(12n), 12, 'small bigints normalise to numbers')
  assert.ok(makeFloat(2) instanceof Float)
  assert.equal(makeFloat(2.5), 2.5)
  assert.ok(makeFloat(-0) instanceof Float)
})

test('Go %g float formatting', () => {
  const cases: [number, string][] = [
    [1500000, '1.5e+06'],
    [123456.5, '123456.5'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [2000000.5, '2.0000005e+06'],
    [1e21, '1e+21'],
    [1.5, '1.5'],
    [0, '0'],
    [-0, '-0'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-123.25, '-123.25'],
  ]
  for (const [x, s] of cases) assert.equal(formatFloatG(x), s, `${x}`)
  assert.equal(formatFloat32G(Math.fround(1.1)), '1.1')
  assert.equal(formatFloat32G(Math.fround(16777216.5)), '1.6777216e+07')
})

test('string conversion (spec §10)', () => {
  assert.equal(valueToString('x'), 'x')
  assert.equal(valueToString(new TextEncoder().encode('by')), 'by')
  assert.equal(valueToString(42), '42')
  assert.equal(valueToString(new Float(3)), '3')
  assert.equal(valueToString(new Float(1500000)), '1.5e+06')
  assert.equal(valueToString(new JsonNumber('1.50')), '1.50')
  assert.equal(valueToString(true), 'true')
  assert.equal(valueToString(null), 'null')
  assert.equal(valueToString(DELETE), 'null')
  assert.equal(valueToString(NOTHING), 'null')
  assert.equal(valueToString({ b: '<&>', a: [1, 2.5] }), '{"a":[1,2.5],"b":"\\u003c\\u0026\\u003e"}')
  assert.equal(valueToString(new UInt64(18446744073709551615n)), '18446744073709551615')
  assert.equal(valueToString(new Sized('float32', Math.fround(0.1))), '0.1')
})

test('JSON output: sorted keys, no HTML escaping, U+2028 escaped, base64 bytes', () => {
  const v = { b: 1, a: '<tag>&', '10': true, '9': null, é: 'x', c: 'line\u2028sep\u0001', raw: new TextEncoder().encode('hi') }
  assert.equal(toJson(v), '{"10":true,"9":null,"a":"<tag>&","b":1,"c":"line\\u2028sep\\u0001","raw":"aGk=","é":"x"}')
  assert.equal(toJson(new Float(3)), '3')
  assert.equal(toJson(1e21), '1e+21')
  assert.equal(toJson(1e-7), '1e-7')
  assert.equal(toJson(new Float(-0)), '-0')
  assert.equal(toJson(2n ** 62n), '4611686018427387904')
  assert.equal(toJson({ a: [1, { b: 2 }], c: {} }, { indent: '    ' }), '{\n    "a": [\n        1,\n        {\n            "b": 2\n        }\n    ],\n    "c": {}\n}')
  assert.throws(() => toJson(NaN), /unsupported value: NaN/)
})

test('JSON parse keeps number text and reports Go-style errors', () => {
  const v = parseJson('{"a":1.0,"b":9007199254740993,"c":-0,"d":[1e3],"e":"\\ud800x","__proto__":1}') as VObject
  assert.equal(toJson(v), '{"__proto__":1,"a":1.0,"b":9007199254740993,"c":-0,"d":[1e3],"e":"\ufffdx"}')
  assert.ok(v.a instanceof JsonNumber)
  assert.equal(typeof parseJson('12'), 'number')
  assert.ok(parseJson('2.0', 'float') instanceof Float)
  assert.throws(() => parseJson('{broken'), { message: "invalid character 'b' looking for beginning of object key string" })
  assert.throws(() => parseJson(''), { message: 'unexpected end of JSON input' })
  assert.throws(() => parseJson('[1] [2]'), { message: "invalid character '[' after top-level value" })
  assert.throws(() => parseJson('nope'), { message: "invalid character 'o' in literal null (expecting 'u')" })
  assert.throws(() => parseJson('['.repeat(20000)), { message: 'exceeded max depth' })
})

test('equality follows the reference (spec §9.3)', () => {
  assert.equal(opEqual(2, new Float(2)), true)
  assert.equal(opEqual(new JsonNumber('1.0'), 1), true)
  assert.equal(opEqual(1, '1'), false)
  assert.equal(opEqual(true, 1), true, 'left bool converts the right side')
  assert.equal(opEqual(1, true), false)
  assert.equal(opEqual(null, null), true)
  assert.equal(opEqual(2n ** 62n, 2n ** 62n + 1n), false, 'exact for 64-bit ints')
  assert.equal(valuesEqual({ k: 1 }, { k: new Float(1) }), true)
  assert.equal(valuesEqual([1, 'a'], [1, 'a']), true)
  assert.equal(valuesEqual('ab', new TextEncoder().encode('ab')), true)
  assert.equal(valuesEqual([1], [1, 2]), false)
})

test('deep copies do not alias', () => {
  const a = { x: [1, { y: 2 }] }
  const b = deepCopy(a)
  ;((b.x[1] as Record<string, number>).y as number) = 3
  assert.equal((a.x[1] as Record<string, number>).y, 2)
})

test('Go strconv parsing', () => {
  assert.equal(parseGoInt('0x1F'), 31)
  assert.equal(parseGoInt('0b101'), 5)
  assert.equal(parseGoInt('017'), 15)
  assert.equal(parseGoInt('0o17'), 15)
  assert.equal(parseGoInt('1_000'), 1000)
  assert.equal(parseGoInt('-9223372036854775808'), -(2n ** 63n))
  assert.throws(() => parseGoInt('9223372036854775808'), { message: 'strconv.ParseInt: parsing "9223372036854775808": value out of range' })
  assert.throws(() => parseGoInt('1__0'), { message: 'strconv.ParseInt: parsing "1__0": invalid syntax' })
  assert.equal(parseGoFloat('1e3'), 1000)
  assert.equal(parseGoFloat('-Inf'), -Infinity)
  assert.equal(parseGoFloat('0x1p-2'), 0.25)
  assert.throws(() => parseGoFloat('abc'), { message: 'strconv.ParseFloat: parsing "abc": invalid syntax' })
  assert.throws(() => toInt64(12.5), /contains decimals/)
})

test('type names and type errors', () => {
  assert.equal(typeName(new JsonNumber('1')), 'number')
  assert.equal(typeName(new Uint8Array()), 'bytes')
  assert.equal(typeName(DELETE), 'delete')
  assert.equal(typeError('x', 'number').setFrom('field `this.a`').message, 'expected number value, got string from field `this.a` ("x")')
  assert.equal(typeError(null, 'string', 'array', 'object').message, 'expected string, array or object value, got null')
})

test('byte-wise key order', () => {
  assert.ok(compareBytewise('\uffff', '\u{10000}') < 0, 'U+FFFF sorts before supplementary characters in UTF-8')
  assert.ok(compareBytewise('B', '_') < 0)
  assert.ok(compareBytewise('10', '9') < 0)
})

test('objects are written in byte-wise key order whatever order their keys were added in', () => {
  const cases: [string[], string][] = [
    [['a', 'b', 'c'], '{"a":0,"b":1,"c":2}'],
    [['c', 'a', 'b'], '{"a":1,"b":2,"c":0}'],
    [['9', '10', 'x'], '{"10":1,"9":0,"x":2}'],
    [['\u{10000}', '\uffff'], '{"\uffff":1,"\u{10000}":0}'],
    [['\uffff', '\u{10000}'], '{"\uffff":0,"\u{10000}":1}'],
    [['b', '__proto__'], '{"__proto__":1,"b":0}'],
  ]
  for (const [keys, want] of cases) {
    const o: VObject = {}
    keys.forEach((k, i) => setKey(o, k, i))
    assert.equal(toJson(o), want, keys.join(','))
    assert.equal(toJson([o, { n: o }]), `[${want},{"n":${want}}]`)
  }
})

test('stringToBytes: the UTF-8 bytes TextEncoder gives, as a plain Uint8Array, on both sides of its short-ASCII path', async () => {
  const { stringToBytes } = await import('../../src/value/coerce.js')
  const fc = (await import('fast-check')).default
  const encoder = new TextEncoder()
  const check = (s: string): void => {
    const b = stringToBytes(s)
    assert.equal(Object.getPrototypeOf(b), Uint8Array.prototype, JSON.stringify(s))
    assert.deepEqual([...b], [...encoder.encode(s)], JSON.stringify(s))
  }
  for (const s of ['', 'a', '{"n":1,"name":"ada"}', 'x'.repeat(47), 'x'.repeat(48), 'x'.repeat(49), 'x'.repeat(47) + 'é', 'é', '\u007f\u0080', '\ud800', 'a\udc00b', '🐱', 'x'.repeat(5000)]) check(s)
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => check(s)), { numRuns: 500 })
})
