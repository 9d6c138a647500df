/**
 * What the API changed, kept on disk so a restarted host comes back the same (`--state-dir` or
 * `weir.state_dir`): every API-created stream with its config and paused flag, and the paused flag
 * of file streams (their config stays in their file). One JSON file per stream under
 * `<dir>/streams/`, replaced atomically (temp file, fsync, rename), so a crash mid-write leaves
 * the previous version, never a torn one.
 *
 * Configs are stored as the host runs them, after `${ENV}` interpolation: the directory is created
 * 0700 and files 0600 because they may hold secrets.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { weirError, type ErrorData } from '../errors.js'

export interface PersistedStream {
  id: string
  /** `api`, or the file the stream came from. */
  source: string
  /** The stream config (API streams only). */
  config?: Record<string, unknown>
  paused: boolean
}

/** Where the supervisor records changes (a no-op without a state directory). */
export interface StreamStore {
  save(s: PersistedStream): void
  remove(id: string): void
}

const VERSION = 1
const SUFFIX = '.json'

export class StateStore implements StreamStore {
  readonly dir: string
  readonly #streams: string
  readonly #onError: (e: ErrorData) => void

  private constructor(dir: string, onError: (e: ErrorData) => void) {
    this.dir = dir
    this.#streams = join(dir, 'streams')
    this.#onError = onError
  }

  /** Opens (creating) the directory; a directory that cannot be created or written is an error. */
  static open(dir: string, onError: (e: ErrorData) => void): StateStore | ErrorData {
    const store = new StateStore(dir, onError)
    try {
      mkdirSync(store.#streams, { recursive: true, mode: 0o700 })
      const probe = join(store.#streams, `.probe-${process.pid}`)
      store.#write(probe, '')
      rmSync(probe, { force: true })
    } catch (err) {
      return weirError('STATE_DIR', `state directory ${dir} is not usable: ${err instanceof Error ? err.message : String(err)}`, { file: dir }).data
    }
    return store
  }

  /** Every readable entry; unreadable files are reported and skipped, never fatal. */
  load(): { streams: PersistedStream[]; errors: ErrorData[] } {
    const streams: PersistedStream[] = []
    const errors: ErrorData[] = []
    for (const name of readdirSync(this.#streams).sort()) {
      if (!name.endsWith(SUFFIX)) continue
      const file = join(this.#streams, name)
      try {
        const v: unknown = JSON.parse(readFileSync(file, 'utf8'))
        const s = parseEntry(v)
        if (!s || fileName(s.id) !== name) throw new Error('not a stream state entry')
        streams.push(s)
      } catch (err) {
        errors.push(weirError('STATE_DIR', `skipping ${file}: ${err instanceof Error ? err.message : String(err)}`, { file }).data)
      }
    }
    return { streams, errors }
  }

  save(s: PersistedStream): void {
    const entry = { version: VERSION, id: s.id, source: s.source, paused: s.paused, ...(s.config ? { config: s.config } : {}) }
    const file = join(this.#streams, fileName(s.id))
    try {
      const tmp = `${file}.${process.pid}.tmp`
      this.#write(tmp, `${JSON.stringify(entry, null, 2)}\n`)
      renameSync(tmp, file)
    } catch (err) {
      this.#onError(weirError('STATE_DIR', `failed to save the state of stream ${s.id}: ${err instanceof Error ? err.message : String(err)}`, { stream: s.id, file }).data)
    }
  }

  remove(id: string): void {
    try {
      rmSync(join(this.#streams, fileName(id)), { force: true })
    } catch (err) {
      this.#onError(weirError('STATE_DIR', `failed to remove the state of stream ${id}: ${err instanceof Error ? err.message : String(err)}`, { stream: id }).data)
    }
  }

  #write(file: string, text: string): void {
    const fd = openSync(file, 'w', 0o600)
    try {
      writeSync(fd, text)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  }
}

/** Ids may hold any character but `/` and `\`; encoding keeps names portable and reversible. */
function fileName(id: string): string {
  return `${encodeURIComponent(id)}${SUFFIX}`
}

function parseEntry(v: unknown): PersistedStream | undefined {
  if (typeof v !== 'object' || v === null) return undefined
  const o = v as Record<string, unknown>
  if (o.version !== VERSION || typeof o.id !== 'string' || typeof o.source !== 'string' || typeof o.paused !== 'boolean') return undefined
  if (o.config !== undefined && (typeof o.config !== 'object' || o.config === null || Array.isArray(o.config))) return undefined
  if (o.source === 'api' && o.config === undefined) return undefined
  return { id: o.id, source: o.source, paused: o.paused, ...(o.config ? { config: o.config as Record<string, unknown> } : {}) }
}
