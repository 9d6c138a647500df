/**
 * Timestamps: an instant with nanosecond precision plus the zone it is shown in (Go `time.Time`).
 * Only what the core needs lives here (RFC 3339 rendering, civil fields, zone lookup); parsing and
 * layout formatting belong to `time/**`, which builds on these types.
 */

/** A time zone: maps an instant to its UTC offset. Implementations must be immutable. */
export interface Zone {
  /** IANA name, `UTC`, `Local`, or the name given to a fixed offset (may be ''). */
  readonly name: string
  /** Offset from UTC in seconds east, at the given instant (epoch seconds). */
  offsetAt(epochSec: number): number
  /** Abbreviation at that instant (`UTC`, `CET`, `+0100`, ...). */
  abbrevAt(epochSec: number): string
}

class FixedZone implements Zone {
  constructor(
    readonly name: string,
    readonly offset: number,
  ) {}
  offsetAt(): number {
    return this.offset
  }
  abbrevAt(): string {
    return this.name !== '' ? this.name : formatOffsetCompact(this.offset)
  }
}

export const UTC: Zone = new FixedZone('UTC', 0)

/** A zone with a constant offset (seconds east). Name '' renders as `+hhmm` like Go. */
export function fixedZone(name: string, offsetSec: number): Zone {
  if (offsetSec === 0 && (name === 'UTC' || name === '')) return name === 'UTC' ? UTC : new FixedZone('', 0)
  return new FixedZone(name, offsetSec)
}

function formatOffsetCompact(off: number): string {
  const sign = off < 0 ? '-' : '+'
  const a = Math.abs(off)
  return `${sign}${pad2(Math.floor(a / 3600))}${pad2(Math.floor((a % 3600) / 60))}`
}

/** Zone backed by the ICU database through Intl (offsets computed per instant, cached per hour). */
class IntlZone implements Zone {
  readonly #fmt: Intl.DateTimeFormat
  readonly #abbr: Intl.DateTimeFormat
  readonly #cache = new Map<number, number>()
  constructor(
    readonly name: string,
    tz: string,
  ) {
    this.#fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    })
    this.#abbr = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'short' })
  }
  offsetAt(epochSec: number): number {
    // Offsets change on whole quarter-hours at most; cache per 15 minutes of UTC.
    const bucket = Math.floor(epochSec / 900)
    const hit = this.#cache.get(bucket)
    if (hit !== undefined) return hit
    const ms = bucket * 900_000
    const parts = this.#fmt.formatToParts(new Date(ms))
    let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, bc = false
    for (const p of parts) {
      switch (p.type) {
        case 'year': y = Number(p.value); break
        case 'month': mo = Number(p.value); break
        case 'day': d = Number(p.value); break
        case 'hour': h = Number(p.value); break
        case 'minute': mi = Number(p.value); break
        case 'second': s = Number(p.value); break
        case 'era': bc = p.value.startsWith('B'); break
      }
    }
    if (bc) y = 1 - y
    const dt = new Date(0)
    dt.setUTCFullYear(y, mo - 1, d)
    dt.setUTCHours(h, mi, s, 0)
    const off = Math.round((dt.getTime() - ms) / 1000)
    if (this.#cache.size > 4096) this.#cache.clear()
    this.#cache.set(bucket, off)
    return off
  }
  abbrevAt(epochSec: number): string {
    const part = this.#abbr.formatToParts(new Date(epochSec * 1000)).find((p) => p.type === 'timeZoneName')
    const v = part?.value ?? ''
    if (v === 'GMT' || v === 'UTC') return this.offsetAt(epochSec) === 0 ? 'UTC' : formatOffsetCompact(this.offsetAt(epochSec))
    if (/^GMT[+-]/.test(v)) return formatOffsetCompact(this.offsetAt(epochSec))
    return v
  }
}

const zoneCache = new Map<string, Zone>()

/**
 * Go `time.LoadLocation`: `UTC` / '' → UTC, `Local` → the process zone, otherwise an IANA name.
 * Returns undefined for unknown zones.
 */
export function loadZone(name: string): Zone | undefined {
  if (name === '' || name === 'UTC') return UTC
  const hit = zoneCache.get(name)
  if (hit !== undefined) return hit
  let z: Zone
  try {
    if (name === 'Local') {
      const tz = process.env.TZ
      if (tz === '' || tz === 'UTC') z = new FixedZone('Local', 0)
      else z = new IntlZone('Local', tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone)
    } else {
      // Intl accepts some names Go rejects (e.g. lower case); Go is case-sensitive.
      const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone
      if (resolved.toLowerCase() !== name.toLowerCase() && !isAlias(name)) return undefined
      if (name !== name.replace(/[^A-Za-z0-9/_+-]/g, '')) return undefined
      z = new IntlZone(name, name)
    }
  } catch {
    return undefined
  }
  zoneCache.set(name, z)
  return z
}

function isAlias(name: string): boolean {
  return /^[A-Z][A-Za-z_]*(\/[A-Za-z0-9_+-]+)*$/.test(name) || /^(Etc\/)?GMT[+-]\d+$/.test(name) || /^[A-Z]{2,5}\d?[A-Z]{0,3}$/.test(name)
}

let localZoneValue: Zone | undefined
export function localZone(): Zone {
  if (localZoneValue === undefined) localZoneValue = loadZone('Local') ?? UTC
  return localZoneValue
}

/** An instant (whole seconds + nanoseconds) shown in a zone. Immutable. */
export class Timestamp {
  constructor(
    /** Whole seconds since the Unix epoch (floor). */
    readonly sec: number,
    /** Nanoseconds within the second, 0..999_999_999. */
    readonly nsec: number,
    readonly zone: Zone = UTC,
  ) {}

  static fromMillis(ms: number, zone: Zone = UTC): Timestamp {
    const sec = Math.floor(ms / 1000)
    return new Timestamp(sec, Math.round((ms - sec * 1000) * 1e6), zone)
  }

  /** From epoch nanoseconds (bigint keeps full precision). */
  static fromNanos(ns: bigint, zone: Zone = UTC): Timestamp {
    let sec = ns / 1_000_000_000n
    let rem = ns % 1_000_000_000n
    if (rem < 0n) {
      rem += 1_000_000_000n
      sec -= 1n
    }
    return new Timestamp(Number(sec), Number(rem), zone)
  }

  static now(zone: Zone = localZone()): Timestamp {
    const ms = Date.now()
    // performance.now() adds sub-millisecond digits so consecutive calls differ.
    const sub = Math.floor((performance.now() % 1) * 1e6)
    const sec = Math.floor(ms / 1000)
    return new Timestamp(sec, (ms - sec * 1000) * 1e6 + sub, zone)
  }

  epochNanos(): bigint {
    return BigInt(this.sec) * 1_000_000_000n + BigInt(this.nsec)
  }

  epochMillis(): number {
    return this.sec * 1000 + Math.floor(this.nsec / 1e6)
  }

  /** Offset (seconds east) of this instant in its zone. */
  offset(): number {
    return this.zone.offsetAt(this.sec)
  }

  in(zone: Zone): Timestamp {
    return new Timestamp(this.sec, this.nsec, zone)
  }

  /** Wall-clock fields in the value's zone. */
  civil(): Civil {
    return civilOf(this.sec + this.offset(), this.nsec)
  }
}

export interface Civil {
  year: number
  /** 1..12 */
  month: number
  /** 1..31 */
  day: number
  hour: number
  minute: number
  second: number
  nsec: number
  /** 0 = Sunday */
  weekday: number
  /** 1..366 */
  yearDay: number
}

/** Civil fields of (local) epoch seconds, proleptic Gregorian, any year. */
export function civilOf(localSec: number, nsec: number): Civil {
  const days = Math.floor(localSec / 86400)
  const secOfDay = localSec - days * 86400
  // Howard Hinnant's days-from-civil inverse.
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  const weekday = (((days + 4) % 7) + 7) % 7
  const yearDay = days - daysFromCivil(year, 1, 1) + 1
  return {
    year,
    month,
    day,
    hour: Math.floor(secOfDay / 3600),
    minute: Math.floor((secOfDay % 3600) / 60),
    second: secOfDay % 60,
    nsec,
    weekday,
    yearDay,
  }
}

/** Days since 1970-01-01 of a civil date (month 1..12; day may overflow and normalises). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const m = month
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

function pad4(n: number): string {
  if (n < 0) return `-${String(-n).padStart(4, '0')}`
  return String(n).padStart(4, '0')
}

/** `Z` or `±hh:mm` (Go's `Z07:00`). */
export function formatOffsetRfc3339(off: number): string {
  if (off === 0) return 'Z'
  const sign = off < 0 ? '-' : '+'
  const a = Math.abs(off)
  return `${sign}${pad2(Math.floor(a / 3600))}:${pad2(Math.floor((a % 3600) / 60))}`
}

/** Go `time.RFC3339Nano`: fractional seconds with trailing zeros trimmed. */
export function formatRfc3339Nano(t: Timestamp): string {
  const off = t.offset()
  const c = civilOf(t.sec + off, t.nsec)
  let frac = ''
  if (c.nsec !== 0) frac = '.' + String(c.nsec).padStart(9, '0').replace(/0+$/, '')
  return `${pad4(c.year)}-${pad2(c.month)}-${pad2(c.day)}T${pad2(c.hour)}:${pad2(c.minute)}:${pad2(c.second)}${frac}${formatOffsetRfc3339(off)}`
}

export function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
}

export function daysIn(month: number, year: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}
