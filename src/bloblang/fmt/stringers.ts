/** Go's `String()` / `GoString()` of the Stringer types fmt meets here (time.Time). */
import { LONG_MONTHS, formatLayout } from '../../value/time/go-layout.js'
import type { Timestamp } from '../../value/timestamp.js'
import { goQuote } from '../../value/text/strconv-quote.js'

/** Go `time.Time.String()`. */
export function goTimeString(t: Timestamp): string {
  return formatLayout(t, '2006-01-02 15:04:05.999999999 -0700 MST')
}

/** Go `time.Time.GoString()`. */
export function goTimeGoString(t: Timestamp): string {
  const c = t.civil()
  const name = t.zone.name
  const loc = name === 'UTC' ? 'time.UTC' : name === 'Local' ? 'time.Local' : `time.Location(${goQuote(name)})`
  return `time.Date(${c.year}, time.${LONG_MONTHS[c.month - 1]}, ${c.day}, ${c.hour}, ${c.minute}, ${c.second}, ${c.nsec}, ${loc})`
}
