/**
 * One bad stream never hurts the others: each fault is triggered on a real worker of the real CLI
 * while another stream answers a continuous request loop. For every fault the test asserts the
 * faulty stream's state sequence and error, that it recovers (a new worker serves again), and at
 * the end that the loop saw no failure at all.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost, type RunningHost } from '../helpers/cli-host.js'
import { EXTRA_COMPONENTS_ENV } from '../../src/components/registry.js'
import { EXTRA_COMPONENTS_FILE } from '../fixtures/extra-components.js'
import { HEALTHY_STREAM, JSON_LOGS, pingPong, createStream, logLines, recordStates, requestLoop, streamInfo } from './helpers.js'

/** A stream whose `/go` endpoint runs `processors` on the posted message. */
function triggered(processors: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { input: { http_server: { path: '/go', timeout: '30s' } }, pipeline: { processors }, output: { drop: {} }, ...extra }
}

interface FaultCase {
  id: string
  config: Record<string, unknown>
  code: string
  message: RegExp
}

/** Creates the stream, fires the fault with one request, and checks crash, error and recovery. */
async function fault(host: RunningHost, c: FaultCase): Promise<void> {
  await createStream(host, c.id, c.config)
  const rec = recordStates(host, c.id)
  await host.until(`${c.id} to be sampled running`, () => rec.states[0] === 'running')
  const r = await host.text(`/${c.id}/go`, { method: 'POST', body: 'boom' })
  // The worker died with the request in flight: the proxy answers for it.
  assert.deepEqual([r.status, r.body], [503, 'Service unavailable'])
  const info = await host.until(`${c.id} to be restarted`, async () => {
    const i = await streamInfo(host, c.id)
    return i && i.state === 'running' && i.restarts === 1 ? i : undefined
  })
  assert.deepEqual(await rec.stop(), ['running', 'restarting', 'running'])
  assert.equal(info.last_error?.code, c.code)
  assert.match(info.last_error?.message ?? '', c.message)
  assert.equal(info.next_retry_at, null)
  // Recovered: the new worker is connected and serves its endpoint again.
  const ready = await host.text(`/${c.id}/ready`)
  assert.equal(ready.status, 200)
  const crashLog = logLines(host.stdout(), /stream worker crashed; restarting/).filter((l) => l.stream === c.id)
  assert.equal(crashLog.length, 1)
  assert.equal((await host.text(`/streams/${c.id}`, { method: 'DELETE' })).status, 200)
}

test('faulty streams crash, are restarted, and never disturb a stream serving a request loop', async (t) => {
  const host = await startHost(t, {
    files: {
      'weir.yaml': JSON_LOGS,
      'streams/healthy.yaml': HEALTHY_STREAM,
    },
    args: ['-c', '{dir}/weir.yaml', '--heartbeat-timeout', '4s', '{dir}/streams'],
    // x_weir_fault is a test component: the host and its workers load it from here.
    env: { [EXTRA_COMPONENTS_ENV]: EXTRA_COMPONENTS_FILE },
  })
  await host.until('the healthy stream to run', async () => (await streamInfo(host, 'healthy'))?.state === 'running')
  const loop = requestLoop(host, '/healthy/ping', pingPong)
  await host.until('the loop to get going', () => loop.count() >= 5)

  await t.test('a mapping that allocates without bound hits the heap ceiling (x_weir_heap_limit_mb)', () =>
    fault(host, {
      id: 'hungry',
      config: triggered([{ mapping: 'root = range(0, content().length() * 2000000).map_each(i -> "item-" + i.string())' }], { x_weir_heap_limit_mb: 16 }),
      code: 'STREAM_MEMORY',
      message: /^worker ran out of memory: /,
    }),
  )

  await t.test('a component that throws inside a callback', () =>
    fault(host, {
      id: 'thrower',
      config: triggered([{ x_weir_fault: { mode: 'throw_in_callback', message: 'callback exploded' } }]),
      code: 'STREAM_CRASHED',
      message: /^callback exploded$/,
    }),
  )

  await t.test('process.exit inside the worker', () =>
    fault(host, {
      id: 'quitter',
      config: triggered([{ x_weir_fault: { mode: 'exit', exit_code: 7 } }]),
      code: 'STREAM_CRASHED',
      message: /^worker exited with code 7$/,
    }),
  )

  await t.test('the crash processor (a fatal error with the interpolated text)', () =>
    fault(host, {
      id: 'crasher',
      config: triggered([{ crash: 'fatal: got ${! content() }' }]),
      code: 'STREAM_CRASHED',
      message: /^fatal: got boom$/,
    }),
  )

  await t.test('an event loop that stops answering heartbeats is terminated from outside', () =>
    fault(host, {
      id: 'spinner',
      config: triggered([{ x_weir_fault: { mode: 'block', duration: '1h' } }]),
      code: 'STREAM_CRASHED',
      message: /^worker event loop blocked for more than 4000ms \(heartbeat timeout\)$/,
    }),
  )

  await t.test('a stream that crashes at every start reads crash_looping with its next retry, and a fixed config recovers it', async () => {
    const looping = { input: { generate: { interval: '', mapping: 'root = "tick"' } }, pipeline: { processors: [{ crash: 'bad config' }] }, output: { drop: {} } }
    await createStream(host, 'looper', looping)
    const info = await host.until('crash_looping', async () => {
      const i = await streamInfo(host, 'looper')
      return i?.state === 'crash_looping' ? i : undefined
    })
    assert.equal(info.last_error?.message, 'bad config')
    assert.ok(info.restarts >= 2, `restarts ${info.restarts}`)
    assert.ok(info.next_retry_at !== null && Date.parse(info.next_retry_at) > Date.parse(info.last_error!.at), `next retry ${info.next_retry_at}`)
    const fixed = { ...looping, pipeline: { processors: [{ mapping: 'root = content()' }] } }
    const put = await host.text('/streams/looper', { method: 'PUT', body: JSON.stringify(fixed) })
    assert.equal(put.status, 200)
    const after = await host.until('running again', async () => {
      const i = await streamInfo(host, 'looper')
      return i?.state === 'running' ? i : undefined
    })
    assert.equal(after.next_retry_at, null)
    assert.equal(after.last_error, null)
    assert.equal((await host.text('/streams/looper', { method: 'DELETE' })).status, 200)
  })

  const result = await loop.stop()
  assert.deepEqual(result.failures, [])
  assert.ok(result.ok > 20, `the loop kept serving (${result.ok} requests)`)
  assert.equal((await streamInfo(host, 'healthy'))?.restarts, 0)
  assert.equal(await host.stop(), 0)
})
