/** `json_schema` and `infer_schema` in mappings, with the reference's texts and fingerprints. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { errorOf, run } from './helpers.js'

const FOO = 'root = this.json_schema("""{"type":"object","properties":{"foo":{"type":"string"}}}""")'

test("json_schema: the reference's own example, passing and failing", () => {
  assert.equal(run(FOO, '{"foo":"bar"}'), '{"foo":"bar"}')
  assert.equal(errorOf(FOO, '{"foo":5}'), 'failed assignment (line 1): field `this`: foo invalid type. expected: string, given: integer')
})

test('json_schema: every violation, one per line, and the value passes through unchanged', () => {
  const m = 'root = this.json_schema("""{"required":["id"],"properties":{"tags":{"type":"array","items":{"type":"string"},"uniqueItems":true}}}""")'
  assert.equal(errorOf(m, '{"tags":["a",1,"a"]}'), 'failed assignment (line 1): field `this`: (root) id is required\ntags.1 invalid type. expected: string, given: integer\ntags array items[0,2] must be unique')
  assert.equal(run(m, '{"id":7,"tags":["a"],"x":1.50}'), '{"id":7,"tags":["a"],"x":1.50}')
})

test('json_schema: a bad literal schema fails when the mapping compiles; a dynamic one when it runs', () => {
  assert.equal(errorOf('root = this.json_schema("{")'), 'line 1 char 29: failed to parse json schema definition: unexpected EOF')
  assert.equal(errorOf('root = this.json_schema(this.s)', '{"s":"{\\"type\\":5}"}'), 'failed assignment (line 1): failed to parse json schema definition: Invalid type. Expected: string/array of strings, given: type')
  assert.equal(run('root = this.v.json_schema(this.s)', '{"s":"{\\"type\\":\\"integer\\"}","v":3}'), '3')
})

test('json_schema: bytes and timestamps are checked as the strings JSON makes of them', () => {
  assert.equal(run('root = "hi".bytes().json_schema("""{"type":"string","pattern":"^aGk="}""").string()'), 'hi')
  assert.equal(run('root = "2024-01-02T03:04:05Z".ts_parse("2006-01-02T15:04:05Z07:00").json_schema("""{"type":"string","format":"date-time"}""").type()'), 'timestamp')
  assert.equal(errorOf('root = "2024-01-02T03:04:05Z".ts_parse("2006-01-02T15:04:05Z07:00").json_schema("""{"type":"string","format":"date"}""")'), "failed assignment (line 1): method ts_parse: (root) does not match format 'date'")
})

// Fingerprints from the reference's own schema package (run outside this project).
test('infer_schema: types, names, children and fingerprints as the reference computes them', () => {
  const got = JSON.parse(run('root = this.infer_schema()', '{"a":1,"b":"x","c":[1,2],"d":{"é":true},"e":[],"f":1.5,"g":null}'))
  assert.equal(got.fingerprint, '7f359406ce7d8db5439bba09ad5b72ce306a5909278515d0b9946fc036ba3ab5')
  assert.equal(got.type, 'OBJECT')
  assert.deepEqual(
    got.children.map((c: { name: string; type: string; fingerprint: string }) => [c.name, c.type, c.fingerprint.slice(0, 12)]),
    [
      ['a', 'INT64', '29403e8afa8c'],
      ['b', 'STRING', '7d3e6eb41ef2'],
      ['c', 'ARRAY', '032867c11958'],
      ['d', 'OBJECT', 'a70927d87303'],
      ['e', 'ARRAY', 'a6aa6e665402'],
      ['f', 'FLOAT64', '8ecc54a6eb4a'],
      ['g', 'NULL', 'cfbb23c6dea7'],
    ],
  )
  assert.deepEqual(got.children[3].children, [{ fingerprint: '7ff03ccca55f12404eb4ae8b29e62e6c124a37c7fca48d3826fd2b65c7162641', name: 'é', type: 'BOOLEAN' }])
  const typed = JSON.parse(run('root = {"b":"x".bytes(),"t":0.ts_unix_nano().ts_tz("UTC"),"i32":1.int32(),"f32":1.5.float32(),"f":2.5,"n":null}.infer_schema()'))
  assert.equal(typed.fingerprint, 'd0a9a7866f34c76ad3bc461636b58ca362385f29fb9f1c354d31d08fbf6ddbb0')
  assert.deepEqual(typed.children.map((c: { type: string }) => c.type), ['BYTE_ARRAY', 'FLOAT64', 'FLOAT32', 'INT32', 'NULL', 'TIMESTAMP'])
})

test('infer_schema: errors name the place, as the reference does', () => {
  assert.equal(errorOf('root = this.infer_schema()', '[{"a":[1,"x"]}]'), 'failed assignment (line 1): field `this`: .0.a.1 mismatched array types, found INT64 and STRING')
  assert.equal(errorOf('root = {"u":1.uint64()}.infer_schema()'), 'failed assignment (line 1): object literal: .u unsupported data type: uint64')
})
