import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { parseStreamBody, readStreamFile } from '../../src/config/stream-file.js'
import { checkStreamConfig, parseResourceBody, parseStreamSetBody } from '../../src/config/api-bodies.js'
import { locateError } from '../../src/config/locate-error.js'
import { renderLintCompat } from '../../src/config/lint.js'
import { fakeBloblang, lookup, tempDir, writeTree } from './fixtures.js'

const env =
  (vars: Record<string, string> = {}) =>
  (n: string): string | undefined =>
    vars[n]

test('readStreamFile: interpolated raw config, no defaults, findings with lines', (t) => {
  const dir = tempDir(t)
  writeTree(dir, {
    'foo.yaml': 'input:\n  generate:\n    mapping: root = "${GREETING}"\n    nope: ${COUNT:5}\noutput:\n  type: drop\n',
  })
  const file = join(dir, 'foo.yaml')
  const r = readStreamFile(file, 'foo', { env: env({ GREETING: 'hi' }), lookup, lint: { bloblang: fakeBloblang } })
  assert.ok(r.ok)
  if (!r.ok) return
  assert.deepEqual(r.config, { input: { generate: { mapping: 'root = "hi"', nope: 5 } }, output: { type: 'drop' } })
  assert.equal(r.text, 'input:\n  generate:\n    mapping: root = "hi"\n    nope: 5\noutput:\n  type: drop\n')
  assert.deepEqual(r.findings.map((f) => `${file}${renderLintCompat(f)}`), [`${file}(4,1) field nope not recognised`])
})

test('readStreamFile: missing env vars and invalid UTF-8 are findings at line 1', (t) => {
  const dir = tempDir(t)
  writeTree(dir, {
    'env.yaml': 'input:\n  generate:\n    mapping: ${MAPPING}\n',
    'utf.yaml': Buffer.concat([Buffer.from('input:\n  stdin: {}\n# '), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]),
    'off.yaml': '# BENTHOS LINT DISABLE\ninput:\n  stdin:\n    nope: 1\n',
  })
  const read = (name: string): string[] => {
    const r = readStreamFile(join(dir, name), 'x', { env: env(), lookup })
    assert.ok(r.ok)
    return r.ok ? r.findings.map(renderLintCompat) : []
  }
  assert.deepEqual(read('env.yaml'), ['(1,1) required environment variables were not set: [MAPPING]'])
  assert.deepEqual(read('utf.yaml'), ['(1,1) detected invalid utf-8 encoding in config, this may result in interpolation functions not working as expected'])
  assert.deepEqual(read('off.yaml'), [])
})

test('readStreamFile: read, syntax and structure failures are errors', (t) => {
  const dir = tempDir(t)
  writeTree(dir, {
    'syntax.yaml': 'input:\n  stdin: {\n',
    'unknown.yaml': 'input:\n  stdin: {}\npipeline:\n  processors:\n    - noop: {}\n    - nope: {}\n',
    'fn.yaml': 'input: ${A|gzip}\n',
  })
  const err = (name: string) => {
    const r = readStreamFile(join(dir, name), 'x', { env: env(), lookup })
    return r.ok ? 'ok' : { code: r.error.code, message: r.error.message, line: r.error.line, path: r.error.path, stream: r.error.stream }
  }
  const syntax = err('syntax.yaml') as { code: string; stream: string }
  assert.deepEqual([syntax.code, syntax.stream], ['CONFIG_YAML', 'x'])
  assert.deepEqual(err('unknown.yaml'), {
    code: 'CONFIG_UNKNOWN_COMPONENT',
    message: 'unable to infer processor type from candidates: [nope]',
    line: 6,
    path: 'pipeline.processors[1]',
    stream: 'x',
  })
  assert.deepEqual(err('fn.yaml'), { code: 'CONFIG_INVALID', message: 'unknown env var decode function: gzip', line: 1, path: undefined, stream: 'x' })
  assert.deepEqual(err('gone.yaml'), {
    code: 'CONFIG_READ',
    message: `open ${join(dir, 'gone.yaml')}: no such file or directory`,
    line: undefined,
    path: undefined,
    stream: 'x',
  })
})

test('parseStreamBody: API rules for env vars, lint and tests', () => {
  const base = { lookup, env: env(), lintOptions: { bloblang: fakeBloblang } }
  const body = '{"input":{"generate":{"mapping":"root = 1","nope":1}},"output":{"drop":{}}}'
  const r = parseStreamBody(body, { ...base, interpolate: true, lint: true })
  assert.ok(r.ok)
  if (!r.ok) return
  assert.deepEqual(r.findings.map(renderLintCompat), ['(1,1) field nope not recognised'])
  assert.deepEqual(r.config, { input: { generate: { mapping: 'root = 1', nope: 1 } }, output: { drop: {} } })

  const missing = parseStreamBody('input:\n  generate:\n    mapping: ${A}${B}\n', { ...base, interpolate: true, lint: true })
  assert.deepEqual(missing.ok ? 'ok' : [missing.error.code, missing.error.message], ['CONFIG_ENV_MISSING', 'required environment variables were not set: [A B]'])
  const chilled = parseStreamBody('input:\n  generate:\n    mapping: x${A}\ntests: []\n', { ...base, interpolate: true, lint: false })
  assert.deepEqual(chilled.ok && [chilled.config, chilled.findings], [{ input: { generate: { mapping: 'x' } }, tests: [] }, []])
  const raw = parseStreamBody('input:\n  generate:\n    mapping: ${A}\n', { ...base, interpolate: false, lint: true })
  assert.deepEqual(raw.ok && raw.config, { input: { generate: { mapping: '${A}' } } })

  const tests = parseStreamBody('input:\n  stdin: {}\ntests: []\n', { ...base, interpolate: true, lint: true })
  assert.deepEqual(tests.ok && tests.findings.map(renderLintCompat), ['(3,1) field tests not recognised'])

  const notObject = parseStreamBody('- a\n', { ...base, interpolate: false, lint: false })
  assert.deepEqual(notObject.ok ? 'ok' : [notObject.error.code, notObject.error.message], ['CONFIG_TYPE', 'expected object value, got !!seq'])
  const empty = parseStreamBody('', { ...base, interpolate: true, lint: true })
  assert.deepEqual(empty.ok && [empty.config, empty.findings], [{}, []])
})

test('parseStreamSetBody: lint lines refer to the whole body, prefixed by id', () => {
  const body = `bar:
  input:
    generate:
      mapping: root = 1
  output:
    drop: {}
baz:
  input:
    stdin: {}
    nope: 1
`
  const r = parseStreamSetBody(body, { lint: true, lookup })
  assert.ok(r.ok)
  if (!r.ok) return
  assert.deepEqual(r.lintErrors, ["stream 'baz': (10,1) field nope is invalid when the component type is stdin (input)"])
  assert.deepEqual([...r.configs.keys()], ['bar', 'baz'])
  const empty = parseStreamSetBody('', { lint: true, lookup })
  assert.ok(empty.ok && empty.configs.size === 0)
  const bad = parseStreamSetBody('a:\n  input:\n    bogus: {}\n', { lint: false, lookup })
  assert.deepEqual(bad.ok ? 'ok' : [bad.error.message, bad.error.stream, bad.error.line], ['unable to infer input type from candidates: [bogus]', 'a', 3])
})

test('parseResourceBody and checkStreamConfig', () => {
  const r = parseResourceBody('cache', 'memory:\n  default_ttl: ${TTL:60s}\n  bad: 1\n', { interpolate: true, lint: true, lookup, env: env() })
  assert.deepEqual(r.ok && [r.config, r.findings.map(renderLintCompat)], [{ memory: { default_ttl: '60s', bad: 1 } }, ['(3,1) field bad not recognised']])
  const unknown = parseResourceBody('rate_limit', 'nope: {}\n', { interpolate: true, lint: false, lookup, env: env() })
  assert.deepEqual(unknown.ok ? 'ok' : unknown.error.message, 'unable to infer rate_limit type from candidates: [nope]')
  assert.equal(checkStreamConfig({ input: { stdin: {} }, output: { drop: {} } }, lookup), undefined)
  assert.deepEqual(checkStreamConfig({ output: { bogus: {} } }, lookup), { code: 'CONFIG_UNKNOWN_COMPONENT', message: 'unable to infer output type from candidates: [bogus]', path: 'output' })
})

test('locateError adds the file position of a build error', () => {
  const text = 'input:\n  stdin: {}\npipeline:\n  processors:\n    - noop: {}\n    - mapping: |\n        root = this\n        root.x = nope(\n'
  const located = locateError({ code: 'STREAM_BUILD', message: 'boom', path: 'root.pipeline.processors.1' }, text, 's.yaml')
  assert.deepEqual(located, { code: 'STREAM_BUILD', message: 'boom', path: 'root.pipeline.processors.1', file: 's.yaml', line: 6, col: 7 })
  const blobl = locateError({ code: 'BLOBLANG_PARSE', message: 'expected query', path: 'pipeline.processors[1].mapping', line: 2, col: 15 }, text)
  // Line 2, char 15 of the `|` block: the block's content is indented by 8.
  assert.deepEqual([blobl.line, blobl.col], [8, 23])
  const nearest = locateError({ code: 'STREAM_BUILD', message: 'x', path: 'pipeline.processors[1].mapping.deeper' }, text)
  assert.deepEqual([nearest.line, nearest.col], [6, 16])
  assert.deepEqual(locateError({ code: 'STREAM_BUILD', message: 'x' }, text), { code: 'STREAM_BUILD', message: 'x' })
})
