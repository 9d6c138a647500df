/** Parse errors: the reference's wording and exact line/column (1-based, in code points). */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { compileMapping } from '../../src/bloblang/index.js'
import { WeirError } from '../../src/errors.js'

function parseError(mapping: string): WeirError {
  try {
    compileMapping(mapping)
  } catch (err) {
    assert.ok(err instanceof WeirError, `not a WeirError: ${String(err)}`)
    assert.equal(err.code, 'BLOBLANG_PARSE')
    return err
  }
  throw new Error(`expected a parse error from ${JSON.stringify(mapping)}`)
}

const cases: [string, string][] = [
  ['let foo+bar = baz', 'line 1 char 8: expected whitespace'],
  ['meta foo+bar = baz', 'line 1 char 9: expected ='],
  ['', 'line 1 char 1: expected import, map, or assignment'],
  ['\n   ', 'line 2 char 4: expected import, map, or assignment'],
  ['# foobar', 'line 1 char 1: expected import, map, or assignment'],
  ['foo = bar bar = baz', 'line 1 char 11: expected line break'],
  ['let a = "a"\nfoo = bar bar = baz', 'line 2 char 11: expected line break'],
  ['foo wat bar', 'line 1 char 5: expected ='],
  ['root=5', 'line 1 char 5: expected whitespace'],
  [
    '!foo = bar',
    'line 1 char 6: expected the mapping to end here as the beginning is shorthand for `root = !foo`, but this shorthand form cannot be followed with more assignments',
  ],
  [
    'content().uppercase().lowercase()\nmeta foo = "bar"',
    'line 2 char 1: expected the mapping to end here as the beginning is shorthand for `root = content().up...`, but this shorthand form cannot be followed with more assignments',
  ],
  ['let foo = bar\n!foo = bar', 'line 2 char 1: expected import, map, or assignment'],
  ['foo = blah.', 'line 1 char 12: required: expected method or field path'],
  ['let = blah', 'line 1 char 5: required: expected variable name'],
  ['map foo {\n  foo = bar\n}\nmap foo {\n  foo = bar\n}', 'line 4 char 1: map name collision: foo'],
  ['map foo {\n  meta foo = "bar"\n}', 'line 2 char 3: setting meta fields is not allowed within this block'],
  ['map {\n  foo = bar\n}', 'line 1 char 5: required: expected map name'],
  ['root = {5:"foo"}', 'line 1 char 8: object keys must be strings, received: int64'],
  ['root = [5,null,"unterminated string]', 'line 1 char 37: required: expected end quote'],
  ['root = not_a_function()', "line 1 char 24: unrecognised function 'not_a_function'"],
  ['root = json(', 'line 1 char 13: required: expected function argument'],
  ['root = json(5)', 'line 1 char 15: field path: wrong argument type, expected string, got number'],
  ['root = this.s.slice(0, high: 2)', 'line 1 char 32: cannot mix named and nameless arguments'],
  ['root = json("foo") + ', 'line 1 char 22: expected query'],
  ['root = (json("foo") ', 'line 1 char 21: required: expected closing bracket'],
  ['root = json("foo").not_a_thing()', "line 1 char 33: unrecognised method 'not_a_thing'"],
  ['root = json("foo").from()', 'line 1 char 26: missing parameter: index'],
  ['root = json("foo").from("nah")', 'line 1 char 31: field index: expected number value, got string ("nah")'],
  ['root = json("foo").(1 + )', 'line 1 char 25: required: expected query'],
  ['root = 1 / 0', 'line 1 char 8: number literal: attempted to divide by zero'],
  ['root = "a" + 5', 'line 1 char 8: cannot add types string (from string literal) and number (from number literal)'],
  ['root = 9223372036854775808', "line 1 char 8: failed to parse '9223372036854775808' as integer: strconv.ParseInt: parsing \"9223372036854775808\": value out of range"],
  ['root = range(0, 10, 0)', 'line 1 char 23: step must be greater than or less than 0'],
  ['root = this.a.slice(3, 1)', 'line 1 char 26: lower slice bound 3 must be lower than upper (1)'],
  ['root = this.xs.map_each(x -> this.ys.map_each(x -> x))', 'line 1 char 47: context label `x` would shadow a parent context'],
  ['root = this.xs.map_each(this -> this)', 'line 1 char 25: context label `this` is not allowed'],
  ['root = "é" + 1\nroot = "a" + 1', 'line 1 char 8: cannot add types string'],
]

test('parse errors match the reference wording and position', () => {
  for (const [mapping, message] of cases) {
    const err = parseError(mapping)
    assert.ok(err.message.startsWith(message), `${JSON.stringify(mapping)}\n  got:  ${err.message}\n  want: ${message}`)
    const m = /^line (\d+) char (\d+):/.exec(message)!
    assert.equal(err.data.line, Number(m[1]))
    assert.equal(err.data.col, Number(m[2]))
  }
})

test('lines may not start with an operator or a dot; statements need their own line', () => {
  for (const m of ['root = this.a\n  .b()', 'root = 1\n + 2', 'root = 1 root.b = 2']) parseError(m)
  assert.doesNotThrow(() => compileMapping('root = this.a.\n  uppercase()'))
  assert.doesNotThrow(() => compileMapping('root = 1 +\n  2'))
  assert.doesNotThrow(() => compileMapping('root = [\n  1, # one\n  2,\n]\n# trailing comment'))
})

test('columns count code points', () => {
  const err = parseError('root = "😀" + 1 2')
  assert.equal(err.data.col, 16)
})

test('deeply nested source is a parse error, not a crash', () => {
  const err = parseError('root = ' + '('.repeat(100000) + '1' + ')'.repeat(100000))
  assert.equal(err.data.line, 1)
})

test('imports resolve relative to configDir and report errors at the import', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const { join } = await import('node:path')
  const dir = mkdtempSync(join(tmpdir(), 'weir-blobl-'))
  writeFileSync(join(dir, 'maps.blobl'), 'map upper {\n  root = this.uppercase()\n}\n')
  writeFileSync(join(dir, 'bad.blobl'), 'map x {\n  root = \n}\n')
  writeFileSync(join(dir, 'whole.blobl'), 'root.v = this.v + 1\n')
  const m = compileMapping('import "maps.blobl"\nroot = this.s.apply("upper")', { configDir: dir })
  assert.equal(new TextDecoder().decode(m.apply({ content: '{"s":"hi"}' })!.content), 'HI')
  const f = compileMapping('from "whole.blobl"', { configDir: dir })
  assert.equal(new TextDecoder().decode(f.apply({ content: '{"v":1}' })!.content), '{"v":2}')
  assert.throws(() => compileMapping('import "bad.blobl"', { configDir: dir }), (err: WeirError) =>
    err.message.startsWith("line 1 char 1: failed to parse import 'bad.blobl': line 2 char 10:"),
  )
  assert.throws(() => compileMapping('import "missing.blobl"', { configDir: dir }), {
    message: 'line 1 char 1: failed to read import: open missing.blobl: no such file or directory',
  })
})
