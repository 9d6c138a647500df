/** RFC 4122 UUIDs: the canonical text form, and name-based (SHA-1, version 5) UUIDs with namespaces parsed the way gofrs/uuid does. */
import { Buffer } from 'node:buffer'
import { crypto } from '../../util/lazy-builtins.js'

const UUID_NAMESPACES: Record<string, string> = {
  dns: '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  url: '6ba7b811-9dad-11d1-80b4-00c04fd430c8',
  oid: '6ba7b812-9dad-11d1-80b4-00c04fd430c8',
  x500: '6ba7b814-9dad-11d1-80b4-00c04fd430c8',
}

/** The 16 bytes of a UUID in any form gofrs/uuid accepts, or undefined. */
function parseUuid(text: string): Buffer | undefined {
  let hex: string | undefined
  const plain = (t: string): string | undefined => {
    if (t.length === 32) return t
    if (t.length === 36 && t[8] === '-' && t[13] === '-' && t[18] === '-' && t[23] === '-') return t.replace(/-/g, '')
    return undefined
  }
  if (text.length === 32 || text.length === 36) hex = plain(text)
  else if (text.length === 38 && text.startsWith('{') && text.endsWith('}')) hex = plain(text.slice(1, -1))
  else if ((text.length === 41 || text.length === 45) && text.startsWith('urn:uuid:')) hex = plain(text.slice(9))
  if (hex === undefined || !/^[0-9a-fA-F]{32}$/.test(hex)) return undefined
  return Buffer.from(hex, 'hex')
}

/** The canonical text form (8-4-4-4-12 lower-case hex digits) of 16 UUID bytes. */
export function formatUuid(b: Uint8Array): string {
  const h = Buffer.from(b).toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** The version 5 UUID of `name` in the namespace `ns` (16 bytes), in its canonical text form. */
export function uuidV5(ns: Uint8Array, name: Uint8Array): string {
  const sum = crypto().createHash('sha1').update(ns).update(name).digest()
  sum[6] = (sum[6]! & 0x0f) | 0x50
  sum[8] = (sum[8]! & 0x3f) | 0x80
  return formatUuid(sum.subarray(0, 16))
}

/**
 * The namespace bytes for `ns`: one of dns, url, oid, x500 (all lower or all upper case) or a
 * UUID in any form gofrs/uuid accepts; undefined when it is neither.
 */
export function uuidNamespace(ns: string): Uint8Array | undefined {
  const known = UUID_NAMESPACES[ns.toLowerCase()]
  return known !== undefined && (ns === ns.toLowerCase() || ns === ns.toUpperCase()) ? parseUuid(known) : parseUuid(ns)
}
