/** Duration fields as milliseconds, with the reference's error text for bad values. */
import { parseDuration } from '../../config/duration.js'
import { invalid } from './field-error.js'

/** Parses a Go duration field; throws a located build error when it does not parse. */
export function durationField(field: string, value: unknown): number {
  const ms = typeof value === 'string' ? parseDuration(value) : undefined
  if (ms === undefined) throw invalid(field, `time: invalid duration "${String(value)}"`)
  return ms
}
