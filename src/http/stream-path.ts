/**
 * Where a stream's endpoint lives on the shared server when prefixing is on: Go's
 * `path.Join("/", stream, path)`, as the reference's stream-scoped manager registers it.
 */
import { posix } from 'node:path'

/**
 * `path.Join("/", stream, path)`: joined and cleaned, which also drops a trailing slash, so a
 * prefix route (`/foo/`) becomes the exact `/<stream>/foo` (spec §7.3 quirk, kept for parity).
 * node's `posix.join` keeps the slash and would keep the prefix.
 *
 * @example streamPath('orders', '/in/') // '/orders/in'
 */
export function streamPath(stream: string, path: string): string {
  const joined = posix.join('/', stream, path)
  return joined.length > 1 && joined.endsWith('/') ? joined.slice(0, -1) : joined
}
