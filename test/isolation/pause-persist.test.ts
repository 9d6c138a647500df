/**
 * Pause and resume keep the worker and consume nothing; a paused file stream stays paused across
 * a reload of its file; with a state directory, API streams and paused flags survive a restart.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, existsSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startHost, type RunningHost } from '../helpers/cli-host.js'
import { createStream, streamInfo } from './helpers.js'

const ECHO = {
  input: { http_server: { path: '/echo' } },
  pipeline: { processors: [{ mapping: 'root = "echo:" + content()' }, { sync_response: {} }] },
  output: { drop: {} },
}

function lines(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0
}

async function received(host: RunningHost, id: string): Promise<number> {
  const stats = (await host.json<Record<string, unknown>>(`/streams/${id}/stats`)).body
  const key = Object.keys(stats).find((k) => k.startsWith('input_received{'))
  return key === undefined ? -1 : Number(stats[key])
}

async function state(host: RunningHost, id: string): Promise<string | undefined> {
  return (await streamInfo(host, id))?.state
}

test('a paused stream keeps its worker, consumes nothing and answers 503 with Retry-After', async (t) => {
  const host = await startHost(t, { args: [] })
  const out = join(host.dir, 'ticks.txt')
  await createStream(host, 'ticker', { input: { generate: { interval: '10ms', mapping: 'root = "tick"' } }, output: { file: { path: out, codec: 'lines' } } })
  await createStream(host, 'echo', ECHO)
  await host.until('ticks to be written', () => lines(out) >= 3)

  assert.equal((await host.text('/streams/ticker/pause', { method: 'POST' })).status, 200)
  assert.equal((await host.text('/streams/echo/pause', { method: 'POST' })).status, 200)
  assert.equal(await state(host, 'ticker'), 'paused')
  const generation = (await host.json<{ generation: number }>('/streams/ticker')).body.generation

  const paused = await host.text('/echo/echo', { method: 'POST', body: 'hi' })
  assert.deepEqual([paused.status, paused.body, paused.headers.get('retry-after')], [503, 'Stream paused\n', '5'])

  // A read already waiting when the pause came may finish; after that the count must stay still.
  const settled = await host.until('the input to settle', async () => {
    const a = await received(host, 'ticker')
    await new Promise((r) => setTimeout(r, 100))
    const b = await received(host, 'ticker')
    return a === b && a >= 0 ? b : undefined
  })
  // An observation window, not a synchronisation: nothing may be consumed during it.
  await new Promise((r) => setTimeout(r, 400))
  assert.equal(await received(host, 'ticker'), settled)

  assert.equal((await host.text('/streams/ticker/resume', { method: 'POST' })).status, 200)
  assert.equal((await host.text('/streams/echo/resume', { method: 'POST' })).status, 200)
  assert.equal(await state(host, 'ticker'), 'running')
  await host.until('ticks to resume', async () => (await received(host, 'ticker')) > settled)
  assert.deepEqual(await host.text('/echo/echo', { method: 'POST', body: 'hi' }).then((r) => [r.status, r.body]), [200, 'echo:hi'])
  // The same worker served throughout.
  assert.equal((await host.json<{ generation: number }>('/streams/ticker')).body.generation, generation)

  assert.equal((await host.text('/streams/nope/pause', { method: 'POST' })).status, 404)
})

test('a paused file stream stays paused when its file is reloaded', async (t) => {
  const v1 = 'input:\n  generate:\n    interval: 10ms\n    mapping: root = "v1"\noutput:\n  drop: {}\n'
  const host = await startHost(t, { files: { 'streams/gen.yaml': v1 }, args: ['-w', '{dir}/streams'] })
  await host.until('gen to run', async () => (await state(host, 'gen')) === 'running')
  assert.equal((await host.text('/streams/gen/pause', { method: 'POST' })).status, 200)
  const before = (await host.json<{ generation: number }>('/streams/gen')).body.generation
  host.write('streams/gen.yaml', v1.replace('"v1"', '"v2"'))
  const after = await host.until('the reload', async () => {
    const r = (await host.json<{ generation: number; state: string; config: { input: { generate: { mapping: string } } } }>('/streams/gen')).body
    return r.generation > before ? r : undefined
  })
  assert.equal(after.state, 'paused')
  assert.equal(after.config.input.generate.mapping, 'root = "v2"')
})

test('with a state directory, API streams and paused flags come back after a restart', async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'weir-state-'))
  t.after(() => rmSync(stateDir, { recursive: true, force: true }))
  const fileStream = 'input:\n  http_server:\n    path: /f\noutput:\n  drop: {}\n'
  const files = { 'streams/filed.yaml': fileStream }

  const first = await startHost(t, { files, args: ['--state-dir', stateDir, 'streams'] })
  await createStream(first, 'kept', ECHO)
  await createStream(first, 'sleepy', { input: { generate: { interval: '1h', mapping: 'root = 1' } }, output: { drop: {} } })
  await createStream(first, 'gone', ECHO)
  await first.until('filed to run', async () => (await state(first, 'filed')) === 'running')
  assert.equal((await first.text('/streams/sleepy/pause', { method: 'POST' })).status, 200)
  assert.equal((await first.text('/streams/filed/pause', { method: 'POST' })).status, 200)
  assert.equal((await first.text('/streams/gone', { method: 'DELETE' })).status, 200)
  assert.deepEqual(readdirSync(join(stateDir, 'streams')).sort(), ['filed.json', 'kept.json', 'sleepy.json'])
  assert.equal(await first.stop(), 0)

  // Same state dir, same stream file (written again into the new host's own temp dir).
  const second = await startHost(t, { files, args: ['--state-dir', stateDir, 'streams'] })
  await second.until('the API streams to be restored', async () => (await state(second, 'kept')) === 'running' && (await state(second, 'sleepy')) === 'paused')
  const list = (await second.json<Record<string, { state: string; source: string }>>('/streams')).body
  assert.deepEqual(
    Object.fromEntries(Object.entries(list).map(([id, v]) => [id, [v.state, v.source]])),
    { filed: ['paused', 'streams/filed.yaml'], kept: ['running', 'api'], sleepy: ['paused', 'api'] },
  )
  assert.deepEqual(await second.text('/kept/echo', { method: 'POST', body: 'back' }).then((r) => [r.status, r.body]), [200, 'echo:back'])
  assert.equal((await second.text('/streams/sleepy/resume', { method: 'POST' })).status, 200)
  assert.equal(await second.stop(), 0)

  const third = await startHost(t, { files, args: ['--state-dir', stateDir, 'streams'] })
  await third.until('restored again', async () => (await state(third, 'sleepy')) === 'running' && (await state(third, 'kept')) === 'running')
  assert.equal(await state(third, 'filed'), 'paused')
  assert.equal(await state(third, 'gone'), undefined)
})
