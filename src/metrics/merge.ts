/**
 * Merges Prometheus text expositions rendered by the workers (each already carrying its `stream`
 * label) into one valid exposition: one HELP/TYPE per family, families sorted by name, the
 * samples of every source grouped under it.
 *
 * This runs on the main thread once per scrape, so it works on whole family blocks, never on
 * lines: a worker's block for a family is found with one `indexOf` and appended as one string
 * (spec/node-limits.md: regrouping text costs the main thread far less than parsing samples).
 * Only families a source marked `shared` (its mapping removed or rewrote `stream`, so series of
 * different workers may coincide) are merged line by line, adding up coinciding series as the
 * reference's single registry would.
 */
import { goFloat } from '../util/go-format.js'

export interface ExpositionPart {
  text: string
  /** Families whose series may coincide with another part's. */
  shared?: readonly string[]
}

export interface MergeIssue {
  family: string
  /** TYPE of the family as first seen, and the conflicting one whose samples were dropped. */
  type: string
  dropped: string
}

interface Family {
  help: string | undefined
  type: string | undefined
  chunks: string[]
  shared: boolean
}

/**
 * Parts in the order their samples should appear within a family.
 *
 * @example mergeExpositions([{ text: a }, { text: b, shared: ['input_received'] }])
 */
export function mergeExpositions(parts: readonly (ExpositionPart | string)[], issues?: MergeIssue[]): string {
  const families = new Map<string, Family>()
  for (const p of parts) {
    const part = typeof p === 'string' ? { text: p } : p
    collect(part.text, families, issues)
    for (const n of part.shared ?? []) {
      const f = families.get(n)
      if (f) f.shared = true
    }
  }
  const names = [...families.keys()].sort()
  let out = ''
  for (const name of names) {
    const f = families.get(name)!
    if (f.chunks.length === 0) continue
    if (f.help !== undefined) out += `# HELP ${name} ${f.help}\n`
    if (f.type !== undefined) out += `# TYPE ${name} ${f.type}\n`
    out += f.shared && f.chunks.length > 1 ? combine(f.chunks, f.type) : f.chunks.join('')
  }
  return out
}

function collect(text: string, families: Map<string, Family>, issues: MergeIssue[] | undefined): void {
  let pos = 0
  let current: Family | undefined
  let currentName = ''
  let skip = false
  const len = text.length
  while (pos < len) {
    const c = text.charCodeAt(pos)
    if (c === 10 /* \n: blank line */) {
      pos++
      continue
    }
    const eol = text.indexOf('\n', pos)
    const end = eol === -1 ? len : eol
    if (c === 35 /* # */) {
      const kind = text.startsWith('# HELP ', pos) ? 'HELP' : text.startsWith('# TYPE ', pos) ? 'TYPE' : ''
      if (kind) {
        const nameEnd = spaceOrEnd(text, pos + 7, end)
        const name = text.slice(pos + 7, nameEnd)
        const rest = nameEnd < end ? text.slice(nameEnd + 1, end) : ''
        if (name !== currentName || !current) {
          current = familyOf(families, name)
          currentName = name
          skip = false
        }
        if (kind === 'HELP') current.help ??= rest
        else if (current.type === undefined) current.type = rest
        else if (current.type !== rest) {
          // One family cannot hold two types; the reference refuses the second registration.
          skip = true
          issues?.push({ family: name, type: current.type, dropped: rest })
        }
      }
      pos = end + 1
      continue
    }
    // A run of samples: everything up to the next comment line belongs to the current family.
    let stop = text.indexOf('\n#', end)
    stop = stop === -1 ? len : stop + 1
    if (!current) {
      // Samples before any HELP/TYPE (foreign text): file each line under its own name.
      for (const line of text.slice(pos, stop).split('\n')) if (line) familyOf(families, sampleName(line)).chunks.push(line + '\n')
    } else if (!skip) {
      const chunk = text.slice(pos, stop)
      current.chunks.push(trimBlankTail(chunk))
    }
    pos = stop
  }
}

function familyOf(families: Map<string, Family>, name: string): Family {
  let f = families.get(name)
  if (!f) families.set(name, (f = { help: undefined, type: undefined, chunks: [], shared: false }))
  return f
}

function spaceOrEnd(text: string, from: number, end: number): number {
  const s = text.indexOf(' ', from)
  return s === -1 || s > end ? end : s
}

function trimBlankTail(chunk: string): string {
  let end = chunk.length
  while (end > 0 && chunk.charCodeAt(end - 1) === 10) end--
  return end === chunk.length - 1 ? chunk : chunk.slice(0, end) + '\n'
}

function sampleName(line: string): string {
  const brace = line.indexOf('{')
  const space = line.indexOf(' ')
  const end = brace !== -1 && (space === -1 || brace < space) ? brace : space
  return end === -1 ? line : line.slice(0, end)
}

/**
 * Series that appear in several parts become one: counters, histogram parts and summary sums and
 * counts add up; a gauge keeps the last value; a summary quantile keeps the largest (the parts'
 * observations cannot be pooled again).
 */
function combine(chunks: readonly string[], type: string | undefined): string {
  const values = new Map<string, number>()
  for (const chunk of chunks) {
    for (const line of chunk.split('\n')) {
      if (!line) continue
      const sp = line.lastIndexOf(' ')
      const key = line.slice(0, sp)
      const v = Number(line.slice(sp + 1))
      const prev = values.get(key)
      if (prev === undefined) values.set(key, v)
      else if (type === 'gauge' || type === 'untyped' || type === undefined) values.set(key, v)
      else if (type === 'summary' && key.includes('quantile="')) values.set(key, Number.isNaN(prev) ? v : Number.isNaN(v) ? prev : Math.max(prev, v))
      else values.set(key, prev + v)
    }
  }
  let out = ''
  for (const [key, v] of values) out += `${key} ${goFloat(v)}\n`
  return out
}
