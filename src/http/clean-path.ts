/**
 * gorilla/mux's clean-path redirect, which the reference's servers apply before routing: a path
 * with `//`, `.` or `..` segments (after decoding) is answered 301 to its cleaned form (spec §7.3).
 */
import { posix } from 'node:path'
import { decodePath } from './router.js'

/**
 * The `Location` to redirect a request to, or undefined when the path of `target` (the request
 * target as received: path, then `?query`) is already clean. The usual clean path is decided with
 * three substring scans and no allocation. Targets that are not a path (`*`, absolute form) are
 * left alone.
 *
 * @example cleanPathRedirect('//a/../b?x=1') // '/b?x=1'
 */
export function cleanPathRedirect(target: string): string | undefined {
  if (target.charCodeAt(0) !== 0x2f) return undefined
  const q = target.indexOf('?')
  const end = q === -1 ? target.length : q
  if (!within(target.indexOf('//'), end) && !within(target.indexOf('/.'), end) && !within(target.indexOf('%'), end)) return undefined
  const raw = q === -1 ? target : target.slice(0, q)
  const path = raw.indexOf('%') === -1 ? raw : decodePath(raw)
  if (path.indexOf('//') === -1 && path.indexOf('/.') === -1) return undefined
  // posix.normalize is Go's path.Clean for rooted paths, except that it keeps a trailing slash,
  // which is what mux's cleanPath puts back.
  const cleaned = posix.normalize(path)
  if (cleaned === path) return undefined
  return escapePath(cleaned) + (q === -1 ? '' : target.slice(q))
}

function within(i: number, end: number): boolean {
  return i !== -1 && i < end
}

/** Go's `url.PathEscape` rules for a whole path (`/` kept), as `URL.String` writes a changed path. */
function escapePath(p: string): string {
  let out = ''
  for (const b of Buffer.from(p, 'utf8')) {
    out += KEEP.test(String.fromCharCode(b)) && b < 0x80 ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

const KEEP = /[A-Za-z0-9\-_.~$&+,/:;=@]/
