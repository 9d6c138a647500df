/**
 * The tiny string quoting Go's `time` package uses in its error messages (it avoids strconv):
 * non-ASCII and control bytes become `\xHH` per UTF-8 byte, `"` and `\` are backslashed.
 * Reproduced so error texts match the reference byte for byte.
 */
export function goTimeQuote(s: string): string {
  let out = '"'
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0
    if (cp >= 0x80 || cp < 0x20) {
      for (const b of Buffer.from(ch, 'utf8')) out += '\\x' + b.toString(16).padStart(2, '0')
    } else {
      if (ch === '"' || ch === '\\') out += '\\'
      out += ch
    }
  }
  return out + '"'
}
