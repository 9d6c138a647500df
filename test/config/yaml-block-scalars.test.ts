/**
 * Block scalars read as go-yaml v3 reads them (the reference's YAML library, a libyaml port). The
 * expected values were taken from libyaml itself (PyYAML's CSafeLoader) for each text; the ones
 * marked `yaml differs` are where the `yaml` package alone gives another value.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseYamlText } from '../../src/config/yaml.js'

const CASES: [text: string, expected: unknown, note?: string][] = [
  ['a: |\n  foo', { a: 'foo' }, 'yaml differs'],
  ['a: |\n  foo\n', { a: 'foo\n' }],
  ['a: |\n  foo\n\n\n', { a: 'foo\n' }],
  ['a: |-\n  foo\n\n', { a: 'foo' }],
  ['a: |+\n  foo\n\n', { a: 'foo\n\n' }],
  ['a: |+\n  foo', { a: 'foo' }, 'yaml differs'],
  ['a: >\n  foo\n  bar', { a: 'foo bar' }, 'yaml differs'],
  ['a: >+\n  foo', { a: 'foo' }, 'yaml differs'],
  ['a: >-\n  foo', { a: 'foo' }],
  ['a: >\n  foo\n  bar\n\n  baz\n', { a: 'foo bar\nbaz\n' }],
  ['a: >\n  foo\n    indented\n  bar\n', { a: 'foo\n  indented\nbar\n' }],
  ['a: >\n  foo\n\n  bar', { a: 'foo\nbar' }, 'yaml differs'],
  ['a: |2\n    foo\n  bar\n', { a: '  foo\nbar\n' }],
  ['a: |2\n   foo', { a: ' foo' }, 'yaml differs'],
  ['- |\n  foo', ['foo'], 'yaml differs'],
  ['- - |\n    foo', [['foo']], 'yaml differs'],
  ['a:\n  b: |\n    foo\n    bar', { a: { b: 'foo\nbar' } }, 'yaml differs'],
  ['a: |\n  foo\n  # c', { a: 'foo\n# c' }, 'yaml differs'],
  ['a: |\r\n  foo', { a: 'foo' }, 'yaml differs'],
  ['a: |\n  foo\r\n  bar', { a: 'foo\nbar' }, 'yaml differs'],
  ['a: |\n  foo\n  \t', { a: 'foo\n\t' }, 'yaml differs'],
  ['a: |\n  foo\n   ', { a: 'foo\n ' }, 'yaml differs'],
  ['a: |+\n  foo\n   ', { a: 'foo\n ' }, 'yaml differs'],
  ['a: |-\n  foo\n   ', { a: 'foo\n ' }],
  ['a:\n- |\n   foo\n   bar\n    ', { a: ['foo\nbar\n '] }, 'yaml differs'],
  ['a:\n- |\n   foo\n   bar\n  ', { a: ['foo\nbar\n'] }],
  ['a: |\n  foo\n  ', { a: 'foo\n' }],
  ['a: |+\n  foo\n\n  ', { a: 'foo\n\n' }],
  ['a: |\n  foo\n ', { a: 'foo\n' }],
  ['a: |\n  foo\n...\n', { a: 'foo\n' }],
  ['a: |', { a: '' }],
  ['a: |+', { a: '' }],
  ['a: |\n\n  foo\n', { a: '\nfoo\n' }],
  ['a: |\n  foo\n  bar\nb: |\n  x', { a: 'foo\nbar\n', b: 'x' }, 'yaml differs'],
  ['a: |\n  foo \n', { a: 'foo \n' }],
]

test('block scalars, chomping and the end of the text match go-yaml', () => {
  for (const [text, expected] of CASES) {
    const r = parseYamlText(text)
    assert.ok(r.ok, `${JSON.stringify(text)}: ${r.ok ? '' : r.error.message}`)
    assert.deepEqual(r.value, expected, JSON.stringify(text))
  }
})

test('a tab where the indentation of a block scalar is being detected is an error, as in go-yaml', () => {
  for (const [text, line, col] of [
    ['a: >\n  \tfoo\n  bar\n', 2, 3],
    ['a: |\n\tfoo\n', 2, 1],
  ] as const) {
    const r = parseYamlText(text)
    assert.equal(r.ok, false, JSON.stringify(text))
    if (!r.ok) {
      assert.equal(r.error.code, 'CONFIG_YAML')
      if (r.error.message === 'found a tab character where an indentation space is expected') assert.deepEqual([r.error.line, r.error.col], [line, col])
    }
  }
  // Once the indentation is known, a tab past it is content.
  const ok = parseYamlText('a: |\n  foo\n  \tbar\n')
  assert.deepEqual(ok.ok && ok.value, { a: 'foo\n\tbar\n' })
})
