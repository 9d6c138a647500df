/**
 * Thread entry for one stream from the one-file bundle (`scripts/bundle-workers.mjs`). A thread
 * that imports the compiled modules resolves, reads and compiles ~580 of them; this reads one
 * script and compiles it with V8's code cache (Node 20 has no module compile cache), so most of a
 * thread's start-up work is gone. The bundle's one chunk, the yaml package (`yaml.bundle.cjs`,
 * required by the bundle's forwarders on first use: a template, a located error, `parse_yaml`), is
 * compiled the same way when it is required.
 *
 * A cache is written once, by the first thread to become ready without a usable one, so it holds
 * the functions start-up compiled (a chunk first required after that: right after it ran). It
 * lives beside the bundle, or in the OS temp dir when that is read-only; a cache V8 rejects
 * (another Node version, other flags) is rewritten.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { threadId } from 'node:worker_threads'
import { Script } from 'node:vm'
import type { StreamWorkerHooks } from './stream-main.js'

const bundle = fileURLToPath(new URL('./stream.bundle.cjs', import.meta.url))
/** How the bundle's forwarders name the yaml chunk (scripts/bundle-workers.mjs, YAML_CHUNK). */
const YAML_CHUNK = './yaml.bundle.cjs'
const yamlChunk = join(dirname(bundle), YAML_CHUNK)

let ready = false
/** Caches to write once the stream is ready (each only when its script had no usable one). */
const unsaved: (() => void)[] = []

// The bundle is one function expression (exports, require, module, __filename, __dirname); its
// text is read here and not kept, so the Script holds the only copy.
const main = cachedScript(bundle, readFileSync(bundle, 'utf8'))
if (main.save) unsaved.push(main.save)
const plainRequire = createRequire(bundle)
let yaml: unknown
/** The bundle's require: the yaml chunk through the code cache, anything else as Node requires it. */
const bundleRequire = Object.assign((id: string): unknown => (id === YAML_CHUNK ? (yaml ??= loadYamlChunk()) : plainRequire(id)), plainRequire)
const { runStreamWorker } = runCommonJs(main.script, bundle, bundleRequire) as { runStreamWorker: (hooks: StreamWorkerHooks) => void }
runStreamWorker({ onReady })

function onReady(): void {
  ready = true
  for (const save of unsaved.splice(0)) save()
}

/** The chunk is a plain CommonJS file (`require` works on it too); here it gets Node's wrapper. */
function loadYamlChunk(): unknown {
  const s = cachedScript(yamlChunk, `(function (exports, require, module, __filename, __dirname) {${readFileSync(yamlChunk, 'utf8')}\n})`)
  const exports = runCommonJs(s.script, yamlChunk, createRequire(yamlChunk))
  if (s.save) {
    if (ready) s.save()
    else unsaved.push(s.save)
  }
  return exports
}

/** Runs a script that is one CommonJS wrapper function, as Node would run `file`; its exports. */
function runCommonJs(script: Script, file: string, req: NodeJS.Require): unknown {
  const m = { exports: {} }
  ;(script.runInThisContext() as (...args: unknown[]) => void)(m.exports, req, m, file, dirname(file))
  return m.exports
}

/**
 * `source` (the text of `file`, ready to run) compiled with the code cache kept for that file;
 * `save` writes that cache, present only when there was none V8 accepted.
 */
function cachedScript(file: string, source: string): { script: Script; save: (() => void) | undefined } {
  // One cache per build of the file, V8 and set of Node flags (V8 rejects a cache made under other
  // flags): the key changes when any does, so a stale file is never read and two setups never take
  // turns overwriting one file.
  const built = statSync(file)
  const key = [process.version, process.arch, built.size.toString(36), Math.round(built.mtimeMs).toString(36), flagsTag(process.execArgv.join(' '))].join('-')
  const name = basename(file).replace(/\.bundle\.cjs$/, '')
  const candidates = [join(dirname(file), '.code-cache'), join(tmpdir(), 'weir-code-cache')].map((d) => join(d, `${name}.${key}.v8cache`))
  const cached = readFirst(candidates)
  const script = new Script(source, { filename: file, ...(cached ? { cachedData: cached } : {}) })
  return { script, save: !cached || script.cachedDataRejected === true ? () => saveCache(script, candidates) : undefined }
}

function saveCache(script: Script, candidates: string[]): void {
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
