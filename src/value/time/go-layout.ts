/**
 * Go reference-time layouts (`2006-01-02T15:04:05Z07:00`, `Jan _2 3:04pm MST`, `.000`, `,999`):
 * `Time.Format` and `time.Parse` with Go's element recognition, leniencies and error texts.
 */
import { Timestamp, UTC, daysIn, fixedZone, isLeap, localZone, type Zone } from '../timestamp.js'
import { dateIn } from './go-time.js'
import { goTimeQuote } from './go-quote.js'

export const RFC3339 = '2006-01-02T15:04:05Z07:00'
export const RFC3339_NANO = '2006-01-02T15:04:05.999999999Z07:00'

type Kind =
  | 'LongMonth' | 'Month' | 'NumMonth' | 'ZeroMonth'
  | 'LongWeekDay' | 'WeekDay'
  | 'Day' | 'UnderDay' | 'ZeroDay' | 'UnderYearDay' | 'ZeroYearDay'
  | 'Hour' | 'Hour12' | 'ZeroHour12' | 'Minute' | 'ZeroMinute' | 'Second' | 'ZeroSecond'
  | 'LongYear' | 'Year' | 'PM' | 'pm'
  | 'TZ'
  | 'ISO8601TZ' | 'ISO8601SecondsTZ' | 'ISO8601ShortTZ' | 'ISO8601ColonTZ' | 'ISO8601ColonSecondsTZ'
  | 'NumTZ' | 'NumSecondsTZ' | 'NumShortTZ' | 'NumColonTZ' | 'NumColonSecondsTZ'
  | 'Frac0' | 'Frac9'

interface Std {
  kind: Kind
  /** Fractional digits for Frac0/Frac9. */
  digits: number
  /** Separator for Frac0/Frac9. */
  sep: string
}

interface Chunk {
  prefix: string
  std: Std | undefined
  /** The layout text the element came from. */
  text: string
  suffix: string
}

const ZERO_X: readonly Kind[] = ['ZeroMonth', 'ZeroDay', 'ZeroHour12', 'ZeroMinute', 'ZeroSecond', 'Year']
const TZ_FORMS: ReadonlyArray<[string, Kind, Kind]> = [
  // Longest first, as Go checks them.
  ['070000', 'NumSecondsTZ', 'ISO8601SecondsTZ'],
  ['07:00:00', 'NumColonSecondsTZ', 'ISO8601ColonSecondsTZ'],
  ['0700', 'NumTZ', 'ISO8601TZ'],
  ['07:00', 'NumColonTZ', 'ISO8601ColonTZ'],
  ['07', 'NumShortTZ', 'ISO8601ShortTZ'],
]

const isDigitAt = (s: string, i: number): boolean => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57
const startsLower = (s: string): boolean => s.length > 0 && s.charCodeAt(0) >= 97 && s.charCodeAt(0) <= 122

function std(kind: Kind, digits = 0, sep = '.'): Std {
  return { kind, digits, sep }
}

/** The first layout element in `layout` with the literal text before and after it. */
function nextChunk(layout: string): Chunk {
  const cut = (i: number, len: number, s: Std, prefixEnd = i): Chunk => ({
    prefix: layout.slice(0, prefixEnd),
    std: s,
    text: layout.slice(prefixEnd, i + len),
    suffix: layout.slice(i + len),
  })
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i]
    const rest = layout.slice(i)
    switch (c) {
      case 'J':
        if (rest.startsWith('Jan')) {
          if (rest.startsWith('January')) return cut(i, 7, std('LongMonth'))
          if (!startsLower(rest.slice(3))) return cut(i, 3, std('Month'))
        }
        break
      case 'M':
        if (rest.startsWith('Mon')) {
          if (rest.startsWith('Monday')) return cut(i, 6, std('LongWeekDay'))
          if (!startsLower(rest.slice(3))) return cut(i, 3, std('WeekDay'))
        }
        if (rest.startsWith('MST')) return cut(i, 3, std('TZ'))
        break
      case '0':
        if (rest.length >= 2 && rest[1] >= '1' && rest[1] <= '6') return cut(i, 2, std(ZERO_X[rest.charCodeAt(1) - 49]))
        if (rest.startsWith('002')) return cut(i, 3, std('ZeroYearDay'))
        break
      case '1':
        if (rest.startsWith('15')) return cut(i, 2, std('Hour'))
        return cut(i, 1, std('NumMonth'))
      case '2':
        if (rest.startsWith('2006')) return cut(i, 4, std('LongYear'))
        return cut(i, 1, std('Day'))
      case '_':
        if (rest.length >= 2 && rest[1] === '2') {
          // `_2006` is a literal underscore followed by the long year.
          if (rest.startsWith('_2006')) return cut(i + 1, 4, std('LongYear'), i + 1)
          return cut(i, 2, std('UnderDay'))
        }
        if (rest.startsWith('__2')) return cut(i, 3, std('UnderYearDay'))
        break
      case '3':
        return cut(i, 1, std('Hour12'))
      case '4':
        return cut(i, 1, std('Minute'))
      case '5':
        return cut(i, 1, std('Second'))
      case 'P':
        if (rest.startsWith('PM')) return cut(i, 2, std('PM'))
        break
      case 'p':
        if (rest.startsWith('pm')) return cut(i, 2, std('pm'))
        break
      case '-':
      case 'Z':
        for (const [form, num, iso] of TZ_FORMS) {
          if (rest.startsWith(c + form)) return cut(i, 1 + form.length, std(c === '-' ? num : iso))
        }
        break
      case '.':
      case ',':
        if (rest.length >= 2 && (rest[1] === '0' || rest[1] === '9')) {
          const ch = rest[1]
          let j = 1
          while (j < rest.length && rest[j] === ch) j++
          // Only a run of digits that ends here is a fractional second.
          if (!isDigitAt(rest, j)) return cut(i, j, std(ch === '0' ? 'Frac0' : 'Frac9', j - 1, c))
        }
        break
    }
  }
  return { prefix: layout, std: undefined, text: '', suffix: '' }
}

export const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
export const SHORT_DAYS = LONG_DAYS.map((d) => d.slice(0, 3))
export const LONG_MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
]
export const SHORT_MONTHS = LONG_MONTHS.map((m) => m.slice(0, 3))

/** Go's `appendInt`: sign, then the absolute value zero-padded to `width`. */
function intText(x: number, width: number): string {
  const digits = String(Math.abs(x)).padStart(width, '0')
  return x < 0 ? '-' + digits : digits
}

function offsetText(offset: number, kind: Kind): string {
  if (offset === 0 && kind.startsWith('ISO8601')) return 'Z'
  const sign = offset < 0 ? '-' : '+'
  const abs = Math.abs(offset)
  const zoneMin = Math.floor(abs / 60)
  let out = sign + intText(Math.floor(zoneMin / 60), 2)
  const colon = kind === 'ISO8601ColonTZ' || kind === 'NumColonTZ' || kind === 'ISO8601ColonSecondsTZ' || kind === 'NumColonSecondsTZ'
  if (colon) out += ':'
  if (kind !== 'NumShortTZ' && kind !== 'ISO8601ShortTZ') out += intText(zoneMin % 60, 2)
  if (kind === 'ISO8601SecondsTZ' || kind === 'NumSecondsTZ' || kind === 'NumColonSecondsTZ' || kind === 'ISO8601ColonSecondsTZ') {
    if (kind === 'NumColonSecondsTZ' || kind === 'ISO8601ColonSecondsTZ') out += ':'
    out += intText(abs % 60, 2)
  }
  return out
}

function fracText(nsec: number, s: Std): string {
  const trim = s.kind === 'Frac9'
  if (trim && (s.digits === 0 || nsec === 0)) return ''
  let digits = String(nsec).padStart(9, '0')
  if (s.digits < 9) digits = digits.slice(0, s.digits)
  if (trim) {
    digits = digits.replace(/0+$/, '')
    if (digits === '') return ''
  }
  return s.sep + digits
}

/** Go `Time.Format(layout)`. */
export function formatLayout(t: Timestamp, layout: string): string {
  const offset = t.offset()
  const c = t.civil()
  let out = ''
  while (layout !== '') {
    const ch = nextChunk(layout)
    out += ch.prefix
    if (ch.std === undefined) break
    layout = ch.suffix
    const s = ch.std
    switch (s.kind) {
      case 'Year': out += intText(Math.abs(c.year) % 100, 2); break
      case 'LongYear': out += intText(c.year, 4); break
      case 'Month': out += SHORT_MONTHS[c.month - 1]; break
      case 'LongMonth': out += LONG_MONTHS[c.month - 1]; break
      case 'NumMonth': out += String(c.month); break
      case 'ZeroMonth': out += intText(c.month, 2); break
      case 'WeekDay': out += SHORT_DAYS[c.weekday]; break
      case 'LongWeekDay': out += LONG_DAYS[c.weekday]; break
      case 'Day': out += String(c.day); break
      case 'UnderDay': out += (c.day < 10 ? ' ' : '') + String(c.day); break
      case 'ZeroDay': out += intText(c.day, 2); break
      case 'UnderYearDay': out += String(c.yearDay).padStart(3, ' '); break
      case 'ZeroYearDay': out += intText(c.yearDay, 3); break
      case 'Hour': out += intText(c.hour, 2); break
      case 'Hour12': out += String(c.hour % 12 === 0 ? 12 : c.hour % 12); break
      case 'ZeroHour12': out += intText(c.hour % 12 === 0 ? 12 : c.hour % 12, 2); break
      case 'Minute': out += String(c.minute); break
      case 'ZeroMinute': out += intText(c.minute, 2); break
      case 'Second': out += String(c.second); break
      case 'ZeroSecond': out += intText(c.second, 2); break
      case 'PM': out += c.hour >= 12 ? 'PM' : 'AM'; break
      case 'pm': out += c.hour >= 12 ? 'pm' : 'am'; break
      case 'TZ': {
        const name = t.zone.abbrevAt(t.sec)
        out += name !== '' ? name : offsetText(offset, 'NumTZ')
        break
      }
      case 'Frac0':
      case 'Frac9':
        out += fracText(t.nsec, s)
        break
      default:
        out += offsetText(offset, s.kind)
    }
  }
  return out
}

//------------------------------------------------------------------------------------------------
// Parsing

export type ParseResult = { ok: true; time: Timestamp } | { ok: false; error: string }

class Bad extends Error {}
const BAD = new Bad('bad value for field')

/** Case-insensitive prefix match of one of `table` (Go's `lookup`). */
function lookup(table: readonly string[], value: string): [number, string] {
  for (let i = 0; i < table.length; i++) {
    const v = table[i]
    if (value.length >= v.length && matchFold(value.slice(0, v.length), v)) return [i, value.slice(v.length)]
  }
  throw BAD
}

function matchFold(a: string, b: string): boolean {
  for (let i = 0; i < a.length; i++) {
    let c1 = a.charCodeAt(i)
    let c2 = b.charCodeAt(i)
    if (c1 !== c2) {
      c1 |= 0x20
      c2 |= 0x20
      if (c1 !== c2 || c1 < 97 || c1 > 122) return false
    }
  }
  return true
}

/** One or two digits (exactly two when `fixed`). */
function getnum(s: string, fixed: boolean): [number, string] {
  if (!isDigitAt(s, 0)) throw BAD
  if (!isDigitAt(s, 1)) {
    if (fixed) throw BAD
    return [s.charCodeAt(0) - 48, s.slice(1)]
  }
  return [(s.charCodeAt(0) - 48) * 10 + s.charCodeAt(1) - 48, s.slice(2)]
}

function getnum3(s: string, fixed: boolean): [number, string] {
  let n = 0
  let i = 0
  for (; i < 3 && isDigitAt(s, i); i++) n = n * 10 + s.charCodeAt(i) - 48
  if (i === 0 || (fixed && i !== 3)) throw BAD
  return [n, s.slice(i)]
}

/** Go's `atoi` for short fields: optional sign, digits only. */
function atoi(s: string): number {
  let neg = false
  if (s.length > 0 && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-'
    s = s.slice(1)
  }
  if (!/^\d*$/.test(s)) throw BAD
  const n = s === '' ? 0 : Number(s)
  return neg ? -n : n
}

/** Match the literal `prefix`, where a run of spaces matches any run of spaces. */
function skip(value: string, prefix: string): string {
  while (prefix.length > 0) {
    if (prefix[0] === ' ') {
      if (value.length > 0 && value[0] !== ' ') throw BAD
      prefix = prefix.replace(/^ +/, '')
      value = value.replace(/^ +/, '')
      continue
    }
    if (value.length === 0 || value[0] !== prefix[0]) throw BAD
    prefix = prefix.slice(1)
    value = value.slice(1)
  }
  return value
}

/**
 * Fractional seconds from `value[0..n)` (separator included), truncated to nanoseconds; negative
 * when the digits carry a sign (Go then reports "fractional second out of range").
 */
function parseNanos(value: string, n: number): number {
  if (value[0] !== '.' && value[0] !== ',') throw BAD
  if (n > 10) n = 10
  const ns = atoi(value.slice(1, n))
  return ns < 0 ? -1 : ns * 10 ** (10 - n)
}

/** Length of a zone abbreviation at the start of `value`, or 0 (Go's `parseTimeZone`). */
function zoneNameLength(value: string): number {
  if (value.length < 3) return 0
  if (value.startsWith('ChST') || value.startsWith('MeST')) return 4
  if (value.startsWith('GMT')) return 3 + signedOffsetLength(value.slice(3))
  if (value[0] === '+' || value[0] === '-') return signedOffsetLength(value)
  let upper = 0
  while (upper < 6 && upper < value.length && value[upper] >= 'A' && value[upper] <= 'Z') upper++
  switch (upper) {
    case 3:
      return 3
    case 4:
      return value[3] === 'T' || value.startsWith('WITA') ? 4 : 0
    case 5:
      return value[4] === 'T' ? 5 : 0
    default:
      return 0
  }
}

/** `+hh` / `-h` with hh in 1..23 (Go's `parseSignedOffset`); 0 when absent or invalid. */
function signedOffsetLength(value: string): number {
  if (value === '' || (value[0] !== '+' && value[0] !== '-')) return 0
  const m = /^\d+/.exec(value.slice(1))
  if (m === null) return 0
  if (m[0].length > 19 || Number(m[0]) > 23) return 0
  return 1 + m[0].length
}

/** The offset of a zone abbreviation if `zone` uses it around `unix` (Go's `lookupName`). */
function offsetOfName(zone: Zone, name: string, unix: number): number | undefined {
  // Try the instant itself, then half a year either side so the other half of a DST pair is seen.
  for (const probe of [unix, unix - 15_778_800, unix + 15_778_800]) {
    const off = zone.offsetAt(probe - zone.offsetAt(probe))
    if (zone.abbrevAt(probe - off) === name) return off
  }
  return undefined
}

/**
 * Go `time.Parse(layout, value)`: no zone information gives a time in `defaultZone` (UTC), a
 * numeric offset that the `local` zone uses gives `local`, otherwise a fixed zone.
 */
export function parseLayout(layout: string, value: string, defaultZone: Zone = UTC, local: Zone = localZone()): ParseResult {
  const aLayout = layout
  const aValue = value
  const fail = (layoutElem: string, valueElem: string, message = ''): ParseResult => ({
    ok: false,
    error:
      message === ''
        ? `parsing time ${goTimeQuote(aValue)} as ${goTimeQuote(aLayout)}: cannot parse ${goTimeQuote(valueElem)} as ${goTimeQuote(layoutElem)}`
        : `parsing time ${goTimeQuote(aValue)}${message}`,
  })
  let rangeErr = ''
  let amSet = false
  let pmSet = false
  let year = 0
  let month = -1
  let day = -1
  let yday = -1
  let hour = 0
  let min = 0
  let sec = 0
  let nsec = 0
  let z: Zone | undefined
  let zoneOffset = -1
  let zoneName = ''

  for (;;) {
    const ch = nextChunk(layout)
    try {
      value = skip(value, ch.prefix)
    } catch {
      return fail(ch.prefix, value)
    }
    const s = ch.std
    if (s === undefined) {
      if (value.length !== 0) return fail('', value, `: extra text: ${goTimeQuote(value)}`)
      break
    }
    layout = ch.suffix
    const hold = value
    try {
      switch (s.kind) {
        case 'Year': {
          if (value.length < 2) throw BAD
          year = atoi(value.slice(0, 2))
          value = value.slice(2)
          year += year >= 69 ? 1900 : 2000
          break
        }
        case 'LongYear':
          if (value.length < 4 || !isDigitAt(value, 0)) throw BAD
          year = atoi(value.slice(0, 4))
          value = value.slice(4)
          break
        case 'Month':
          ;[month, value] = lookup(SHORT_MONTHS, value)
          month++
          break
        case 'LongMonth':
          ;[month, value] = lookup(LONG_MONTHS, value)
          month++
          break
        case 'NumMonth':
        case 'ZeroMonth':
          ;[month, value] = getnum(value, s.kind === 'ZeroMonth')
          if (month <= 0 || month > 12) rangeErr = 'month'
          break
        case 'WeekDay':
          // Checked for syntax only, like Go.
          ;[, value] = lookup(SHORT_DAYS, value)
          break
        case 'LongWeekDay':
          ;[, value] = lookup(LONG_DAYS, value)
          break
        case 'Day':
        case 'UnderDay':
        case 'ZeroDay':
          if (s.kind === 'UnderDay' && value[0] === ' ') value = value.slice(1)
          ;[day, value] = getnum(value, s.kind === 'ZeroDay')
          break
        case 'UnderYearDay':
        case 'ZeroYearDay':
          for (let i = 0; i < 2; i++) if (s.kind === 'UnderYearDay' && value[0] === ' ') value = value.slice(1)
          ;[yday, value] = getnum3(value, s.kind === 'ZeroYearDay')
          break
        case 'Hour':
          ;[hour, value] = getnum(value, false)
          if (hour < 0 || hour >= 24) rangeErr = 'hour'
          break
        case 'Hour12':
        case 'ZeroHour12':
          ;[hour, value] = getnum(value, s.kind === 'ZeroHour12')
          if (hour < 0 || hour > 12) rangeErr = 'hour'
          break
        case 'Minute':
        case 'ZeroMinute':
          ;[min, value] = getnum(value, s.kind === 'ZeroMinute')
          if (min < 0 || min >= 60) rangeErr = 'minute'
          break
        case 'Second':
        case 'ZeroSecond': {
          ;[sec, value] = getnum(value, s.kind === 'ZeroSecond')
          if (sec < 0 || sec >= 60) {
            rangeErr = 'second'
            break
          }
          // A fraction in the input is accepted even when the layout has none right here.
          if (value.length >= 2 && (value[0] === '.' || value[0] === ',') && isDigitAt(value, 1)) {
            const next = nextChunk(layout).std
            if (next !== undefined && (next.kind === 'Frac0' || next.kind === 'Frac9')) break
            let n = 2
            while (n < value.length && isDigitAt(value, n)) n++
            nsec = parseNanos(value, n)
            if (nsec < 0) rangeErr = 'fractional second'
            value = value.slice(n)
          }
          break
        }
        case 'PM':
        case 'pm': {
          if (value.length < 2) throw BAD
          const p = value.slice(0, 2)
          value = value.slice(2)
          if (p === (s.kind === 'PM' ? 'PM' : 'pm')) pmSet = true
          else if (p === (s.kind === 'PM' ? 'AM' : 'am')) amSet = true
          else throw BAD
          break
        }
        case 'TZ': {
          if (value.startsWith('UTC')) {
            z = UTC
            value = value.slice(3)
            break
          }
          const n = zoneNameLength(value)
          if (n === 0) throw BAD
          zoneName = value.slice(0, n)
          value = value.slice(n)
          break
        }
        case 'Frac0': {
          const n = 1 + s.digits
          if (value.length < n) throw BAD
          nsec = parseNanos(value, n)
          if (nsec < 0) rangeErr = 'fractional second'
          value = value.slice(n)
          break
        }
        case 'Frac9': {
          if (value.length < 2 || (value[0] !== '.' && value[0] !== ',') || !isDigitAt(value, 1)) break
          let i = 0
          while (i + 1 < value.length && isDigitAt(value, i + 1)) i++
          nsec = parseNanos(value, 1 + i)
          if (nsec < 0) rangeErr = 'fractional second'
          value = value.slice(1 + i)
          break
        }
        default: {
          if (s.kind.startsWith('ISO8601') && value[0] === 'Z') {
            value = value.slice(1)
            z = UTC
            break
          }
          let sign: string, hh: string, mm: string, ss: string
          if (s.kind === 'ISO8601ColonTZ' || s.kind === 'NumColonTZ') {
            if (value.length < 6 || value[3] !== ':') throw BAD
            ;[sign, hh, mm, ss] = [value[0], value.slice(1, 3), value.slice(4, 6), '00']
            value = value.slice(6)
          } else if (s.kind === 'NumShortTZ' || s.kind === 'ISO8601ShortTZ') {
            if (value.length < 3) throw BAD
            ;[sign, hh, mm, ss] = [value[0], value.slice(1, 3), '00', '00']
            value = value.slice(3)
          } else if (s.kind === 'ISO8601ColonSecondsTZ' || s.kind === 'NumColonSecondsTZ') {
            if (value.length < 9 || value[3] !== ':' || value[6] !== ':') throw BAD
            ;[sign, hh, mm, ss] = [value[0], value.slice(1, 3), value.slice(4, 6), value.slice(7, 9)]
            value = value.slice(9)
          } else if (s.kind === 'ISO8601SecondsTZ' || s.kind === 'NumSecondsTZ') {
            if (value.length < 7) throw BAD
            ;[sign, hh, mm, ss] = [value[0], value.slice(1, 3), value.slice(3, 5), value.slice(5, 7)]
            value = value.slice(7)
          } else {
            if (value.length < 5) throw BAD
            ;[sign, hh, mm, ss] = [value[0], value.slice(1, 3), value.slice(3, 5), '00']
            value = value.slice(5)
          }
          const [hr] = getnum(hh, true)
          const [mi] = getnum(mm, true)
          const [se] = getnum(ss, true)
          // Go tests with > rather than >=: offsets of 24h, 60m or 60s are written in the wild.
          if (hr > 24) rangeErr = 'time zone offset hour'
          if (mi > 60) rangeErr = 'time zone offset minute'
          if (se > 60) rangeErr = 'time zone offset second'
          zoneOffset = (hr * 60 + mi) * 60 + se
          if (sign === '-') zoneOffset = -zoneOffset
          else if (sign !== '+') throw BAD
        }
      }
    } catch (e) {
      if (!(e instanceof Bad)) throw e
      if (rangeErr !== '') return fail(ch.text, value, `: ${rangeErr} out of range`)
      return fail(ch.text, hold)
    }
    if (rangeErr !== '') return fail(ch.text, value, `: ${rangeErr} out of range`)
  }
  if (pmSet && hour < 12) hour += 12
  else if (amSet && hour === 12) hour = 0

  if (yday >= 0) {
    let d = 0
    let m = 0
    if (isLeap(year)) {
      if (yday === 31 + 29) {
        m = 2
        d = 29
      } else if (yday > 31 + 29) yday--
    }
    if (yday < 1 || yday > 365) return fail('', value, ': day-of-year out of range')
    if (m === 0) {
      m = Math.floor((yday - 1) / 31) + 1
      if (daysBefore(m + 1) < yday) m++
      d = yday - daysBefore(m)
    }
    if (month >= 0 && month !== m) return fail('', value, ': day-of-year does not match month')
    month = m
    if (day >= 0 && day !== d) return fail('', value, ': day-of-year does not match day')
    day = d
  } else {
    if (month < 0) month = 1
    if (day < 0) day = 1
  }
  if (day < 1 || day > daysIn(month, year)) return fail('', value, ': day out of range')

  if (z !== undefined) return { ok: true, time: dateIn(year, month, day, hour, min, sec, nsec, z) }

  if (zoneOffset !== -1) {
    const utc = dateIn(year, month, day, hour, min, sec, nsec, UTC)
    const unix = utc.sec - zoneOffset
    if (local.offsetAt(unix) === zoneOffset && (zoneName === '' || local.abbrevAt(unix) === zoneName)) {
      return { ok: true, time: new Timestamp(unix, nsec, local) }
    }
    return { ok: true, time: new Timestamp(unix, nsec, fixedZone(zoneName, zoneOffset)) }
  }

  if (zoneName !== '') {
    const utc = dateIn(year, month, day, hour, min, sec, nsec, UTC)
    const known = offsetOfName(local, zoneName, utc.sec)
    if (known !== undefined) return { ok: true, time: new Timestamp(utc.sec - known, nsec, local) }
    // Unknown abbreviations get a zero offset (GMT±h gets its hours), as in Go.
    let offset = 0
    if (zoneName.length > 3 && zoneName.startsWith('GMT')) offset = atoi(zoneName.slice(3)) * 3600
    return { ok: true, time: new Timestamp(utc.sec - offset, nsec, fixedZone(zoneName, offset)) }
  }
  return { ok: true, time: dateIn(year, month, day, hour, min, sec, nsec, defaultZone) }
}

/** Days before the first of `month` in a non-leap year (month 13 = whole year). */
function daysBefore(month: number): number {
  const cumulative = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365]
  return cumulative[month - 1]
}
