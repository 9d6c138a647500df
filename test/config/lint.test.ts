import { test } from 'node:test'
import assert from 'node:assert/strict'
import { lintComponentDoc, lintResourceDoc, lintRootDoc, lintStreamDoc, renderLint, renderLintCompat, type LintFinding, type StreamLintOptions } from '../../src/config/lint.js'
import { defaultRegistry } from '../../src/components/registry.js'
import { editDistance, nearest } from '../../src/config/suggest.js'
import { parseYamlText } from '../../src/config/yaml.js'
import { compileMapping } from '../../src/bloblang/index.js'
import type { WeirError } from '../../src/errors.js'
import { fakeBloblang, lookup } from './fixtures.js'

function doc(text: string) {
  const r = parseYamlText(text)
  if (!r.ok) throw new Error(`bad test yaml: ${r.error.message}`)
  return r.doc
}

const render = (fs: LintFinding[]): string[] => fs.map(renderLintCompat)
const stream = (text: string, opts: StreamLintOptions = {}): string[] => render(lintStreamDoc(doc(text), lookup, { bloblang: fakeBloblang, ...opts }))

test('unknown fields, at the key line', () => {
  assert.deepEqual(
    stream(`input:
  generate:
    mapping: root = 1
    nope: 1
output:
  drop: {}
nope: x
`),
    ['(4,1) field nope not recognised', '(7,1) field nope not recognised'],
  )
})

test('unknown siblings of a type key', () => {
  assert.deepEqual(stream('output:\n  drop: {}\n  inproc: foo\n'), ['(3,1) field inproc is invalid when the component type is drop (output)'])
  assert.deepEqual(stream('output:\n  drop: {}\n  plugin: {}\n'), [
    '(3,1) plugin object is ineffective',
  ])
})

test('type inference failures are warnings at the component line', () => {
  const lints = lintStreamDoc(doc('input:\n  foo:\n    bar: 1\n'), lookup)
  assert.deepEqual(lints, [{ line: 2, col: 1, message: 'unable to infer component type: foo', path: 'input', level: 'warning', type: 'component_missing' }])
  assert.deepEqual(stream('input:\n  foo: {}\n  label: x\n'), ['(2,1) unable to infer component type: [foo label]'])
  assert.deepEqual(stream('input:\n  stdin: {}\n  generate: { mapping: x }\n'), ['(2,1) unable to infer component type: [stdin generate]'])
})

test('legacy `type:` form', () => {
  assert.deepEqual(stream('output:\n  type: drop\n  drop: {}\n'), [])
  assert.deepEqual(stream('{"output":{"type":"drop"}}'), [])
  assert.deepEqual(stream('output:\n  type: nope\n'), ['(2,1) failed to obtain docs for output type nope'])
  assert.deepEqual(stream('output:\n  type: drop\n  stdout: {}\n'), ['(3,1) field stdout is invalid when the component type is drop (output)'])
})

test('required fields are reported at the object line', () => {
  assert.deepEqual(stream('input:\n  generate:\n    interval: 2s\n'), ['(3,1) field mapping is required'])
  assert.deepEqual(stream('output:\n  http_client:\n    verb: GET\n    tls:\n      enabled: true\n'), ['(3,1) field url is required'])
})

test('wrong kinds', () => {
  assert.deepEqual(stream('input:\n  http_server:\n    allowed_verbs: POST\n'), ['(3,1) expected array value'])
  assert.deepEqual(stream('input:\n  http_server:\n    path: [a, b]\n'), ['(3,1) expected string value'])
  assert.deepEqual(stream('input:\n  http_server:\n    path:\n      a: b\n'), ['(4,1) expected string value'])
  assert.deepEqual(stream('pipeline: foo\n'), ['(1,1) expected object value, got !!str'])
  assert.deepEqual(stream('pipeline:\n  processors: {}\n'), ['(2,1) expected array value'])
  assert.deepEqual(stream('pipeline:\n  threads: [1]\n'), ['(2,1) expected int value'])
  assert.deepEqual(stream('output:\n  http_client:\n    url: x\n    tls: true\n'), ['(4,1) expected object value, got !!bool'])
  assert.deepEqual(stream('input:\n  stdin: []\n'), ['(2,1) expected object value, got !!seq'])
  assert.deepEqual(stream('input:\n  - stdin: {}\n'), ['(2,1) expected object value, got !!seq'])
})

test('enum options are case-insensitive', () => {
  const conf = (level: string): string => `pipeline:\n  processors:\n    - log:\n        level: ${level}\n`
  assert.deepEqual(stream(conf('info')), [])
  assert.deepEqual(stream(conf('LOUD')), ['(4,1) value LOUD is not a valid option for this field'])
})

test('empty processors on inputs and outputs can be removed', () => {
  assert.deepEqual(stream('input:\n  stdin: {}\n  processors: []\n'), ['(3,1) field processors is empty and can be removed'])
  assert.deepEqual(stream('pipeline:\n  processors: []\n'), [])
  assert.deepEqual(stream('output:\n  drop: {}\n  processors:\n    - nope: {}\n'), ['(4,1) unable to infer component type: nope'])
})

test('labels: format, duplicates across the document, resource references', () => {
  const BAD = "should match the regular expression /^[a-z0-9_\\-]+$/ and must not start with an underscore"
  assert.deepEqual(stream('input:\n  label: Foo\n  stdin: {}\n'), [`(2,1) invalid label 'Foo': ${BAD}`])
  assert.deepEqual(stream('input:\n  label: _x\n  stdin: {}\n'), [`(2,1) invalid label '_x': ${BAD}`])
  assert.deepEqual(stream('input:\n  label: -x\n  stdin: {}\n'), [`(2,1) invalid label '-x': ${BAD}`])
  assert.deepEqual(
    stream(`input:
  label: foo
  stdin: {}
  processors:
    - label: bar
      noop: {}
    - label: foo
      noop: {}
output:
  label: bar
  drop: {}
`),
    ["(7,1) label 'foo' collides with a previously defined label at line 2", "(10,1) label 'bar' collides with a previously defined label at line 5"],
  )
  assert.deepEqual(stream('input:\n  label: x\n  resource: foo\n'), ['(2,1) label field should be omitted when pointing to a resource'])
  assert.deepEqual(stream("input:\n  label: ''\n  stdin: {}\n"), [])
})

test('tests and resource lists in stream bodies', () => {
  const text = 'input:\n  stdin: {}\ntests: []\ncache_resources: []\n'
  assert.deepEqual(stream(text), ['(4,1) field cache_resources not recognised'])
  assert.deepEqual(stream(text, { allowTests: false }), ['(3,1) field tests not recognised', '(4,1) field cache_resources not recognised'])
})

test('nested components are linted through their field specs', () => {
  assert.deepEqual(
    stream(`input:
  broker:
    inputs:
      - generate:
          mapping: root = 1
          nope: 1
      - foo: {}
pipeline:
  processors:
    - switch:
        - check: 'this.x == #'
          processors:
            - log:
                level: nah
    - catch:
        - mapping: root = 1
        - bad: {}
`),
    [
      '(6,1) field nope not recognised',
      '(7,1) unable to infer component type: foo',
      '(11,29) expected query, got: #',
      '(14,1) value nah is not a valid option for this field',
      '(17,1) unable to infer component type: bad',
    ],
  )
})

test('bloblang errors add the error offset to the field position', () => {
  assert.deepEqual(stream("pipeline:\n  processors:\n    - mapping: 'root = #'\n"), ['(3,24) expected query, got: #'])
  // In a `|` block the position is the character's own: line 5, column 18 is the `#`.
  assert.deepEqual(stream('pipeline:\n  processors:\n    - mapping: |\n        root = this\n        root.x = #\n'), ['(5,18) expected query, got: #'])
  assert.deepEqual(stream("pipeline:\n  processors:\n    - log:\n        message: '${! }'\n"), ['(4,23) required: expected query, got: }'])
})

test('merge keys and anchors: lint walks into the anchored node (twice when reused)', () => {
  const text = `input:
  broker:
    inputs:
      - generate: &a
          mapping: root = 1
          baz: three
      - generate:
          <<: *a
          interval: 2s
`
  assert.deepEqual(stream(text), ['(6,1) field baz not recognised', '(6,1) field baz not recognised'])
  assert.deepEqual(stream('input:\n  generate: &a\n    mapping: root = 1\n  processors:\n    - generate: *a\n'), [
    '(5,1) unable to infer component type: generate',
  ])
  // An unknown key whose value is an alias is not reported, as in the reference.
  assert.deepEqual(stream('x: &v 1\ninput:\n  stdin: {}\nlater: *v\n'), ['(1,1) field x not recognised'])
})

test('--deprecated and --labels', () => {
  assert.deepEqual(stream('input:\n  old_thing: {}\n', { rejectDeprecated: true }), ['(2,1) component old_thing is deprecated'])
  assert.deepEqual(stream('output:\n  http_client:\n    url: x\n    oauth_token: t\n', { rejectDeprecated: true }), ['(4,1) field oauth_token is deprecated'])
  assert.deepEqual(stream('output:\n  http_client:\n    url: x\n    oauth_token: t\n'), [])
  assert.deepEqual(stream('input:\n  stdin: {}\noutput:\n  label: out\n  drop: {}\n', { requireLabels: true }), ['(2,1) label is required for stdin'])
  assert.deepEqual(stream('input:\n  resource: foo\n', { requireLabels: true }), [])
})

test('root config: stream fields are not recognised, observability fields are checked', () => {
  const text = `input:
  stdin: {}
http:
  address: 0.0.0.0:4195
  nope: 1
logger:
  format: yaml
  level: whatever
metrics:
  mapping: 'root = #'
  prometheus:
    push_job_name: x
    wrong: 1
cache_resources:
  - memory: {}
  - label: ok
    memory:
      default_ttl: 1m
shutdown_timeout: 5s
error_handling:
  strict: true
`
  assert.deepEqual(render(lintRootDoc(doc(text), lookup, { bloblang: fakeBloblang })), [
    '(1,1) field input not recognised',
    '(5,1) field nope not recognised',
    '(7,1) value yaml is not a valid option for this field',
    '(13,1) field wrong not recognised',
    '(10,20) expected query, got: #',
    '(15,1) the label field for resources must be unique and not empty',
  ])
  assert.deepEqual(render(lintRootDoc(doc('metrics:\n  nope: {}\n'), lookup)), ['(2,1) unable to infer component type: nope'])
})

test('resource files accept only the resource lists and tests', () => {
  const text = 'tests: []\nrate_limit_resources:\n  - label: rl\n    local:\n      count: x5\n      bad: 1\ninput:\n  stdin: {}\n'
  assert.deepEqual(render(lintResourceDoc(doc(text), lookup)), ['(6,1) field bad not recognised', '(7,1) field input not recognised'])
})

test('single component bodies', () => {
  assert.deepEqual(render(lintComponentDoc('cache', doc('memory:\n  default_ttl: 60s\n  nope: 1\n'), lookup)), ['(3,1) field nope not recognised'])
  assert.deepEqual(render(lintComponentDoc('processor', doc('label: a\nmapping: root = 1\n'), lookup)), [])
})

test('plain values lint without positions (line 1)', () => {
  const lints = lintStreamDoc({ value: { input: { generate: { nope: 1 } } } }, lookup)
  assert.deepEqual(
    lints.map((l) => [renderLintCompat(l), l.path]),
    [
      ['(1,1) field nope not recognised', 'input.generate.nope'],
      ['(1,1) field mapping is required', 'input.generate'],
    ],
  )
})

test('an empty document has nothing to lint', () => {
  assert.deepEqual(stream(''), [])
  assert.deepEqual(stream('# only a comment\n'), [])
})

test('the real Bloblang compiler is used by default, its errors placed in the file', () => {
  const inner = (src: string): { message: string; line: number; col: number } => {
    try {
      compileMapping(src)
    } catch (err) {
      const d = (err as WeirError).data
      return { message: d.message.replace(/^line \d+ char \d+: /, ''), line: d.line!, col: d.col! }
    }
    throw new Error(`expected ${src} to fail`)
  }
  const e = inner('root = this\nroot.x = nope(\n')
  const text = 'pipeline:\n  processors:\n    - mapping: |\n        root = this\n        root.x = nope(\n'
  // The block's content starts on line 4 and is indented by 8.
  assert.deepEqual(render(lintStreamDoc(doc(text), lookup)), [`(${3 + 1 + e.line - 1},${8 + e.col}) ${e.message}`])
  assert.deepEqual(render(lintStreamDoc(doc('pipeline:\n  processors:\n    - mapping: root = this.foo\n'), lookup)), [])
})

test('near misses carry a hint beside the reference message, never inside it', () => {
  const doc = parseYamlText(`input:
  http_server:
    pathh: /post
pipeline:
  processors:
    - mappings: root = 1
    - mapping: root = 2
      lable: x
    - type: mutaton
      mutaton: root = 3
output:
  stdout: {}
  procesors: []
outptu: {}
`)
  assert.ok(doc.ok)
  const registry = defaultRegistry()
  const found = lintStreamDoc(doc.doc, registry).map((f) => [renderLintCompat(f), f.hint])
  assert.deepEqual(found, [
    ['(3,1) field pathh not recognised', 'did you mean `path`?'],
    ['(6,1) unable to infer component type: mappings', 'did you mean `mapping`?'],
    ['(8,1) field lable is invalid when the component type is mapping (processor)', 'did you mean `label`?'],
    ['(9,1) failed to obtain docs for processor type mutaton', 'did you mean `mutation`?'],
    ['(13,1) field procesors is invalid when the component type is stdout (output)', 'did you mean `processors`?'],
    ['(14,1) field outptu not recognised', 'did you mean `output`?'],
  ])
  assert.equal(renderLint(lintStreamDoc(doc.doc, registry)[0]!), '(3,1) field pathh not recognised (did you mean `path`?)')
})

test('hints only for near misses: within two edits and a third of the length', () => {
  assert.equal(nearest('mappings', ['mapping', 'mutation']), 'mapping')
  assert.equal(nearest('mapipng', ['mapping']), 'mapping', 'a transposition is one edit')
  assert.equal(nearest('lg', ['log']), 'log')
  assert.equal(nearest('log', ['noop', 'sleep']), undefined)
  assert.equal(nearest('xyzzy', ['mapping', 'log']), undefined)
  assert.equal(nearest('Mapping', ['mapping']), 'mapping')
  assert.equal(editDistance('kitten', 'sitting'), 3)
})
