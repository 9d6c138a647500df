/** Stream ids become URL path segments, worker names and state-directory keys (config/names.ts). */
import { checkName } from '../config/names.js'

/** An error text for a bad id, or undefined when it is acceptable. */
export function checkStreamId(id: string): string | undefined {
  return checkName('stream id', id)
}

/** A resource label from `POST /resources/{type}/{id}` or a resource file. */
export function checkResourceLabel(label: string): string | undefined {
  return checkName('resource label', label)
}
