/**
 * The string merge as it was before `/metrics` went to bytes (src/metrics/merge.ts and the
 * exporter's `promText` up to commit a21dc7f), frozen here as the oracle the byte merge must match
 * byte for byte. Only the cutting (`splitExposition`, `blocksAt`), the line-by-line `combine` of
 * shared families and the stream gauges are shared with src/: they did not change.
 */
import { blocksAt } from '../../src/metrics/block-index.js'
import { combine, splitExposition, type Block, type MergeIssue } from '../../src/metrics/merge.js'
import { streamGaugeBlocks, type StreamFacts } from '../../src/metrics/stream-gauges.js'

export interface ExpositionPart {
  text: string
  shared?: readonly string[] | undefined
  index?: readonly number[] | undefined
}

interface SplitPart {
  blocks: readonly Block[]
  shared?: readonly string[] | undefined
}

interface Family {
  help: string | undefined
  type: string | undefined
  chunks: string[]
  shared: boolean
}

export function mergeExpositions(parts: readonly (ExpositionPart | string)[], issues?: MergeIssue[]): string {
  return mergeSplit(
    parts.map((p) => (typeof p === 'string' ? { blocks: splitExposition(p) } : { blocks: p.index ? blocksAt(p.text, p.index) : splitExposition(p.text), shared: p.shared })),
    issues,
  )
}

/** The old exporter's body: root, the streams' snapshots (undefined: none yet), gauges, extra text. */
export function oldPromText(root: ExpositionPart, streams: readonly { snapshot: ExpositionPart | undefined; facts: StreamFacts }[], extra?: string, issues?: MergeIssue[]): string {
  const parts: SplitPart[] = [{ blocks: splitExposition(root.text), shared: root.shared ?? [] }]
  for (const s of streams) if (s.snapshot) parts.push({ blocks: s.snapshot.index ? blocksAt(s.snapshot.text, s.snapshot.index) : splitExposition(s.snapshot.text), shared: s.snapshot.shared })
  parts.push({ blocks: streamGaugeBlocks(streams.map((s) => s.facts)) })
  if (extra) parts.push({ blocks: splitExposition(extra) })
  return mergeSplit(parts, issues)
}

function mergeSplit(parts: readonly SplitPart[], issues?: MergeIssue[]): string {
  const families = new Map<string, Family>()
  for (const part of parts) {
    for (const b of part.blocks) {
      let f = families.get(b.name)
      if (!f) families.set(b.name, (f = { help: b.help, type: b.type, chunks: [], shared: false }))
      else {
        f.help ??= b.help
        if (f.type === undefined) f.type = b.type
        else if (b.type !== undefined && b.type !== f.type) {
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
  return out.join('')
}
