/**
 * Structural JSON comparison with the explanation `weir test` prints for `json_equals` and
 * `json_contains`: the format of nsf/jsondiff with its console options (four-space indent, ANSI
 * colours for added, removed and changed parts), which the reference prints whether or not its
 * output is a terminal. Map keys are sorted (Go's map order is random there, so no order is
 * "right"; sorted keeps the output stable).
 */
import { goQuote } from '../value/text/strconv-quote.js'
import { formatFloatG } from '../value/format-number.js'

export type JsonMatch = 'full' | 'superset' | 'none' | 'first-invalid' | 'second-invalid' | 'both-invalid'

interface Tag {
  begin: string
  end: string
}

const NORMAL: Tag = { begin: '', end: '' }
const ADDED: Tag = { begin: '\x1b[0;32m', end: '\x1b[0m' }
const REMOVED: Tag = { begin: '\x1b[0;31m', end: '\x1b[0m' }
const CHANGED: Tag = { begin: '\x1b[0;33m', end: '\x1b[0m' }
const INDENT = '    '

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

function parse(text: string): { ok: true; v: Json } | { ok: false } {
  try {
    return { ok: true, v: JSON.parse(text) as Json }
  } catch {
    return { ok: false }
  }
}

/** Compares `a` (the message) against `b` (the expectation). */
export function compareJson(a: string, b: string): { match: JsonMatch; explanation: string } {
  const pa = parse(a)
  const pb = parse(b)
  if (!pa.ok && !pb.ok) return { match: 'both-invalid', explanation: 'both arguments are invalid json' }
  if (!pa.ok) return { match: 'first-invalid', explanation: 'first argument is invalid json' }
  if (!pb.ok) return { match: 'second-invalid', explanation: 'second argument is invalid json' }
  const w = new DiffWriter()
  w.diff(pa.v, pb.v)
  if (w.last) w.out += w.last.end
  return { match: w.result, explanation: w.out }
}

function kind(v: Json): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  return typeof v
}

class DiffWriter {
  out = ''
  level = 0
  last: Tag | undefined
  result: 'full' | 'superset' | 'none' = 'full'

  newline(s: string): void {
    this.out += s
    if (this.last) this.out += this.last.end
    this.out += '\n' + INDENT.repeat(this.level)
    if (this.last) this.out += this.last.begin
  }

  tag(t: Tag): void {
    if (this.last === t) return
    if (this.last) this.out += this.last.end
    this.out += t.begin
    this.last = t
  }

  record(d: 'full' | 'superset' | 'none'): void {
    if (d === 'none') this.result = 'none'
    else if (d === 'superset' && this.result !== 'none') this.result = 'superset'
  }

  key(k: string): void {
    this.out += `${goQuote(k)}: `
  }

  value(v: Json, full: boolean): void {
    if (v === null) this.out += 'null'
    else if (typeof v === 'boolean') this.out += String(v)
    else if (typeof v === 'number') this.out += formatFloatG(v)
    else if (typeof v === 'string') this.out += goQuote(v)
    else if (Array.isArray(v)) {
      if (!full) {
        this.out += '[]'
        return
      }
      this.open('[', v.length)
      v.forEach((x, i) => {
        this.value(x, true)
        this.close(i, v.length)
      })
      this.out += ']'
    } else {
      if (!full) {
        this.out += '{}'
        return
      }
      const keys = Object.keys(v).sort()
      this.open('{', keys.length)
      keys.forEach((k, i) => {
        this.key(k)
        this.value(v[k]!, true)
        this.close(i, keys.length)
      })
      this.out += '}'
    }
  }

  open(bracket: string, n: number): void {
    if (n === 0) this.out += bracket
    else {
      this.level++
      this.newline(bracket)
    }
  }

  close(i: number, n: number): void {
    if (i !== n - 1) this.newline(',')
    else {
      this.level--
      this.newline('')
    }
  }

  mismatch(a: Json, b: Json): void {
    this.tag(CHANGED)
    this.value(a, false)
    this.out += ' => '
    this.value(b, false)
    this.record('none')
  }

  diff(a: Json, b: Json): void {
    if (a === null || b === null) {
      if (a === null && b === null) {
        this.tag(NORMAL)
        this.value(a, false)
        this.record('full')
      } else this.mismatch(a, b)
      return
    }
    if (kind(a) !== kind(b)) return this.mismatch(a, b)
    if (Array.isArray(a) && Array.isArray(b)) return this.diffArrays(a, b)
    if (typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) return this.diffObjects(a, b)
    if (a !== b) return this.mismatch(a, b)
    this.tag(NORMAL)
    this.value(a, true)
    this.record('full')
  }

  diffArrays(a: Json[], b: Json[]): void {
    const max = Math.max(a.length, b.length)
    this.tag(NORMAL)
    this.open('[', max)
    for (let i = 0; i < max; i++) {
      if (i < a.length && i < b.length) this.diff(a[i]!, b[i]!)
      else if (i < a.length) {
        this.tag(REMOVED)
        this.value(a[i]!, true)
        this.record('superset')
      } else {
        this.tag(ADDED)
        this.value(b[i]!, true)
        this.record('none')
      }
      this.tag(NORMAL)
      this.close(i, max)
    }
    this.out += ']'
  }

  diffObjects(a: { [k: string]: Json }, b: { [k: string]: Json }): void {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
    this.tag(NORMAL)
    this.open('{', keys.length)
    keys.forEach((k, i) => {
      const inA = Object.hasOwn(a, k)
      const inB = Object.hasOwn(b, k)
      if (inA && inB) {
        this.key(k)
        this.diff(a[k]!, b[k]!)
      } else if (inA) {
        this.tag(REMOVED)
        this.key(k)
        this.value(a[k]!, true)
        this.record('superset')
      } else {
        this.tag(ADDED)
        this.key(k)
        this.value(b[k]!, true)
        this.record('none')
      }
      this.tag(NORMAL)
      this.close(i, keys.length)
    })
    this.out += '}'
  }
}
