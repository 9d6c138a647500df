/**
 * Names chosen by whoever writes a config or calls the API — stream ids and resource labels —
 * end up in URL paths, file names (the state directory), log lines and metric labels. The
 * reference validates stream ids not at all and resource labels only in lint (which `--chilled`
 * and `?chilled=true` skip); Weir refuses, always, what could escape a path segment, forge a log
 * line or bloat every series: separators, control characters, and names over 256 bytes.
 */
const MAX_NAME_BYTES = 256

/** An error text for a bad name, or undefined when it is acceptable. `what`: `stream id`, `resource label`. */
export function checkName(what: string, name: string): string | undefined {
  if (name === '') return `${what} must not be empty`
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) return `${what} is longer than ${MAX_NAME_BYTES} bytes`
  if (name === '.' || name === '..') return `${what} '${name}' is not allowed`
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f\u0085\u2028\u2029]/.test(name)) return `${what} must not contain control characters or line breaks`
  if (name.includes('/') || name.includes('\\')) return `${what} '${name}' must not contain '/' or '\\'`
  return undefined
}
