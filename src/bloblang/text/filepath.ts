/** Go's `path/filepath.Clean` and `Join` on Unix (the reference runs with `/` separators). */

/** Go `filepath.Clean`. */
export function cleanPath(path: string): string {
  if (path === '') return '.'
  const rooted = path.startsWith('/')
  const parts: string[] = []
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop()
      else if (!rooted) parts.push('..')
      continue
    }
    parts.push(seg)
  }
  const joined = parts.join('/')
  if (rooted) return '/' + joined
  return joined === '' ? '.' : joined
}

/** Go `filepath.Join`: empty elements are ignored; all empty gives "". */
export function joinPath(elems: readonly string[]): string {
  const first = elems.findIndex((e) => e !== '')
  return first < 0 ? '' : cleanPath(elems.slice(first).join('/'))
}
