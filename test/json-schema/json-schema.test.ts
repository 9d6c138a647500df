/**
 * The JSON Schema validator against gojsonschema 1.2.0's own answers (see gojsonschema-cases.ts),
 * plus the exact-number rules and hostile inputs that answers alone do not pin down.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { compileJsonSchemaText } from '../../src/bloblang/json-schema/index.js'
import { decCompare, decIsMultiple, formatDec, parseDec } from '../../src/bloblang/json-schema/decimal.js'
import { parseJson } from '../../src/value/index.js'
import { goCases, type GoCase } from './gojsonschema-cases.js'

function answer(c: Pick<GoCase, 'schema' | 'doc'>): Omit<GoCase, 'schema' | 'doc' | 'anyOrder'> {
  const r = compileJsonSchemaText(c.schema)
  if (!r.ok) return { compile: `failed to parse json schema definition: ${r.error}` }
  try {
    const e = r.schema.check(parseJson(c.doc))
    return e === undefined ? { valid: true } : { error: e }
  } catch (err) {
    return { verror: (err as Error).message }
  }
}

const lines = (s: string | undefined): string[] => (s ?? '').split('\n').sort()

test(`every case gives gojsonschema's answer (${goCases.length} cases)`, () => {
  const wrong: string[] = []
  for (const c of goCases) {
    const { schema, doc, anyOrder, ...want } = c
    const got = answer({ schema, doc })
    const same = anyOrder ? JSON.stringify({ ...got, error: lines(got.error) }) === JSON.stringify({ ...want, error: lines(want.error) }) : JSON.stringify(got) === JSON.stringify(want)
    if (!same) wrong.push(`schema ${schema} doc ${doc}\n  want ${JSON.stringify(want)}\n  got  ${JSON.stringify(got)}`)
  }
  assert.deepEqual(wrong, [])
})

test('the cases cover every keyword, every checked format and every kind of answer', () => {
  const all = goCases.map((c) => c.schema).join('\n')
  for (const k of ['anyOf', 'oneOf', 'allOf', 'not', 'if', 'then', 'else', '$ref', '$id', 'definitions', 'dependencies', 'propertyNames', 'patternProperties', 'additionalProperties', 'additionalItems', 'contains', 'uniqueItems', 'multipleOf', 'exclusiveMinimum', 'const', 'enum', 'format', 'pattern']) {
    assert.ok(all.includes(`"${k}"`), k)
  }
  for (const f of ['date', 'time', 'date-time', 'email', 'ipv4', 'ipv6', 'uri', 'uri-reference', 'uri-template', 'hostname', 'uuid', 'regex', 'json-pointer', 'relative-json-pointer']) {
    assert.ok(goCases.some((c) => c.schema === JSON.stringify({ format: f }) && c.error !== undefined), f)
  }
  assert.ok(goCases.filter((c) => c.compile !== undefined).length > 50)
  assert.ok(goCases.filter((c) => c.valid).length > 200)
})

test('numbers compare as exact decimals, as with big.Rat', () => {
  const d = (s: string) => parseDec(s)!
  assert.equal(decIsMultiple(d('0.3'), d('0.1')), true)
  assert.equal(decIsMultiple(d('0.35'), d('0.1')), false)
  assert.equal(decIsMultiple(d('19.99'), d('0.01')), true)
  // Astronomically large exponents stay cheap and exact.
  assert.equal(decIsMultiple(d('1e999999999'), d('0.1')), true)
  assert.equal(decIsMultiple(d('1e999999999'), d('3')), false)
  assert.equal(decIsMultiple(d('1e999999999'), d('1e999999998')), true)
  assert.equal(decIsMultiple(d('0.1'), d('1e999999999')), false)
  assert.equal(decCompare(d('9007199254740993'), d('9007199254740992')), 1)
  assert.equal(decCompare(d('1.0000000000000000001'), d('1')), 1)
  assert.equal(decCompare(d('-1e-999999'), d('0')), -1)
  assert.equal(decCompare(d('12.50e1'), d('125')), 0)
  assert.deepEqual(['0', '1e+06', '123456', '1.234567e+06', '0.0001', '1e-05', '-2.5', '1.5e-07'], ['0', '1000000', '123456', '1234567', '0.0001', '0.00001', '-2.5', '1.5e-7'].map((s) => formatDec(d(s))))
})

test('hostile documents and schemas finish: long unbalanced templates and addresses, deep nesting', () => {
  const tpl = compileJsonSchemaText('{"format":"uri-template"}')
  const mail = compileJsonSchemaText('{"format":"email"}')
  assert.ok(tpl.ok && mail.ok)
  assert.equal(tpl.schema.check('a'.repeat(50_000) + '{'), "(root) does not match format 'uri-template'")
  assert.equal(mail.schema.check('a'.repeat(50_000) + '<'), "(root) does not match format 'email'")
  const rec = compileJsonSchemaText('{"properties":{"n":{"$ref":"#"},"v":{"type":"integer"}}}')
  assert.ok(rec.ok)
  let doc = '{"v":"x"}'
  for (let i = 0; i < 400; i++) doc = `{"n":${doc}}`
  assert.equal(rec.schema.check(parseJson(doc)), `${'n.'.repeat(400)}v invalid type. expected: integer, given: string`)
})

test('a value JSON cannot hold is refused with Go marshal error', () => {
  const r = compileJsonSchemaText('{}')
  assert.ok(r.ok)
  assert.throws(() => r.schema.check(NaN), /json: unsupported value: NaN/)
})

test('remote references are refused with a reason, not fetched', () => {
  const r = compileJsonSchemaText('{"$ref":"http://127.0.0.1:9/schema.json"}')
  assert.deepEqual(r, { ok: false, error: 'cannot load the referenced schema http://127.0.0.1:9/schema.json: Weir resolves references inside the schema and file:// URLs only' })
})

test('a schema that refers to itself without descending fails the value instead of overflowing the stack', () => {
  for (const text of ['{"$ref":"#"}', '{"allOf":[{"$ref":"#"}]}', '{"definitions":{"a":{"$ref":"#/definitions/b"},"b":{"$ref":"#/definitions/a"}},"$ref":"#/definitions/a"}']) {
    const r = compileJsonSchemaText(text)
    assert.ok(r.ok, text)
    assert.throws(() => r.schema.check({ a: 1 }), /json schema validation did not terminate: the schema refers to itself without descending into the document/, text)
  }
  // Recursion that follows the document down terminates as usual.
  const tree = compileJsonSchemaText('{"type":"object","properties":{"kids":{"type":"array","items":{"$ref":"#"}}}}')
  assert.ok(tree.ok)
  assert.equal(tree.schema.check(parseJson('{"kids":[{"kids":[]},{"kids":[{"kids":5}]}]}')), 'kids.1.kids.0.kids invalid type. expected: array, given: integer')
})
