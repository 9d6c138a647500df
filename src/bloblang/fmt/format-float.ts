/** Go's `strconv.FormatFloat` for the fmt verbs e E f g G b x X, exact digits and rounding included. */
import { shortestDigits } from '../../value/format-number.js'
import { LOWER_HEX, UPPER_HEX } from '../../value/text/ascii.js'

interface Decimal {
  /** Significant digits without trailing zeros ('' for zero). */
  d: string
  /** Position of the decimal point relative to the digits (0.12 → dp 0, 12.3 → dp 2). */
  dp: number
}

const f64 = new DataView(new ArrayBuffer(8))

/** The exact decimal value of a finite, non-negative double. */
function exactDecimal(x: number): Decimal {
  if (x === 0) return { d: '', dp: 0 }
  const { mant, exp: e2, mantBits } = floatBits(x, 64)
  // x = mant × 2^exp exactly.
  const exp = e2 - mantBits
  let digits: string
  let dp: number
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString()
    dp = digits.length
  } else {
    digits = (mant * 5n ** BigInt(-exp)).toString()
    dp = digits.length + exp
  }
  return { d: digits.replace(/0+$/, ''), dp }
}

/** Round to `nd` digits, ties to even on exact halves (Go's decimal.Round). */
function roundDecimal(a: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= a.d.length) return a
  const next = a.d.charCodeAt(nd) - 48
  let up: boolean
  if (next === 5 && nd + 1 === a.d.length) up = nd > 0 && (a.d.charCodeAt(nd - 1) - 48) % 2 === 1
  else up = next >= 5
  if (!up) return { d: a.d.slice(0, nd).replace(/0+$/, ''), dp: a.dp }
  let i = nd - 1
  while (i >= 0 && a.d[i] === '9') i--
  if (i < 0) return { d: '1', dp: a.dp + 1 }
  return { d: a.d.slice(0, i) + String.fromCharCode(a.d.charCodeAt(i) + 1), dp: a.dp }
}

function shortestDecimal(x: number, size: 32 | 64): Decimal {
  if (x === 0) return { d: '', dp: 0 }
  const s = shortestDigits(x, size === 32)
  return { d: s.digits.replace(/0+$/, ''), dp: s.exp + 1 }
}

function fmtE(neg: boolean, d: Decimal, prec: number, e: string): string {
  let out = neg ? '-' : ''
  out += d.d.length > 0 ? d.d[0] : '0'
  if (prec > 0) {
    out += '.'
    const frac = d.d.slice(1, prec + 1)
    out += frac + '0'.repeat(prec - frac.length)
  }
  let exp = d.d.length === 0 ? 0 : d.dp - 1
  const sign = exp < 0 ? '-' : '+'
  exp = Math.abs(exp)
  return `${out}${e}${sign}${exp < 10 ? '0' : ''}${exp}`
}

function fmtF(neg: boolean, d: Decimal, prec: number): string {
  let out = neg ? '-' : ''
  if (d.dp > 0) {
    const m = Math.min(d.d.length, d.dp)
    out += d.d.slice(0, m) + '0'.repeat(d.dp - m)
  } else out += '0'
  if (prec > 0) {
    out += '.'
    for (let i = 1; i <= prec; i++) {
      const j = d.dp + i - 1
      out += j >= 0 && j < d.d.length ? d.d[j] : '0'
    }
  }
  return out
}

/** Go `strconv.FormatFloat(x, verb, prec, size)` for verbs e E f g G b x X. */
export function formatFloat(x: number, verb: string, prec: number, size: 32 | 64): string {
  if (Number.isNaN(x)) return 'NaN'
  if (x === Infinity) return '+Inf'
  if (x === -Infinity) return '-Inf'
  const neg = x < 0 || Object.is(x, -0)
  const a = Math.abs(x)
  if (verb === 'b') return formatFloatB(neg, a, size)
  if (verb === 'x' || verb === 'X') return formatFloatX(neg, a, prec, verb, size)
  const shortest = prec < 0
  let d: Decimal
  if (shortest) {
    d = shortestDecimal(a, size)
    prec = verb === 'e' || verb === 'E' ? Math.max(d.d.length - 1, 0) : verb === 'f' ? Math.max(d.d.length - d.dp, 0) : d.d.length
  } else {
    const exact = exactDecimal(a)
    if (verb === 'f') d = roundDecimal(exact, exact.dp + prec)
    else if (verb === 'e' || verb === 'E') d = roundDecimal(exact, prec + 1)
    else {
      if (prec === 0) prec = 1
      d = roundDecimal(exact, prec)
    }
  }
  switch (verb) {
    case 'e':
    case 'E':
      return fmtE(neg, d, prec, verb)
    case 'f':
      return fmtF(neg, d, prec)
  }
  // g / G
  let eprec = prec
  if (eprec > d.d.length && d.d.length >= d.dp) eprec = d.d.length
  if (shortest) eprec = 6
  const exp = d.dp - 1
  if (exp < -4 || exp >= eprec) {
    if (prec > d.d.length) prec = d.d.length
    return fmtE(neg, d, prec - 1, verb === 'g' ? 'e' : 'E')
  }
  if (prec > d.dp) prec = d.d.length
  return fmtF(neg, d, Math.max(prec - d.dp, 0))
}

/** Mantissa (implicit bit included) and unbiased exponent of a float: a = mant × 2^(exp − mantBits). */
function floatBits(a: number, size: 32 | 64): { mant: bigint; exp: number; mantBits: number } {
  if (size === 32) {
    const dv = new DataView(new ArrayBuffer(4))
    dv.setFloat32(0, a)
    const bits = dv.getUint32(0)
    let exp = (bits >>> 23) & 0xff
    let mant = BigInt(bits & 0x7fffff)
    if (exp === 0) exp = 1
    else mant |= 1n << 23n
    return { mant, exp: exp - 127, mantBits: 23 }
  }
  f64.setFloat64(0, a)
  const bits = f64.getBigUint64(0)
  let exp = Number((bits >> 52n) & 0x7ffn)
  let mant = bits & 0xfffffffffffffn
  if (exp === 0) exp = 1
  else mant |= 1n << 52n
  return { mant, exp: exp - 1023, mantBits: 52 }
}

/** `%b`: decimal mantissa and binary exponent (`4503599627370496p-52`). */
function formatFloatB(neg: boolean, a: number, size: 32 | 64): string {
  const { mant, exp, mantBits } = floatBits(a, size)
  const e = exp - mantBits
  return `${neg ? '-' : ''}${mant}p${e >= 0 ? '+' : ''}${e}`
}

/** `%x`: hexadecimal mantissa and binary exponent (`0x1.8p+01`). */
function formatFloatX(neg: boolean, a: number, prec: number, verb: string, size: 32 | 64): string {
  let { mant, exp, mantBits } = floatBits(a, size)
  if (mant === 0n) exp = 0
  mant <<= BigInt(60 - mantBits)
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant <<= 1n
    exp--
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4)
    const extra = (mant << shift) & ((1n << 60n) - 1n)
    mant >>= 60n - shift
    if ((extra | (mant & 1n)) > 1n << 59n) mant++
    mant <<= 60n - shift
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n
      exp++
    }
  }
  const hex = verb === 'X' ? UPPER_HEX : LOWER_HEX
  let out = `${neg ? '-' : ''}0${verb}${(mant >> 60n) & 1n}`
  mant = (mant << 4n) & ((1n << 64n) - 1n)
  if (prec < 0 && mant !== 0n) {
    out += '.'
    while (mant !== 0n) {
      out += hex[Number((mant >> 60n) & 15n)]
      mant = (mant << 4n) & ((1n << 64n) - 1n)
    }
  } else if (prec > 0) {
    out += '.'
    for (let i = 0; i < prec; i++) {
      out += hex[Number((mant >> 60n) & 15n)]
      mant = (mant << 4n) & ((1n << 64n) - 1n)
    }
  }
  out += verb === 'X' ? 'P' : 'p'
  out += exp < 0 ? '-' : '+'
  exp = Math.abs(exp)
  return out + (exp < 10 ? '0' : '') + exp
}
