/**
 * Merges Prometheus expositions (the workers' snapshots, each already carrying its `stream` label,
 * and the main thread's own texts) into one valid exposition: one HELP/TYPE per family, families
 * sorted by name, the samples of every source grouped under it.
 *
 * This runs on the main thread once per scrape, so it works on whole family blocks as bytes, never
 * on lines or strings: a worker's snapshot arrives as UTF-8 (protocol/snapshot-buffer.ts) with the
 * byte offsets of its blocks, and the body is those byte ranges copied once into one buffer,
 * handed to the socket as is (decoding 100 snapshots, joining a 416 KB string and encoding it
 * again cost about as much as everything else in a scrape, and the garbage more). A part is its
 * snapshot's bytes and offsets plus block names decoded once per families table, not an object or
 * view per block: cutting a changed snapshot is then nothing (1,000 streams' 26,000 block objects
 * and views had cost more than the copying). Headers come from the first source of a family.
 * Only families a source marked `shared` (its mapping removed or rewrote `stream`, so series of
 * different workers may coincide) are decoded and merged line by line, adding up coinciding
 * series as the reference's single registry would.
 */
import { goFloat } from '../util/go-format.js'
import { blocksAt } from './block-index.js'

/** One family block of a text: its HELP and TYPE as that text states them, and its sample lines. */
export interface Block {
  name: string
  help: string | undefined
  type: string | undefined
  /** Sample lines, each ending in a newline ('' when the block has none). */
  samples: string
}

/** A family block's name and what it states, as strings. */
export interface BlockInfo {
  readonly name: string
  readonly help: string | undefined
  readonly type: string | undefined
}

/**
 * One source's family blocks as UTF-8: block i is `bytes` from `offsets[2i]` to `offsets[2i + 2]`
 * (the last one to the end), its first part exactly `# HELP <name> <help>\n# TYPE <name> <type>\n`
 * when it states both (empty otherwise), its sample lines from `offsets[2i + 1]`.
 */
export interface BytePart {
  readonly blocks: readonly BlockInfo[]
  readonly bytes: Uint8Array
  readonly offsets: ArrayLike<number>
  /** Families whose series may coincide with another part's. */
  readonly shared?: readonly string[] | undefined
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
  /** Part and block the family was first seen in: its header, when that block stated both. */
  first: number
  firstBlock: number
  /** Sample ranges: part index, start, end, ... */
  chunks: number[]
  /** Bytes in those ranges. */
  size: number
  shared: boolean
}

const ENCODER = new TextEncoder()
const DECODER = new TextDecoder()

/**
 * Parts in the order their samples should appear within a family.
 *
 * @example mergeParts([textPart(root.text, root.shared, root.index), cutter.cut(snapshot)]) // one Buffer, ready to send
 */
export function mergeParts(parts: readonly BytePart[], issues?: MergeIssue[]): Buffer<ArrayBuffer> {
  const families = new Map<string, Family>()
  for (let p = 0; p < parts.length; p++) {
    const { blocks, offsets, bytes } = parts[p]!
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i]!
      let f = families.get(b.name)
      if (!f) families.set(b.name, (f = { help: b.help, type: b.type, first: p, firstBlock: i, chunks: [], size: 0, shared: false }))
      else {
        f.help ??= b.help
        if (f.type === undefined) f.type = b.type
        else if (b.type !== undefined && b.type !== f.type) {
          // One family cannot hold two types; the reference refuses the second registration.
          issues?.push({ family: b.name, type: f.type, dropped: b.type })
          continue
        }
      }
      const start = offsets[2 * i + 1]!
      const end = i + 1 < blocks.length ? offsets[2 * i + 2]! : bytes.length
      if (end === start) continue
      f.chunks.push(p, start, end)
      f.size += end - start
    }
    for (const n of parts[p]!.shared ?? []) {
      const f = families.get(n)
      if (f) f.shared = true
    }
  }
  // Headers and combined families first, to know the size; then one buffer, written once.
  const names = [...families.keys()].sort()
  const heads: (Uint8Array | undefined)[] = []
  const combined: (Uint8Array | undefined)[] = []
  let size = 0
  for (const name of names) {
    const f = families.get(name)!
    if (f.chunks.length === 0) {
      heads.push(undefined)
      combined.push(undefined)
      continue
    }
    const first = parts[f.first]!
    // A first block stating both has its header as bytes, and it is the family's: later blocks
    // only fill in what is missing.
    const stated = first.blocks[f.firstBlock]!
    const head =
      stated.help !== undefined && stated.type !== undefined
        ? first.bytes.subarray(first.offsets[2 * f.firstBlock]!, first.offsets[2 * f.firstBlock + 1]!)
        : ENCODER.encode(header(name, f.help, f.type))
    const merged = f.shared && f.chunks.length > 3 ? combineChunks(parts, f) : undefined
    heads.push(head)
    combined.push(merged)
    size += head.length + (merged ? merged.length : f.size)
  }
  const out = Buffer.allocUnsafe(size)
  let at = 0
  for (let n = 0; n < names.length; n++) {
    const head = heads[n]
    if (!head) continue
    out.set(head, at)
    at += head.length
    const merged = combined[n]
    if (merged) {
      out.set(merged, at)
      at += merged.length
      continue
    }
    const chunks = families.get(names[n]!)!.chunks
    for (let c = 0; c < chunks.length; c += 3) {
      const start = chunks[c + 1]!
      const end = chunks[c + 2]!
      out.set(parts[chunks[c]!]!.bytes.subarray(start, end), at)
      at += end - start
    }
  }
  return out
}

function combineChunks(parts: readonly BytePart[], f: Family): Uint8Array {
  const texts: string[] = []
  for (let c = 0; c < f.chunks.length; c += 3) texts.push(DECODER.decode(parts[f.chunks[c]!]!.bytes.subarray(f.chunks[c + 1]!, f.chunks[c + 2]!)))
  return ENCODER.encode(combine(texts, f.type))
}

function header(name: string, help: string | undefined, type: string | undefined): string {
  return (help !== undefined ? `# HELP ${name} ${help}\n` : '') + (type !== undefined ? `# TYPE ${name} ${type}\n` : '')
}

/**
 * A text exposition as a part: the main thread's own registry (with its block index) or foreign
 * text such as prom-client's (scanned).
 */
export function textPart(text: string, shared?: readonly string[], index?: readonly number[]): BytePart {
  return blocksPart(index ? blocksAt(text, index) : splitExposition(text), shared)
}

/** String blocks as a part (the main thread's few own ones: resources, stream gauges). */
export function blocksPart(blocks: readonly Block[], shared?: readonly string[]): BytePart {
  const pieces: string[] = []
  const offsets: number[] = []
  let at = 0
  for (const b of blocks) {
    const head = b.help !== undefined && b.type !== undefined ? header(b.name, b.help, b.type) : ''
    offsets.push(at, (at += Buffer.byteLength(head)))
    at += Buffer.byteLength(b.samples)
    pieces.push(head, b.samples)
  }
  // Each piece ends in a newline, so no surrogate pair straddles two: the lengths add up.
  return { blocks, bytes: ENCODER.encode(pieces.join('')), offsets, shared }
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
export function combine(chunks: readonly string[], type: string | undefined): string {
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
