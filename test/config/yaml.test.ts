import { test } from 'node:test'
import assert from 'node:assert/strict'
import { decodeUtf8, formatPath, isLintDisabled, locate, parsePath, parseYamlText } from '../../src/config/yaml.js'

const TEXT = `input:
  label: in
  generate: &gen
    mapping: |
      root = 1
pipeline:
  processors:
    - mapping: 'root = 2'
    - log: { message: hi }
other:
  <<: *gen
  extra: 1
`

test('parseYamlText keeps values, anchors and merge keys', () => {
  const r = parseYamlText(TEXT)
  assert.equal(r.ok, true)
  if (!r.ok) return
  assert.deepEqual(r.value, {
    input: { label: 'in', generate: { mapping: 'root = 1\n' } },
    pipeline: { processors: [{ mapping: 'root = 2' }, { log: { message: 'hi' } }] },
    other: { mapping: 'root = 1\n', extra: 1 },
  })
})

test('locate finds values by config path, through merge keys', () => {
  const r = parseYamlText(TEXT)
  assert.ok(r.ok)
  if (!r.ok) return
  assert.deepEqual(locate(r.doc, ['input']), { line: 2, col: 3 })
  assert.deepEqual(locate(r.doc, ['input', 'label']), { line: 2, col: 10 })
  assert.deepEqual(locate(r.doc, ['input', 'generate', 'mapping']), { line: 4, col: 14 })
  assert.deepEqual(locate(r.doc, ['pipeline', 'processors', 1, 'log', 'message']), { line: 9, col: 23 })
  assert.deepEqual(locate(r.doc, ['other', 'mapping']), { line: 4, col: 14 })
  assert.equal(locate(r.doc, ['pipeline', 'processors', 5]), undefined)
  assert.equal(locate(r.doc, ['nope']), undefined)
})

test('parseYamlText reports syntax errors with position and code', () => {
  const r = parseYamlText('input:\n  generate: [1\nb: 2\n', 'x.yaml')
  assert.equal(r.ok, false)
  if (r.ok) return
  assert.deepEqual(
    { code: r.error.code, file: r.error.file, line: r.error.line, col: r.error.col },
    { code: 'CONFIG_YAML', file: 'x.yaml', line: 3, col: 1 },
  )
  const dup = parseYamlText('a: 1\na: 2\n')
  assert.ok(!dup.ok && dup.error.message === 'Map keys must be unique' && dup.error.line === 2)
})

test('an empty document parses to null', () => {
  const r = parseYamlText('# nothing here\n')
  assert.ok(r.ok && r.value === null)
})

test('formatPath and parsePath round-trip and accept Benthos paths', () => {
  assert.equal(formatPath(['pipeline', 'processors', 2, 'mapping']), 'pipeline.processors[2].mapping')
  assert.equal(formatPath([]), '')
  assert.deepEqual(parsePath('pipeline.processors[2].mapping'), ['pipeline', 'processors', 2, 'mapping'])
  assert.deepEqual(parsePath('root.pipeline.processors.2'), ['pipeline', 'processors', 2])
  assert.deepEqual(parsePath('input.broker.inputs[0][1]'), ['input', 'broker', 'inputs', 0, 1])
})

test('lint-disable marker and UTF-8 validation', () => {
  assert.equal(isLintDisabled('# BENTHOS LINT DISABLE\ninput: {}'), true)
  assert.equal(isLintDisabled(Buffer.from('# BENTHOS LINT DISABLE')), true)
  assert.equal(isLintDisabled(' # BENTHOS LINT DISABLE'), false)
  assert.deepEqual(decodeUtf8(Buffer.from('héllo')), { text: 'héllo', valid: true })
  assert.deepEqual(decodeUtf8(Buffer.from([0x61, 0xff, 0x62])), { text: 'a\ufffdb', valid: false })
})
