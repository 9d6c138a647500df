/**
 * The Bloblang unit tests once more with WEIR_BLOBLANG_CODEGEN=0, so every mapping they compile
 * also runs on the closure compiler (generated code is the default): both keep passing the same
 * assertions. The files run in a child `node --test`, as `npm test` runs them.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CODEGEN_ENV } from '../../src/bloblang/index.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const self = fileURLToPath(import.meta.url)

test('the Bloblang unit tests pass on the closure compiler too', async () => {
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.test.js'))
    .map((f) => join(here, f))
    .filter((f) => f !== self)
    .sort()
  assert.ok(files.length >= 10, `found ${files.length} test files`)
  // Without NODE_TEST_CONTEXT: the child is a test runner of its own, not a reporting subtest.
  const env: NodeJS.ProcessEnv = { ...process.env, [CODEGEN_ENV]: '0' }
  delete env.NODE_TEST_CONTEXT
  const child = spawn(process.execPath, ['--test', '--test-reporter=tap', ...files], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  assert.equal(code, 0, `closure-mode run failed:\n${out.slice(-6000)}`)
  // The child really ran the suites (a runner that found nothing also exits 0).
  const passed = Number(/^# pass (\d+)$/m.exec(out)?.[1] ?? 0)
  assert.ok(passed >= 100, `only ${passed} tests passed:\n${out.slice(-2000)}`)
})
