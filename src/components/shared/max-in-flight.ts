/**
 * `max_in_flight` of the outputs that write messages in parallel: the field as the reference
 * documents it, and the build check every such output makes (at least 1, a whole number).
 */
import { f } from '../../spec/index.js'
import { invalid } from './field-error.js'

const DESCRIPTION = 'The maximum number of messages to have in flight at a given time. Increase this to improve throughput.'

export const maxInFlightField = (defaultValue: number, description: string = DESCRIPTION) => f.int('max_in_flight', { default: defaultValue, description })

/** Refuses a `max_in_flight` below 1 or not whole, naming the field. */
export function checkMaxInFlight(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw invalid('max_in_flight', `max in flight must be at least 1, got ${n}`)
}
