/**
 * Cache failures by message, as the reference words them. Errors from a cache on the main thread
 * reach workers as data, so components match on the message, not the class.
 */
export const KEY_EXISTS = 'key already exists'
export const KEY_NOT_FOUND = 'key does not exist'

export function isKeyExists(err: unknown): boolean {
  return err instanceof Error && err.message === KEY_EXISTS
}
