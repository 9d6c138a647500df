/**
 * Go fmt's printer (the `pp` of print.go): per-kind verb dispatch, bad-verb reports, Stringer
 * handling and the reflection path for collections.
 */
import { compareBytewise } from '../../value/value-types.js'
import { goQuoteRune } from '../../value/text/strconv-quote.js'
import { goDecode } from '../../value/text/utf8.js'
import { GoFormatter } from './format-state.js'
import { goTypeName, goVal, isUntypedNil, type GoInt, type GoVal } from './go-value.js'
import { goTimeGoString, goTimeString } from './stringers.js'

const encoder = new TextEncoder()

/** Prints operands for one Sprintf call into `buf`. */
export class GoPrinter extends GoFormatter {
  private erroring = false
  /** Type name and value of the operand being printed, for `%!verb(type=value)`. */
  private current: GoVal = { k: 'nil' }
  private currentIsArg = false

  private runeOf(u: bigint): number {
    if (u > 0x10ffffn || u < 0n) return 0xfffd
    const r = Number(u)
    return r >= 0xd800 && r <= 0xdfff ? 0xfffd : r
  }

  private fmtBool(v: boolean, verb: string): void {
    if (verb === 't' || verb === 'v') this.fmtBoolean(v)
    else this.badVerb(verb)
  }

  private fmtInt(g: GoInt, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.sharpV && !g.signed) this.fmt0x64(g.v)
        else this.fmtInteger(g.v, 10, g.signed, verb, false)
        return
      case 'd':
        return this.fmtInteger(g.v, 10, g.signed, verb, false)
      case 'b':
        return this.fmtInteger(g.v, 2, g.signed, verb, false)
      case 'o':
      case 'O':
        return this.fmtInteger(g.v, 8, g.signed, verb, false)
      case 'x':
        return this.fmtInteger(g.v, 16, g.signed, verb, false)
      case 'X':
        return this.fmtInteger(g.v, 16, g.signed, verb, true)
      case 'c':
        return this.pad(String.fromCodePoint(this.runeOf(g.v)))
      case 'q':
        return this.pad(goQuoteRune(this.runeOf(g.v), this.plus))
      case 'U':
        return this.fmtUnicode(g.signed && g.v < 0n ? g.v + (1n << 64n) : g.v)
    }
    this.badVerb(verb)
  }

  private fmt0x64(v: bigint): void {
    const sharp = this.sharp
    this.sharp = true
    this.fmtInteger(v, 16, false, 'v', false)
    this.sharp = sharp
  }

  private fmtFloatVerb(v: number, size: 32 | 64, verb: string): void {
    switch (verb) {
      case 'v':
        return this.fmtFloat(v, size, 'g', -1)
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        return this.fmtFloat(v, size, verb, -1)
      case 'f':
      case 'e':
      case 'E':
        return this.fmtFloat(v, size, verb, 6)
      case 'F':
        return this.fmtFloat(v, size, 'f', 6)
    }
    this.badVerb(verb)
  }

  private fmtString(v: string, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.sharpV) this.fmtQ(v)
        else this.pad(this.truncate(v))
        return
      case 's':
        return this.pad(this.truncate(v))
      case 'x':
        return this.fmtSbx(encoder.encode(v), 'x')
      case 'X':
        return this.fmtSbx(encoder.encode(v), 'X')
      case 'q':
        return this.fmtQ(v)
    }
    this.badVerb(verb)
  }

  private fmtBytes(v: Uint8Array, verb: string, typeString: string): void {
    switch (verb) {
      case 'v':
      case 'd':
        if (this.sharpV) {
          this.buf += typeString + '{'
          v.forEach((c, i) => {
            if (i > 0) this.buf += ', '
            this.fmt0x64(BigInt(c))
          })
          this.buf += '}'
        } else {
          this.buf += '['
          v.forEach((c, i) => {
            if (i > 0) this.buf += ' '
            this.fmtInteger(BigInt(c), 10, false, verb, false)
          })
          this.buf += ']'
        }
        return
      case 's':
        return this.pad(this.truncate(goDecode(v)))
      case 'x':
        return this.fmtSbx(v, 'x')
      case 'X':
        return this.fmtSbx(v, 'X')
      case 'q':
        return this.fmtQ(goDecode(v))
    }
    // Other verbs format each byte as an integer.
    this.buf += '['
    v.forEach((c, i) => {
      if (i > 0) this.buf += ' '
      this.current = { k: 'int', t: 'uint8', v: BigInt(c), signed: false }
      this.currentIsArg = false
      this.fmtInt(this.current, verb)
    })
    this.buf += ']'
  }

  private badVerb(verb: string): void {
    this.erroring = true
    this.buf += '%!' + verb + '('
    const g = this.current
    if (isUntypedNil(g)) this.buf += '<nil>'
    else {
      this.buf += goTypeName(g) + '='
      if (this.currentIsArg) this.printArg(g, 'v')
      else this.printValue(g, 'v', 0)
    }
    this.buf += ')'
    this.erroring = false
  }

  /** Stringer handling (json.Number, time.Time) for the string-friendly verbs. */
  private handleMethods(g: GoVal, verb: string): boolean {
    if (this.erroring) return false
    // Sprintf has no error to wrap: %w is always a bad verb here.
    if (verb === 'w') {
      this.badVerb(verb)
      return true
    }
    if (this.sharpV) {
      if (g.k === 'time') {
        this.pad(goTimeGoString(g.v))
        return true
      }
      return false
    }
    if (verb !== 'v' && verb !== 's' && verb !== 'x' && verb !== 'X' && verb !== 'q') return false
    if (g.k === 'string' && g.stringer) {
      this.fmtString(g.v, verb)
      return true
    }
    if (g.k === 'time') {
      this.fmtString(goTimeString(g.v), verb)
      return true
    }
    return false
  }

  printArg(g: GoVal, verb: string): void {
    this.current = g
    this.currentIsArg = true
    if (g.k === 'nil') {
      if (verb === 'T') this.pad(goTypeName(g))
      else if (verb === 'v') this.pad('<nil>')
      else this.badVerb(verb)
      return
    }
    if (verb === 'T') {
      this.pad(this.truncate(goTypeName(g)))
      return
    }
    if (verb === 'p') {
      this.badVerb(verb)
      return
    }
    switch (g.k) {
      case 'bool':
        return this.fmtBool(g.v, verb)
      case 'float':
        return this.fmtFloatVerb(g.v, g.size, verb)
      case 'int':
        return this.fmtInt(g, verb)
      case 'string':
        if (!g.stringer) return this.fmtString(g.v, verb)
        break
      case 'bytes':
        return this.fmtBytes(g.v, verb, '[]byte')
    }
    if (!this.handleMethods(g, verb)) this.printValue(g, verb, 0)
  }

  /** fmt's reflection path, used for collections and their elements. */
  printValue(g: GoVal, verb: string, depth: number): void {
    if (depth > 0 && g.k !== 'nil') {
      this.current = g
      this.currentIsArg = true
      if (this.handleMethods(g, verb)) return
    }
    this.current = g
    this.currentIsArg = false
    switch (g.k) {
      case 'nil':
        this.buf += this.sharpV ? 'interface {}(nil)' : '<nil>'
        return
      case 'bool':
        return this.fmtBool(g.v, verb)
      case 'int':
        return this.fmtInt(g, verb)
      case 'float':
        return this.fmtFloatVerb(g.v, g.size, verb)
      case 'string':
        return this.fmtString(g.v, verb)
      case 'bytes':
        return this.fmtBytes(g.v, verb, '[]uint8')
      case 'time':
        // time.Time printed field by field is not reproducible; show it like a bad verb.
        this.buf += `%!${verb}(time.Time=${goTimeString(g.v)})`
        return
      case 'slice':
        if (this.sharpV) {
          this.buf += '[]interface {}{'
          g.v.forEach((e, i) => {
            if (i > 0) this.buf += ', '
            this.printValue(goVal(e), verb, depth + 1)
          })
          this.buf += '}'
        } else {
          this.buf += '['
          g.v.forEach((e, i) => {
            if (i > 0) this.buf += ' '
            this.printValue(goVal(e), verb, depth + 1)
          })
          this.buf += ']'
        }
        return
      case 'map': {
        const keys = Object.keys(g.v).sort(compareBytewise)
        this.buf += this.sharpV ? 'map[string]interface {}{' : 'map['
        keys.forEach((k, i) => {
          if (i > 0) this.buf += this.sharpV ? ', ' : ' '
          this.printValue({ k: 'string', t: 'string', v: k, stringer: false }, verb, depth + 1)
          this.buf += ':'
          this.printValue(goVal(g.v[k]!), verb, depth + 1)
        })
        this.buf += this.sharpV ? '}' : ']'
      }
    }
  }
}
