/**
 * `--max-body-size`, `--max-header-size`, `--header-timeout`, `--request-timeout`: the shared
 * server's limits from the command line. A value that does not parse stops start-up (a typo must
 * not silently leave a limit at its default).
 */
import { parseDuration } from '../config/duration.js'
import { DEFAULT_LIMITS, type ServerLimits } from '../http/index.js'

export interface LimitFlags {
  maxBodySize?: string
  maxHeaderSize?: string
  headerTimeout?: string
  requestTimeout?: string
}

export function serverLimits(flags: LimitFlags): { ok: true; limits: ServerLimits } | { ok: false; message: string } {
  const limits: ServerLimits = { ...DEFAULT_LIMITS }
  const bytes = (flag: string, v: string | undefined, set: (n: number) => void): string | undefined => {
    if (v === undefined) return undefined
    const n = parseBytes(v)
    if (n === undefined) return `--${flag} '${v}': expected a positive number of bytes (e.g. 1048576, 512KiB, 64MiB)`
    set(n)
    return undefined
  }
  const duration = (flag: string, v: string | undefined, set: (ms: number) => void): string | undefined => {
    if (v === undefined) return undefined
    const ms = parseDuration(v)
    if (ms === undefined || ms < 0) return `--${flag} '${v}': expected a duration such as 30s or 5m (0 turns the timeout off)`
    set(Math.ceil(ms))
    return undefined
  }
  const problem =
    bytes('max-body-size', flags.maxBodySize, (n) => (limits.maxBodyBytes = n)) ??
    bytes('max-header-size', flags.maxHeaderSize, (n) => (limits.maxHeaderBytes = n)) ??
    duration('header-timeout', flags.headerTimeout, (ms) => (limits.headersTimeoutMs = ms)) ??
    duration('request-timeout', flags.requestTimeout, (ms) => (limits.requestTimeoutMs = ms))
  if (problem) return { ok: false, message: problem }
  // Node refuses a head timeout longer than the whole-request one (both on).
  if (limits.requestTimeoutMs > 0 && (limits.headersTimeoutMs === 0 || limits.headersTimeoutMs > limits.requestTimeoutMs)) {
    limits.headersTimeoutMs = limits.requestTimeoutMs
  }
  return { ok: true, limits }
}

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 }

export function parseBytes(v: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(v)
  if (!m) return undefined
  const unit = UNITS[m[2]!.toLowerCase()]
  if (unit === undefined) return undefined
  const n = Math.floor(Number(m[1]) * unit)
  return n > 0 && Number.isSafeInteger(n) ? n : undefined
}
