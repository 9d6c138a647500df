/**
 * Go `time.ParseDuration` and `time.Duration.String()`. Used by Bloblang (`parse_duration`,
 * `ts_round` arguments) and by the host (config fields such as `timeout`, `?timeout=`,
 * `uptime_str`), so both sides accept and print exactly what Redpanda Connect does.
 */
import { goTimeQuote } from './go-quote.js'

const NS = 1n
const US = 1000n
const MS = 1_000_000n
const SEC = 1_000_000_000n
const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', NS],
  ['us', US],
  ['\u00b5s', US], // micro sign
  ['\u03bcs', US], // Greek mu
  ['ms', MS],
  ['s', SEC],
  ['m', 60n * SEC],
  ['h', 3600n * SEC],
])
const MAX_U = 1n << 63n
const INT64_MAX = MAX_U - 1n

export type DurationResult = { ok: true; ns: bigint } | { ok: false; error: string }

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9'
}

/** Go `time.ParseDuration` with its exact error texts; nanoseconds as an exact int64 BigInt. */
export function parseGoDurationExact(orig: string): DurationResult {
  const invalid = (): DurationResult => ({ ok: false, error: `time: invalid duration ${goTimeQuote(orig)}` })
  let s = orig
  let neg = false
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-'
    s = s.slice(1)
  }
  if (s === '0') return { ok: true, ns: 0n }
  if (s === '') return invalid()
  let d = 0n
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) return invalid()
    // Integer part: Go rejects (rather than wraps) anything above 2^63.
    let i = 0
    let v = 0n
    while (i < s.length && isDigit(s[i])) {
      if (v > MAX_U / 10n) return invalid()
      v = v * 10n + BigInt(s.charCodeAt(i) - 48)
      if (v > MAX_U) return invalid()
      i++
    }
    const pre = i > 0
    s = s.slice(i)
    // Fraction part: stops accumulating precision on overflow instead of failing.
    let f = 0n
    let scale = 1
    let post = false
    if (s !== '' && s[0] === '.') {
      s = s.slice(1)
      let j = 0
      let overflow = false
      while (j < s.length && isDigit(s[j])) {
        if (!overflow) {
          if (f > (MAX_U - 1n) / 10n) overflow = true
          else {
            const y = f * 10n + BigInt(s.charCodeAt(j) - 48)
            if (y > MAX_U) overflow = true
            else {
              f = y
              scale *= 10
            }
          }
        }
        j++
      }
      post = j > 0
      s = s.slice(j)
    }
    if (!pre && !post) return invalid()
    let u = 0
    while (u < s.length && !(s[u] === '.' || isDigit(s[u]))) u++
    if (u === 0) return { ok: false, error: `time: missing unit in duration ${goTimeQuote(orig)}` }
    const unitText = s.slice(0, u)
    s = s.slice(u)
    const unit = UNITS.get(unitText)
    if (unit === undefined) {
      return { ok: false, error: `time: unknown unit ${goTimeQuote(unitText)} in duration ${goTimeQuote(orig)}` }
    }
    if (v > MAX_U / unit) return invalid()
    v *= unit
    if (f > 0n) {
      // Go computes this part in float64 to stay nanosecond-accurate for fractions of hours.
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)))
      if (v > MAX_U) return invalid()
    }
    d += v
    if (d > MAX_U) return invalid()
  }
  if (neg) return { ok: true, ns: -d }
  if (d > INT64_MAX) return invalid()
  return { ok: true, ns: d }
}

/**
 * Go duration text to nanoseconds (`"1m30s"` -> 90e9), or undefined when Go would reject it.
 * Values beyond 2^53 ns (about 104 days) lose sub-microsecond precision as a JS number.
 */
export function parseGoDuration(s: string): number | undefined {
  const r = parseGoDurationExact(s)
  return r.ok ? Number(r.ns) : undefined
}

/** Go `time.Duration.String()`: `1h2m3.5s`, `1.5ms`, `0s`. Input is wrapped to int64 like Go. */
export function formatGoDuration(ns: number | bigint): string {
  let d: bigint
  if (typeof ns === 'bigint') d = BigInt.asIntN(64, ns)
  else if (!Number.isFinite(ns)) return ns > 0 ? formatGoDuration(INT64_MAX) : ns < 0 ? formatGoDuration(-MAX_U) : '0s'
  else d = BigInt.asIntN(64, BigInt(Math.trunc(ns)))
  const neg = d < 0n
  let u = neg ? -d : d
  let out: string
  if (u < SEC) {
    if (u === 0n) return '0s'
    let prec: number
    let unit: string
    if (u < US) {
      prec = 0
      unit = 'ns'
    } else if (u < MS) {
      prec = 3
      unit = '\u00b5s'
    } else {
      prec = 6
      unit = 'ms'
    }
    const [frac, rest] = fmtFrac(u, prec)
    out = rest.toString() + frac + unit
  } else {
    const [frac, rest] = fmtFrac(u, 9)
    u = rest
    out = (u % 60n).toString() + frac + 's'
    u /= 60n
    if (u > 0n) {
      out = (u % 60n).toString() + 'm' + out
      u /= 60n
      if (u > 0n) out = u.toString() + 'h' + out
    }
  }
  return neg ? '-' + out : out
}

/** Fraction of v / 10^prec without trailing zeros (and no dot when it is zero), plus the quotient. */
function fmtFrac(v: bigint, prec: number): [string, bigint] {
  let digits = ''
  let printed = false
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n
    printed = printed || digit !== 0n
    if (printed) digits = digit.toString() + digits
    v /= 10n
  }
  return [printed ? '.' + digits : '', v]
}
