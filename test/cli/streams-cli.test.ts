/**
 * `weir streams` start-up and shutdown: directory loading and id derivation, bad files, exit codes,
 * env interpolation, SIGTERM.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { writeFileSync, mkdirSync } from 'node:fs'
import { startHost, runCli, tempDir } from '../helpers/cli-host.js'

const DROP = 'input:\n  generate:\n    mapping: root = 1\n    interval: 1s\noutput:\n  drop: {}\n'

test('directories are walked and ids derived as the reference does', async (t) => {
  const h = await startHost(t, {
    files: {
      'cfg/team/a.yaml': DROP,
      'cfg/b.yml': DROP,
      'cfg/notes.txt': 'not a stream',
      'cfg/x_benthos_test.yaml': DROP,
      'cfg/y/benthos_test.yaml': DROP,
      'single/c.yaml': DROP,
    },
    args: ['{dir}/cfg', '{dir}/single/c.yaml'],
  })
  const list = await h.json<Record<string, { source: string }>>('/streams')
  assert.deepEqual(Object.keys(list.body), ['b', 'c', 'team_a'])
  assert.equal(list.body.team_a!.source, join(h.dir, 'cfg/team/a.yaml'))
})

test('a bad file is listed as failed with a located error while the others run', async (t) => {
  const h = await startHost(t, {
    files: {
      'good.yaml': DROP,
      'badyaml.yaml': 'input:\n  generate: [\n',
      'badlint.yaml': 'input:\n  generate:\n    mapping: root = 1\n    nope: 2\noutput:\n  drop: {}\n',
      'badblobl.yaml': 'input:\n  generate:\n    mapping: root = 1\npipeline:\n  processors:\n    - mapping: |\n        root = no_such_fn()\noutput:\n  drop: {}\n',
    },
  })
  type Entry = { state: string; last_error: { line: number | null; path: string | null; message: string } | null }
  const list = { body: await h.until('every stream to settle', async () => {
    const r = await h.json<Record<string, Entry>>('/streams')
    return Object.keys(r.body).length === 4 && Object.values(r.body).every((e) => e.state !== 'starting') ? r.body : undefined
  }) }
  assert.equal(list.body.good!.state, 'running')
  assert.equal(list.body.badyaml!.state, 'failed')
  assert.equal(list.body.badyaml!.last_error!.line, 3)
  assert.equal(list.body.badlint!.state, 'failed')
  assert.deepEqual([list.body.badlint!.last_error!.line, list.body.badlint!.last_error!.path, list.body.badlint!.last_error!.message], [4, 'input.generate.nope', 'field nope not recognised'])
  assert.equal(list.body.badblobl!.state, 'failed')
  assert.equal(list.body.badblobl!.last_error!.line, 7)
  assert.equal(list.body.badblobl!.last_error!.path, 'pipeline.processors[0].mapping')
  assert.match(h.stdout(), /badlint\.yaml\(4,1\) field nope not recognised/)
})

test('--strict exits 1 when a stream fails at start-up; collisions always do', async (t) => {
  const dir = tempDir(t)
  writeFileSync(join(dir, 'ok.yaml'), DROP)
  writeFileSync(join(dir, 'bad.yaml'), 'input: [')
  const strict = await runCli(['streams', '--strict', '--set', 'http.address=127.0.0.1:0', dir])
  assert.equal(strict.code, 1)
  assert.match(strict.stdout, /--strict/)

  const coll = tempDir(t)
  mkdirSync(join(coll, 'a'))
  writeFileSync(join(coll, 'a', 'b.yaml'), DROP)
  writeFileSync(join(coll, 'a_b.yaml'), DROP)
  const r = await runCli(['streams', '--set', 'http.address=127.0.0.1:0', coll])
  assert.equal(r.code, 1)
  assert.match(r.stdout, /stream id \(a_b\) collision from file: .*a_b\.yaml/)
})

test('env interpolation, defaults and a missing variable', async (t) => {
  const conf = 'input:\n  generate:\n    mapping: root = "${GREETING:hi}"\n    interval: ${EVERY}\noutput:\n  drop: {}\n'
  const h = await startHost(t, { files: { 's.yaml': conf, 'm.yaml': 'input:\n  generate:\n    mapping: root = "${NOPE_NOT_SET}"\noutput:\n  drop: {}\n' }, env: { EVERY: '2s' } })
  const s = await h.json<{ config: { input: { generate: { mapping: string; interval: string } } } }>('/streams/s')
  assert.deepEqual(s.body.config.input.generate, { mapping: 'root = "hi"', interval: '2s' })
  const m = await h.json<{ state: string; last_error: { message: string; line: number } }>('/streams/m')
  assert.equal(m.body.state, 'failed')
  assert.equal(m.body.last_error.message, 'required environment variables were not set: [NOPE_NOT_SET]')
  assert.equal(m.body.last_error.line, 1)
})

test('SIGTERM drains and exits 0 within shutdown_timeout', async (t) => {
  const h = await startHost(t, { files: { 'a.yaml': DROP } })
  await h.until('a to run', async () => (await h.json<{ state: string }>('/streams/a')).body.state === 'running')
  const started = Date.now()
  const code = await h.stop('SIGTERM')
  assert.equal(code, 0)
  assert.ok(Date.now() - started < 20_000)
  assert.match(h.stdout(), /Received SIGTERM, the service is closing/)
})

test('--version, unknown commands and unknown flags', async () => {
  const v = await runCli(['--version'])
  assert.equal(v.code, 0)
  assert.match(v.stdout, /^Version: \d+\.\d+\.\d+\nDate: /)
  const u = await runCli(['frobnicate'])
  assert.equal(u.code, 1)
  assert.match(u.stderr, /^Unrecognised command: frobnicate/)
  const f = await runCli(['streams', '--nope'])
  assert.equal(f.code, 1)
  assert.match(f.stderr, /flag provided but not defined: --nope/)
})

test('a stream with the default stdin input reads the process stdin', async (t) => {
  const h = await startHost(t, {
    files: { 'up.yaml': 'pipeline:\n  processors:\n    - mapping: root = content().uppercase()\n' },
    stdin: 'hello\nworld\n',
  })
  await h.until('both lines on stdout', () => (h.stdout().includes('HELLO\nWORLD\n') ? true : undefined))
  await h.until('the stream to finish', async () => (await h.json<{ state: string; active: boolean }>('/streams/up')).body.state === 'finished')
  assert.equal((await h.json<{ active: boolean }>('/streams/up')).body.active, false)
})
