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
const unsaved: CachedScript[] = []

// The bundle is one function expression (exports, require, module, __filename, __dirname); its
// text is read here and not kept, so the Script holds the only copy.
const main = cachedScript(bundle, readFileSync(bundle, 'utf8'))
const plainRequire = createRequire(bundle)
let yaml: unknown
/** The bundle's require: the yaml chunk through the code cache, anything else as Node requires it. */
const bundleRequire = Object.assign((id: string): unknown => (id === YAML_CHUNK ? (yaml ??= loadYamlChunk()) : plainRequire(id)), plainRequire)
const mod = { exports: {} as { runStreamWorker?: (hooks: StreamWorkerHooks) => void } }
;(main.script.runInThisContext() as (...args: unknown[]) => void)(mod.exports, bundleRequire, mod, bundle, dirname(bundle))
mod.exports.runStreamWorker!({ onReady })

function onReady(): void {
  ready = true
  for (const s of unsaved.splice(0)) s.save()
}

/** The chunk is a plain CommonJS file (`require` works on it too); here it gets Node's wrapper. */
function loadYamlChunk(): unknown {
  const s = cachedScript(yamlChunk, `(function (exports, require, module, __filename, __dirname) {${readFileSync(yamlChunk, 'utf8')}\n})`)
  const m = { exports: {} }
  ;(s.script.runInThisContext() as (...args: unknown[]) => void)(m.exports, createRequire(yamlChunk), m, yamlChunk, dirname(yamlChunk))
  if (ready && unsaved.includes(s)) unsaved.splice(unsaved.indexOf(s), 1)[0]!.save()
  return m.exports
}

interface CachedScript {
  script: Script
  save(): void
}

/**
 * `source` (the text of `file`, ready to run) compiled with the code cache kept for that file;
 * queued to have its cache written when there was none V8 accepted.
 */
function cachedScript(file: string, source: string): CachedScript {
  // One cache per build of the file, V8 and set of Node flags (V8 rejects a cache made under other
  // flags): the key changes when any does, so a stale file is never read and two setups never take
  // turns overwriting one file.
  const built = statSync(file)
  const key = [process.version, process.arch, built.size.toString(36), Math.round(built.mtimeMs).toString(36), flagsTag(process.execArgv.join(' '))].join('-')
  const name = basename(file).replace(/\.bundle\.cjs$/, '')
  const candidates = [join(dirname(file), '.code-cache'), join(tmpdir(), 'weir-code-cache')].map((d) => join(d, `${name}.${key}.v8cache`))
  const cached = readFirst(candidates)
  const script = new Script(source, { filename: file, ...(cached ? { cachedData: cached } : {}) })
  const s: CachedScript = { script, save: () => saveCache(script, candidates) }
  if (!cached || script.cachedDataRejected === true) unsaved.push(s)
  return s
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
