/**
 * Config paths the host cannot read — a directory where a file should be, a dangling symlink, a
 * FIFO (which would block a plain read forever) — give an error naming the file, and the other
 * streams run. None of these depends on file permissions, so they hold when the tests run as root.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { startHost, runCli, tempDir } from '../helpers/cli-host.js'
import { readConfigBytes } from '../../src/config/read-file.js'

const GEN = 'input:\n  generate:\n    interval: 1h\n    mapping: root = "x"\noutput:\n  drop: {}\n'

function mkfifo(path: string): boolean {
  try {
    execFileSync('mkfifo', [path], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

test('readConfigBytes names the file and the reason for each kind of unreadable path', (t) => {
  const dir = tempDir(t)
  mkdirSync(join(dir, 'dir.yaml'))
  symlinkSync(join(dir, 'nowhere.yaml'), join(dir, 'dangling.yaml'))
  symlinkSync(join(dir, 'loop-b.yaml'), join(dir, 'loop-a.yaml'))
  symlinkSync(join(dir, 'loop-a.yaml'), join(dir, 'loop-b.yaml'))
  const msg = (name: string): string => {
    const r = readConfigBytes(join(dir, name))
    assert.equal(r.ok, false)
    return r.ok ? '' : `${r.error.code} ${r.error.file === join(dir, name)} ${r.error.message.replaceAll(dir + '/', '')}`
  }
  assert.equal(msg('dir.yaml'), 'CONFIG_READ true read dir.yaml: is a directory')
  assert.equal(msg('dangling.yaml'), 'CONFIG_READ true open dangling.yaml: no such file or directory (dangling symbolic link)')
  assert.equal(msg('missing.yaml'), 'CONFIG_READ true open missing.yaml: no such file or directory')
  assert.equal(msg('loop-a.yaml'), 'CONFIG_READ true open loop-a.yaml: too many levels of symbolic links')
  if (mkfifo(join(dir, 'fifo.yaml'))) assert.equal(msg('fifo.yaml'), 'CONFIG_READ true read fifo.yaml: not a regular file')
})

test('unreadable stream files fail alone with the file named; the other streams run', async (t) => {
  let fifo = false
  const h = await startHost(t, {
    files: { 's/gen.yaml': GEN },
    args: ['{dir}/s'],
    setup: (dir) => {
      symlinkSync(join(dir, 'gone.yaml'), join(dir, 's', 'dangling.yaml'))
      fifo = mkfifo(join(dir, 's', 'pipe.yaml'))
    },
  })
  await h.until('gen to run', async () => (await h.json<{ state: string }>('/streams/gen')).body.state === 'running')
  const out = (): string => h.stdout() + h.stderr()
  await h.until('the refusals logged', () => /dangling\.yaml/.test(out()) && (!fifo || /pipe\.yaml/.test(out())))
  assert.match(out(), /dangling\.yaml[^\n]*no such file or directory \(dangling symbolic link\)/)
  if (fifo) assert.match(out(), /pipe\.yaml[^\n]*not a regular file/)
  assert.equal((await h.text('/ping')).body, 'pong')
})

test('a -r, -o or -t path that is a directory or FIFO stops start-up with the file named, without hanging', async (t) => {
  const dir = tempDir(t)
  mkdirSync(join(dir, 'res.yaml'))
  mkdirSync(join(dir, 'root.yaml'))
  const hasFifo = mkfifo(join(dir, 'tpl.yaml'))
  const run = (args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> => runCli(['streams', '--set', 'http.address=127.0.0.1:0', ...args], { cwd: dir })
  const res = await run(['-r', join(dir, 'res.yaml')])
  assert.equal(res.code, 1)
  assert.match(res.stdout + res.stderr, new RegExp(`read ${join(dir, 'res.yaml')}: is a directory`))
  const root = await run(['-o', join(dir, 'root.yaml')])
  assert.equal(root.code, 1)
  assert.match(root.stdout + root.stderr, new RegExp(`read ${join(dir, 'root.yaml')}: is a directory`))
  if (hasFifo) {
    const tpl = await run(['-t', join(dir, 'tpl.yaml')])
    assert.equal(tpl.code, 1)
    assert.match(tpl.stdout + tpl.stderr, new RegExp(`read ${join(dir, 'tpl.yaml')}: not a regular file`))
  }
})

test('a stream file the host may not read (permission denied) fails alone with the file named', async (t) => {
  // chmod 000 does not stop root: as root, the CLI runs without root's file-permission override.
  const h = await startHost(t, {
    files: { 's/gen.yaml': GEN, 's/secret.yaml': GEN },
    args: ['{dir}/s'],
    fileModesApply: true,
    setup: (dir) => {
      execFileSync('chmod', ['755', dir, join(dir, 's')])
      execFileSync('chmod', ['644', join(dir, 's', 'gen.yaml')])
      execFileSync('chmod', ['000', join(dir, 's', 'secret.yaml')])
    },
  })
  await h.until('gen to run', async () => (await h.json<{ state: string }>('/streams/gen')).body.state === 'running')
  await h.until('the refusal logged', () => /secret\.yaml/.test(h.stdout() + h.stderr()))
  assert.match(h.stdout() + h.stderr(), /secret\.yaml[^\n]*open [^\n]*secret\.yaml: permission denied/)
})
