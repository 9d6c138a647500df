/**
 * Thread entry for one stream from the one-file bundle (`scripts/bundle-workers.mjs`). A thread
 * that imports the compiled modules resolves, reads and compiles ~580 of them; this reads one
 * script and compiles it with V8's code cache (Node 20 has no module compile cache), so most of a
 * thread's start-up work is gone.
 *
 * The cache is written once, by the first thread to become ready without a usable one, so it
 * holds the functions start-up compiled. It lives beside the bundle, or in the OS temp dir when
 * that is read-only; a cache V8 rejects (another Node version, other flags) is rewritten.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { threadId } from 'node:worker_threads'
import { Script } from 'node:vm'
import type { StreamWorkerHooks } from './stream-main.js'

const bundle = fileURLToPath(new URL('./stream.bundle.cjs', import.meta.url))
// One cache per bundle build, V8 and set of Node flags (V8 rejects a cache made under other flags):
// the key changes when any does, so a stale file is never read and two setups never take turns
// overwriting one file.
const built = statSync(bundle)
const key = [process.version, process.arch, built.size.toString(36), Math.round(built.mtimeMs).toString(36), flagsTag(process.execArgv.join(' '))].join('-')
const candidates = [join(dirname(bundle), '.code-cache'), join(tmpdir(), 'weir-code-cache')].map((d) => join(d, `stream.${key}.v8cache`))
const cached = readFirst(candidates)

// The bundle is one function expression (exports, require, module, __filename, __dirname); its
// text is read here and not kept, so the Script holds the only copy.
const script = new Script(readFileSync(bundle, 'utf8'), {
  filename: bundle,
  ...(cached ? { cachedData: cached } : {}),
})
const mod = { exports: {} as { runStreamWorker?: (hooks: StreamWorkerHooks) => void } }
;(script.runInThisContext() as (...args: unknown[]) => void)(mod.exports, createRequire(bundle), mod, bundle, dirname(bundle))

const needsCache = !cached || script.cachedDataRejected === true
mod.exports.runStreamWorker!({ onReady: needsCache ? saveCache : undefined })

function saveCache(): void {
  const data = script.createCachedData()
  for (const file of candidates) {
    try {
      mkdirSync(dirname(file), { recursive: true })
      // Written aside then renamed: threads starting now read a whole file or none.
      const tmp = `${file}.${process.pid}.${threadId}.tmp`
      writeFileSync(tmp, data)
      renameSync(tmp, file)
      return
    } catch {
      // Not writable here: try the next place; without any, threads just compile as before.
    }
  }
}

function readFirst(files: string[]): Buffer | undefined {
  for (const f of files) {
    try {
      return readFileSync(f)
    } catch {
      // missing: try the next
    }
  }
  return undefined
}

/** A short tag for the process's Node flags ('' when there are none). */
function flagsTag(flags: string): string {
  if (flags === '') return 'x'
  let h = 0x811c9dc5
  for (let i = 0; i < flags.length; i++) h = Math.imul(h ^ flags.charCodeAt(i), 0x01000193)
  return (h >>> 0).toString(36)
}
