/**
 * `--config-kv` write-through: with a config bucket, the stream routes write the bucket instead of
 * the local supervisor, then answer once this host's bucket watch has applied the write (every
 * other host applies it from its own watch). Answers: 200 once applied here; 400 for an id the
 * bucket cannot hold or a create of an existing key; 502 with the located errors when the value
 * is stored but this host could not build it (it is listed `failed`, as a bad stream file is);
 * 503 when the bucket cannot be written, or the write is not applied here within the deadline.
 */
import type { Context } from 'hono'
import type { ErrorData } from '../errors.js'
import { emptyOk, textError } from './http-errors.js'

type Write = { ok: true; revision: number } | { ok: false; exists: boolean; error: ErrorData }

/** What the routes need from the bucket watch (`supervisor/kv-streams.ts` provides it). */
export interface StreamBucket {
  /** `nats://host:port/bucket`, for messages. */
  readonly display: string
  /** Why `id` cannot be a key of the bucket, or undefined. */
  checkId(id: string): string | undefined
  /** Whether the bucket holds a config for `id` (as this host's watch last saw it). */
  has(id: string): boolean
  keys(): string[]
  create(id: string, text: string): Promise<Write>
  put(id: string, text: string): Promise<Write>
  delete(id: string): Promise<Write>
  waitApplied(id: string, revision: number, timeoutMs: number): Promise<{ ok: true } | { ok: false; errors: ErrorData[] } | 'timeout'>
}

/** How long a request waits for this host to apply its own write (a stream start can be slow). */
export const APPLY_DEADLINE_MS = 60_000

export type Applied = { ok: true } | { ok: false; status: 400 | 404 | 502 | 503; message: string }

/** Writes one key (`create`, `put` or `delete`) and waits until this host has applied it. */
export async function writeThrough(bucket: StreamBucket, op: 'create' | 'put' | 'delete', id: string, text = '', render: (errors: ErrorData[]) => string): Promise<Applied> {
  const w = op === 'delete' ? await bucket.delete(id) : await bucket[op](id, text)
  if (!w.ok) {
    if (op === 'create' && w.exists) return { ok: false, status: 400, message: 'Stream already exists' }
    if (op === 'delete' && !w.exists) return { ok: false, status: 404, message: 'Stream not found' }
    return { ok: false, status: 503, message: `Error: ${w.error.message}` }
  }
  const r = await bucket.waitApplied(id, w.revision, APPLY_DEADLINE_MS)
  if (r === 'timeout') {
    return { ok: false, status: 503, message: `Error: stored in ${bucket.display} at revision ${w.revision}, but this host has not applied it within ${APPLY_DEADLINE_MS / 1000}s` }
  }
  if (!r.ok) return { ok: false, status: 502, message: `Error: stored in ${bucket.display} at revision ${w.revision}, but it failed here: ${render(r.errors)}` }
  return { ok: true }
}

export function answer(c: Context, a: Applied): Response {
  return a.ok ? emptyOk(c) : textError(c, a.status, a.message)
}
