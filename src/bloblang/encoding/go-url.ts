/**
 * Go `net/url.Parse` and `url.ParseQuery`, for `parse_url` and `parse_form_url_encoded`: the same
 * split into scheme / opaque / user / host / path / raw_path / raw_query / fragment, the same
 * percent-decoding rules per component and the same error texts. Works on UTF-8 bytes like Go.
 */
import { goQuote } from '../../value/text/strconv-quote.js'
import { UrlError, escapeUrl, unescapeUrl, type UrlMode } from './go-url-escape.js'

export { UrlError }

export interface GoUrl {
  scheme: string
  opaque: string
  user?: { name: string; password?: string }
  host: string
  path: string
  rawPath: string
  rawQuery: string
  fragment: string
  rawFragment: string
}

const enc = (s: string): Uint8Array => Buffer.from(s, 'utf8')
const dec = (b: Uint8Array): string => Buffer.from(b).toString('utf8')

function validOptionalPort(port: string): boolean {
  if (port === '') return true
  if (port[0] !== ':') return false
  return /^\d*$/.test(port.slice(1))
}

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']')
    if (i < 0) throw new UrlError("missing ']' in host")
    const colonPort = host.slice(i + 1)
    if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${goQuote(colonPort)} after host`)
    const zone = host.slice(0, i).indexOf('%25')
    if (zone >= 0) {
      return (
        dec(unescapeUrl(enc(host.slice(0, zone)), 'host')) +
        dec(unescapeUrl(enc(host.slice(zone, i)), 'zone')) +
        dec(unescapeUrl(enc(host.slice(i)), 'host'))
      )
    }
  } else {
    const i = host.lastIndexOf(':')
    if (i !== -1) {
      const colonPort = host.slice(i)
      if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${goQuote(colonPort)} after host`)
    }
  }
  return dec(unescapeUrl(enc(host), 'host'))
}

function parseAuthority(authority: string): Pick<GoUrl, 'user' | 'host'> {
  const at = authority.lastIndexOf('@')
  const host = parseHost(at < 0 ? authority : authority.slice(at + 1))
  if (at < 0) return { host }
  const userinfo = authority.slice(0, at)
  if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) throw new UrlError('net/url: invalid userinfo')
  const colon = userinfo.indexOf(':')
  if (colon < 0) return { host, user: { name: dec(unescapeUrl(enc(userinfo), 'userPassword')) } }
  return {
    host,
    user: {
      name: dec(unescapeUrl(enc(userinfo.slice(0, colon)), 'userPassword')),
      password: dec(unescapeUrl(enc(userinfo.slice(colon + 1)), 'userPassword')),
    },
  }
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i)
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) continue
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
      if (i === 0) return ['', raw]
      continue
    }
    if (c === 0x3a) {
      if (i === 0) throw new UrlError('missing protocol scheme')
      return [raw.slice(0, i), raw.slice(i + 1)]
    }
    return ['', raw]
  }
  return ['', raw]
}

/** Decoded component plus its raw form when that differs from the default encoding. */
function decodeKeepingRaw(raw: string, mode: UrlMode): [string, string] {
  const b = enc(raw)
  const decoded = unescapeUrl(b, mode)
  return [dec(decoded), escapeUrl(decoded, mode) === raw ? '' : raw]
}

function parseWithoutFragment(raw: string): GoUrl {
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new UrlError('net/url: invalid control character in URL')
  const u: GoUrl = { scheme: '', opaque: '', host: '', path: '', rawPath: '', rawQuery: '', fragment: '', rawFragment: '' }
  if (raw === '*') {
    u.path = '*'
    return u
  }
  let rest: string
  ;[u.scheme, rest] = getScheme(raw)
  u.scheme = u.scheme.toLowerCase()
  if (rest.endsWith('?') && rest.split('?').length === 2) rest = rest.slice(0, -1)
  else {
    const q = rest.indexOf('?')
    if (q >= 0) {
      u.rawQuery = rest.slice(q + 1)
      rest = rest.slice(0, q)
    }
  }
  if (!rest.startsWith('/')) {
    if (u.scheme !== '') {
      // Rootless paths are opaque (mailto:x@y, urn:a:b).
      u.opaque = rest
      return u
    }
    const segment = rest.split('/')[0]!
    if (segment.includes(':')) throw new UrlError('first path segment in URL cannot contain colon')
  }
  if ((u.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2)
    rest = ''
    const slash = authority.indexOf('/')
    if (slash >= 0) {
      rest = authority.slice(slash)
      authority = authority.slice(0, slash)
    }
    const a = parseAuthority(authority)
    u.host = a.host
    if (a.user !== undefined) u.user = a.user
  }
  ;[u.path, u.rawPath] = decodeKeepingRaw(rest, 'path')
  return u
}

/** Go `url.Parse`; errors read `parse "<url>": <reason>`. */
export function parseGoUrl(raw: string): GoUrl {
  const hash = raw.indexOf('#')
  const main = hash < 0 ? raw : raw.slice(0, hash)
  const frag = hash < 0 ? '' : raw.slice(hash + 1)
  let u: GoUrl
  try {
    u = parseWithoutFragment(main)
  } catch (e) {
    if (e instanceof UrlError) throw new UrlError(`parse ${goQuote(main)}: ${e.message}`)
    throw e
  }
  if (frag === '') return u
  try {
    ;[u.fragment, u.rawFragment] = decodeKeepingRaw(frag, 'fragment')
  } catch (e) {
    if (e instanceof UrlError) throw new UrlError(`parse ${goQuote(raw)}: ${e.message}`)
    throw e
  }
  return u
}

/**
 * Go `url.ParseQuery`: `&`-separated pairs, `+` as space, values in order per key. Bad pairs are
 * skipped but the first error is reported (`;` separators are rejected, as in Go 1.17+).
 */
export function parseGoQuery(query: string): { values: Map<string, string[]>; error?: string } {
  const values = new Map<string, string[]>()
  let error: string | undefined
  for (const part of query.split('&')) {
    if (part === '') continue
    if (part.includes(';')) {
      error ??= 'invalid semicolon separator in query'
      continue
    }
    const eq = part.indexOf('=')
    const rawKey = eq < 0 ? part : part.slice(0, eq)
    const rawValue = eq < 0 ? '' : part.slice(eq + 1)
    let key: string
    let value: string
    try {
      key = dec(unescapeUrl(enc(rawKey), 'queryComponent'))
      value = dec(unescapeUrl(enc(rawValue), 'queryComponent'))
    } catch (e) {
      if (!(e instanceof UrlError)) throw e
      error ??= e.message
      continue
    }
    const list = values.get(key)
    if (list === undefined) values.set(key, [value])
    else list.push(value)
  }
  return error === undefined ? { values } : { values, error }
}
