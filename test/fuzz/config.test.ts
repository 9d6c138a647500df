/**
 * The stream config loader under fuzz (issue 15): random YAML trees, spec-shaped configs with
 * mutated values and YAML oddities always give a config or located errors; never a throw, never a
 * hang (a watchdog bounds each case), never a crash.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runWatched } from './watchdog.js'
import { fuzzParams } from './settings.js'

test('config loader: a config or located errors, never a throw or a hang', async () => {
  const r = await runWatched(new URL('./config-worker.js', import.meta.url), { caseDeadlineMs: 20_000, params: fuzzParams(200), heapMb: 512 })
  process.stderr.write(`config fuzz: ${r.cases} cases in ${r.totalMs} ms, slowest case ${Math.round(r.slowestMs)} ms\n`)
  assert.ok(r.ok, r.report)
})
