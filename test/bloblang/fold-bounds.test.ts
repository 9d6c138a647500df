/**
 * Constant folding stays bounded: a large constant `range` in a branch that never runs is neither
 * built nor held when the stream starts, so a worker with a small heap ceiling starts and serves.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../helpers/cli-host.js'
import { errorOf, run } from './helpers.js'

const STREAM = `
x_weir_heap_limit_mb: 64
input:
  http_server:
    path: /go
    timeout: 30s
pipeline:
  processors:
    - mapping: |
        root = if this.never == true { range(0, 5000000).map_each(i -> "item-" + i.string()) } else if this.never == 1 { range(0, 5000000, 1).map_each(i -> i * 2) } else { "ok:" + this.n.string() }
    - sync_response: {}
output:
  drop: {}
`

test('a 64 MiB worker whose mapping holds two never-run range(0, 5000000) starts and processes a message', async (t) => {
  const host = await startHost(t, { files: { 'streams/big.yaml': STREAM }, args: ['{dir}/streams'] })
  const info = await host.until('the stream to run', async () => {
    const r = await host.json<{ state: string; restarts: number }>('/streams/big')
    return r.status === 200 && r.body.state === 'running' ? r.body : undefined
  }, 60_000)
  assert.equal(info.restarts, 0)
  const r = await host.text('/big/go', { method: 'POST', body: '{"n":7}' })
  assert.deepEqual([r.status, r.body], [200, 'ok:7'])
  const after = await host.json<{ state: string; restarts: number }>('/streams/big')
  assert.deepEqual([after.body.state, after.body.restarts], ['running', 0])
  assert.equal(await host.stop(), 0)
})

test('large constant ranges are built on first use; small ones and argument errors still fold', () => {
  assert.equal(run('root = range(0, 100000).length()'), '100000')
  assert.equal(run('root = if false { range(0, 9000000) } else { "skipped" }'), 'skipped')
  assert.equal(run('root = range(0, 3)'), '[0,1,2]')
  assert.match(errorOf('root = if false { range(5, 0) } else { 1 }'), /^line 1 char 30: with positive step arg start \(5\) must be < stop \(0\)$/)
  assert.match(errorOf('root = if false { range(0, 100000000000) } else { 1 }'), /^line 1 char \d+: range of 100000000000 elements exceeds the limit/)
})
