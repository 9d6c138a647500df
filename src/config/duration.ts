/**
 * Go duration strings for config fields, `?timeout=` and `uptime_str` (spec §16.1, §16.2). One
 * implementation serves Bloblang and the host: it lives with the time code.
 */
import { parseGoDuration } from '../value/time/go-duration.js'

export { parseGoDuration, formatGoDuration } from '../value/time/go-duration.js'

/** A Go duration in milliseconds (float), or undefined when it does not parse. */
export function parseDuration(s: string): number | undefined {
  const ns = parseGoDuration(s)
  return ns === undefined ? undefined : ns / 1e6
}
