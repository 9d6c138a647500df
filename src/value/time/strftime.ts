/**
 * C-style `strftime` / `strptime` with the flags, widths and compound directives of
 * github.com/itchyny/timefmt-go (v0.1.8), which the reference uses for `ts_strftime` and
 * `ts_strptime`: `%Y %m %d %H %M %S %f %b %B %a %A %j %U %W %V %G %g %z %:z %Z %s %c %F %T ...`,
 * flags `-` (no padding), `_` (spaces), `0` (zeros), `^` (upper case), `#` (swap case).
 */
import { Timestamp, UTC, fixedZone, localZone, type Zone } from '../timestamp.js'
import { addDate, dateIn, isoWeek } from './go-time.js'
import { goQuote } from '../text/strconv-quote.js'
import { LONG_DAYS, LONG_MONTHS, SHORT_DAYS, SHORT_MONTHS, parseLayout } from './go-layout.js'

/*
 * Padding is tracked as in the reference: the low 7 bits hold the pad character and the high bit
 * says the user chose it explicitly. NO_PAD is the `-` flag. The default ('0' without the high
 * bit) pads numbers with zeros and strings with spaces.
 */
const MASK = 0x7f
const NO_PAD = 0x80
const DEFAULT_PAD = 0x30 // '0'
const SPACE = 0x20

/** A number padded to `width` (sign kept in front of zero padding). */
function padInt(num: number, width: number, padding: number): string {
  const text = String(num)
  if (padding === NO_PAD) return text
  const ch = String.fromCharCode(padding & MASK)
  if (num < 0 && ch === '0') return '-' + String(-num).padStart(width - 1, '0')
  return text.padStart(width, ch)
}

/** A name padded to `width` and case-converted per the `^` / `#` flags. */
function padString(str: string, width: number, padding: number, upper: boolean, swap: boolean): string {
  let out = ''
  if (width > str.length && padding !== NO_PAD) {
    const ch = padding < NO_PAD ? ' ' : String.fromCharCode(padding & MASK)
    out = ch.repeat(width - str.length)
  }
  // `#` lower-cases names that are upper case (AM, UTC) and upper-cases the others.
  if (swap && str.length > 1 && str.charCodeAt(1) < 97) return out + mapBytes(str, (b) => b | 0x20)
  if (swap || upper) return out + mapBytes(str, (b) => b & 0x5f)
  return out + str
}

function mapBytes(s: string, f: (b: number) => number): string {
  let out = ''
  for (let i = 0; i < s.length; i++) out += String.fromCharCode(f(s.charCodeAt(i)))
  return out
}

/** The text from the last `%` of `format` on, padded as a string (for unknown directives). */
function lastDirective(format: string, width: number, padding: number): string {
  const i = format.lastIndexOf('%')
  return i < 0 ? '' : padString(format.slice(i), width, padding, false, false)
}

const COMPOUNDS: Readonly<Record<string, string>> = {
  c: 'a b e H:M:S Y',
  '+': 'a b e H:M:S Z Y',
  v: 'e-b-Y',
  r: 'I:M:S p',
  F: 'Y-m-d',
  D: 'm/d/y',
  x: 'm/d/y',
  T: 'H:M:S',
  X: 'H:M:S',
  R: 'H:M',
}

/** Zone name as Go's `Time.Zone()` reports it ('' for unnamed fixed offsets). */
function zoneName(t: Timestamp): string {
  return t.zone.name === '' ? '' : t.zone.abbrevAt(t.sec)
}

/** Format `t` with a strftime pattern. */
export function strftime(t: Timestamp, format: string): string {
  const c = t.civil()
  const { year, month, day, hour, minute, second, weekday, yearDay } = c
  let out = ''
  let colons = 0
  let pending = ''
  for (let i = 0; i < format.length; i++) {
    let b = format[i]
    if (b !== '%') {
      out += b
      continue
    }
    if (++i === format.length) {
      out += '%'
      break
    }
    b = format[i]
    let width = 0
    let padding = DEFAULT_PAD
    let upper = false
    let swap = false
    // `directive` loops while flags, widths and compound expansions feed it more characters.
    directive: for (;;) {
      let flag = true
      switch (b) {
        case '-':
          if (pending !== '') {
            out += '-'
            flag = false
            break
          }
          padding = NO_PAD
          break
        case '_':
          padding = SPACE | NO_PAD
          break
        case '^':
          upper = true
          break
        case '#':
          swap = true
          break
        case '0':
          padding = 0x30 | NO_PAD
          break
        default:
          flag = false
      }
      if (flag) {
        if (++i === format.length) return out + lastDirective(format, width, padding)
        b = format[i]
        continue directive
      }
      if (b >= '1' && b <= '9' && pending === '') {
        width = b.charCodeAt(0) - 48
        for (i++; i < format.length; i++) {
          b = format[i]
          if (b >= '0' && b <= '9') width = Math.min(width * 10 + b.charCodeAt(0) - 48, 1024)
          else break
        }
        if (padding === NO_PAD) padding = SPACE | NO_PAD
        if (i === format.length) return out + lastDirective(format, width, padding)
        continue directive
      }
      switch (b) {
        case '-':
          break // literal inside a compound, already written
        case 'Y':
          out += padInt(year, width || 4, padding)
          break
        case 'y':
          out += padInt(Math.abs(year % 100), Math.max(width, 2), padding)
          break
        case 'C': {
          let cent = Math.trunc(year / 100)
          const negZero = year < 0 && cent === 0
          if (negZero) cent = -1
          let text = padInt(cent, Math.max(width, 2), padding)
          if (negZero) text = text.slice(0, -1) + '0'
          out += text
          break
        }
        case 'g':
          out += padInt(Math.abs(isoWeek(c)[0] % 100), Math.max(width, 2), padding)
          break
        case 'G':
          out += padInt(isoWeek(c)[0], width || 4, padding)
          break
        case 'm':
          out += padInt(month, Math.max(width, 2), padding)
          break
        case 'B':
          out += padString(LONG_MONTHS[month - 1], width, padding, upper, swap)
          break
        case 'b':
        case 'h':
          out += padString(SHORT_MONTHS[month - 1], width, padding, upper, swap)
          break
        case 'A':
          out += padString(LONG_DAYS[weekday], width, padding, upper, swap)
          break
        case 'a':
          out += padString(SHORT_DAYS[weekday], width, padding, upper, swap)
          break
        case 'w':
          out += padInt(weekday, width, padding)
          break
        case 'u':
          out += padInt(weekday || 7, width, padding)
          break
        case 'V':
          out += padInt(isoWeek(c)[1], Math.max(width, 2), padding)
          break
        case 'U':
          out += padInt(Math.floor((yearDay + 6 - weekday) / 7), Math.max(width, 2), padding)
          break
        case 'W': {
          const w = weekday > 0 ? yearDay - weekday + 7 : yearDay
          out += padInt(Math.floor(w / 7), Math.max(width, 2), padding)
          break
        }
        case 'e':
          out += padInt(day, Math.max(width, 2), padding < NO_PAD ? SPACE : padding)
          break
        case 'd':
          out += padInt(day, Math.max(width, 2), padding)
          break
        case 'j':
          out += padInt(yearDay, Math.max(width, 3), padding)
          break
        case 'k':
          out += padInt(hour, Math.max(width, 2), padding < NO_PAD ? SPACE : padding)
          break
        case 'H':
          out += padInt(hour, Math.max(width, 2), padding)
          break
        case 'l':
          out += padInt(hour % 12 || 12, Math.max(width, 2), padding < NO_PAD ? SPACE : padding)
          break
        case 'I':
          out += padInt(hour % 12 || 12, Math.max(width, 2), padding)
          break
        case 'P':
        case 'p': {
          if (b === 'P') swap = !upper && !swap
          out += padString(hour < 12 ? 'AM' : 'PM', width, padding, upper, swap)
          break
        }
        case 'M':
          out += padInt(minute, Math.max(width, 2), padding)
          break
        case 'S':
          out += padInt(second, Math.max(width, 2), padding)
          break
        case 's':
          out += padInt(t.sec, width, padding < NO_PAD ? SPACE : padding)
          break
        case 'f':
          out += padInt(Math.floor(t.nsec / 1000), width || 6, padding)
          break
        case 'Z':
        case 'z': {
          const name = zoneName(t)
          if (b === 'Z' && name !== '') {
            out += padString(name, width, padding, upper, swap)
            break
          }
          out += offsetText(t.offset(), width, padding, colons)
          colons = 0
          break
        }
        case ':': {
          if (pending !== '') {
            out += ':'
            break
          }
          colons = 1
          let j = i + 1
          let toZ = false
          for (; j < format.length; j++) {
            if (format[j] === ':') colons++
            else if (format[j] === 'z') {
              if (colons > 3) {
                j++
                break
              }
              toZ = true
              break
            } else break
          }
          if (toZ) {
            i = j
            b = 'z'
            continue directive
          }
          out += lastDirective(format.slice(0, j), width, padding)
          i = j - 1
          colons = 0
          break
        }
        case 't':
          out += padString('\t', width, padding, false, false)
          break
        case 'n':
          out += padString('\n', width, padding, false, false)
          break
        case '%':
          out += padString('%', width, padding, false, false)
          break
        default: {
          const compound = COMPOUNDS[b]
          if (compound !== undefined) {
            pending = compound
            if (b === 'c' || b === '+' || b === 'v' || b === 'r') swap = false
            break
          }
          if (pending === '') out += lastDirective(format.slice(0, i), width - 1, padding)
          out += b
        }
      }
      if (pending !== '') {
        b = pending[0]
        pending = pending.slice(1)
        width = 0
        padding = DEFAULT_PAD
        continue directive
      }
      break
    }
  }
  return out
}

/** `%z` family: `+hhmm`, `+hh:mm` (`%:z`), `+hh:mm:ss` (`%::z`), shortest (`%:::z`). */
function offsetText(offset: number, width: number, padding: number, colons: number): string {
  const sign = offset < 0 ? '-' : '+'
  let abs = Math.abs(offset)
  let hours = padInt(Math.floor(abs / 3600), 2, padding)
  let head = sign
  // A space-padded hour moves the space in front of the sign.
  if (hours[0] === ' ') {
    head = ' ' + sign
    hours = hours.slice(1)
  }
  let text = head + hours
  abs %= 3600
  if (colons <= 2 || abs !== 0) {
    if (colons !== 0) text += ':'
    text += padInt(Math.floor(abs / 60), 2, DEFAULT_PAD)
    abs %= 60
    if (colons === 2 || (colons === 3 && abs !== 0)) text += ':' + padInt(abs, 2, DEFAULT_PAD)
  }
  if (padding === NO_PAD || width <= text.length) return text
  const ch = String.fromCharCode(padding & MASK)
  if (ch === '0') return text[0] + '0'.repeat(width - text.length) + text.slice(1)
  return ch.repeat(width - text.length) + text
}

//------------------------------------------------------------------------------------------------
// Parsing

export type StrptimeResult = { ok: true; time: Timestamp } | { ok: false; error: string }

class ParseFail extends Error {}

/** Parse `source` with a strptime pattern; no zone in the input means UTC. */
export function strptime(source: string, format: string): StrptimeResult {
  try {
    return { ok: true, time: strptimeOrThrow(source, format, UTC, localZone()) }
  } catch (e) {
    if (!(e instanceof ParseFail)) throw e
    return { ok: false, error: `failed to parse ${goQuote(source)} with ${goQuote(format)}: ${e.message}` }
  }
}

const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\x07': 'a', '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't', '\v': 'v' }

/** Go `%q` of a byte: a single-quoted character literal. */
function goQuoteByte(c: string): string {
  if (c === "'" || c === '\\') return `'\\${c}'`
  const named = NAMED_ESCAPES[c]
  if (named !== undefined) return `'\\${named}'`
  const cp = c.charCodeAt(0)
  if (cp < 0x20 || cp === 0x7f) return `'\\x${cp.toString(16).padStart(2, '0')}'`
  return `'${c}'`
}

const fail = (msg: string): never => {
  throw new ParseFail(msg)
}
const cannotParse = (b: string): never => fail(`cannot parse "%${b}"`)
const expected = (b: string): never => fail(`expected ${goQuoteByte(b)}`)
const zText = (colons: number): string => '%' + ':::z'.slice(3 - colons)

function parseIntAt(src: string, j: number, size: number, min: number, max: number, b: string): [number, number] {
  let v = 0
  let i = j
  const end = Math.min(j + size, src.length)
  for (; i < end; i++) {
    const d = src.charCodeAt(i) - 48
    if (d < 0 || d > 9) break
    v = v * 10 + d
  }
  if (i === j || v < min || v > max) cannotParse(b)
  return [v, i]
}

/** Like parseIntAt but reports failure instead of throwing (used inside `%z`). */
function tryIntAt(src: string, j: number, size: number, max: number): [number, number] {
  let v = 0
  let i = j
  const end = Math.min(j + size, src.length)
  for (; i < end; i++) {
    const d = src.charCodeAt(i) - 48
    if (d < 0 || d > 9) break
    v = v * 10 + d
  }
  if (i === j || v > max) return [0, -1]
  return [v, i]
}

function parseName(src: string, j: number, names: readonly string[], b: string): [number, number] {
  outer: for (let n = 0; n < names.length; n++) {
    const name = names[n]
    let k = j
    for (let x = 0; x < name.length; x++, k++) {
      if (k >= src.length) continue outer
      const a = name.charCodeAt(x)
      const c = src.charCodeAt(k)
      if (a !== c && (a | 0x20) !== (c | 0x20)) continue outer
    }
    return [n + 1, k]
  }
  return cannotParse(b)
}

/** The zone a name like `EST` or `UTC` denotes, resolved against `base` (Go's "MST" layout). */
function zoneFromName(name: string, base: Zone): Zone | undefined {
  const r = parseLayout('MST', name, UTC, base)
  return r.ok ? r.time.zone : undefined
}

/** Name and offset of a zone as of 2000-01-01 (how the reference labels combined %z/%Z). */
function zoneAt2000(z: Zone): [string, number] {
  const t = dateIn(2000, 1, 1, 0, 0, 0, 0, z)
  return [z.name === '' ? '' : z.abbrevAt(t.sec), z.offsetAt(t.sec)]
}

function strptimeOrThrow(source: string, format: string, defaultZone: Zone, base: Zone): Timestamp {
  let year = 1900
  let month = 1
  let day = 0
  let hour = 0
  let minute = 0
  let second = 0
  let nanosecond = 0
  let j = 0
  let week = 0
  let weekday = 0
  let yday = 0
  let colons = 0
  let century = -1
  let weekstart = -1
  let pm = false
  let hasISOYear = false
  let hasZoneName = false
  let hasZoneOffset = false
  let loc = defaultZone
  let pending = ''
  const l = source.length
  const sign = (): number => {
    if (j < l && source[j] === '-') {
      j++
      return -1
    }
    return 1
  }
  for (let i = 0; i < format.length; i++) {
    let b = format[i]
    if (b !== '%') {
      if (j >= l || source[j] !== b) expected(b)
      j++
      continue
    }
    if (++i === format.length) fail('stray "%"')
    b = format[i]
    directive: for (;;) {
      switch (b) {
        case 'G':
        case 'Y': {
          if (b === 'G') hasISOYear = true
          const s = sign()
          ;[year, j] = parseIntAt(source, j, 4, 0, 9999, b)
          year *= s
          break
        }
        case 'g':
        case 'y':
          if (b === 'g') hasISOYear = true
          ;[year, j] = parseIntAt(source, j, 2, 0, 99, b)
          year += year < 69 ? 2000 : 1900
          break
        case 'C':
          if (sign() < 0) fail('negative century is not supported for "%C"')
          ;[century, j] = parseIntAt(source, j, 2, 0, 99, 'C')
          break
        case 'm':
          ;[month, j] = parseIntAt(source, j, 2, 1, 12, 'm')
          break
        case 'B':
          ;[month, j] = parseName(source, j, LONG_MONTHS, 'B')
          break
        case 'b':
        case 'h':
          ;[month, j] = parseName(source, j, SHORT_MONTHS, b)
          break
        case 'A':
          ;[weekday, j] = parseName(source, j, LONG_DAYS, 'A')
          break
        case 'a':
          ;[weekday, j] = parseName(source, j, SHORT_DAYS, 'a')
          break
        case 'w':
          ;[weekday, j] = parseIntAt(source, j, 1, 0, 6, 'w')
          weekday++
          break
        case 'u':
          ;[weekday, j] = parseIntAt(source, j, 1, 1, 7, 'u')
          weekday = (weekday % 7) + 1
          break
        case 'V':
          ;[week, j] = parseIntAt(source, j, 2, 1, 53, b)
          weekstart = 4
          weekday = weekday || 2
          break
        case 'U':
          ;[week, j] = parseIntAt(source, j, 2, 0, 53, b)
          weekstart = 0
          weekday = weekday || 1
          break
        case 'W':
          ;[week, j] = parseIntAt(source, j, 2, 0, 53, b)
          weekstart = 1
          weekday = weekday || 2
          break
        case 'e':
        case 'd':
          if (b === 'e' && j < l && source[j] === ' ') j++
          ;[day, j] = parseIntAt(source, j, 2, 1, 31, b)
          break
        case 'j':
          ;[yday, j] = parseIntAt(source, j, 3, 1, 366, 'j')
          break
        case 'k':
        case 'H':
          if (b === 'k' && j < l && source[j] === ' ') j++
          ;[hour, j] = parseIntAt(source, j, 2, 0, 23, b)
          break
        case 'l':
        case 'I':
          if (b === 'l' && j < l && source[j] === ' ') j++
          ;[hour, j] = parseIntAt(source, j, 2, 1, 12, b)
          if (hour === 12) hour = 0
          break
        case 'P':
        case 'p': {
          let ampm: number
          ;[ampm, j] = parseName(source, j, ['AM', 'PM'], b)
          pm = ampm === 2
          break
        }
        case 'M':
          ;[minute, j] = parseIntAt(source, j, 2, 0, 59, 'M')
          break
        case 'S':
          ;[second, j] = parseIntAt(source, j, 2, 0, 60, 'S')
          break
        case 's': {
          const s = sign()
          let k = j
          let digits = ''
          while (k < l && k - j < 19 && source[k] >= '0' && source[k] <= '9') digits += source[k++]
          if (digits === '') cannotParse('s')
          j = k
          const t = new Timestamp(Number(BigInt.asIntN(64, BigInt(s) * BigInt(digits))), 0, UTC)
          const c = t.civil()
          ;({ year, month, day, hour, minute, second } = c)
          break
        }
        case 'f': {
          const start = j
          let micro: number
          ;[micro, j] = parseIntAt(source, j, 6, 0, 999999, 'f')
          for (let n = j - start; n < 6; n++) micro *= 10
          nanosecond = micro * 1000
          break
        }
        case 'Z': {
          const start = j
          while (j < l && source[j] >= 'A' && source[j] <= 'Z') j++
          const name = source.slice(start, j)
          const z = zoneFromName(name, base)
          if (z === undefined) fail(`cannot parse ${goQuote(name)} with "%Z"`)
          if (hasZoneOffset) {
            const [, offset] = zoneAt2000(loc)
            loc = fixedZone(z!.name === 'UTC' ? 'UTC' : z!.abbrevAt(0), offset)
          } else loc = z!
          hasZoneName = true
          break
        }
        case 'z': {
          if (j >= l) fail(`cannot parse "${zText(colons)}"`)
          if (source[j] === 'Z') {
            loc = UTC
            colons = 0
            j++
            break
          }
          if (source[j] !== '+' && source[j] !== '-') fail(`cannot parse "${zText(colons)}"`)
          const s = source[j] === '-' ? -1 : 1
          let hh = 0
          let mm = 0
          let ss = 0
          let at = j + 1
          let next: number
          ;[hh, next] = tryIntAt(source, at, 2, 23)
          if (next !== at + 2) fail(`cannot parse "${zText(colons)}"`)
          j = next
          if (j >= l || source[j] !== ':') {
            if (colons > 0 && colons < 3) fail(`expected ':' for "${zText(colons)}"`)
          } else {
            j++
            if (colons === 0) colons = 4
          }
          at = j
          ;[mm, next] = tryIntAt(source, at, 2, 59)
          if (next !== at + 2) {
            if (colons > 0 && colons !== 3) fail(`cannot parse "${zText(colons & 3)}"`)
            j = at
          } else {
            j = next
            if (colons > 1) {
              if (j >= l || source[j] !== ':') {
                if (colons < 3) fail(`expected ':' for "${zText(colons)}"`)
              } else {
                at = j + 1
                ;[ss, next] = tryIntAt(source, at, 2, 59)
                if (next !== at + 2) {
                  if (colons < 3) fail(`cannot parse "${zText(colons)}"`)
                  j = at - 1
                } else j = next
              }
            }
          }
          const name = hasZoneName ? zoneAt2000(loc)[0] : ''
          loc = fixedZone(name, s * ((hh * 60 + mm) * 60 + ss))
          colons = 0
          hasZoneOffset = true
          break
        }
        case ':': {
          if (pending !== '') {
            if (j >= l || source[j] !== ':') expected(':')
            j++
            break
          }
          for (colons = 1; colons <= 3; colons++) {
            if (++i === format.length) break
            b = format[i]
            if (b === 'z') continue directive
            if (b !== ':' || colons === 3) break
          }
          fail(`expected 'z' after "${'%' + ':::'.slice(3 - colons)}"`)
          break
        }
        case 't':
        case 'n': {
          const start = j
          while (j < l && ' \t\n\v\f\r'.includes(source[j])) j++
          if (start === j) fail(`expected a space for "%${b}"`)
          break
        }
        case '%':
          if (j >= l || source[j] !== '%') expected('%')
          j++
          break
        default: {
          const compound = COMPOUNDS[b]
          if (compound !== undefined) {
            pending = compound
            break
          }
          if (pending === '') fail(`unexpected format "%${b}"`)
          if (j >= l || source[j] !== b) expected(b)
          j++
        }
      }
      if (pending !== '') {
        b = pending[0]
        pending = pending.slice(1)
        continue directive
      }
      break
    }
  }
  if (j < source.length) fail(`unparsed string ${goQuote(source.slice(j))}`)
  if (pm) hour += 12
  if (century >= 0) year = century * 100 + (year % 100)
  if (day === 0) {
    if (yday > 0) {
      if (hasISOYear) fail('use "%Y" to parse non-ISO year for "%j"')
      return dateIn(year, 1, yday, hour, minute, second, nanosecond, loc)
    }
    if (weekstart >= 0) {
      if (weekstart === 4) {
        if (!hasISOYear) fail('use "%G" to parse ISO year for "%V"')
      } else if (hasISOYear) fail('use "%Y" to parse non-ISO year for "%U" or "%W"')
      if (weekstart > 0 && weekday === 1) week++
      const t = dateIn(year, 1, -weekstart, hour, minute, second, nanosecond, loc)
      return addDate(t, 0, 0, week * 7 - t.civil().weekday + weekday - 1)
    }
    day = 1
  }
  return dateIn(year, month, day, hour, minute, second, nanosecond, loc)
}
