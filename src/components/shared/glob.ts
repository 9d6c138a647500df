/**
 * Path glob expansion for the `file` input (`*`, `?`, `[...]`, and `**` for any number of
 * directories), done once at construction like the reference. Paths without glob characters are
 * kept as written (a missing file then fails when it is opened).
 */
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'

const META = /[*?[]/

export async function expandGlobs(patterns: readonly string[]): Promise<string[]> {
  const out: string[] = []
  for (const p of patterns) {
    if (!META.test(p)) {
      out.push(p)
      continue
    }
    const abs = p.startsWith('/')
    const segs = p.split('/').filter((s, i) => s !== '' || i === 0)
    if (abs) segs.shift()
    await walk(abs ? '/' : '', segs, 0, out)
  }
  return out
}

async function walk(base: string, segs: string[], i: number, out: string[]): Promise<void> {
  if (i === segs.length) {
    if (base !== '') out.push(base)
    return
  }
  const seg = segs[i]!
  if (seg === '**') {
    await walk(base, segs, i + 1, out)
    for (const d of await entries(base, true)) await walk(join(base, d), segs, i, out)
    return
  }
  if (!META.test(seg)) {
    const next = base === '' ? seg : join(base, seg)
    if (i === segs.length - 1) {
      const names = await entries(base, false)
      if (names.includes(seg)) out.push(next)
      return
    }
    await walk(next, segs, i + 1, out)
    return
  }
  const re = segmentRegExp(seg)
  const last = i === segs.length - 1
  for (const name of await entries(base, !last)) {
    if (re.test(name)) await walk(base === '' ? name : join(base, name), segs, i + 1, out)
  }
}

/** Sorted entry names of `dir` ('' = cwd); only directories when `dirsOnly`. */
async function entries(dir: string, dirsOnly: boolean): Promise<string[]> {
  try {
    const list = await readdir(dir === '' ? '.' : dir, { withFileTypes: true })
    return list
      .filter((d) => !dirsOnly || d.isDirectory())
      .map((d) => d.name)
      .sort()
  } catch {
    return []
  }
}

/** Go `path.Match` syntax for one segment. */
export function segmentRegExp(seg: string): RegExp {
  let re = '^'
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!
    if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else if (c === '[') {
      const close = seg.indexOf(']', i + 2)
      if (close === -1) {
        re += '\\['
        continue
      }
      let cls = seg.slice(i + 1, close)
      if (cls.startsWith('^') || cls.startsWith('!')) cls = `^${cls.slice(1)}`
      re += `[${cls.replace(/\\/g, '\\\\')}]`
      i = close
    } else if (c === '\\' && i + 1 < seg.length) {
      re += `\\${seg[++i]}`
    } else re += c.replace(/[.+^${}()|\]\\]/g, '\\$&')
  }
  return new RegExp(`${re}$`)
}
