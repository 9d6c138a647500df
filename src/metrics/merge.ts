/**
 * Merges Prometheus text expositions rendered by the workers (each already carrying its `stream`
 * label) into one valid exposition: one HELP/TYPE per family, families sorted by name, the
 * samples of every source grouped under it.
 *
 * This runs on the main thread once per scrape, so it works on whole family blocks, never on
 * lines: a worker's block for a family is found with one `indexOf` and appended as one string
 * (spec/node-limits.md: regrouping text costs the main thread far less than parsing samples).
 * Cutting a text into blocks (`splitExposition`) is kept apart from merging (`mergeSplit`) so a
 * caller can cut each worker's snapshot once and merge it into many scrapes.
 * Only families a source marked `shared` (its mapping removed or rewrote `stream`, so series of
 * different workers may coincide) are merged line by line, adding up coinciding series as the
 * reference's single registry would.
 */
import { goFloat } from '../util/go-format.js'
import { blocksAt } from './block-index.js'

export interface ExpositionPart {
  text: string
  /** Families whose series may coincide with another part's. */
  shared?: readonly string[] | undefined
  /** Where the text's family blocks are (block-index.ts); absent: the text is scanned for them. */
  index?: readonly number[] | undefined
}

/** One family block of a text: its HELP and TYPE as that text states them, and its sample lines. */
export interface Block {
  name: string
  help: string | undefined
  type: string | undefined
  /** Sample lines, each ending in a newline ('' when the block has none). */
  samples: string
}

/**
 * A text cut into family blocks, done once per text: a worker's snapshot is split when it
 * arrives, so a scrape that finds it unchanged only strings its blocks together.
 */
export interface SplitPart {
  blocks: readonly Block[]
  shared?: readonly string[] | undefined
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
  return mergeSplit(
    parts.map((p) => (typeof p === 'string' ? { blocks: splitExposition(p) } : { blocks: p.index ? blocksAt(p.text, p.index) : splitExposition(p.text), shared: p.shared })),
    issues,
  )
}

/** `mergeExpositions` over texts already split (`splitExposition`). */
export function mergeSplit(parts: readonly SplitPart[], issues?: MergeIssue[]): string {
  const families = new Map<string, Family>()
  for (const part of parts) {
    for (const b of part.blocks) {
      let f = families.get(b.name)
      if (!f) families.set(b.name, (f = { help: b.help, type: b.type, chunks: [], shared: false }))
      else {
        f.help ??= b.help
        if (f.type === undefined) f.type = b.type
        else if (b.type !== undefined && b.type !== f.type) {
          // One family cannot hold two types; the reference refuses the second registration.
          issues?.push({ family: b.name, type: f.type, dropped: b.type })
          continue
        }
      }
      if (b.samples) f.chunks.push(b.samples)
    }
    for (const n of part.shared ?? []) {
      const f = families.get(n)
      if (f) f.shared = true
    }
  }
  const names = [...families.keys()].sort()
  const out: string[] = []
  for (const name of names) {
    const f = families.get(name)!
    if (f.chunks.length === 0) continue
    if (f.help !== undefined) out.push(`# HELP ${name} ${f.help}\n`)
    if (f.type !== undefined) out.push(`# TYPE ${name} ${f.type}\n`)
    if (f.shared && f.chunks.length > 1) out.push(combine(f.chunks, f.type))
    else for (const c of f.chunks) out.push(c)
  }
  // One join: a chain of `+=` over thousands of pieces costs more to flatten later.
  return out.join('')
}

/** The family blocks of one exposition text, in text order. */
export function splitExposition(text: string): Block[] {
  const blocks: Block[] = []
  let pos = 0
  let current: Block | undefined
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
        if (!current || name !== current.name || (kind === 'TYPE' && current.type !== undefined && current.type !== rest)) {
          current = { name, help: undefined, type: undefined, samples: '' }
          blocks.push(current)
        }
        if (kind === 'HELP') current.help ??= rest
        else current.type ??= rest
      }
      pos = end + 1
      continue
    }
    // A run of samples: everything up to the next comment line belongs to the current family.
    let stop = text.indexOf('\n#', end)
    stop = stop === -1 ? len : stop + 1
    if (!current) {
      // Samples before any HELP/TYPE (foreign text): file each line under its own name.
      for (const line of text.slice(pos, stop).split('\n')) if (line) blocks.push({ name: sampleName(line), help: undefined, type: undefined, samples: line + '\n' })
    } else {
      current.samples += trimBlankTail(text.slice(pos, stop))
    }
    pos = stop
  }
  return blocks
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
