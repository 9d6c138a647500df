/**
 * `-w`: keeps running streams in step with their files. Every filesystem event (chokidar) schedules
 * one debounced rescan of all path arguments; the rescan diffs what the files say now against what
 * was last applied, by content hash, and hands the plan to the supervisor's one apply path.
 * Diffing whole snapshots instead of reacting per event is what makes rename-saves, `git
 * checkout`, Kubernetes `..data` symlink swaps and 1000 files at once each end in exactly one
 * reload per changed stream and never a duplicate.
 */
import { createHash } from 'node:crypto'
import { statSync } from 'node:fs'
import { readConfigBytes } from '../config/read-file.js'
import { dirname, resolve } from 'node:path'
import { watch, type FSWatcher } from 'chokidar'
import type { SpecLookup } from '../spec/index.js'
import type { Logger } from '../spec/index.js'
import { renderErrorLine } from '../errors.js'
import { expandStreamPaths } from '../config/paths.js'
import { loadStreamFile } from '../config/stream-loader.js'
import { renderLint } from '../config/lint.js'
import { loadResourceFile } from '../config/resources.js'
import { resourceItems, type ResourceKind } from '../config/resource-kinds.js'
import type { Host } from './host.js'
import { applyPlan, type WantedStream } from './apply.js'
import { diffStreams } from './stream-diff.js'

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
  /** Stream files as start-up applied them (id → file, content hash, whether it failed). */
  loaded: ReadonlyMap<string, LoadedFile>
}

export interface LoadedFile {
  file: string
  hash: string
  failed: boolean
}

export interface Watcher {
  close(): Promise<void>
  /** Resolves after the next rescan completes (tests and benchmarks wait on it). */
  settled(): Promise<void>
}

interface Applied {
  file: string
  /** Hash of the content that is running now ('' when none ever ran). */
  hash: string
  /** Hash of the last content that failed, so a broken file is not retried until it changes. */
  failedHash: string | undefined
}

const DEFAULT_DEBOUNCE_MS = 75

/** The version of a file the diff compares: its path and the hash of its bytes. */
const versionOf = (file: string, hash: string): string => `${file}\0${hash}`

export async function startWatcher(opts: WatcherOptions): Promise<Watcher> {
  const { host, logger } = opts
  const applied = new Map<string, Applied>()
  const resourceHashes = new Map<string, string>()
  const resourceLabels = new Map<string, Map<string, ResourceKind>>()

  // What start-up loaded counts as applied; edits made since then (before the watcher existed)
  // are caught by the rescan scheduled once the watcher is ready.
  for (const [id, { file, hash, failed }] of opts.loaded) applied.set(id, { file, hash: failed ? '' : hash, failedHash: failed ? hash : undefined })
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
    // What was last tried per id (a failed version counts: it is not retried until it changes).
    const tried = new Map<string, string>()
    for (const [id, a] of applied) tried.set(id, versionOf(a.file, a.failedHash ?? a.hash))
    const found = new Map<string, { file: string; hash: string }>()
    const wanted = new Map<string, string>()
    for (const { id, file } of entries) {
      const hash = hashFile(file)
      if (hash) {
        found.set(id, { file, hash })
        wanted.set(id, versionOf(file, hash))
      } else if (tried.has(id)) {
        // Vanished between listing and reading: leave it as it is, the next event rescans.
        wanted.set(id, tried.get(id)!)
      }
    }
    const plan = diffStreams(tried, wanted, (a, b) => a === b)
    plan.change = plan.change.filter((id) => {
      const a = applied.get(id)!
      const now = found.get(id)!
      if (!a.failedHash || versionOf(a.file, a.hash) !== versionOf(now.file, now.hash)) return true
      // Reverted to the running content: nothing to build, the error no longer applies.
      a.failedHash = undefined
      host.clearError(id)
      return false
    })
    for (const id of plan.remove) {
      logger.info(`Stream ${id} config deleted`, { stream: id, path: applied.get(id)!.file })
      applied.delete(id)
    }
    const load = new Map<string, WantedStream>()
    for (const id of [...plan.add, ...plan.change]) {
      const { file } = found.get(id)!
      load.set(id, loadStreamFile(file, id, { env: opts.env, lookup: opts.registry, chilled: opts.chilled }))
    }
    for (const r of await applyPlan(host, plan, load, { recordFailures: true })) {
      if (r.action === 'remove') continue
      const { file, hash } = found.get(r.id)!
      const prev = applied.get(r.id)
      if (r.ok) {
        logger.info(`stream ${r.id} ${prev ? 'reloaded' : 'created'} from ${file} in ${r.ms}ms`, { stream: r.id })
        applied.set(r.id, { file, hash, failedHash: undefined })
      } else {
        applied.set(r.id, { file, hash: prev?.hash ?? '', failedHash: hash })
      }
    }
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
      for (const { kind, label, conf } of resourceItems(r.config)) {
        const res = await host.resources.replace(kind, label, conf)
        if (!res.ok) logger.error(`resource '${label}' not replaced: ${res.error.message}`)
        else logger.info(`resource '${label}' updated from ${f}`)
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
  // Read as configs are (non-blocking, regular files only, size-bounded): a FIFO must not hang start-up.
  const read = readConfigBytes(file)
  return read.ok ? createHash('sha1').update(read.bytes).digest('hex') : undefined
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

function labelsOf(config: Record<string, unknown>): Map<string, ResourceKind> {
  return new Map(resourceItems(config).map((item) => [item.label, item.kind]))
}
