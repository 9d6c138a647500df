/**
 * The `format` values gojsonschema 1.2.0 checks, with the Go parsers it uses (time.Parse,
 * url.Parse, regexp, net.ParseIP; mail.ParseAddress approximated by RFC 5322's address forms).
 * Any other format name passes.
 */
import { parseGoUrl, type GoUrl } from '../encoding/go-url.js'
import { compileRe2 } from '../regex/index.js'
import { parseLayout } from '../../value/time/go-layout.js'
import { net } from '../../util/lazy-builtins.js'

const HOSTNAME = /^([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]{0,61}[a-zA-Z0-9])(\.([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]{0,61}[a-zA-Z0-9]))*$/
// gojsonschema's `^([^{]*({[^}]*})?)*$`, written without its nested repetition: the same strings,
// without the exponential backtracking V8 would take on a long unbalanced input.
const URI_TEMPLATE = /^[^{]*(?:\{[^}]*\}[^{]*)*$/
const UUID = /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/
const JSON_POINTER = /^(?:\/(?:[^~/]|~0|~1)*)*$/
const REL_JSON_POINTER = /^(?:0|[1-9][0-9]*)(?:#|(?:\/(?:[^~/]|~0|~1)*)*)$/

const DATE_TIME_LAYOUTS = ['15:04:05', '15:04:05Z07:00', '2006-01-02', '2006-01-02T15:04:05Z07:00', '2006-01-02T15:04:05.999999999Z07:00']

function parses(layout: string, s: string): boolean {
  return parseLayout(layout, s).ok
}

function goUrl(s: string): GoUrl | undefined {
  try {
    return parseGoUrl(s)
  } catch {
    return undefined
  }
}

/** Go's net.ParseIP: dotted IPv4 without leading zeros, or IPv6 without a zone. */
function parseIp(s: string): boolean {
  return net().isIPv4(s) || (net().isIPv6(s) && !s.includes('%'))
}

const ATEXT = "[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~\\u0080-\\uffff]"
const DOT_ATOM = `${ATEXT}+(?:\\.${ATEXT}+)*`
const QUOTED = '"(?:[^"\\\\\\r\\n]|\\\\.)*"'
const ADDR_SPEC = `(?:${DOT_ATOM}|${QUOTED})@(?:${DOT_ATOM}|\\[[^\\[\\]\\\\]*\\])`
// One repetition of disjoint alternatives, so a failing match cannot backtrack exponentially.
const PHRASE = `(?:${ATEXT}|[ \\t.]|${QUOTED})*`
const EMAIL = new RegExp(`^[ \\t]*(?:${ADDR_SPEC}|${PHRASE}[ \\t]*<${ADDR_SPEC}>)[ \\t]*$`)

const CHECKERS: ReadonlyMap<string, (s: string) => boolean> = new Map<string, (s: string) => boolean>([
  ['date', (s) => parses('2006-01-02', s)],
  ['time', (s) => parses('15:04:05Z07:00', s) || parses('15:04:05', s)],
  ['date-time', (s) => DATE_TIME_LAYOUTS.some((l) => parses(l, s))],
  ['hostname', (s) => HOSTNAME.test(s) && s.length < 256],
  ['email', (s) => EMAIL.test(s)],
  ['idn-email', (s) => EMAIL.test(s)],
  ['ipv4', (s) => parseIp(s) && s.includes('.')],
  ['ipv6', (s) => parseIp(s) && s.includes(':')],
  ['uri', (s) => (goUrl(s)?.scheme ?? '') !== '' && !s.includes('\\')],
  ['uri-reference', (s) => goUrl(s) !== undefined && !s.includes('\\')],
  ['iri', (s) => (goUrl(s)?.scheme ?? '') !== '' && !s.includes('\\')],
  ['iri-reference', (s) => goUrl(s) !== undefined && !s.includes('\\')],
  [
    'uri-template',
    (s) => {
      const u = goUrl(s)
      return u !== undefined && !s.includes('\\') && URI_TEMPLATE.test(u.path)
    },
  ],
  ['uuid', (s) => UUID.test(s)],
  [
    'regex',
    (s) => {
      if (s === '') return true
      try {
        compileRe2(s)
        return true
      } catch {
        return false
      }
    },
  ],
  ['json-pointer', (s) => JSON_POINTER.test(s)],
  ['relative-json-pointer', (s) => REL_JSON_POINTER.test(s)],
])

/**
 * Whether `value` satisfies the named format. `undefined` stands for a non-string (a number),
 * which every known format refuses and every unknown one accepts.
 */
export function formatMatches(format: string, value: string | undefined): boolean {
  const check = CHECKERS.get(format)
  if (check === undefined) return true
  return value !== undefined && check(value)
}
