/**
 * Stream ids become URL path segments and worker names, so hostile ones are refused up front.
 * The reference validates nothing; Weir rejects what would escape the `/<id>/...` prefix or
 * confuse logs.
 */
const MAX_ID_BYTES = 256

/** An error text for a bad id, or undefined when it is acceptable. */
export function checkStreamId(id: string): string | undefined {
  if (id === '') return 'stream id must not be empty'
  if (Buffer.byteLength(id) > MAX_ID_BYTES) return `stream id is longer than ${MAX_ID_BYTES} bytes`
  if (id === '.' || id === '..') return `stream id '${id}' is not allowed`
  if (id.includes('/') || id.includes('\\')) return `stream id '${id}' must not contain '/' or '\\'`
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(id)) return 'stream id must not contain control characters'
  return undefined
}
