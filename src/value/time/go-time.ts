/**
 * Go `time.Time` arithmetic on the core's Timestamp: `time.Date` normalisation (including the
 * zone-transition adjustment), AddDate, Add, Sub, Round, UnixNano/Milli/Micro and ISOWeek.
 */
import { Timestamp, civilOf, daysFromCivil, type Civil, type Zone } from '../timestamp.js'

const NS_PER_SEC = 1_000_000_000n
const INT64_MIN = -(1n << 63n)
const INT64_MAX = (1n << 63n) - 1n
/** Seconds from Go's zero time (0001-01-01 UTC) to the Unix epoch: Round works from there. */
const ZERO_TO_UNIX_SEC = 62_135_596_800n

/** Floor division that carries `lo` overflow into `hi` (Go's `norm`). */
function norm(hi: number, lo: number, base: number): [number, number] {
  const carry = Math.floor(lo / base)
  return [hi + carry, lo - carry * base]
}

/**
 * Go `time.Date`: out-of-range fields normalise (month 13 is January next year, day 0 is the
 * last day of the previous month), then the wall clock is resolved in `zone`.
 */
export function dateIn(
  year: number,
  month: number,
  day: number,
  hour: number,
  min: number,
  sec: number,
  nsec: number,
  zone: Zone,
): Timestamp {
  let m = month - 1
  ;[year, m] = norm(year, m, 12)
  ;[sec, nsec] = norm(sec, nsec, 1e9)
  ;[min, sec] = norm(min, sec, 60)
  ;[hour, min] = norm(hour, min, 60)
  ;[day, hour] = norm(day, hour, 24)
  const local = daysFromCivil(year, m + 1, 1) * 86400 + (day - 1) * 86400 + hour * 3600 + min * 60 + sec
  // Guess the offset from the wall clock read as UTC, then re-check it at the corrected instant:
  // near a transition the two differ and the second one is right (Go does the same).
  let offset = zone.offsetAt(local)
  if (offset !== 0) {
    const again = zone.offsetAt(local - offset)
    if (again !== offset) offset = again
  }
  return new Timestamp(local - offset, nsec, zone)
}

/** Go `Time.AddDate`. */
export function addDate(t: Timestamp, years: number, months: number, days: number): Timestamp {
  const c = t.civil()
  return dateIn(c.year + years, c.month + months, c.day + days, c.hour, c.minute, c.second, c.nsec, t.zone)
}

/** Go `Time.Add` (nanoseconds). */
export function addNanos(t: Timestamp, ns: bigint): Timestamp {
  return Timestamp.fromNanos(t.epochNanos() + ns, t.zone)
}

/** Go `Time.Sub`: t1 - t2 in nanoseconds, saturating at the int64 range. */
export function subNanos(t1: Timestamp, t2: Timestamp): bigint {
  const d = t1.epochNanos() - t2.epochNanos()
  if (d > INT64_MAX) return INT64_MAX
  if (d < INT64_MIN) return INT64_MIN
  return d
}

/** Go `Time.Round(d)`: nearest multiple of d since the zero time, halves away from zero (up). */
export function roundTime(t: Timestamp, d: bigint): Timestamp {
  if (d <= 0n) return t
  const sinceZero = (BigInt(t.sec) + ZERO_TO_UNIX_SEC) * NS_PER_SEC + BigInt(t.nsec)
  let r = sinceZero % d
  if (r < 0n) r += d
  if (r + r < d) return addNanos(t, -r)
  return addNanos(t, d - r)
}

/** Go `Time.UnixNano` (wraps outside the int64 range, like Go). */
export function unixNano(t: Timestamp): bigint {
  return BigInt.asIntN(64, BigInt(t.sec) * NS_PER_SEC + BigInt(t.nsec))
}

/** Go `Time.UnixMilli`. */
export function unixMilli(t: Timestamp): bigint {
  return BigInt.asIntN(64, BigInt(t.sec) * 1000n + BigInt(Math.floor(t.nsec / 1e6)))
}

/** Go `Time.UnixMicro`. */
export function unixMicro(t: Timestamp): bigint {
  return BigInt.asIntN(64, BigInt(t.sec) * 1_000_000n + BigInt(Math.floor(t.nsec / 1e3)))
}

/** Go `time.Unix(sec, nsec)`: nsec may be outside [0, 1e9) and normalises into seconds. */
export function fromUnix(sec: number, nsec: number, zone: Zone): Timestamp {
  const [s, n] = norm(sec, nsec, 1e9)
  return new Timestamp(s, n, zone)
}

/** ISO 8601 year and week number of a civil date (weeks start on Monday). */
export function isoWeek(c: Civil): [number, number] {
  const mondayBased = (c.weekday + 6) % 7
  // The ISO year is the year of this week's Thursday.
  const days = daysFromCivil(c.year, c.month, c.day) - mondayBased + 3
  const th = civilOf(days * 86400, 0)
  return [th.year, Math.floor((th.yearDay - 1) / 7) + 1]
}
