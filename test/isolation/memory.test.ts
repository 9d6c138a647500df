/**
 * Off-heap memory is outside V8's per-worker heap limit: a stream that piles up Buffers (request
 * bodies held in a memory buffer behind a wedged pipeline) is found by the host's RSS watch, named
 * in the log and restarted, while another stream keeps answering a request loop.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../helpers/cli-host.js'
import { HEALTHY_STREAM, JSON_LOGS, pingPong, logLines, recordStates, requestLoop, streamInfo } from './helpers.js'

// The memory buffer acknowledges each body at once and keeps it; the sleeping pipeline takes one
// and never asks for more, so every later body stays in the buffer as off-heap bytes.
const HOG = `
input:
  http_server:
    path: /in
buffer:
  memory: {}
pipeline:
  processors:
    - sleep:
        duration: 1h
output:
  drop: {}
`

const LIMIT_MB = 320

test('above the RSS limit the stream holding the most off-heap memory is named and restarted', async (t) => {
  const host = await startHost(t, {
    files: {
      'weir.yaml': JSON_LOGS,
      'streams/healthy.yaml': HEALTHY_STREAM,
      'streams/hog.yaml': HOG,
    },
    args: ['-c', '{dir}/weir.yaml', '--rss-limit-mb', String(LIMIT_MB), '{dir}/streams'],
  })
  await host.until('both streams to run', async () => (await streamInfo(host, 'healthy'))?.state === 'running' && (await streamInfo(host, 'hog'))?.state === 'running')
  const loop = requestLoop(host, '/healthy/ping', pingPong)
  const states = recordStates(host, 'hog')
  await host.until('hog to be sampled running', () => states.states[0] === 'running')

  const chunk = Buffer.alloc(1024 * 1024, 0x61)
  let sent = 0
  // Each body is 1 MiB; the host starts near 120 MB, so a few hundred get it over the limit.
  const restarted = await host.until(
    'the RSS watch to restart hog',
    async () => {
      const i = await streamInfo(host, 'hog')
      if (i && i.restarts >= 1 && i.state === 'running') return i
      if (i?.state === 'running' && sent < 1500) {
        const r = await host.fetch('/hog/in', { method: 'POST', body: chunk, signal: AbortSignal.timeout(30_000) })
        await r.arrayBuffer()
        if (r.status === 200) sent++
      }
      return undefined
    },
    120_000,
  )
  assert.deepEqual(await states.stop(), ['running', 'restarting', 'running'])
  assert.equal(restarted.last_error?.code, 'STREAM_MEMORY')
  assert.match(
    restarted.last_error?.message ?? '',
    new RegExp(`^stopped because the process used \\d+ MB, above the host limit of ${LIMIT_MB} MB, and this stream used the most \\(\\d+ MB heap, \\d+ MB off-heap\\)$`),
  )
  const named = logLines(host.stdout(), /process memory is above the host limit; restarting stream 'hog', which uses the most/)
  assert.equal(named.length, 1)
  assert.equal(named[0]!.stream, 'hog')
  assert.ok(Number(named[0]!.off_heap_mb) >= LIMIT_MB / 4, `off-heap ${named[0]!.off_heap_mb} MB`)
  assert.ok(Number(named[0]!.rss_mb) > LIMIT_MB)

  const result = await loop.stop()
  assert.deepEqual(result.failures, [])
  assert.equal((await streamInfo(host, 'healthy'))?.restarts, 0)
  assert.ok(sent > 0)
})
