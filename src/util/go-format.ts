/**
 * The few Go formatting rules the reference's metric outputs depend on, so Weir's text matches it
 * byte for byte: Prometheus `expfmt` numbers and escapes, and `strconv.QuoteToASCII` for the flat
 * stats keys.
 */

/**
 * `expfmt.writeFloat`: Go's `strconv.FormatFloat(f, 'g', -1, 64)` with NaN/±Inf spelled out.
 * Exponent form from 1e6 up and below 1e-4, as Go prints it.
 *
 * @example goFloat(1234567) === '1.234567e+06'; goFloat(0.25) === '0.25'
 */
export function goFloat(f: number): string {
  // Most metric values: JS's shortest form is plain decimal from 1e-6 up to 1e21, so inside Go's
  // plain range it is Go's text as is, without toExponential() (a few µs per value, thousands per
  // scrape). A double below 1e6 cannot print as 1e+06: that text is another double.
  const a = f < 0 ? -f : f
  if (a >= 1e-4 && a < 1e6) return String(f)
  if (Number.isNaN(f)) return 'NaN'
  if (f === Infinity) return '+Inf'
  if (f === -Infinity) return '-Inf'
  if (f === 0) return Object.is(f, -0) ? '-0' : '0'
  // toExponential() without digits gives the shortest round-trip digits, as Go's -1 precision does.
  const e = f.toExponential()
  const at = e.indexOf('e')
  const exp = Number(e.slice(at + 1))
  if (exp < -4 || exp >= 6) {
    const mant = e.slice(0, at)
    const abs = Math.abs(exp)
    return `${mant}e${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`
  }
  // In this exponent range JS's own shortest form is already plain decimal notation.
  return String(f)
}

/** Label values in the text format: backslash, newline and double quote escaped. */
export function escapeLabelValue(v: string): string {
  if (!/[\\\n"]/.test(v)) return v
  return v.replace(/[\\\n"]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`))
}

/** HELP text in the text format: backslash and newline escaped. */
export function escapeHelp(v: string): string {
  if (!/[\\\n]/.test(v)) return v
  return v.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'))
}

/** Go's `strconv.QuoteToASCII`. */
export function goQuoteAscii(s: string): string {
  let out = '"'
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    if (ch === '"') out += '\\"'
    else if (ch === '\\') out += '\\\\'
    else if (c >= 0x20 && c < 0x7f) out += ch
    else if (c === 7) out += '\\a'
    else if (c === 8) out += '\\b'
    else if (c === 12) out += '\\f'
    else if (c === 10) out += '\\n'
    else if (c === 13) out += '\\r'
    else if (c === 9) out += '\\t'
    else if (c === 11) out += '\\v'
    else if (c < 0x80) out += `\\x${c.toString(16).padStart(2, '0')}`
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd' // a lone surrogate is invalid UTF-8 in Go
    else if (c <= 0xffff) out += `\\u${c.toString(16).padStart(4, '0')}`
    else out += `\\U${c.toString(16).padStart(8, '0')}`
  }
  return out + '"'
}

/** `model.IsValidMetricName` (legacy scheme, which the reference's exporter checks). */
export function isValidMetricName(name: string): boolean {
  return /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)
}

/** client_golang's label-name check: legacy charset and not `__`-prefixed (reserved). */
export function isValidLabelName(name: string): boolean {
  return /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) && !name.startsWith('__')
}

/**
 * The reference's flat stats key (`createLabelledPath`): `name{a="x",b="y"}` with label names
 * sorted and values as Go ASCII string literals; just `name` without labels.
 */
export function statsKeyOf(name: string, pairs: readonly (readonly [string, string])[]): string {
  if (pairs.length === 0) return name
  const sorted = [...pairs].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
  return `${name}{${sorted.map(([n, v]) => `${n}=${goQuoteAscii(v)}`).join(',')}}`
}
