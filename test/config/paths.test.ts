import { test } from 'node:test'
import assert from 'node:assert/strict'
import { symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { expandStreamPaths, streamIdFor } from '../../src/config/paths.js'
import { expandGlobs, matchSegment } from '../../src/config/glob.js'
import { tempDir, writeTree } from './fixtures.js'

const Y = 'input: { stdin: {} }\n'

test('streamIdFor: base names for files, relative paths for walked directories', () => {
  assert.equal(streamIdFor(undefined, './streams/foo.yaml'), 'foo')
  assert.equal(streamIdFor(undefined, '/x/bar.json'), 'bar.json')
  assert.equal(streamIdFor(undefined, 'a.yml'), 'a')
  assert.equal(streamIdFor(undefined, 'a.yml.yaml'), 'a')
  assert.equal(streamIdFor('./cfg', 'cfg/team/a.yaml'), 'team_a')
  assert.equal(streamIdFor('cfg/', 'cfg/a.yml'), 'a')
  assert.equal(streamIdFor('cfg', 'cfg/x/benthos_test.yaml'), 'x_benthos_test')
})

test('files, directories and globs expand to ids', (t) => {
  const dir = tempDir(t)
  writeTree(dir, {
    'one.yaml': Y,
    'two.yml': Y,
    'notes.txt': 'x',
    'cfg/team/a.yaml': Y,
    'cfg/b.yml': Y,
    'cfg/readme.md': 'x',
    'cfg/c_benthos_test.yaml': Y,
    'cfg/x/benthos_test.yaml': Y,
    'deep/l1/l2/z.yaml': Y,
    'deep/top.yaml': Y,
    'deep/l1/skip.json': '{}',
  })
  const r = expandStreamPaths([join(dir, '*.y*ml'), join(dir, 'notes.txt'), join(dir, 'cfg'), join(dir, 'deep/**/*.yaml')])
  assert.deepEqual(r.errors, [])
  assert.deepEqual(
    r.entries.map((e) => [e.id, e.file.slice(dir.length + 1)]),
    [
      ['one', 'one.yaml'],
      ['two', 'two.yml'],
      ['notes.txt', 'notes.txt'],
      ['b', 'cfg/b.yml'],
      ['team_a', 'cfg/team/a.yaml'],
      ['z', 'deep/l1/l2/z.yaml'],
      ['top', 'deep/top.yaml'],
    ],
  )
})

test('explicit test files are not skipped, and paths are cleaned', (t) => {
  const dir = tempDir(t)
  writeTree(dir, { 'sub/a_benthos_test.yaml': Y })
  const r = expandStreamPaths([`${dir}/./sub//a_benthos_test.yaml`])
  assert.deepEqual(r, { entries: [{ id: 'a_benthos_test', file: `${dir}/sub/a_benthos_test.yaml` }], errors: [] })
})

test('id collisions and missing paths are errors with the reference text', (t) => {
  const dir = tempDir(t)
  writeTree(dir, { 'a/b.yaml': Y, 'a_b.yaml': Y, 'foo.yaml': Y, 'foo.yml': Y, 'x/foo.yaml': Y })
  const r = expandStreamPaths([dir, join(dir, 'x', 'foo.yaml'), join(dir, 'missing.yaml'), join(dir, 'nomatch*.yaml')])
  assert.deepEqual(
    r.entries.map((e) => e.id),
    ['a_b', 'foo', 'x_foo'],
  )
  assert.deepEqual(
    r.errors.map((e) => [e.code, e.message]),
    [
      ['CONFIG_READ', `stat ${dir}/missing.yaml: no such file or directory`],
      ['CONFIG_ID', `failed to load config '${dir}/a_b.yaml': stream id (a_b) collision from file: ${dir}/a_b.yaml`],
      ['CONFIG_ID', `failed to load config '${dir}/foo.yml': stream id (foo) collision from file: ${dir}/foo.yml`],
      ['CONFIG_ID', `failed to load config '${dir}/x/foo.yaml': stream id (foo) collision from file: ${dir}/x/foo.yaml`],
    ],
  )
})

test('an empty id is an error', (t) => {
  const dir = tempDir(t)
  writeTree(dir, { 'd/.yaml': Y })
  const r = expandStreamPaths([join(dir, 'd', '.yaml')])
  assert.deepEqual(r.errors.map((e) => e.message), [`failed to load config '${dir}/d/.yaml': stream id could not be inferred from file: ${dir}/d/.yaml`])
})

test('symlinked files are streams, symlinked and `..` directories are not walked', (t) => {
  const dir = tempDir(t)
  writeTree(dir, { 'real/..data/s.yaml': Y, 'other/t.yaml': Y })
  symlinkSync(join(dir, 'real/..data/s.yaml'), join(dir, 'real/s.yaml'))
  symlinkSync(join(dir, 'other'), join(dir, 'real/linked'))
  const r = expandStreamPaths([join(dir, 'real')])
  // The reference would also load `real/..data/s.yaml` as `..data_s`; Weir skips `..` entries
  // (Kubernetes ConfigMap internals) so a mount gives one stream per file.
  assert.deepEqual(
    r.entries.map((e) => e.id),
    ['s'],
  )
})

test('Go path.Match semantics', () => {
  const cases: [string, string, boolean][] = [
    ['*.yaml', 'a.yaml', true],
    ['*.yaml', '.hidden.yaml', true],
    ['?.yaml', 'ab.yaml', false],
    ['[ab].yaml', 'b.yaml', true],
    ['[^ab].yaml', 'c.yaml', true],
    ['[^ab].yaml', 'a.yaml', false],
    ['[a-c]x', 'bx', true],
    ['\\*', '*', true],
    ['\\*', 'a', false],
    ['a(b).yaml', 'a(b).yaml', true],
  ]
  for (const [p, n, want] of cases) assert.equal(matchSegment(p, n), want, `${p} ${n}`)
  assert.throws(() => matchSegment('[', 'a'), /syntax error in pattern/)
  assert.throws(() => matchSegment('[]a]', 'a'), /syntax error in pattern/)
})

test('expandGlobs keeps unmatched literals, drops unmatched patterns, de-duplicates', (t) => {
  const dir = tempDir(t)
  writeTree(dir, { 'a.yaml': Y })
  assert.deepEqual(expandGlobs([join(dir, 'a.yaml'), join(dir, '*.yaml'), join(dir, 'b.yaml'), join(dir, 'c*.yaml')]), [join(dir, 'a.yaml'), join(dir, 'b.yaml')])
})
