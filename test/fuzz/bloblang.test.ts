/**
 * Bloblang parser and runtime under fuzz (issue 15): random mappings from a grammar over the real
 * registry, and near-miss syntax, against random inputs. Each case is bounded in time by a
 * watchdog; a case past its deadline, a crash or an out-of-memory fails with the case's text.
 * There is no Bloblang printer, so there is no parse → print → parse round trip to check.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runWatched } from './watchdog.js'
import { fuzzParams } from './settings.js'

test('Bloblang: every mapping compiles or fails located; every run gives a result or a runtime error; no hang', async () => {
  const r = await runWatched(new URL('./bloblang-worker.js', import.meta.url), { caseDeadlineMs: 20_000, params: fuzzParams(1000), heapMb: 512 })
  process.stderr.write(`bloblang fuzz: ${r.cases} cases in ${r.totalMs} ms, slowest case ${Math.round(r.slowestMs)} ms\n`)
  assert.ok(r.ok, r.report)
})
