/**
 * Time helpers shared by the Bloblang time methods, the core (`.timestamp()`, `now()`) and the
 * host (Go durations in config fields and query parameters).
 */
export { parseGoDuration, parseGoDurationExact, formatGoDuration, type DurationResult } from './go-duration.js'
export { formatLayout, parseLayout, RFC3339, RFC3339_NANO, type ParseResult } from './go-layout.js'
export { strftime, strptime, type StrptimeResult } from './strftime.js'
export { parsePeriod, addPeriod, negatePeriod, periodApproxNanos, type Period, type PeriodResult } from './iso8601.js'
export { dateIn, addDate, addNanos, subNanos, roundTime, unixNano, unixMilli, unixMicro, fromUnix, isoWeek } from './go-time.js'
export { parseRFC3339, formatRFC3339Nano } from './rfc3339.js'
