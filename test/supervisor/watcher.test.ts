/**
 * `-w`: real files, real chokidar, real workers. Waits poll the API with deadlines.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startHost, type RunningHost } from '../helpers/cli-host.js'
import { answer, info, tagged } from '../helpers/tagged-stream.js'

test('a new file starts a stream, an edit replaces it, a delete stops it', async (t) => {
  const h = await startHost(t, { files: { 'a.yaml': tagged('a1') }, args: ['-w', '{dir}'] })
  await h.until('a to serve', async () => (await answer(h, 'a')) === '200 a1:x')

  h.write('b.yaml', tagged('b1'))
  await h.until('b to serve', async () => (await answer(h, 'b')) === '200 b1:x')

  h.write('a.yaml', tagged('a2'))
  await h.until('a to serve the edit', async () => (await answer(h, 'a')) === '200 a2:x')
  assert.equal((await info(h, 'a'))!.generation, 2)

  h.remove('b.yaml')
  await h.until('b to be gone', async () => (await info(h, 'b')) === undefined)
  assert.equal(await answer(h, 'b'), '503 Service unavailable\n')
})

test('a rename-save reloads exactly once', async (t) => {
  const h = await startHost(t, { files: { 'a.yaml': tagged('v1') }, args: ['-w', '{dir}'] })
  await h.until('a to serve', async () => (await answer(h, 'a')) === '200 v1:x')
  writeFileSync(join(h.dir, '.a.yaml.swp'), 'junk')
  writeFileSync(join(h.dir, 'a.yaml.tmp~'), tagged('v2'))
  renameSync(join(h.dir, 'a.yaml.tmp~'), join(h.dir, 'a.yaml'))
  await h.until('the new version', async () => (await answer(h, 'a')) === '200 v2:x')
  // Give any duplicate event a chance to (wrongly) reload again, then check the count.
  h.write('marker.yaml', tagged('m'))
  await h.until('marker', async () => (await answer(h, 'marker')) === '200 m:x')
  assert.equal((await info(h, 'a'))!.generation, 2)
  const ids = Object.keys((await h.json<Record<string, unknown>>('/streams')).body)
  assert.deepEqual(ids, ['a', 'marker'])
})

test('a Kubernetes ConfigMap symlink swap is one reload and no duplicate stream', async (t) => {
  const h = await startHost(t, {
    files: { 'cm/..2026_01/svc.yaml': tagged('k1') },
    setup: (dir) => {
      symlinkSync('..2026_01', join(dir, 'cm', '..data'))
      symlinkSync('..data/svc.yaml', join(dir, 'cm', 'svc.yaml'))
    },
    args: ['-w', '{dir}/cm'],
  })
  const cm = join(h.dir, 'cm')
  await h.until('svc to serve', async () => (await answer(h, 'svc')) === '200 k1:x')
  const before = (await info(h, 'svc'))!.generation

  mkdirSync(join(cm, '..2026_02'))
  writeFileSync(join(cm, '..2026_02', 'svc.yaml'), tagged('k2'))
  symlinkSync('..2026_02', join(cm, '..data_tmp'))
  renameSync(join(cm, '..data_tmp'), join(cm, '..data'))
  rmSync(join(cm, '..2026_01'), { recursive: true })

  await h.until('svc to serve k2', async () => (await answer(h, 'svc')) === '200 k2:x')
  assert.equal((await info(h, 'svc'))!.generation, before + 1)
  assert.deepEqual(Object.keys((await h.json<Record<string, unknown>>('/streams')).body), ['svc'])
})

test('a bad edit leaves the old stream serving with last_error; a fix clears it', async (t) => {
  const h = await startHost(t, { files: { 'a.yaml': tagged('good') }, args: ['-w', '{dir}'] })
  await h.until('a to serve', async () => (await answer(h, 'a')) === '200 good:x')

  h.write('a.yaml', 'input:\n  http_server:\n    path: /in\npipeline:\n  processors:\n    - mapping: root = this.\noutput:\n  sync_response: {}\n')
  const err = await h.until('the error to show', async () => (await info(h, 'a'))?.last_error ?? undefined)
  assert.equal(err.path, 'pipeline.processors[0].mapping')
  assert.equal(err.line, 6)
  assert.equal(await answer(h, 'a'), '200 good:x')
  assert.equal((await info(h, 'a'))!.state, 'running')

  h.write('a.yaml', 'input: [')
  await h.until('the YAML error', async () => (await info(h, 'a'))?.last_error?.line === 1)
  assert.equal(await answer(h, 'a'), '200 good:x')

  h.write('a.yaml', tagged('fixed'))
  await h.until('the fix to serve', async () => (await answer(h, 'a')) === '200 fixed:x')
  assert.equal((await info(h, 'a'))!.last_error, null)
})

test('requests keep succeeding while the file is edited ten times', async (t) => {
  const h = await startHost(t, { files: { 'a.yaml': tagged('v0') }, args: ['-w', '{dir}'] })
  await h.until('a to serve', async () => (await answer(h, 'a')) === '200 v0:x')
  let stop = false
  const seen = new Set<string>()
  const failures: string[] = []
  let total = 0
  const loop = (async () => {
    while (!stop) {
      const r = await answer(h, 'a')
      total++
      if (!/^200 v\d+:x$/.test(r)) failures.push(r)
      else seen.add(r)
    }
  })()
  for (let i = 1; i <= 10; i++) {
    h.write('a.yaml', tagged(`v${i}`))
    await h.until(`v${i} to serve`, async () => (await answer(h, 'a')) === `200 v${i}:x`)
  }
  stop = true
  await loop
  assert.deepEqual(failures, [])
  assert.ok(total > 10, `only ${total} requests ran`)
  assert.ok(seen.size >= 2, `responses came from only ${seen.size} version(s)`)
  assert.equal((await info(h, 'a'))!.generation, 11)
})

test('empty, binary and half-written files never replace a running stream', async (t) => {
  const h = await startHost(t, { files: { 'a.yaml': tagged('ok') }, args: ['-w', '{dir}'] })
  await h.until('a to serve', async () => (await answer(h, 'a')) === '200 ok:x')
  h.write('a.yaml', '')
  await h.until('the empty-file error', async () => (await info(h, 'a'))?.last_error?.message === 'stream config is empty')
  assert.equal(await answer(h, 'a'), '200 ok:x')
  writeFileSync(join(h.dir, 'a.yaml'), Buffer.from([0x00, 0xff, 0x13, 0x37, 0xc3, 0x28]))
  await h.until('the binary-file error', async () => (await info(h, 'a'))?.last_error?.message !== 'stream config is empty')
  assert.equal(await answer(h, 'a'), '200 ok:x')
  h.write('a.yaml', tagged('ok2').slice(0, 30))
  await h.until('the truncated-file error', async () => {
    const e = (await info(h, 'a'))?.last_error
    return e && e.message !== 'stream config is empty' ? e : undefined
  })
  assert.equal(await answer(h, 'a'), '200 ok:x')
  h.write('a.yaml', tagged('ok2'))
  await h.until('the complete file to serve', async () => (await answer(h, 'a')) === '200 ok2:x')
  assert.equal((await info(h, 'a'))!.last_error, null)
})

test('delete-and-recreate, directory renames and many files at once end in the right set', async (t) => {
  const h = await startHost(t, { files: { 'team/a.yaml': tagged('a1'), 'b.yaml': tagged('b1') }, args: ['-w', '{dir}'] })
  await h.until('team_a to serve', async () => (await answer(h, 'team_a')) === '200 a1:x')
  h.remove('b.yaml')
  h.write('b.yaml', tagged('b2'))
  await h.until('b2 to serve', async () => (await answer(h, 'b')) === '200 b2:x')

  renameSync(join(h.dir, 'team'), join(h.dir, 'crew'))
  await h.until('crew_a to serve', async () => (await answer(h, 'crew_a')) === '200 a1:x')
  await h.until('team_a to be gone', async () => (await info(h, 'team_a')) === undefined)

  const n = 40
  for (let i = 0; i < n; i++) writeFileSync(join(h.dir, `many_${i}.yaml`), tagged(`m${i}`))
  const ids = await h.until(
    `${n} new streams to run`,
    async () => {
      const r = await h.json<Record<string, { state: string }>>('/streams')
      const running = Object.entries(r.body).filter(([, v]) => v.state === 'running').map(([k]) => k)
      return running.length === n + 2 ? running : undefined
    },
    120_000,
  )
  assert.ok(ids.includes('many_0') && ids.includes(`many_${n - 1}`))
  assert.equal(await answer(h, `many_${n - 1}`), `200 m${n - 1}:x`)
})
