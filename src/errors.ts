/**
 * Errors as values: every failure Weir reports carries a stable `code` plus whatever location is
 * known (stream, file, config path, line, column). Only boundaries (API handlers, CLI, worker
 * start-up) turn them into text or status codes.
 */

/** Stable error codes: tests and API clients match on these, never on message text. */
export type ErrorCode =
  | 'CONFIG_YAML'
  | 'CONFIG_LINT'
  | 'CONFIG_UNKNOWN_COMPONENT'
  | 'CONFIG_TYPE'
  | 'CONFIG_REQUIRED'
  | 'CONFIG_ENV_MISSING'
  | 'CONFIG_INVALID'
  | 'CONFIG_ID'
  | 'CONFIG_READ'
  /** A document over Weir's size, nesting or alias bounds (config/limits.ts). */
  | 'CONFIG_LIMIT'
  /** A `-t` template file that cannot be read, parsed or compiled. */
  | 'CONFIG_TEMPLATE'
  | 'BLOBLANG_PARSE'
  | 'BLOBLANG_RUNTIME'
  | 'STREAM_NOT_FOUND'
  | 'STREAM_EXISTS'
  | 'STREAM_BUILD'
  /** A stream lifecycle transition the state table does not allow (a supervisor bug, never a user error). */
  | 'STREAM_STATE'
  /** A question to a stream worker that exited before answering. */
  | 'STREAM_WORKER_EXITED'
  | 'STREAM_CRASHED'
  /** A worker ran out of heap, or was stopped for using the most memory when the host hit its RSS limit. */
  | 'STREAM_MEMORY'
  /** The state directory could not be read or written. */
  | 'STATE_DIR'
  /** The `--config-kv` NATS KV bucket could not be read or written. */
  | 'CONFIG_KV'
  | 'RESOURCE_NOT_FOUND'
  | 'RESOURCE_BUILD'
  /** Binding a listener failed because another socket holds the address (EADDRINUSE). */
  | 'HTTP_ADDRESS_IN_USE'
  | 'INTERNAL'

/** Plain-data error: crosses `postMessage` unchanged and renders anywhere. */
export interface ErrorData {
  code: ErrorCode
  message: string
  stream?: string
  file?: string
  /** Config path such as `pipeline.processors[2].mapping`. */
  path?: string
  line?: number
  col?: number
  hint?: string
}

export class WeirError extends Error {
  readonly data: ErrorData
  constructor(data: ErrorData, options?: { cause?: unknown }) {
    super(data.message, options)
    this.name = 'WeirError'
    this.data = data
  }
  get code(): ErrorCode {
    return this.data.code
  }
  /** A copy with more location filled in (inner layers know less than outer ones). */
  with(extra: Partial<ErrorData>): WeirError {
    return new WeirError({ ...this.data, ...stripUndefined(extra), message: this.data.message }, { cause: this.cause })
  }
}

function stripUndefined(o: Partial<ErrorData>): Partial<ErrorData> {
  const out: Partial<ErrorData> = {}
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v
  return out
}

export function weirError(code: ErrorCode, message: string, extra: Partial<ErrorData> = {}): WeirError {
  return new WeirError({ code, message, ...stripUndefined(extra) })
}

/** Whatever was thrown, as ErrorData (unknown throwables become INTERNAL). */
export function toErrorData(err: unknown, fallback: ErrorCode = 'INTERNAL'): ErrorData {
  if (err instanceof WeirError) return err.data
  if (isErrorData(err)) return err
  if (err instanceof Error) return { code: fallback, message: err.message }
  return { code: fallback, message: String(err) }
}

export function isErrorData(v: unknown): v is ErrorData {
  return typeof v === 'object' && v !== null && typeof (v as ErrorData).code === 'string' && typeof (v as ErrorData).message === 'string'
}

/** `file(line,col) message`, the form `weir lint` and start-up logs print. */
export function renderErrorLine(e: ErrorData): string {
  const loc = e.line !== undefined ? `(${e.line},${e.col ?? 1}) ` : ''
  const where = e.file ?? (e.stream !== undefined ? `stream '${e.stream}'` : '')
  const path = e.path ? ` [${e.path}]` : ''
  return `${where}${where && !loc ? ': ' : ''}${loc}${e.message}${path}${e.hint ? ` (${e.hint})` : ''}`
}
