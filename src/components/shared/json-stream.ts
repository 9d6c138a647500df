/**
 * Finds where concatenated JSON values end, for `unarchive: json_documents` and the
 * `json_documents` / `json_array` scanners (Go's `json.Decoder` framing). Only the extent is found
 * here; the value text is then parsed (and validated) by Bloblang's JSON parser.
 */

const WS = new Set([' ', '\t', '\n', '\r'])

/** Index of the first non-whitespace character at or after `i`. */
export function skipSpace(text: string, i: number): number {
  while (i < text.length && WS.has(text[i]!)) i++
  return i
}

/**
 * End (exclusive) of the JSON value starting at `start`, or `undefined` when the text ends first
 * and more may follow (`eof` false). At the end of input an unfinished value ends at the end.
 */
export function valueEnd(text: string, start: number, eof: boolean): number | undefined {
  const c = text[start]
  if (c === '{' || c === '[') {
    let depth = 0
    for (let i = start; i < text.length; i++) {
      const ch = text[i]
      if (ch === '"') {
        const end = stringEnd(text, i)
        if (end === undefined) return eof ? text.length : undefined
        i = end - 1
      } else if (ch === '{' || ch === '[') depth++
      else if (ch === '}' || ch === ']') {
        depth--
        if (depth === 0) return i + 1
      }
    }
    return eof ? text.length : undefined
  }
  if (c === '"') {
    const end = stringEnd(text, start)
    return end ?? (eof ? text.length : undefined)
  }
  // A literal or number: runs to the next delimiter.
  let i = start
  while (i < text.length && !WS.has(text[i]!) && !',]}[{"'.includes(text[i]!)) i++
  if (i === start) return start + 1
  if (i === text.length && !eof) return undefined
  return i
}

function stringEnd(text: string, start: number): number | undefined {
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i]
    if (ch === '\\') i++
    else if (ch === '"') return i + 1
  }
  return undefined
}
