/**
 * RFC 3339 with Go's exact behaviour: `time.Parse(time.RFC3339Nano, s)` (lenient in the ways Go
 * is: `,` fractions, more than nine digits, one-digit hours; offsets the local zone uses resolve
 * to it) and `Time.Format(time.RFC3339Nano)`.
 */
import { formatRfc3339Nano, localZone, UTC, type Timestamp } from '../timestamp.js'
import { parseLayout, RFC3339_NANO, type ParseResult } from './go-layout.js'

/** `time.Parse(time.RFC3339Nano, s)`; the error text is Go's. */
export function parseRFC3339(s: string): ParseResult {
  return parseLayout(RFC3339_NANO, s, UTC, localZone())
}

/** `t.Format(time.RFC3339Nano)`: fraction trimmed of trailing zeros, `Z` for a zero offset. */
export function formatRFC3339Nano(t: Timestamp): string {
  return formatRfc3339Nano(t)
}
