/** Go's `Regexp.Expand`: `$1`, `${1}`, `$name`, `${name}` and `$$` in replacement templates. */
import type { Re2, Re2Match } from './re2-match.js'

const TEMPLATE_NAME = /^[\p{L}\p{Nd}_]+/u

/** Go `Regexp.Expand` for one match. */
export function expandTemplate(r: Re2, template: string, m: Re2Match): string {
  let out = ''
  let rest = template
  for (;;) {
    const dollar = rest.indexOf('$')
    if (dollar < 0) break
    out += rest.slice(0, dollar)
    rest = rest.slice(dollar + 1)
    if (rest.startsWith('$')) {
      out += '$'
      rest = rest.slice(1)
      continue
    }
    const brace = rest.startsWith('{')
    const body = brace ? rest.slice(1) : rest
    const nm = TEMPLATE_NAME.exec(body)
    if (nm === null || (brace && body[nm[0].length] !== '}')) {
      out += '$'
      continue
    }
    const name = nm[0]
    rest = body.slice(name.length + (brace ? 1 : 0))
    let num = -1
    if (/^[0-9]+$/.test(name) && !(name.length > 1 && name[0] === '0') && name.length <= 9) num = Number(name)
    if (num >= 0) {
      if (num < m.length) out += m[num] ?? ''
    } else {
      // Names may repeat: the first group of that name that took part in the match counts.
      for (let i = 1; i < r.names.length; i++) {
        if (r.names[i] === name && m[i] !== undefined) {
          out += m[i]
          break
        }
      }
    }
  }
  return out + rest
}
