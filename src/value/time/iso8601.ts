/**
 * ISO 8601 periods (`P1Y2M3DT4H5M6.5S`, `P2W`, `-P1D`) with the parsing rules, error texts and
 * arithmetic of github.com/rickb777/period v1.0.27, which the reference uses for
 * `ts_add_iso8601`, `ts_sub_iso8601` and `parse_duration_iso8601`.
 */
import type { Timestamp } from '../timestamp.js'
import { addDate, addNanos } from './go-time.js'

/** A decimal field value: coefficient (signed) times 10^-scale. */
interface Dec {
  coef: bigint
  scale: number
}

const ZERO: Dec = { coef: 0n, scale: 0 }

/** Field values carry their own signs (a leading `-` is folded in), so arithmetic is linear. */
export interface Period {
  years: Dec
  months: Dec
  weeks: Dec
  days: Dec
  hours: Dec
  minutes: Dec
  seconds: Dec
}

export type PeriodResult = { ok: true; period: Period } | { ok: false; error: string }

type Field = keyof Period

const MAX_COEF = 10n ** 19n

/** A decimal in the syntax govalues/decimal accepts (sign, digits, optional point + digits). */
function parseDecimal(s: string): Dec | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s)
  if (m === null || m[2] + (m[3] ?? '') === '') return undefined
  const digits = (m[2] + (m[3] ?? '')).replace(/^0+(?=\d)/, '')
  const coef = BigInt(digits)
  // The reference keeps at most 19 significant digits.
  if (coef >= MAX_COEF) return undefined
  return { coef: m[1] === '-' ? -coef : coef, scale: (m[3] ?? '').length }
}

/** Parse an ISO 8601 period. Weeks may be mixed with other fields, as the reference allows. */
export function parsePeriod(iso: string): PeriodResult {
  const err = (msg: string): PeriodResult => ({ ok: false, error: msg })
  if (iso === '') return err('cannot parse a blank string as a period')
  let rest = iso
  let neg = false
  if (rest[0] === '-') {
    neg = true
    rest = rest.slice(1)
  } else if (rest[0] === '+') rest = rest.slice(1)
  const p: Period = { years: ZERO, months: ZERO, weeks: ZERO, days: ZERO, hours: ZERO, minutes: ZERO, seconds: ZERO }
  if (['P0Y', 'P0M', 'P0W', 'P0D', 'PT0H', 'PT0M', 'PT0S'].includes(rest)) return { ok: true, period: p }
  if (rest === '') return err('cannot parse a blank string as a period')
  if (rest[0] !== 'P') return err(`${iso}: expected 'P' period mark at the start`)
  rest = rest.slice(1)

  type State = 'unready' | 'armed' | 'set'
  const state: Record<Field, State> = {
    years: 'armed', months: 'armed', weeks: 'armed', days: 'armed',
    hours: 'unready', minutes: 'unready', seconds: 'unready',
  }
  let isHMS = false
  let haveFraction = false
  let previous = ''
  let components = 0
  while (rest.length > 0) {
    if (rest[0] === 'T') {
      if (isHMS) return err(`${iso}: 'T' designator cannot occur more than once`)
      isHMS = true
      state.years = state.months = state.weeks = state.days = 'unready'
      state.hours = state.minutes = state.seconds = 'armed'
      rest = rest.slice(1)
      continue
    }
    // A number: optional leading '-', digits and '.' or ',' as the decimal point.
    const chars = [...rest]
    let number = ''
    let i = 0
    for (; i < chars.length; i++) {
      const c = chars[i]
      if (i === 0 && c === '-') number += c
      else if (c === '.' || c === ',') number += '.'
      else if (c >= '0' && c <= '9') number += c
      else break
    }
    if (i === chars.length) return err(`${iso}: missing designator at the end`)
    if (number === '') return err(`${iso}: expected a number but found '${chars[0]}'`)
    const value = parseDecimal(number)
    if (value === undefined) return err(`${iso}: number invalid or out of range`)
    const des = chars[i]
    let field: Field
    switch (des) {
      case 'Y': field = 'years'; break
      case 'M': field = isHMS ? 'minutes' : 'months'; break
      case 'W': field = 'weeks'; break
      case 'D': field = 'days'; break
      case 'H': field = 'hours'; break
      case 'S': field = 'seconds'; break
      default:
        return err(`${iso}: expected a designator Y, M, W, D, H, or S not '${des}'`)
    }
    rest = chars.slice(i + 1).join('')
    if (haveFraction && value.coef !== 0n) {
      return err(`${iso}: '${previous}' & '${des}' only the last field can have a fraction`)
    }
    if (state[field] === 'unready') return err(`${iso}: '${des}' designator cannot occur here`)
    if (state[field] === 'set') return err(`${iso}: '${des}' designator cannot occur more than once`)
    state[field] = 'set'
    p[field] = neg ? { coef: -value.coef, scale: value.scale } : value
    components++
    if (value.scale > 0) {
      haveFraction = true
      previous = des
    }
  }
  if (components === 0) return err(`${iso}: expected 'Y', 'M', 'W', 'D', 'H', 'M', or 'S' designator`)
  return { ok: true, period: p }
}

const DAYS_PER_YEAR_E6 = 365_242_500n // 365.2425 days (Gregorian average)
const DAYS_PER_MONTH_E6 = DAYS_PER_YEAR_E6 / 12n
const SECONDS_PER_DAY = 86_400n

/** value * factor, with the factor divided by ten per decimal place (it may reach zero). */
function fieldTotal(d: Dec, factor: bigint): bigint {
  if (d.coef === 0n) return 0n
  for (let i = d.scale; i > 0; i--) factor /= 10n
  return BigInt.asIntN(64, d.coef * factor)
}

function hmsNanos(p: Period): bigint {
  return BigInt.asIntN(
    64,
    fieldTotal(p.hours, 3_600_000_000_000n) + fieldTotal(p.minutes, 60_000_000_000n) + fieldTotal(p.seconds, 1_000_000_000n),
  )
}

/** Nanoseconds, with years, months, weeks and days at their average lengths (the reference's DurationApprox). */
export function periodApproxNanos(p: Period): bigint {
  const daysE9 =
    fieldTotal(p.days, 1_000_000_000n) +
    fieldTotal(p.weeks, 7_000_000_000n) +
    fieldTotal(p.months, DAYS_PER_MONTH_E6 * 1000n) +
    fieldTotal(p.years, DAYS_PER_YEAR_E6 * 1000n)
  return BigInt.asIntN(64, BigInt.asIntN(64, daysE9 * SECONDS_PER_DAY) + hmsNanos(p))
}

const isZero = (d: Dec): boolean => d.coef === 0n && d.scale === 0

/** Negation (for `ts_sub_iso8601`). */
export function negatePeriod(p: Period): Period {
  const n = (d: Dec): Dec => ({ coef: -d.coef, scale: d.scale })
  return {
    years: n(p.years), months: n(p.months), weeks: n(p.weeks), days: n(p.days),
    hours: n(p.hours), minutes: n(p.minutes), seconds: n(p.seconds),
  }
}

/**
 * Add a period to a timestamp: whole calendar fields go through AddDate (so Jan 31 + P1M
 * normalises to early March), anything else through the approximate duration.
 */
export function addPeriod(t: Timestamp, p: Period): Timestamp {
  const calendar = [p.years, p.months, p.weeks, p.days]
  const zeroCalendar = calendar.every(isZero)
  const wholeCalendar = calendar.every((d) => d.scale === 0)
  if (!zeroCalendar && wholeCalendar) {
    const [y, m, w, d] = calendar.map((x) => Number(BigInt.asIntN(64, x.coef)))
    return addNanos(addDate(t, y, m, 7 * w + d), hmsNanos(p))
  }
  return addNanos(t, periodApproxNanos(p))
}
