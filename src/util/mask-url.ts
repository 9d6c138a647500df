/**
 * Credentials in URLs (`scheme://user:password@host`), found by text alone: error texts, logs and
 * configs quote URLs that may not parse, and those must not leak either. The user info is what
 * precedes the last `@` of the authority, which ends at the first `/`, `?` or `#` (as Go's and
 * WHATWG parsers read it).
 */
const USER_INFO = /^([^:/?#]*:\/\/)([^/?#]*)@/

/**
 * A URL as it may be shown in an error, a log line or a stream's source: any user info (a
 * `user:password` pair, or a lone token, as NATS reads a bare user name) becomes `***`. Works on
 * text that does not parse as a URL too, since that is exactly what errors quote.
 */
export function maskUserInfo(url: string): string {
  return url.replace(USER_INFO, '$1***@')
}

/** What the user info of a URL may hide, split as clients read it. */
export interface UserInfo {
  user: string
  /** Undefined without a `:`; `''` for `user:@host`. */
  password: string | undefined
}

/**
 * The user info of every URL `text` holds: the whole text read as one URL, and each of its
 * comma-separated items (list fields expand those into several URLs, so a credential may sit in
 * any of them).
 *
 * @example userInfos('nats://a@h1,nats://b:pw@h2') // [{ user: 'a', password: undefined }, { user: 'b', password: 'pw' }]
 */
export function userInfos(text: string): UserInfo[] {
  const found = new Set<string>()
  for (const item of [text, ...text.split(',')]) {
    const m = USER_INFO.exec(item.trim())
    if (m) found.add(m[2]!)
  }
  return [...found].map((info) => {
    const colon = info.indexOf(':')
    return colon < 0 ? { user: info, password: undefined } : { user: info.slice(0, colon), password: info.slice(colon + 1) }
  })
}
