/** Go's `html.EscapeString` and `html.UnescapeString` (HTML5 character-reference rules). */
import { isAsciiAlnum, unhexDigit } from '../../value/text/ascii.js'
import { ENTITY_DATA, LEGACY_ENTITIES, LONGEST_LEGACY_ENTITY } from './html-entities.js'

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;' }

/** Go `html.EscapeString`. */
export function escapeHtml(s: string): string {
  return s.replace(/[&'<>"]/g, (c) => HTML_ESCAPES[c]!)
}

// Windows-1252 meanings of the C1 range in numeric references (HTML5 "replacement table").
const C1_REPLACEMENTS = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
  0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
]

let entityMap: Map<string, string> | undefined

/** Named character references: `name;` for all, plus the legacy names valid without `;`. */
function entities(): Map<string, string> {
  if (entityMap === undefined) {
    entityMap = new Map()
    for (const entry of ENTITY_DATA.split(/\s+/)) {
      if (entry === '') continue
      const colon = entry.indexOf(':')
      const text = String.fromCodePoint(...entry.slice(colon + 1).split(',').map((h) => parseInt(h, 16)))
      entityMap.set(entry.slice(0, colon) + ';', text)
    }
    for (const name of LEGACY_ENTITIES.split(' ')) entityMap.set(name, entityMap.get(name + ';')!)
  }
  return entityMap
}

/** Go `html.UnescapeString`: named, decimal and hexadecimal references, HTML5 rules. */
export function unescapeHtml(s: string): string {
  if (!s.includes('&')) return s
  let out = ''
  let i = 0
  while (i < s.length) {
    const amp = s.indexOf('&', i)
    if (amp < 0) break
    out += s.slice(i, amp)
    const [text, next] = unescapeEntity(s, amp)
    out += text
    i = next
  }
  return out + s.slice(i)
}

/** One reference starting at the `&` at `at`: its text and the index after it. */
function unescapeEntity(s: string, at: number): [string, number] {
  let i = at + 1
  if (i >= s.length) return ['&', i]
  if (s[i] === '#') {
    if (s.length - at <= 3) return ['&', at + 1]
    i++
    let hex = false
    if (s[i] === 'x' || s[i] === 'X') {
      hex = true
      i++
    }
    let x = 0
    while (i < s.length) {
      const d = hex ? unhexDigit(s.charCodeAt(i)) : s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39 ? s.charCodeAt(i) - 0x30 : -1
      if (d < 0) break
      // Go accumulates in an int32 rune; keep the same wrap-around.
      x = (Math.imul(x, hex ? 16 : 10) + d) | 0
      i++
    }
    if (s[i] === ';') i++
    // The reference counts the `x` of a hex reference as matched, so "&#x;" is a (bad) reference.
    if (i - at <= 3) return ['&', at + 1]
    if (x >= 0x80 && x <= 0x9f) x = C1_REPLACEMENTS[x - 0x80]!
    else if (x <= 0 || (x >= 0xd800 && x <= 0xdfff) || x > 0x10ffff) x = 0xfffd
    return [String.fromCodePoint(x), i]
  }
  while (i < s.length && isAsciiAlnum(s.charCodeAt(i))) i++
  if (s[i] === ';') i++
  const name = s.slice(at + 1, i)
  if (name === '') return ['&', at + 1]
  const table = entities()
  const hit = table.get(name)
  if (hit !== undefined) return [hit, i]
  // Legacy references may end without `;` inside a longer run of letters ("&ampx" → "&x").
  const maxLen = Math.min(name.length - 1, LONGEST_LEGACY_ENTITY)
  for (let j = maxLen; j > 1; j--) {
    const legacy = table.get(name.slice(0, j))
    if (legacy !== undefined) return [legacy, at + 1 + j]
  }
  return [s.slice(at, i), i]
}
