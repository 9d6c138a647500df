import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { runLint } from '../../src/cli/lint.js'
import { lookup, tempDir, writeTree } from './fixtures.js'

async function lint(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = []
  const err: string[] = []
  const code = await runLint(args, { stdout: (l) => out.push(l), stderr: (l) => err.push(l), lookup, env })
  return { code, out, err }
}

test('clean files exit 0; --verbose prints OK per file', async (t) => {
  const dir = tempDir(t)
  writeTree(dir, { 'a.yaml': 'input:\n  stdin: {}\noutput:\n  drop: {}\n', 'b.yml': 'http:\n  address: 127.0.0.1:0\n' })
  assert.deepEqual(await lint([join(dir, 'a.yaml'), join(dir, 'b.yml')]), { code: 0, out: [], err: [] })
  const v = await lint(['--verbose', join(dir, '*.y*ml')])
  assert.deepEqual(v, { code: 0, out: [`${join(dir, 'a.yaml')}: OK`, `${join(dir, 'b.yml')}: OK`], err: [] })
})

test('findings are printed as path(line,col) text and exit 1', async (t) => {
  const dir = tempDir(t)
  writeTree(dir, {
    'cfg/one.yaml': 'input:\n  stdin:\n    nope: 1\noutput:\n  drop: {}\n',
    'cfg/sub/two.yaml': 'pipeline:\n  processors: []\nlogger:\n  format: yaml\nhttp:\n  address: ${ADDR}\n',
    'cfg/ignored.txt': 'not yaml: [',
  })
  const r = await lint([`${join(dir, 'cfg')}/...`])
  assert.equal(r.code, 1)
  assert.deepEqual(r.err, [
    `${join(dir, 'cfg/one.yaml')}(3,1) field nope not recognised`,
    `${join(dir, 'cfg/sub/two.yaml')}(1,1) required environment variables were not set: [ADDR]`,
    `${join(dir, 'cfg/sub/two.yaml')}(4,1) value yaml is not a valid option for this field`,
  ])
  const skip = await lint(['--skip-env-var-check', join(dir, 'cfg/sub/two.yaml')])
  assert.deepEqual(skip.err, [`${join(dir, 'cfg/sub/two.yaml')}(4,1) value yaml is not a valid option for this field`])
  const withEnv = await lint([join(dir, 'cfg/sub/two.yaml')], { ADDR: 'x' })
  assert.equal(withEnv.err.length, 1)
})

test('-e dotenv files, -c and -r files, and unreadable targets', async (t) => {
  const dir = tempDir(t)
  writeTree(dir, {
    '.env': 'ADDR=127.0.0.1:0\n',
    'two.yaml': 'http:\n  address: ${ADDR}\n',
    'root.yaml': 'http:\n  bogus: 1\n',
    'res.yaml': 'cache_resources:\n  - memory: {}\n',
  })
  const r = await lint(['-e', join(dir, '.env'), join(dir, 'two.yaml'), '-c', join(dir, 'root.yaml'), '-r', join(dir, 'res.yaml'), join(dir, 'gone.yaml')])
  assert.equal(r.code, 1)
  assert.deepEqual(r.err, [
    `${join(dir, 'gone.yaml')}(1,1) open ${join(dir, 'gone.yaml')}: no such file or directory`,
    `${join(dir, 'root.yaml')}(2,1) field bogus not recognised`,
    `${join(dir, 'res.yaml')}(2,1) the label field for resources must be unique and not empty`,
  ])
})

test('structural problems are reported alone; --labels and --deprecated', async (t) => {
  const dir = tempDir(t)
  writeTree(dir, {
    'broken.yaml': 'input:\n  stdin: {}\n  nope: 1\noutput:\n  bogus: {}\n',
    'labels.yaml': 'input:\n  stdin: {}\noutput:\n  label: out\n  http_client:\n    url: x\n    oauth_token: y\n',
  })
  assert.deepEqual((await lint([join(dir, 'broken.yaml')])).err, [`${join(dir, 'broken.yaml')}(5,3) unable to infer output type from candidates: [bogus]`])
  assert.deepEqual((await lint(['--labels', '--deprecated', join(dir, 'labels.yaml')])).err, [
    `${join(dir, 'labels.yaml')}(2,1) label is required for stdin`,
    `${join(dir, 'labels.yaml')}(7,1) field oauth_token is deprecated`,
  ])
})

test('strict error handling warns about catch processors', async (t) => {
  const dir = tempDir(t)
  writeTree(dir, {
    's.yaml': 'error_handling:\n  strict: true\npipeline:\n  processors:\n    - mapping: root = 1\n    - catch:\n        - catch: []\n',
  })
  const r = await lint([join(dir, 's.yaml')])
  const msg =
    'a `catch` processor does not recover messages while `error_handling.strict` is enabled, as a failed message short-circuits past it. Wrap the failing step and its recovery within a `try_catch` processor (or a `retry` for transient failures) instead.'
  assert.deepEqual(r.err, [`${join(dir, 's.yaml')}(6,1) ${msg}`, `${join(dir, 's.yaml')}(7,1) ${msg}`])
})

test('markdown files have their yaml snippets linted at file lines', async (t) => {
  const dir = tempDir(t)
  writeTree(dir, {
    'doc.md': '# Title\n\nSome text.\n\n```yaml\ninput:\n  stdin:\n    nope: 1\n```\n\nMore.\n\n```yaml\noutput:\n  drop: {}\n```\n\n```yaml\nunterminated: 1\n',
  })
  const r = await lint([join(dir, 'doc.md')])
  assert.deepEqual(r.err, [`${join(dir, 'doc.md')}(8,1) field nope not recognised`, `${join(dir, 'doc.md')}(18,1) markdown snippet not terminated`])
})

test('-e that is missing or not a regular file is an error naming it, never a hang', async (t) => {
  const dir = tempDir(t)
  writeTree(dir, { 'a.yaml': 'output:\n  drop: {}\n' })
  const gone = await lint(['-e', join(dir, 'gone.env'), join(dir, 'a.yaml')])
  assert.deepEqual([gone.code, gone.err], [1, [`open ${join(dir, 'gone.env')}: no such file or directory`]])
  const isDir = await lint(['-e', dir, join(dir, 'a.yaml')])
  assert.deepEqual([isDir.code, isDir.err], [1, [`read ${dir}: is a directory`]])
})
