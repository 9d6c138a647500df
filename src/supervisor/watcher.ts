/**
 * `-w`: keeps running streams in step with their files. Every filesystem event (chokidar) schedules
 * one debounced rescan of all path arguments; the rescan diffs what the files say now against what
 * was last applied, by content hash. Diffing whole snapshots instead of reacting per event is what
 * makes rename-saves, `git checkout`, Kubernetes `..data` symlink swaps and 1000 files at once each
 * end in exactly one reload per changed stream and never a duplicate.
 */
import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { watch, type FSWatcher } from 'chokidar'
import type { SpecLookup } from '../spec/index.js'
import type { Logger } from '../spec/index.js'
import { weirError, renderErrorLine, type ErrorData } from '../errors.js'
import { expandStreamPaths } from '../config/paths.js'
import { readStreamFile } from '../config/stream-file.js'
import { renderLint } from '../config/lint.js'
import { loadResourceFile } from '../config/resources.js'
import type { Host } from './host.js'
import type { ResourceKind } from './resource-host.js'

export interface WatcherOptions {
  host: Host
  /** Stream path arguments as given on the command line. */
  args: string[]
  resourceFiles: string[]
  env: (name: string) => string | undefined
  registry: SpecLookup
  chilled: boolean
  logger: Logger
  /** Quiet period after the last event before a rescan (ms). */
  debounceMs?: number
  /** Stream files as start-up loaded them (id → file and content hash). */
  loaded: ReadonlyMap<string, { file: string; hash: string }>
}

export interface Watcher {
  close(): Promise<void>
  /** Resolves after the next rescan completes (tests and benchmarks wait on it). */
  settled(): Promise<void>
}

interface Applied {
  file: string
  /** Hash of the content that is running now. */
  hash: string
  /** Hash of the last content that failed, so a broken file is not retried until it changes. */
  failedHash: string | undefined
}

const DEFAULT_DEBOUNCE_MS = 75
const RESOURCE_ORDER: readonly ResourceKind[] = ['rate_limit', 'cache', 'processor', 'input', 'output']
const RESOURCE_FIELDS: Record<ResourceKind, string> = {
  cache: 'cache_resources',
  rate_limit: 'rate_limit_resources',
  processor: 'processor_resources',
  input: 'input_resources',
  output: 'output_resources',
}

export async function startWatcher(opts: WatcherOptions): Promise<Watcher> {
  const { host, logger } = opts
  const applied = new Map<string, Applied>()
  const resourceHashes = new Map<string, string>()
  const resourceLabels = new Map<string, Map<string, ResourceKind>>()

  // What start-up loaded counts as applied; edits made since then (before the watcher existed)
  // are caught by the rescan scheduled once the watcher is ready.
  for (const [id, { file, hash }] of opts.loaded) {
    const rec = host.record(id)
    if (rec) applied.set(id, { file, hash, failedHash: rec.lastError && !rec.worker ? hash : undefined })
  }
  for (const f of opts.resourceFiles) {
    const h = hashFile(f)
    if (h) resourceHashes.set(f, h)
    const r = loadResourceFile(f, { env: opts.env, lookup: opts.registry })
    if (r.ok) resourceLabels.set(f, labelsOf(r.config))
  }

  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let again = false
  let waiters: (() => void)[] = []

  const schedule = (): void => {
    clearTimeout(timer)
    timer = setTimeout(kick, opts.debounceMs ?? DEFAULT_DEBOUNCE_MS)
  }
  const kick = (): void => {
    if (running) {
      again = true
      return
    }
    running = rescan()
      .catch((err: unknown) => logger.error('watcher rescan failed', { error: err instanceof Error ? err.message : String(err) }))
      .finally(() => {
        running = undefined
        if (again) {
          again = false
          kick()
          return
        }
        const w = waiters
        waiters = []
        for (const f of w) f()
      })
  }

  async function rescan(): Promise<void> {
    await applyResources()
    const { entries, errors } = expandStreamPaths(opts.args)
    for (const e of errors) logger.error(`watcher: ${renderErrorLine(e)}`)
    const wanted = new Map(entries.map((e) => [e.id, e.file]))
    const jobs: Promise<void>[] = []
    for (const [id, a] of applied) {
      if (!wanted.has(id)) {
        applied.delete(id)
        logger.info(`Stream ${id} config deleted`, { stream: id, path: a.file })
        jobs.push(host.delete(id).then(() => undefined))
      }
    }
    for (const [id, file] of wanted) jobs.push(applyStream(id, file))
    await Promise.all(jobs)
  }

  async function applyStream(id: string, file: string): Promise<void> {
    const hash = hashFile(file)
    if (!hash) return // vanished between listing and reading: the next event rescans
    const prev = applied.get(id)
    if (prev && prev.file === file && prev.hash === hash) {
      if (prev.failedHash) {
        // Reverted to the running content: nothing to build, the error no longer applies.
        prev.failedHash = undefined
        host.clearError(id)
      }
      return
    }
    if (prev?.failedHash === hash) return
    const r = readStreamFile(file, id, { env: opts.env, lookup: opts.registry, chilled: opts.chilled })
    let failure: ErrorData | undefined
    if (!r.ok) failure = r.error
    else if (r.findings.length && !opts.chilled) {
      const f = r.findings[0]!
      for (const x of r.findings) logger.error(`${file}${renderLint(x)}`, { stream: id })
      failure = weirError('CONFIG_LINT', f.message, { stream: id, file, path: f.path, line: f.line, col: f.col, hint: f.hint }).data
    }
    if (failure || !r.ok) {
      const err = failure!
      logger.error(`reload of stream ${id} rejected, the running version stays: ${renderErrorLine(err)}`, { stream: id })
      host.recordFailure(id, { config: r.ok ? r.config : {}, source: file }, [err])
      applied.set(id, { file, hash: prev?.hash ?? '', failedHash: hash })
      return
    }
    const spec = { config: r.config, text: r.text, source: file }
    const started = Date.now()
    const out = host.has(id) && host.record(id)!.worker ? await host.update(id, spec) : await createOrReplaceFailed(id, spec)
    if (out.ok) {
      logger.info(`stream ${id} ${prev ? 'reloaded' : 'created'} from ${file} in ${Date.now() - started}ms`, { stream: id })
      applied.set(id, { file, hash, failedHash: undefined })
    } else {
      logger.error(`reload of stream ${id} failed, the running version stays: ${out.errors.map(renderErrorLine).join('; ')}`, { stream: id })
      applied.set(id, { file, hash: prev?.hash ?? '', failedHash: hash })
    }
  }

  async function createOrReplaceFailed(id: string, spec: { config: Record<string, unknown>; text: string; source: string }): Promise<{ ok: boolean; errors: ErrorData[] }> {
    if (host.has(id)) await host.delete(id, 1000)
    const out = await host.create(id, spec)
    if (!out.ok) host.recordFailure(id, spec, out.errors)
    return out.ok ? { ok: true, errors: [] } : { ok: false, errors: out.errors }
  }

  async function applyResources(): Promise<void> {
    for (const f of opts.resourceFiles) {
      const hash = hashFile(f)
      if (!hash || resourceHashes.get(f) === hash) continue
      resourceHashes.set(f, hash)
      const r = loadResourceFile(f, { env: opts.env, lookup: opts.registry })
      if (!r.ok) {
        logger.error(`resource file rejected: ${renderErrorLine(r.error)}`)
        continue
      }
      if (r.findings.length && !opts.chilled) {
        logger.error(`resource file rejected: ${r.findings.map((x) => `${f}${renderLint(x)}`).join('; ')}`)
        continue
      }
      const before = resourceLabels.get(f) ?? new Map<string, ResourceKind>()
      const now = labelsOf(r.config)
      for (const kind of RESOURCE_ORDER) {
        for (const item of listOf(r.config, kind)) {
          const { label, ...conf } = item
          const res = await host.resources.replace(kind, String(label), conf)
          if (!res.ok) logger.error(`resource '${String(label)}' not replaced: ${res.error.message}`)
          else logger.info(`resource '${String(label)}' updated from ${f}`)
        }
      }
      for (const [label] of before) if (!now.has(label)) host.resources.remove(label)
      resourceLabels.set(f, now)
    }
  }

  const roots = [...new Set([...opts.args.map(watchRoot), ...opts.resourceFiles.map(watchRoot)])]
  const fsw: FSWatcher = watch(roots, {
    ignoreInitial: true,
    followSymlinks: true,
    // Editors' swap and backup files are noise; Kubernetes' `..data` swap still reaches the rescan
    // through the top-level symlinks' parent directory events.
    ignored: (p: string) => /(^|[/\\])(\.#|#|~$)|\.swp$|\.swx$|~$/.test(p),
  })
  fsw.on('all', schedule)
  await new Promise<void>((r) => fsw.once('ready', () => r()))
  schedule()

  return {
    close: async () => {
      clearTimeout(timer)
      await fsw.close()
      await running
    },
    settled: () =>
      new Promise<void>((r) => {
        if (!running && !timer) return r()
        waiters.push(r)
      }),
  }
}

export function hashFile(file: string): string | undefined {
  try {
    return createHash('sha1').update(readFileSync(file)).digest('hex')
  } catch {
    return undefined
  }
}

/** The directory (or file) to hand chokidar for one path argument: the non-glob prefix of a glob. */
function watchRoot(arg: string): string {
  const glob = arg.search(/[*?[]/)
  if (glob === -1) {
    try {
      // A file is watched through its directory: rename-saves replace the file's inode.
      return statSync(arg).isDirectory() ? resolve(arg) : resolve(dirname(arg))
    } catch {
      return resolve(dirname(arg))
    }
  }
  const prefix = arg.slice(0, glob)
  const cut = prefix.lastIndexOf('/')
  return resolve(cut === -1 ? '.' : prefix.slice(0, cut) || '/')
}

function listOf(config: Record<string, unknown>, kind: ResourceKind): Record<string, unknown>[] {
  const v = config[RESOURCE_FIELDS[kind]]
  return Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Record<string, unknown>[]) : []
}

function labelsOf(config: Record<string, unknown>): Map<string, ResourceKind> {
  const out = new Map<string, ResourceKind>()
  for (const kind of RESOURCE_ORDER) for (const item of listOf(config, kind)) out.set(String(item.label), kind)
  return out
}
