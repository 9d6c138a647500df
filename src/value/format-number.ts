/**
 * Float formatting the way Go prints it. JavaScript's `String(x)` already matches Go's JSON
 * encoder for doubles; Go's `%g` (used by `.string()` and interpolation) switches to exponent form
 * much earlier, and float32 values need their own shortest digits.
 */

/** Shortest round-trip decimal digits of |x| and the position of the decimal point. */
interface Digits {
  digits: string
  /** Decimal exponent of the first digit (1234.5 → 3). */
  exp: number
}

function digits64(x: number): Digits {
  const s = Math.abs(x).toExponential()
  const e = s.indexOf('e')
  return { digits: s.slice(0, e).replace('.', ''), exp: Number(s.slice(e + 1)) }
}

function digits32(x: number): Digits {
  const a = Math.abs(x)
  // Shortest precision whose decimal text rounds back to the same float32.
  for (let p = 1; p <= 9; p++) {
    const s = a.toExponential(p - 1)
    if (Math.fround(Number(s)) === a) {
      const e = s.indexOf('e')
      return { digits: s.slice(0, e).replace('.', '').replace(/0+$/, '') || '0', exp: Number(s.slice(e + 1)) }
    }
  }
  return digits64(a)
}

function expForm(d: Digits, neg: boolean, minExpDigits: number): string {
  const mant = d.digits.length > 1 ? `${d.digits[0]}.${d.digits.slice(1)}` : d.digits
  const sign = d.exp < 0 ? '-' : '+'
  const ev = String(Math.abs(d.exp)).padStart(minExpDigits, '0')
  return `${neg ? '-' : ''}${mant}e${sign}${ev}`
}

function plainForm(d: Digits, neg: boolean): string {
  const { digits, exp } = d
  let out: string
  if (exp < 0) out = `0.${'0'.repeat(-exp - 1)}${digits}`
  else if (exp + 1 >= digits.length) out = digits + '0'.repeat(exp + 1 - digits.length)
  else out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`
  return (neg ? '-' : '') + out
}

function special(x: number): string | undefined {
  if (Number.isNaN(x)) return 'NaN'
  if (x === Infinity) return '+Inf'
  if (x === -Infinity) return '-Inf'
  return undefined
}

function isNeg(x: number): boolean {
  return x < 0 || Object.is(x, -0)
}

/** Go `strconv.FormatFloat(x, 'g', -1, 64)`. */
export function formatFloatG(x: number): string {
  const sp = special(x)
  if (sp !== undefined) return sp
  if (x === 0) return isNeg(x) ? '-0' : '0'
  const d = digits64(x)
  if (d.exp < -4 || d.exp >= 21) return expForm(d, isNeg(x), 2)
  if (d.exp >= 6) return expForm(d, isNeg(x), 2)
  // Plain range: JavaScript prints the same digits.
  return String(x)
}

/** Go `strconv.FormatFloat(float64(f32), 'g', -1, 32)`. */
export function formatFloat32G(x: number): string {
  const sp = special(x)
  if (sp !== undefined) return sp
  if (x === 0) return isNeg(x) ? '-0' : '0'
  const d = digits32(x)
  if (d.exp < -4 || d.exp >= 6) return expForm(d, isNeg(x), 2)
  return plainForm(d, isNeg(x))
}

/** Go `encoding/json` text of a float64 (also ECMAScript's, except for -0). */
export function formatFloatJson(x: number): string {
  if (x === 0) return isNeg(x) ? '-0' : '0'
  return String(x)
}

/** Go `encoding/json` text of a float32. */
export function formatFloat32Json(x: number): string {
  if (x === 0) return isNeg(x) ? '-0' : '0'
  const sp = special(x)
  if (sp !== undefined) return sp
  const d = digits32(x)
  const a = Math.abs(x)
  if (a < 1e-6 || a >= 1e21) return expForm(d, isNeg(x), 1)
  return plainForm(d, isNeg(x))
}

/** Go `%e`/`%f`-free helper: shortest digits, for method families that need them. */
export function shortestDigits(x: number, float32 = false): Digits {
  return float32 ? digits32(x) : digits64(x)
}
