/**
 * The one apply path: start-up, the watcher and bulk `POST /streams` each compute a plan with
 * `diffStreams` and hand it here with what they want running. Removals, creations and updates run
 * in parallel (each id is serialised inside the supervisor); every failure is logged exactly once,
 * here, and returned.
 */
import { renderErrorLine, type ErrorData } from '../errors.js'
import type { Host, StreamSpec } from './host.js'
import type { StreamPlan } from './stream-diff.js'

/** A wanted stream as its loader left it: a spec to run, or located errors (and what could be read). */
export type WantedStream = { ok: true; spec: StreamSpec; warnings?: ErrorData[] } | { ok: false; spec: StreamSpec; errors: ErrorData[] }

export interface ApplyOptions {
  /**
   * Streams whose source outlives a failure (a file, the state directory): a failure is recorded
   * as a `failed` stream listed with its error, and a stream no worker serves is started over from
   * the new version. Without it (API requests) the caller gets the errors, nothing is recorded,
   * and an existing stream is updated in place.
   */
  recordFailures: boolean
  /** Stop deadline for removals and replaced workers (default: the host's). */
  stopTimeoutMs?: number
}

export interface Applied {
  id: string
  action: 'add' | 'change' | 'remove'
  ok: boolean
  errors: ErrorData[]
  /** The change failed and the previous version keeps serving. */
  kept: boolean
  /** Wall-clock time this id took. */
  ms: number
}

/** Apply `plan`; `wanted` holds an entry for every id in `plan.add` and `plan.change`. */
export async function applyPlan(host: Host, plan: StreamPlan, wanted: ReadonlyMap<string, WantedStream>, opts: ApplyOptions): Promise<Applied[]> {
  const jobs: Promise<Applied>[] = []
  for (const id of plan.remove) jobs.push(settle(host, id, 'remove', () => remove(host, id, opts)))
  for (const id of plan.add) jobs.push(settle(host, id, 'add', () => add(host, id, wanted.get(id)!, opts)))
  for (const id of plan.change) jobs.push(settle(host, id, 'change', () => change(host, id, wanted.get(id)!, opts)))
  return Promise.all(jobs)
}

type Result = { ok: true } | { ok: false; errors: ErrorData[]; kept: boolean }

async function remove(host: Host, id: string, opts: ApplyOptions): Promise<Result> {
  const r = await host.delete(id, opts.stopTimeoutMs)
  return r.ok ? r : { ok: false, errors: r.errors, kept: false }
}

async function add(host: Host, id: string, w: WantedStream, opts: ApplyOptions): Promise<Result> {
  // Created since the plan was made (an API call racing a rescan, a file taking over an API id).
  if (host.has(id)) return change(host, id, w, opts)
  warn(host, id, w)
  if (!w.ok) return refuse(host, id, w.spec, w.errors, opts)
  const out = await host.create(id, w.spec)
  return out.ok ? out : refuse(host, id, w.spec, out.errors, opts)
}

async function change(host: Host, id: string, w: WantedStream, opts: ApplyOptions): Promise<Result> {
  warn(host, id, w)
  const kept = host.serving(id)
  if (!w.ok) return { ...refuse(host, id, w.spec, w.errors, opts), kept }
  if (kept || !opts.recordFailures) {
    const out = await host.update(id, w.spec, opts.stopTimeoutMs)
    return out.ok ? out : { ok: false, errors: out.errors, kept: host.serving(id) }
  }
  // Nothing serves it (it failed, or waits for a restart): the new file starts it over.
  if (host.has(id)) await host.delete(id, 1000)
  const out = await host.create(id, w.spec)
  return out.ok ? out : refuse(host, id, w.spec, out.errors, opts)
}

function refuse(host: Host, id: string, spec: StreamSpec, errors: ErrorData[], opts: ApplyOptions): Result & { ok: false } {
  if (opts.recordFailures) host.recordFailure(id, spec, errors)
  return { ok: false, errors, kept: false }
}

/** Lint findings tolerated by `--chilled` are still shown. */
function warn(host: Host, id: string, w: WantedStream): void {
  if (w.ok) for (const e of w.warnings ?? []) host.logger.warn(renderErrorLine(e), { stream: id })
}

/** Runs one id's job, times it, and logs its failure (the only place apply failures are logged). */
async function settle(host: Host, id: string, action: Applied['action'], run: () => Promise<Result>): Promise<Applied> {
  const started = Date.now()
  const r = await run()
  const ms = Date.now() - started
  if (r.ok) return { id, action, ok: true, errors: [], kept: false, ms }
  const out: Applied = { id, action, ok: false, errors: r.errors, kept: r.kept, ms }
  host.logger.error(failureLine(out), { stream: id })
  return out
}

/** The one log line for a stream that could not be applied (also used by the single-stream API routes). */
export function failureLine(r: Pick<Applied, 'id' | 'action' | 'errors' | 'kept'>): string {
  const why = r.errors.map(renderErrorLine).join('; ')
  if (r.action === 'remove') return `failed to delete stream ${r.id}: ${why}`
  if (r.kept) return `reload of stream ${r.id} failed, the running version stays: ${why}`
  return `failed to ${r.action === 'add' ? 'create' : 'update'} stream ${r.id}: ${why}`
}
