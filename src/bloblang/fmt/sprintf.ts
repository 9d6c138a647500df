/** Go's `fmt.Sprintf`: the format-string scanner (flags, width, precision, `[n]` indexes, `*`). */
import type { Result } from '../../value/value-types.js'
import { goTypeName, goVal, isUntypedNil } from './go-value.js'
import { GoPrinter } from './printer.js'

const MAX_ARG_NUMBER = 1e6

/** Digits at i..end as a number (Go parsenum); undefined when there are none or too many. */
function parseNum(s: string, i: number, end: number): { num: number; ok: boolean; next: number } {
  if (i >= end) return { num: 0, ok: false, next: i }
  let num = 0
  let ok = false
  let k = i
  for (; k < end && s.charCodeAt(k) >= 48 && s.charCodeAt(k) <= 57; k++) {
    if (num > MAX_ARG_NUMBER) return { num: 0, ok: false, next: end }
    num = num * 10 + (s.charCodeAt(k) - 48)
    ok = true
  }
  return { num, ok, next: k }
}

/** Go `fmt.Sprintf(format, args...)`. */
export function goSprintf(format: string, args: readonly Result[]): string {
  const p = new GoPrinter()
  const a = args.map(goVal)
  const end = format.length
  let argNum = 0
  let reordered = false
  let goodArgNum = true
  let afterIndex = false

  /** Go argNumber: an explicit `[n]` index at i; sets afterIndex like the reference. */
  const argNumber = (i: number): number => {
    if (i >= end || format[i] !== '[') {
      afterIndex = false
      return i
    }
    reordered = true
    const close = format.indexOf(']', i + 1)
    if (i + 3 > end || close < 0) {
      goodArgNum = false
      afterIndex = false
      return i + 1
    }
    const n = parseNum(format, i + 1, close)
    if (!n.ok || n.next !== close) {
      goodArgNum = false
      afterIndex = false
      return close + 1
    }
    const index = n.num - 1
    if (index >= 0 && index < a.length) argNum = index
    else goodArgNum = false
    afterIndex = true
    return close + 1
  }

  const intFromArg = (): { num: number; isInt: boolean } => {
    let num = 0
    let isInt = false
    if (argNum < a.length) {
      const g = a[argNum]!
      if (g.k === 'int' && g.v >= -(2n ** 63n) && g.v < 2n ** 63n) {
        num = Number(g.v)
        isInt = true
      }
      argNum++
      if (num > MAX_ARG_NUMBER || num < -MAX_ARG_NUMBER) {
        num = 0
        isInt = false
      }
    }
    return { num, isInt }
  }

  let i = 0
  formatLoop: while (i < end) {
    goodArgNum = true
    const last = i
    while (i < end && format[i] !== '%') i++
    if (i > last) p.buf += format.slice(last, i)
    if (i >= end) break
    i++
    p.clearFlags()
    simple: for (; i < end; i++) {
      const c = format[i]!
      switch (c) {
        case '#':
          p.sharp = true
          break
        case '0':
          p.zero = !p.minus
          break
        case '+':
          p.plus = true
          break
        case '-':
          p.minus = true
          p.zero = false
          break
        case ' ':
          p.space = true
          break
        default:
          if (c >= 'a' && c <= 'z' && argNum < a.length) {
            if (c === 'v') {
              p.sharpV = p.sharp
              p.sharp = false
              p.plusV = p.plus
              p.plus = false
            }
            p.printArg(a[argNum]!, c)
            argNum++
            i++
            continue formatLoop
          }
          break simple
      }
    }
    i = argNumber(i)
    if (i < end && format[i] === '*') {
      i++
      const w = intFromArg()
      p.wid = w.num
      p.widPresent = w.isInt
      if (!p.widPresent) p.buf += '%!(BADWIDTH)'
      if (p.wid < 0) {
        p.wid = -p.wid
        p.minus = true
        p.zero = false
      }
      afterIndex = false
    } else {
      const n = parseNum(format, i, end)
      p.wid = n.num
      p.widPresent = n.ok
      i = n.next
      if (afterIndex && p.widPresent) goodArgNum = false
    }
    if (i + 1 < end && format[i] === '.') {
      i++
      if (afterIndex) goodArgNum = false
      i = argNumber(i)
      if (i < end && format[i] === '*') {
        i++
        const pr = intFromArg()
        p.prec = pr.num
        p.precPresent = pr.isInt
        if (p.prec < 0) {
          p.prec = 0
          p.precPresent = false
        }
        if (!p.precPresent) p.buf += '%!(BADPREC)'
        afterIndex = false
      } else {
        const n = parseNum(format, i, end)
        p.prec = n.num
        p.precPresent = n.ok
        i = n.next
        if (!p.precPresent) {
          p.prec = 0
          p.precPresent = true
        }
      }
    }
    if (!afterIndex) i = argNumber(i)
    if (i >= end) {
      p.buf += '%!(NOVERB)'
      break
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!)
    i += verb.length
    if (verb === '%') p.buf += '%'
    else if (!goodArgNum) p.buf += `%!${verb}(BADINDEX)`
    else if (argNum >= a.length) p.buf += `%!${verb}(MISSING)`
    else {
      if (verb === 'v') {
        p.sharpV = p.sharp
        p.sharp = false
        p.plusV = p.plus
        p.plus = false
      }
      p.printArg(a[argNum]!, verb)
      argNum++
    }
  }
  if (!reordered && argNum < a.length) {
    p.clearFlags()
    p.buf += '%!(EXTRA '
    a.slice(argNum).forEach((g, k) => {
      if (k > 0) p.buf += ', '
      if (isUntypedNil(g)) p.buf += '<nil>'
      else {
        p.buf += goTypeName(g) + '='
        p.printArg(g, 'v')
      }
    })
    p.buf += ')'
  }
  return p.buf
}
