/**
 * Go fmt's formatting state and leaf formatters (the `fmt` struct of format.go): flags, width
 * and precision, padding, and the integer, float, quoted-string and hex-bytes renderings.
 */
import { LOWER_HEX, UPPER_HEX } from '../../value/text/ascii.js'
import { canBackquote, goQuote, isPrint } from '../../value/text/strconv-quote.js'
import { runeCount } from '../../value/text/utf8.js'
import { formatFloat } from './format-float.js'

/** The verb flags and operand buffer one Sprintf call works on. */
export class GoFormatter {
  buf = ''
  wid = 0
  prec = 0
  widPresent = false
  precPresent = false
  minus = false
  plus = false
  sharp = false
  space = false
  zero = false
  plusV = false
  sharpV = false

  clearFlags(): void {
    this.wid = 0
    this.prec = 0
    this.widPresent = false
    this.precPresent = false
    this.minus = false
    this.plus = false
    this.sharp = false
    this.space = false
    this.zero = false
    this.plusV = false
    this.sharpV = false
  }

  // -- padding --

  protected writePadding(n: number): void {
    if (n > 0) this.buf += (this.zero ? '0' : ' ').repeat(n)
  }

  pad(s: string): void {
    if (!this.widPresent || this.wid === 0) {
      this.buf += s
      return
    }
    const width = this.wid - runeCount(s)
    if (!this.minus) {
      this.writePadding(width)
      this.buf += s
    } else {
      this.buf += s
      this.writePadding(width)
    }
  }

  protected truncate(s: string): string {
    if (this.precPresent) {
      let n = this.prec
      let i = 0
      for (const ch of s) {
        if (--n < 0) return s.slice(0, i)
        i += ch.length
      }
    }
    return s
  }

  // -- leaf formatters --

  protected fmtBoolean(v: boolean): void {
    this.pad(v ? 'true' : 'false')
  }

  protected fmtQ(s: string): void {
    s = this.truncate(s)
    if (this.sharp && canBackquote(s)) {
      this.pad('`' + s + '`')
      return
    }
    this.pad(goQuote(s, this.plus))
  }

  protected fmtSbx(b: Uint8Array, digits: string): void {
    let length = b.length
    if (this.precPresent && this.prec < length) length = this.prec
    let width = 2 * length
    if (width > 0) {
      if (this.space) {
        if (this.sharp) width *= 2
        width += length - 1
      } else if (this.sharp) width += 2
    } else {
      if (this.widPresent) this.writePadding(this.wid)
      return
    }
    if (this.widPresent && this.wid > width && !this.minus) this.writePadding(this.wid - width)
    let out = ''
    const x = digits === 'X' ? 'X' : 'x'
    const hex = digits === 'X' ? UPPER_HEX : LOWER_HEX
    if (this.sharp) out += '0' + x
    for (let i = 0; i < length; i++) {
      if (this.space && i > 0) {
        out += ' '
        if (this.sharp) out += '0' + x
      }
      out += hex[b[i]! >> 4]! + hex[b[i]! & 15]!
    }
    this.buf += out
    if (this.widPresent && this.wid > width && this.minus) this.writePadding(this.wid - width)
  }

  protected fmtInteger(u: bigint, base: number, signed: boolean, verb: string, upper: boolean): void {
    const negative = signed && u < 0n
    if (negative) u = -u
    let prec = 0
    if (this.precPresent) {
      prec = this.prec
      if (prec === 0 && u === 0n) {
        const oldZero = this.zero
        this.zero = false
        this.writePadding(this.wid)
        this.zero = oldZero
        return
      }
    } else if (this.zero && this.widPresent) {
      prec = this.wid
      if (negative || this.plus || this.space) prec--
    }
    let digits = u.toString(base)
    if (upper) digits = digits.toUpperCase()
    if (digits.length < prec) digits = '0'.repeat(prec - digits.length) + digits
    if (this.sharp) {
      if (base === 2) digits = '0b' + digits
      else if (base === 8 && digits[0] !== '0') digits = '0' + digits
      else if (base === 16) digits = (upper ? '0X' : '0x') + digits
    }
    if (verb === 'O') digits = '0o' + digits
    if (negative) digits = '-' + digits
    else if (this.plus) digits = '+' + digits
    else if (this.space) digits = ' ' + digits
    const oldZero = this.zero
    this.zero = false
    this.pad(digits)
    this.zero = oldZero
  }

  protected fmtUnicode(u: bigint): void {
    let prec = 4
    if (this.precPresent && this.prec > 4) prec = this.prec
    let out = 'U+' + u.toString(16).toUpperCase().padStart(prec, '0')
    if (this.sharp && u <= 0x10ffffn && isPrint(Number(u))) out += ` '${String.fromCodePoint(Number(u))}'`
    const oldZero = this.zero
    this.zero = false
    this.pad(out)
    this.zero = oldZero
  }

  protected fmtFloat(v: number, size: 32 | 64, verb: string, prec: number): void {
    if (this.precPresent) prec = this.prec
    let num = formatFloat(v, verb, prec, size)
    if (num[0] === '-' || num[0] === '+') {
      /* signed already */
    } else num = '+' + num
    if (this.space && num[0] === '+' && !this.plus) num = ' ' + num.slice(1)
    if (num[1] === 'I' || num[1] === 'N') {
      const oldZero = this.zero
      this.zero = false
      if (num[1] === 'N' && !this.space && !this.plus) num = num.slice(1)
      this.pad(num)
      this.zero = oldZero
      return
    }
    if (this.sharp && verb !== 'b') {
      let digits = 0
      if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') digits = prec === -1 ? 6 : prec
      let tail = ''
      let body = num
      const cut = (i: number): void => {
        tail = body.slice(i)
        body = body.slice(0, i)
      }
      let hasDot = false
      let sawNonzero = false
      for (let i = 1; i < body.length; i++) {
        const ch = body[i]!
        if (ch === '.') hasDot = true
        else if (ch === 'p' || ch === 'P') {
          cut(i)
          break
        } else if ((ch === 'e' || ch === 'E') && verb !== 'x' && verb !== 'X') {
          cut(i)
          break
        } else {
          if (ch !== '0') sawNonzero = true
          if (sawNonzero) digits--
        }
      }
      if (!hasDot) {
        if (body.length === 2 && body[1] === '0') digits--
        body += '.'
      }
      while (digits > 0) {
        body += '0'
        digits--
      }
      num = body + tail
    }
    if (this.plus || num[0] !== '+') {
      if (this.zero && this.widPresent && this.wid > num.length) {
        this.buf += num[0]
        this.writePadding(this.wid - num.length)
        this.buf += num.slice(1)
        return
      }
      this.pad(num)
      return
    }
    this.pad(num.slice(1))
  }
}
