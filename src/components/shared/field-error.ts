/**
 * Build-time failures of one config field: the error keeps its own details (a Bloblang error keeps
 * line and column inside the mapping) and gains the field's path relative to the component, which
 * the engine then prefixes with the component's config path.
 */
import { WeirError, weirError } from '../../errors.js'

/** Runs `fn`, relocating any error to `field` (`fields_mapping`, `sync_response.status`). */
export function atField<T>(field: string, fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    throw fieldError(field, err)
  }
}

export function fieldError(field: string, err: unknown): WeirError {
  if (err instanceof WeirError) return err.with({ path: err.data.path ? `${field}.${err.data.path}` : field })
  return weirError('CONFIG_INVALID', err instanceof Error ? err.message : String(err), { path: field })
}

/** A build error for `field` with our own message. */
export function invalid(field: string, message: string): WeirError {
  return weirError('CONFIG_INVALID', message, { path: field })
}
