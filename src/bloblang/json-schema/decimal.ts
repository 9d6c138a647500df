/**
 * Exact decimal numbers for JSON Schema's numeric keywords. The reference validates with Go's
 * big.Rat over the number's JSON text, so `0.3` is a multiple of `0.1` and `1.0` is an integer;
 * doubles would get both wrong. A JSON number is always a finite decimal, so a sign, an integer
 * mantissa and a power of ten hold it exactly.
 */

export interface Dec {
  readonly neg: boolean
  /** Absolute mantissa without trailing zeros (0n for zero). */
  readonly digits: bigint
  /** Power of ten applied to `digits` (0 for zero). */
  readonly exp: number
  /** Decimal digits of `digits`. */
  readonly text: string
}

const NUMBER = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/
const ZERO: Dec = { neg: false, digits: 0n, exp: 0, text: '0' }

/** The exact value of JSON number text; undefined when it is not one. */
export function parseDec(text: string): Dec | undefined {
  const m = NUMBER.exec(text)
  if (m === null) return undefined
  const frac = m[3] ?? ''
  let body = (m[2]! + frac).replace(/^0+/, '')
  if (body === '') return ZERO
  let exp = Number(m[4] ?? '0') - frac.length
  const trimmed = body.replace(/0+$/, '')
  exp += body.length - trimmed.length
  body = trimmed
  return { neg: m[1] === '-', digits: BigInt(body), exp, text: body }
}

/** Whether the value is a whole number (Go `big.Rat.IsInt`). */
export function decIsInt(d: Dec): boolean {
  return d.exp >= 0
}

/** Position of the decimal point counted from the first digit (value = 0.ddd × 10^magnitude). */
function magnitude(d: Dec): number {
  return d.text.length + d.exp
}

function compareAbs(a: Dec, b: Dec): number {
  if (a.digits === 0n || b.digits === 0n) return a.digits === b.digits ? 0 : a.digits === 0n ? -1 : 1
  const ma = magnitude(a)
  const mb = magnitude(b)
  if (ma !== mb) return ma < mb ? -1 : 1
  // Same magnitude: the exponents differ by less than the longer mantissa, so scaling is cheap.
  const e = Math.min(a.exp, b.exp)
  const x = a.digits * 10n ** BigInt(a.exp - e)
  const y = b.digits * 10n ** BigInt(b.exp - e)
  return x === y ? 0 : x < y ? -1 : 1
}

/** -1, 0 or 1 as `a` is below, equal to or above `b`. */
export function decCompare(a: Dec, b: Dec): number {
  if (a.neg !== b.neg) return a.neg ? -1 : 1
  const c = compareAbs(a, b)
  return a.neg ? -c : c
}

/** Whether `a / m` is a whole number (m > 0). */
export function decIsMultiple(a: Dec, m: Dec): boolean {
  if (a.digits === 0n) return true
  if (compareAbs(a, m) < 0) return false
  const e = Math.min(a.exp, m.exp)
  const bm = m.digits * 10n ** BigInt(m.exp - e)
  // a's shift can be astronomically large (1e999999999); beyond the modulus's bit length every
  // factor of two and five it could need is already present, so the remainder test is the same.
  const shift = Math.min(a.exp - e, bm.toString(2).length + 1)
  return (a.digits * 10n ** BigInt(shift)) % bm === 0n
}

/**
 * The value as the reference's messages print it: a big.Float formatted with `%v`, the shortest
 * digits in %g style with Go's exponent threshold of 6 and a two-digit exponent (`1e+06`).
 */
export function formatDec(d: Dec): string {
  if (d.digits === 0n) return '0'
  const s = d.text
  const dp = s.length + d.exp
  const x = dp - 1
  let out: string
  if (x < -4 || x >= 6) {
    const ax = Math.abs(x)
    out = s[0]! + (s.length > 1 ? '.' + s.slice(1) : '') + 'e' + (x < 0 ? '-' : '+') + (ax < 10 ? '0' : '') + ax
  } else if (dp <= 0) {
    out = '0.' + '0'.repeat(-dp) + s
  } else if (dp >= s.length) {
    out = s + '0'.repeat(dp - s.length)
  } else {
    out = s.slice(0, dp) + '.' + s.slice(dp)
  }
  return d.neg ? '-' + out : out
}
