/**
 * Looking up one header in node's flat raw headers (`name, value, name, value...`), where reading
 * `req.headers` would build an object of every header for it.
 */

/**
 * The first value of header `lower` (a lower-case name); undefined when absent. `skipEmpty`
 * passes over empty values (the Content-Type rule of the reference's `http_server`).
 */
export function rawHeader(raw: readonly string[], lower: string, skipEmpty = false): string | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = raw[i]!
    if (k.length === lower.length && k.toLowerCase() === lower && !(skipEmpty && raw[i + 1] === '')) return raw[i + 1]
  }
  return undefined
}
