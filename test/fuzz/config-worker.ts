/**
 * Worker side of the config loader fuzz (run by config.test.ts under a watchdog). Every text, read
 * as a stream file (`loadStreamFile`, the start-up and watcher path) and as an API body
 * (`parseStreamBody`), gives either a config or errors that are located: the stream and file, a
 * `CONFIG_*` code, and a line and column; lint errors also name the config path. Nothing throws.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { loadRegistry } from '../../src/components/registry.js'
import { loadStreamFile } from '../../src/config/stream-loader.js'
import { parseStreamBody } from '../../src/config/stream-file.js'
import type { ErrorData } from '../../src/errors.js'
import { CaseRecorder } from './watchdog.js'
import { checkProperty } from './settings.js'
import { configText } from './config-arb.js'

const { shared, params } = workerData as { shared: SharedArrayBuffer; params: fc.Parameters<unknown> }
const recorder = new CaseRecorder(shared)
const registry = await loadRegistry({})
const env = (n: string): string | undefined => (n === 'FUZZ_SET' ? 'value-from-env' : undefined)
const dir = mkdtempSync(join(tmpdir(), 'weir-fuzz-config-'))
const file = join(dir, 'fuzz.yaml')

function checkError(e: ErrorData, where: { stream?: string; file?: string }): void {
  const show = JSON.stringify(e)
  if (typeof e.code !== 'string' || !e.code.startsWith('CONFIG_')) throw new Error(`error code is not CONFIG_*: ${show}`)
  if (typeof e.message !== 'string' || e.message === '') throw new Error(`error without a message: ${show}`)
  if (where.stream !== undefined && e.stream !== where.stream) throw new Error(`error without its stream: ${show}`)
  if (where.file !== undefined && e.file !== where.file) throw new Error(`error without its file: ${show}`)
  // A missing variable is about the environment, not a place in the text: the file path reports it
  // as a finding at (1,1); the API body path reports it without a position.
  if (e.code === 'CONFIG_ENV_MISSING' && where.file === undefined) return
  if (!(Number.isInteger(e.line) && e.line! >= 1 && Number.isInteger(e.col) && e.col! >= 1)) throw new Error(`error without line/col: ${show}`)
  if (e.code === 'CONFIG_LINT' && e.path === undefined && e.line !== 1) throw new Error(`lint error without a config path: ${show}`)
}

const property = fc.property(configText(registry), fc.boolean(), fc.boolean(), (text, chilled, lint) => {
  recorder.run(
    () => `chilled=${chilled} lint=${lint}\n${text}`,
    () => {
      writeFileSync(file, text)
      const r = loadStreamFile(file, 'fuzz', { env, lookup: registry, chilled })
      if (r.ok) {
        if (typeof r.spec.config !== 'object' || r.spec.config === null) throw new Error('a loaded config that is not an object')
      } else {
        if (r.errors.length === 0) throw new Error('refused without errors')
        for (const e of r.errors) checkError(e, { stream: 'fuzz', file })
      }
      const b = parseStreamBody(text, { interpolate: true, lint, lookup: registry, env })
      if (!b.ok) checkError(b.error, {})
    },
  )
})

let outcome: { ok: boolean; report: string }
try {
  outcome = checkProperty(property, params)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
const { ok, report } = outcome
parentPort!.postMessage({ ok, report, cases: recorder.cases, slowestMs: recorder.slowestMs })
