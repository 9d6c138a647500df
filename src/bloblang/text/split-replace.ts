/** Go's `strings.Split` / `ReplaceAll` and their `bytes` twins, with Go's rules for empty separators. */
import { concatBytes, indexOfBytes } from './bytes.js'
import { runeBounds } from '../../value/text/utf8.js'

/** Go `strings.Split`: an empty separator splits into characters. */
export function splitString(s: string, sep: string): string[] {
  return sep === '' ? Array.from(s) : s.split(sep)
}

/** Go `bytes.Split`: an empty separator splits into UTF-8 sequences. */
export function splitBytes(b: Uint8Array, sep: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = []
  if (sep.length === 0) {
    const bounds = runeBounds(b)
    for (let i = 0; i + 1 < bounds.length; i++) out.push(b.subarray(bounds[i]!, bounds[i + 1]!))
    return out
  }
  let from = 0
  for (;;) {
    const at = indexOfBytes(b, sep, from)
    if (at < 0) break
    out.push(b.subarray(from, at))
    from = at + sep.length
  }
  out.push(b.subarray(from))
  return out
}

/** Go `strings.ReplaceAll`: an empty `old` matches before every character and at the end. */
export function replaceString(s: string, old: string, rep: string): string {
  if (old === '') {
    let out = rep
    for (const ch of s) out += ch + rep
    return out
  }
  // Native replaceAll is several times faster than split + join, but reads `$` in a string
  // replacement as a pattern (`$&`, `$$`, ...).
  return rep.indexOf('$') === -1 ? s.replaceAll(old, rep) : s.split(old).join(rep)
}

/** Go `bytes.ReplaceAll`. */
export function replaceBytes(b: Uint8Array, old: Uint8Array, rep: Uint8Array): Uint8Array {
  if (old.length === 0) {
    const bounds = runeBounds(b)
    const parts: Uint8Array[] = [rep]
    for (let i = 0; i + 1 < bounds.length; i++) parts.push(b.subarray(bounds[i]!, bounds[i + 1]!), rep)
    return concatBytes(parts)
  }
  const pieces = splitBytes(b, old)
  const parts: Uint8Array[] = []
  pieces.forEach((p, i) => {
    if (i > 0) parts.push(rep)
    parts.push(p)
  })
  return concatBytes(parts)
}
