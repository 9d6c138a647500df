/**
 * Interpolated config strings (spec §20): literal text mixed with `${! query }` parts; `${{! x }}`
 * is the escape for a literal `${! x }`. Each query result is converted with the string
 * conversion of §10.
 */
import type { Message } from '../message/message.js'
import type { Source } from './ast.js'
import { stringToBytes, valueToBytesConv, valueToString } from '../value/coerce.js'
import { Compiler, type CompileEnv, type Fn } from './compiler.js'
import { parseErrorToWeir, runOnMessage } from './host-boundary.js'
import { ParseError, Parser } from './parser.js'

export interface Interpolation {
  /** True when the string has no `${!` part (the value never changes). */
  readonly isStatic: boolean
  string(batch: readonly Message[], index: number): string
  bytes(batch: readonly Message[], index: number): Uint8Array
}

type Part = string | Fn

export function compileInterpolationWith(text: string, env: CompileEnv): Interpolation {
  const src: Source = { text, file: '' }
  const parts: Part[] = []
  let lit = ''
  let i = 0
  try {
    while (i < text.length) {
      if (text.startsWith('${{!', i)) {
        const end = text.indexOf('}}', i + 4)
        if (end < 0) throw new ParseError('required: expected end of escaped expression', text.length, src)
        lit += '${!' + text.slice(i + 4, end) + '}'
        i = end + 2
        continue
      }
      if (text.startsWith('${!', i)) {
        const p = new Parser(src)
        p.pos = i + 3
        const e = p.query()
        while (text[p.pos] === ' ' || text[p.pos] === '\t') p.pos++
        if (text[p.pos] !== '}') throw new ParseError('required: expected end of expression', p.pos, src)
        if (lit !== '') parts.push(lit)
        lit = ''
        parts.push(new Compiler(env, src).expr(e).fn)
        i = p.pos + 1
        continue
      }
      lit += text[i]
      i++
    }
  } catch (err) {
    if (err instanceof ParseError) throw parseErrorToWeir(err, src)
    throw err
  }
  if (lit !== '') parts.push(lit)
  if (parts.every((p) => typeof p === 'string')) {
    const s = parts.join('')
    const b = stringToBytes(s)
    return { isStatic: true, string: () => s, bytes: () => b }
  }
  return {
    isStatic: false,
    string(batch, index) {
      let s = ''
      for (const p of parts) s += typeof p === 'string' ? p : valueToString(runOnMessage(p, batch, index))
      return s
    },
    bytes(batch, index) {
      if (parts.length === 1 && typeof parts[0] !== 'string') return valueToBytesConv(runOnMessage(parts[0]!, batch, index))
      return stringToBytes(this.string(batch, index))
    },
  }
}
