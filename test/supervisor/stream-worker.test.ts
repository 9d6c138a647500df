/**
 * Asks to a worker that dies before answering reject with a typed error (no placeholder reply a
 * caller could mistake for an answer). A real worker thread whose event loop is blocked on purpose.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { StreamWorker } from '../../src/supervisor/stream-worker.js'
import type { WorkerInit } from '../../src/protocol/messages.js'
import { EXTRA_COMPONENTS_ENV } from '../../src/components/registry.js'
import { EXTRA_COMPONENTS_FILE } from '../fixtures/extra-components.js'

// The worker inherits this process's environment: it loads the test-only fault processor.
process.env[EXTRA_COMPONENTS_ENV] = EXTRA_COMPONENTS_FILE

const init: WorkerInit = {
  streamId: 'stuck',
  config: {
    input: { generate: { count: 1, interval: '', mapping: 'root = 1' } },
    pipeline: { processors: [{ x_weir_fault: { mode: 'block', duration: '1h' } }] },
    output: { drop: {} },
  },
  file: '',
  configDir: '',
  componentResources: { processor: {}, input: {}, output: {} },
  sharedResources: { cache: [], rate_limit: [], input: [], output: [] },
  logger: { level: 'NONE', format: 'logfmt', addTimestamp: false, staticFields: {}, levelName: 'level', timestampName: 'time', messageName: 'msg' },
  metrics: { mapping: '', useHistogramTiming: false, histogramBuckets: [], summaryQuantiles: [] },
  templates: [],
  // Nothing is consumed until resumed, so the worker is surely ready before its loop blocks.
  paused: true,
}

test('a pending ask rejects with STREAM_WORKER_EXITED when the worker dies; later asks reject at once', async (t) => {
  const crashes: string[] = []
  const spawned = await StreamWorker.spawn(
    init,
    { onFinished: () => {}, onCrash: (e) => void crashes.push(e.code), onStatus: () => {}, onRpc: () => Promise.resolve(null) },
    { startTimeoutMs: 60_000 },
  )
  assert.ok(spawned.ok, JSON.stringify(!spawned.ok && spawned.errors))
  const w = spawned.worker
  t.after(() => w.terminate())
  assert.ok(await w.ping(30_000), 'an idle worker answers a ping')
  w.resume()
  // The one generated message reaches the blocking processor: pings stop being answered.
  const deadline = Date.now() + 60_000
  while (await w.ping(300)) assert.ok(Date.now() < deadline, 'the worker never blocked')

  const pending = w.stats(60_000)
  await w.terminate()
  await assert.rejects(pending, (err: { code?: string; data?: { stream?: string } }) => err.code === 'STREAM_WORKER_EXITED' && err.data?.stream === 'stuck')
  await assert.rejects(w.memory(1000), { code: 'STREAM_WORKER_EXITED' })
  assert.ok(w.exited)
  // terminate() is a crash from the worker's side: the supervisor is told (it restarts the stream).
  assert.deepEqual(crashes, ['STREAM_CRASHED'])
})

test('a busy worker proves its loop turns through its snapshot buffer, so the heartbeat need not ping it', async (t) => {
  const busy: WorkerInit = {
    ...init,
    streamId: 'busy',
    // Flat out: the loop yields with setImmediate and never waits, so its idle time stands still.
    config: { input: { generate: { count: 0, interval: '', mapping: 'root = {"n": counter()}' } }, output: { drop: {} } },
    paused: false,
  }
  const spawned = await StreamWorker.spawn(busy, { onFinished: () => {}, onCrash: () => {}, onStatus: () => {}, onRpc: () => Promise.resolve(null) }, { startTimeoutMs: 60_000 })
  assert.ok(spawned.ok, JSON.stringify(!spawned.ok && spawned.errors))
  const w = spawned.worker
  t.after(() => w.terminate())
  const deadline = Date.now() + 60_000
  while ((w.metricsSnapshot?.snapshot.version ?? 0) < 3) {
    assert.ok(Date.now() < deadline, 'the busy worker never wrote a second snapshot')
    await new Promise((r) => setTimeout(r, 50))
  }
  w.provedAliveSinceLastCheck()
  // The supervisor's check period: the publisher writes twice in each, so every window shows a
  // beat; one window of five may miss it on a starved machine (that costs one ping, no more).
  const windows: boolean[] = []
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 1000))
    windows.push(w.provedAliveSinceLastCheck())
  }
  assert.ok(windows.filter(Boolean).length >= 4, `proved alive in ${JSON.stringify(windows)}`)
})
