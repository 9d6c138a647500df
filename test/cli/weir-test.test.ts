/**
 * `weir test` through the real CLI on the definitions in test/fixtures/weir-test: every input
 * field, condition, target and mock form passing, and the reference's report (exact text) and exit
 * codes when cases fail, a target does not lint, no test is found or a target is missing.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MAIN, tempDir } from '../helpers/cli-host.js'

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/weir-test/', import.meta.url))

/** Runs `weir test ...` in `cwd`; resolves once both pipes are drained (not at exit). */
function weirTest(args: string[], cwd = FIXTURES, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [MAIN, 'test', ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    proc.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    proc.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

test('every feature passes on the passing definitions, found by dir/...', async () => {
  const r = await weirTest(['./pass/...'])
  assert.equal(r.stderr, '')
  assert.equal(
    r.stdout,
    [
      "Test 'pass/block_scalars.yaml' succeeded",
      "Test 'pass/conditions.yaml' succeeded",
      "Test 'pass/env.yaml' succeeded",
      "Test 'pass/files.yaml' succeeded",
      "Test 'pass/json_files.yaml' succeeded",
      "Test 'pass/mapping.yaml' succeeded",
      "Test 'pass/mocks.yaml' succeeded",
      "Test 'pass/nested/deep.yaml' succeeded",
      "Test 'pass/paired.yaml' succeeded",
      '',
    ].join('\n'),
  )
  assert.equal(r.code, 0)
})

test('a definition file names its target, and the target names its definition', async () => {
  for (const path of ['pass/paired.yaml', 'pass/paired_benthos_test.yaml', './pass/paired_benthos_test.yaml']) {
    const r = await weirTest([path])
    assert.deepEqual([r.code, r.stdout], [0, "Test 'pass/paired.yaml' succeeded\n"], path)
  }
})

test('a plain directory is not searched (as the reference): no tests found, exit 1', async () => {
  const r = await weirTest(['pass'])
  assert.deepEqual([r.code, r.stdout, r.stderr], [1, 'No tests were found\n', ''])
  const none = await weirTest(['./fail/none/...'])
  assert.deepEqual([none.code, none.stdout], [1, 'No tests were found\n'])
})

test('failing cases get the per-case report with lines, and exit 1', async () => {
  const r = await weirTest(['fail/report/cases.yaml'])
  const expected = [
    "Test 'fail/report/cases.yaml' failed",
    '',
    'Failures:',
    '',
    '--- fail/report/cases.yaml ---',
    '',
    'mismatches [line 7]:',
    'batch 0 message 0: bloblang: bloblang expression was false',
    'batch 0 message 0: content_equals: content mismatch',
    '  expected: {"n":3}',
    '  received: {"n":2}',
    'batch 0 message 0: json_equals: JSON content mismatch',
    '{',
    '    \x1b[0;32m"extra": true\x1b[0m,',
    '    "n": \x1b[0;33m2 => 3\x1b[0m',
    '}',
    "batch 0 message 0: metadata_equals: metadata key 'k' mismatch",
    '  expected: w',
    '  received: v',
    '',
    'counts [line 19]:',
    'mismatch of output batch 0 message counts, expected 1, got 2',
    'unexpected message from batch 0: {"n":3}',
    'unexpected batch: [{"n":4}]',
    '',
    'errored [line 26]:',
    'batch 0 message 0: content_equals: content mismatch',
    '  expected: nope',
    '  received: not json',
    "batch 0 message 0: failed assignment (line 1): unable to reference message as structured (with 'this'): parse as json: invalid character 'o' in literal null (expecting 'u')",
    '',
  ].join('\n')
  assert.equal(r.stdout, expected)
  assert.equal(r.code, 1)
})

test('the target is linted first: a lint fails the target even when its cases pass', async () => {
  const r = await weirTest(['./fail/lint/...'])
  assert.equal(r.stdout, ["Test 'fail/lint/linted.yaml' failed", '', 'Failures:', '', '--- fail/lint/linted.yaml ---', '', 'Lint: (2,1) field processorz not recognised', ''].join('\n'))
  assert.equal(r.code, 1)
})

test('a definition without its target is an error on stderr, exit 1', async () => {
  const r = await weirTest(['./fail/orphan/...'])
  assert.equal(r.stdout, '')
  assert.equal(r.stderr, "Failed to obtain test targets: unable to access target config file 'fail/orphan/lost.yaml': stat fail/orphan/lost.yaml: no such file or directory\n")
  assert.equal(r.code, 1)
})

test('-r brings in processor resources; without it the case cannot run', async () => {
  const ok = await weirTest(['-r', './resources.yaml', 'withres/uses.yaml'])
  assert.deepEqual([ok.code, ok.stdout, ok.stderr], [0, "Test 'withres/uses.yaml' succeeded\n", ''])
  const globbed = await weirTest(['--resources', './resource*.yaml', 'withres/uses.yaml'])
  assert.equal(globbed.code, 0, globbed.stderr)
  const missing = await weirTest(['withres/uses.yaml'])
  assert.equal(missing.stdout, '')
  assert.equal(
    missing.stderr,
    "Failed to execute test target 'withres/uses.yaml': test case 0 failed: failed to initialise processors '/pipeline/processors': failed to initialise processor index '0': pipeline.processors[0].resource: processor resource 'shared_upper' was not found\n",
  )
  assert.equal(missing.code, 1)
})

test('--log lets components log to stdout; -v lists the cases', async (t) => {
  const dir = tempDir(t)
  writeFileSync(
    join(dir, 'logs.yaml'),
    ['pipeline:', '  processors:', '    - log:', '        message: \'saw ${! content() }\'', 'tests:', '  - name: logs', '    input_batch:', '      - content: x', '    output_batches:', '      - - content_equals: x', ''].join('\n'),
  )
  const quiet = await weirTest(['logs.yaml'], dir)
  assert.deepEqual([quiet.code, quiet.stdout], [0, "Test 'logs.yaml' succeeded\n"])
  const loud = await weirTest(['--log', 'info', '-v', 'logs.yaml'], dir)
  assert.equal(loud.code, 0, loud.stderr)
  const lines = loud.stdout.split('\n')
  assert.equal(lines[0], '  - logs')
  assert.ok(lines.some((l) => l.includes('level=info') && l.includes('msg="saw x"')), loud.stdout)
  assert.equal(lines.at(-2), "Test 'logs.yaml' succeeded")
})

test('mocks that name no label, and targets that name no label, stop the run with the reason', async (t) => {
  const dir = tempDir(t)
  const conf = ['pipeline:', '  processors:', '    - mapping: root = content()', 'tests:', '  - name: bad mock', '    mocks:', '      nope:', '        mapping: root = "x"', '    input_batch:', '      - content: x', ''].join('\n')
  writeFileSync(join(dir, 'a.yaml'), conf)
  const r = await weirTest(['a.yaml'], dir)
  assert.equal(
    r.stderr,
    "Failed to execute test target 'a.yaml': test case 0 failed: failed to initialise processors '/pipeline/processors': mock for label 'nope' could not be applied as the label was not found in the test target file, it is not currently possible to mock resources imported separate to the test file\n",
  )
  assert.equal(r.code, 1)
  writeFileSync(join(dir, 'a.yaml'), conf.replace('    mocks:\n      nope:\n        mapping: root = "x"\n', '    target_processors: nope\n'))
  const t2 = await weirTest(['a.yaml'], dir)
  assert.match(t2.stderr, /target for label 'nope' failed as the label was not found in the test target file/)
  assert.equal(t2.code, 1)
})

test('the environment of a case does not leak into the next one, nor into the lint', async (t) => {
  const dir = tempDir(t)
  writeFileSync(
    join(dir, 'e.yaml'),
    [
      'pipeline:',
      '  processors:',
      '    - mapping: root = env("WEIR_TEST_ONLY").or("unset")',
      'tests:',
      '  - name: set',
      '    environment: { WEIR_TEST_ONLY: "1" }',
      '    input_batch: [ { content: x } ]',
      '    output_batches: [ [ { content_equals: "1" } ] ]',
      '  - name: unset again',
      '    input_batch: [ { content: x } ]',
      '    output_batches: [ [ { content_equals: unset } ] ]',
      '',
    ].join('\n'),
  )
  const r = await weirTest(['e.yaml'], dir)
  assert.deepEqual([r.code, r.stdout], [0, "Test 'e.yaml' succeeded\n"])
})

test('a case field the reference does not know is a lint of the target', async (t) => {
  const dir = tempDir(t)
  writeFileSync(
    join(dir, 'typo.yaml'),
    ['pipeline:', '  processors:', '    - mapping: root = content()', 'tests:', '  - name: typo', '    input_batch:', '      - content: x', '        metdata: {}', '    output_batches:', '      - - content_equals: x', ''].join('\n'),
  )
  const r = await weirTest(['typo.yaml'], dir)
  assert.equal(r.stdout, ["Test 'typo.yaml' failed", '', 'Failures:', '', '--- typo.yaml ---', '', 'Lint: (8,1) field metdata not recognised', ''].join('\n'))
  assert.equal(r.code, 1)
})

test('string fields take scalars as written; a case needs a name; a bloblang condition must compile', async (t) => {
  const dir = tempDir(t)
  const base = ['pipeline:', '  processors:', '    - mapping: root = content()', 'tests:']
  writeFileSync(join(dir, 'a.yaml'), [...base, '  - name: 1.50', '    input_batch: [ { content: 1.50 } ]', '    output_batches: [ [ { content_equals: 1.50, content_matches: ^1\\.50$ } ] ]', ''].join('\n'))
  const ok = await weirTest(['a.yaml'], dir)
  assert.deepEqual([ok.code, ok.stdout], [0, "Test 'a.yaml' succeeded\n"])

  writeFileSync(join(dir, 'a.yaml'), [...base, '  - input_batch: [ { content: x } ]', ''].join('\n'))
  const nameless = await weirTest(['a.yaml'], dir)
  assert.equal(nameless.stderr, "Failed to obtain test targets: failed to parse test definition from 'a.yaml': 0: field 'name' is required and was not present in the config\n")
  assert.equal(nameless.code, 1)

  writeFileSync(join(dir, 'a.yaml'), [...base, '  - name: x', '    output_batches: [ [ { bloblang: "this." } ] ]', ''].join('\n'))
  const bad = await weirTest(['a.yaml'], dir)
  assert.equal(bad.stderr, "Failed to obtain test targets: failed to parse test definition from 'a.yaml': 0: bloblang: line 1 char 6: required: expected target path\n")
  assert.equal(bad.code, 1)
})

test('-e env files feed ${VAR} and env(); -t templates can be the processors under test', async (t) => {
  const dir = tempDir(t)
  writeFileSync(join(dir, 'test.env'), 'WEIR_TEST_SUFFIX=_x\n')
  writeFileSync(
    join(dir, 'suffix.tmpl.yaml'),
    ['name: add_suffix', 'type: processor', 'fields:', '  - name: suffix', '    type: string', 'mapping: |', '  root.mapping = "root = content() + %q".format(this.suffix)', ''].join('\n'),
  )
  writeFileSync(
    join(dir, 's.yaml'),
    ['pipeline:', '  processors:', '    - add_suffix:', '        suffix: ${WEIR_TEST_SUFFIX}', 'tests:', '  - name: templated', '    input_batch: [ { content: why } ]', '    output_batches: [ [ { content_equals: why_x } ] ]', ''].join('\n'),
  )
  const r = await weirTest(['-e', 'test.env', '-t', 'suffix.tmpl.yaml', 's.yaml'], dir)
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, "Test 's.yaml' succeeded\n", ''])
})

test('-e that is a FIFO or missing fails at once with the file named, rather than hanging', async (t) => {
  const dir = tempDir(t)
  writeFileSync(join(dir, 's.yaml'), 'pipeline:\n  processors: []\ntests: []\n')
  let fifo = true
  try {
    execFileSync('mkfifo', [join(dir, 'pipe.env')], { stdio: 'ignore' })
  } catch {
    fifo = false
  }
  if (fifo) {
    const r = await weirTest(['-e', 'pipe.env', 's.yaml'], dir)
    assert.deepEqual([r.code, r.stdout, r.stderr], [1, '', 'failed to read dotenv file: read pipe.env: not a regular file\n'])
  } else t.diagnostic('mkfifo is not available here: the FIFO case was not run')
  const r = await weirTest(['-e', 'gone.env', 's.yaml'], dir)
  assert.deepEqual([r.code, r.stdout, r.stderr], [1, '', 'failed to read dotenv file: open gone.env: no such file or directory\n'])
})
