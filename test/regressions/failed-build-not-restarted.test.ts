/**
 * A stream whose build fails in its worker (the config lints, a component refuses it) stays
 * `failed` with the located error: the worker's exit after reporting the failure is not a crash
 * to restart.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../helpers/cli-host.js'

test('a stream whose worker fails to build stays failed, with its located error, and is not restarted', async (t) => {
  const host = await startHost(t, {
    files: { 's.yaml': "input:\n  generate: { mapping: 'root = 1', interval: 1s }\noutput:\n  http_client:\n    url: http://127.0.0.1:1/x\n    timeout: bogus\n" },
    args: ['{dir}/s.yaml'],
  })
  const failed = await host.until('the stream to fail', async () => {
    const r = await host.json<{ state: string; restarts: number; last_error: { code: string; message: string; line: number } | null }>('/streams/s')
    return r.body.state === 'failed' ? r.body : undefined
  })
  assert.equal(failed.last_error?.code, 'CONFIG_INVALID')
  assert.match(failed.last_error?.message ?? '', /invalid duration "bogus"/)
  // Absence of a restart can only be shown over a bounded look: the first back-off is 200 ms, so
  // a wrongly restarted stream reads `restarting` (or `crash_looping`) well within it.
  const states = new Set<string>()
  const until = Date.now() + 1500
  while (Date.now() < until) states.add((await host.json<{ state: string }>('/streams/s')).body.state)
  assert.deepEqual([...states], ['failed'])
  assert.doesNotMatch(host.stdout(), /stream worker crashed; restarting/)
})
