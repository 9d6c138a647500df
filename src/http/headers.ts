/**
 * The two header shapes of Weir's HTTP surface and nothing else: endpoint handlers answer with
 * ordered name/value pairs (`HeaderPairs`); on the wire, and in node's `rawHeaders`, headers are one
 * flat list (`name, value, name, value...`). Only `responseHead` (response.ts) turns the first into
 * the second, for both the shared server and own-address servers.
 */

/** Response headers as endpoint handlers produce them: in order, repeats allowed, case as given. */
export type HeaderPairs = [string, string][]

/** Headers as node's `rawHeaders` and `writeHead(status, list)` have them: name, value, ... */
export type RawHeaders = readonly string[]

/**
 * The first value of header `lower` (a lower-case name) in raw headers, without building node's
 * header object; undefined when absent. `skipEmpty` passes over empty values (the Content-Type
 * rule of the reference's `http_server`).
 */
export function rawHeader(raw: RawHeaders, lower: string, skipEmpty = false): string | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = raw[i]!
    if (k.length === lower.length && sameName(k, lower) && !(skipEmpty && raw[i + 1] === '')) return raw[i + 1]
  }
  return undefined
}

/**
 * `k.toLowerCase() === lower` for an ASCII `lower` of the same length, without the lowered copy:
 * the shared server looks up Content-Length on every request. Anything past ASCII in `k` takes
 * `toLowerCase` (the Kelvin sign lowers to `k`).
 */
function sameName(k: string, lower: string): boolean {
  for (let j = 0; j < k.length; j++) {
    const c = k.charCodeAt(j)
    if (c > 0x7f) return k.toLowerCase() === lower
    if ((c >= 65 && c <= 90 ? c | 32 : c) !== lower.charCodeAt(j)) return false
  }
  return true
}
