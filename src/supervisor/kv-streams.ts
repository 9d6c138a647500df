/**
 * `--config-kv`: keeps the running streams in step with a NATS KV bucket, the way `-w` keeps them
 * in step with files. Bucket changes land in a snapshot (key → latest value); one debounced pass
 * diffs the snapshot against what was last applied, by content hash, and hands the plan to the
 * supervisor's one apply path. Diffing snapshots (not reacting per entry) makes a burst of writes,
 * a re-put of the same bytes or a watch resumed after an outage end in at most one reload per
 * changed stream and never a duplicate. Every host runs this against the same bucket, so every
 * host converges on the same set of streams.
 */
import { createHash } from 'node:crypto'
import type { Logger, SpecLookup } from '../spec/index.js'
import { weirError, type ErrorData } from '../errors.js'
import { loadStreamBytes } from '../config/stream-loader.js'
import { checkName } from '../config/names.js'
import type { Host } from './host.js'
import { applyPlan, type WantedStream } from './apply.js'
import { diffStreams } from './stream-diff.js'
import { checkKvKey, type BucketEntry, type ConfigBucket } from './config-bucket.js'

export interface KvStreamsOptions {
  host: Host
  bucket: ConfigBucket
  env: (name: string) => string | undefined
  registry: SpecLookup
  chilled: boolean
  logger: Logger
  debounceMs?: number
  /** Whether the state directory remembers stream `id` from `source` as paused. */
  paused?: (id: string, source: string) => boolean
}

/** What this host made of a key's revision: applied, refused (errors), or the stream removed. */
export type KvApplied = { ok: true } | { ok: false; errors: ErrorData[] }

interface Applied {
  /** Hash of the value running now ('' when none ever ran). */
  hash: string
  /** Hash of the last value that failed: not retried until the value changes. */
  failedHash: string | undefined
}

interface Waiter {
  id: string
  revision: number
  resolve: (r: KvApplied) => void
}

const DEFAULT_DEBOUNCE_MS = 50

export class KvStreams {
  readonly bucket: ConfigBucket
  readonly #o: KvStreamsOptions
  /** Key → its latest value and revision (deleted keys are dropped). */
  readonly #latest = new Map<string, { revision: number; value: Uint8Array; hash: string }>()
  readonly #applied = new Map<string, Applied>()
  /** Key → the last revision a pass handled, and what came of it. */
  readonly #done = new Map<string, { revision: number; result: KvApplied }>()
  /** Key → revision of the newest entry seen, deletes included. */
  readonly #seen = new Map<string, number>()
  #waiters: Waiter[] = []
  #timer: NodeJS.Timeout | undefined
  #running: Promise<void> | undefined
  #again = false
  #closed = false

  constructor(o: KvStreamsOptions) {
    this.#o = o
    this.bucket = o.bucket
  }

  /** Starts the watch; resolves once the streams the bucket held at start-up have been applied. */
  async start(): Promise<void> {
    let ready!: () => void
    const snapshot = new Promise<void>((r) => (ready = r))
    await this.bucket.watch(
      (e) => this.#onEntry(e),
      () => ready(),
    )
    await snapshot
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#running = this.#pass().catch((err: unknown) => this.#o.logger.error(`config bucket pass failed: ${err instanceof Error ? err.message : String(err)}`))
    await this.#running
    this.#running = undefined
    if (this.#again) {
      this.#again = false
      this.#kick()
    }
  }

  /** Whether the bucket holds a config for `id`, as last seen. */
  has(id: string): boolean {
    return this.#latest.has(id)
  }

  /** The source name streams from `id` carry (errors, `GET /streams/{id}`). */
  sourceOf(id: string): string {
    return `${this.bucket.address.display}#${id}`
  }

  /** Resolves when this host has handled revision `revision` (or a later one) of key `id`. */
  waitApplied(id: string, revision: number, timeoutMs: number): Promise<KvApplied | 'timeout'> {
    const done = this.#done.get(id)
    if (done && done.revision >= revision) return Promise.resolve(done.result)
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter)
        resolve('timeout')
      }, timeoutMs)
      const waiter: Waiter = {
        id,
        revision,
        resolve: (r) => {
          clearTimeout(timer)
          resolve(r)
        },
      }
      this.#waiters.push(waiter)
    })
  }

  /** Keys holding a stream config, as last seen on the bucket. */
  keys(): string[] {
    return [...this.#latest.keys()].sort()
  }

  async close(): Promise<void> {
    this.#closed = true
    clearTimeout(this.#timer)
    await this.bucket.close()
    await this.#running
    for (const w of this.#waiters) w.resolve({ ok: false, errors: [weirError('CONFIG_KV', 'host is shutting down').data] })
    this.#waiters = []
  }

  #onEntry(e: BucketEntry): void {
    this.#seen.set(e.key, e.revision)
    if (e.op === 'PUT') this.#latest.set(e.key, { revision: e.revision, value: e.value, hash: createHash('sha1').update(e.value).digest('hex') })
    else this.#latest.delete(e.key)
    this.#schedule()
  }

  #schedule(): void {
    if (this.#closed) return
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => this.#kick(), this.#o.debounceMs ?? DEFAULT_DEBOUNCE_MS)
  }

  #kick(): void {
    this.#timer = undefined
    if (this.#running) {
      this.#again = true
      return
    }
    this.#running = this.#pass()
      .catch((err: unknown) => this.#o.logger.error(`config bucket pass failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        this.#running = undefined
        if (this.#again) {
          this.#again = false
          this.#kick()
        }
      })
  }

  async #pass(): Promise<void> {
    const { host, logger } = this.#o
    // Revisions this pass covers: entries arriving while it runs are left to the next pass.
    const seen = new Map(this.#seen)
    const latest = new Map(this.#latest)
    const tried = new Map<string, string>()
    for (const [id, a] of this.#applied) tried.set(id, a.failedHash ?? a.hash)
    const wanted = new Map<string, string>()
    const results = new Map<string, KvApplied>()
    for (const [id, v] of latest) {
      const bad = checkName('stream id', id) ?? checkKvKey(id)
      if (bad) {
        if (this.#done.get(id)?.revision !== v.revision) logger.error(`config bucket ${this.bucket.address.display}: key '${id}' ignored: ${bad}`)
        results.set(id, { ok: false, errors: [weirError('CONFIG_ID', bad).data] })
        continue
      }
      wanted.set(id, v.hash)
    }
    const plan = diffStreams(tried, wanted, (a, b) => a === b)
    plan.change = plan.change.filter((id) => {
      const a = this.#applied.get(id)!
      if (!a.failedHash || a.hash !== latest.get(id)!.hash) return true
      // Back to the running value: nothing to build, the error no longer applies.
      a.failedHash = undefined
      host.clearError(id)
      return false
    })
    for (const id of plan.remove) {
      logger.info(`Stream ${id} config deleted from ${this.bucket.address.display}`, { stream: id })
      this.#applied.delete(id)
    }
    const load = new Map<string, WantedStream>()
    for (const id of [...plan.add, ...plan.change]) {
      const source = this.sourceOf(id)
      const w = loadStreamBytes(latest.get(id)!.value, source, id, { env: this.#o.env, lookup: this.#o.registry, chilled: this.#o.chilled })
      // Bloblang imports resolve against the working directory: the value has no directory.
      const spec = { ...w.spec, configDir: '', ...(this.#o.paused?.(id, source) && !host.has(id) ? { paused: true } : {}) }
      load.set(id, w.ok ? { ok: true, spec, warnings: w.warnings } : { ok: false, spec, errors: w.errors })
    }
    for (const r of await applyPlan(host, plan, load, { recordFailures: true })) {
      if (r.action === 'remove') continue
      const { hash } = latest.get(r.id)!
      const prev = this.#applied.get(r.id)
      if (r.ok) {
        logger.info(`stream ${r.id} ${prev ? 'reloaded' : 'created'} from ${this.bucket.address.display} in ${r.ms}ms`, { stream: r.id })
        this.#applied.set(r.id, { hash, failedHash: undefined })
      } else {
        this.#applied.set(r.id, { hash: prev?.hash ?? '', failedHash: hash })
        results.set(r.id, { ok: false, errors: r.errors })
      }
    }
    // Unchanged ids report what runs now: a re-put of the same bytes after a failure still fails.
    for (const [id, a] of this.#applied) {
      if (!results.has(id) && a.failedHash !== undefined) results.set(id, { ok: false, errors: lastErrors(host, id) })
    }
    for (const [id, revision] of seen) this.#done.set(id, { revision, result: results.get(id) ?? { ok: true } })
    this.#release()
  }

  #release(): void {
    const keep: Waiter[] = []
    for (const w of this.#waiters) {
      const d = this.#done.get(w.id)
      if (d && d.revision >= w.revision) w.resolve(d.result)
      else keep.push(w)
    }
    this.#waiters = keep
  }
}

function lastErrors(host: Host, id: string): ErrorData[] {
  const e = host.info(id)?.lastError
  if (!e) return [weirError('STREAM_BUILD', 'the stream config in the bucket failed', { stream: id }).data]
  return [{ code: e.code as ErrorData['code'], message: e.message, stream: id, ...(e.path ? { path: e.path } : {}), ...(e.line !== null ? { line: e.line } : {}), ...(e.column !== null ? { col: e.column } : {}) }]
}
