/** The state directory on its own: round trips, awkward ids, permissions, unreadable entries. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, statSync, writeFileSync, readdirSync, chmodSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { StateStore } from '../../src/supervisor/state-store.js'
import type { ErrorData } from '../../src/errors.js'

function open(dir: string, errors: ErrorData[] = []): StateStore {
  const s = StateStore.open(dir, (e) => errors.push(e))
  if (!(s instanceof StateStore)) throw new Error(s.message)
  return s
}

test('entries round-trip, whatever the id, and removal forgets them', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-state-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const store = open(join(dir, 'state'))
  const config = { input: { generate: { mapping: 'root = "${HOME}"' } }, output: { drop: {} } }
  store.save({ id: 'a b.c', source: 'api', config, paused: false })
  store.save({ id: '.hidden', source: 'api', config, paused: true })
  store.save({ id: 'ünï', source: 'streams/u.yaml', paused: true })
  store.save({ id: 'a b.c', source: 'api', config, paused: true })
  assert.deepEqual(open(join(dir, 'state')).load(), {
    // In file-name order: ids are percent-encoded.
    streams: [
      { id: 'ünï', source: 'streams/u.yaml', paused: true },
      { id: '.hidden', source: 'api', paused: true, config },
      { id: 'a b.c', source: 'api', paused: true, config },
    ],
    errors: [],
  })
  assert.equal(statSync(join(dir, 'state')).mode & 0o777, 0o700)
  assert.equal(statSync(join(dir, 'state', 'streams', 'a%20b.c.json')).mode & 0o777, 0o600)
  store.remove('a b.c')
  store.remove('never-there')
  assert.deepEqual(
    store.load().streams.map((s) => s.id),
    ['ünï', '.hidden'],
  )
  assert.deepEqual(readdirSync(join(dir, 'state', 'streams')).sort(), ['%C3%BCn%C3%AF.json', '.hidden.json'])
})

test('unreadable entries are reported and skipped; an unusable directory is an error', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-state-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const store = open(dir)
  store.save({ id: 'good', source: 'api', config: { output: { drop: {} } }, paused: false })
  writeFileSync(join(dir, 'streams', 'torn.json'), '{"version":1,"id":"to')
  writeFileSync(join(dir, 'streams', 'other.json'), '{"version":1,"id":"not-other","source":"api","paused":false,"config":{}}')
  const { streams, errors } = store.load()
  assert.deepEqual(
    streams.map((s) => s.id),
    ['good'],
  )
  assert.deepEqual(
    errors.map((e) => [e.code, e.file]),
    [
      ['STATE_DIR', join(dir, 'streams', 'other.json')],
      ['STATE_DIR', join(dir, 'streams', 'torn.json')],
    ],
  )
  assert.match(errors[0]!.message, /^skipping .*other\.json: not a stream state entry$/)

  const file = join(dir, 'a-file')
  writeFileSync(file, '')
  const bad = StateStore.open(file, () => {})
  assert.ok(!(bad instanceof StateStore))
  assert.equal(bad.code, 'STATE_DIR')
  assert.match(bad.message, /^state directory .*a-file is not usable: /)

  if (process.getuid?.() !== 0) {
    const ro = join(dir, 'ro')
    open(ro)
    chmodSync(join(ro, 'streams'), 0o500)
    const errs: ErrorData[] = []
    const s = StateStore.open(ro, (e) => errs.push(e))
    assert.ok(!(s instanceof StateStore))
    chmodSync(join(ro, 'streams'), 0o700)
  }
})
