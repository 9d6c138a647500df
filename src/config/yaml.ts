/**
 * YAML 1.2 parsing that keeps positions: every config input (files and API bodies) goes through
 * `parseYamlText`, and lint and error location read lines and columns back from the Document.
 */
import { Document, LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml'
import type { ErrorData } from '../errors.js'

export type ConfigPath = readonly (string | number)[]

/** A parsed document plus what is needed to turn node offsets into lines and columns. */
export interface YamlDoc {
  document: Document
  lines: LineCounter
  /** The text that was parsed (after env interpolation), so positions refer to it. */
  text: string
}

export type YamlParse = { ok: true; value: unknown; doc: YamlDoc } | { ok: false; error: ErrorData }

export interface Position {
  line: number
  col: number
}

const LINT_DISABLE = '# BENTHOS LINT DISABLE'

export const INVALID_UTF8_MESSAGE =
  'detected invalid utf-8 encoding in config, this may result in interpolation functions not working as expected'

/** True when the raw text starts with `# BENTHOS LINT DISABLE` (such files are never linted). */
export function isLintDisabled(raw: string | Uint8Array): boolean {
  if (typeof raw === 'string') return raw.startsWith(LINT_DISABLE)
  return Buffer.from(raw.buffer, raw.byteOffset, Math.min(raw.byteLength, LINT_DISABLE.length)).toString('latin1') === LINT_DISABLE
}

/** Decodes bytes as UTF-8, reporting whether they were valid (invalid bytes become U+FFFD). */
export function decodeUtf8(bytes: Uint8Array): { text: string; valid: boolean } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), valid: true }
  } catch {
    return { text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), valid: false }
  }
}

/**
 * Parses YAML text into a plain value, keeping the Document for positions. Merge keys (`<<`) and
 * anchors are honoured. An empty document parses to `null`.
 */
export function parseYamlText(text: string, file?: string): YamlParse {
  const lines = new LineCounter()
  const document = parseDocument(text, { lineCounter: lines, merge: true, version: '1.2', prettyErrors: false })
  const err = document.errors[0]
  if (err) {
    const pos = lines.linePos(err.pos[0])
    return { ok: false, error: withFile({ code: 'CONFIG_YAML', message: err.message, line: pos.line, col: pos.col }, file) }
  }
  let value: unknown
  try {
    value = document.toJS()
  } catch (e) {
    return { ok: false, error: withFile({ code: 'CONFIG_YAML', message: e instanceof Error ? e.message : String(e), line: 1, col: 1 }, file) }
  }
  return { ok: true, value: value ?? null, doc: { document, lines, text } }
}

function withFile(e: ErrorData, file: string | undefined): ErrorData {
  return file === undefined ? e : { ...e, file }
}

/** A document built from a plain value (no positions: lint findings then fall back to line 1). */
export function docFromValue(value: unknown): YamlDoc {
  const document = new Document(value, { version: '1.2', merge: true })
  return { document, lines: new LineCounter(), text: '' }
}

/** Line and column (1-based) of a node's first character, if it came from text. */
export function nodePosition(doc: YamlDoc, node: unknown): Position | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range
  if (!range || doc.text === '') return undefined
  return doc.lines.linePos(range[0])
}

/** Follows aliases to the anchored node. */
export function deref(doc: YamlDoc, node: unknown): unknown {
  let n = node
  for (let guard = 0; isAlias(n) && guard < 100; guard++) n = n.resolve(doc.document)
  return n
}

/** True for a `<<` merge key. */
export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (typeof key.value === 'symbol' || (key.value === '<<' && !key.type?.startsWith('QUOTE')))
}

/** The key of a pair as a string (scalars only; merge keys give `<<`). */
export function keyString(pair: Pair): string {
  const k = pair.key
  if (isScalar(k)) return typeof k.value === 'symbol' ? '<<' : String(k.value)
  return String(k)
}

/** The pairs of a map with `<<` merges expanded (own keys win, as in YAML's merge semantics). */
export function mergedPairs(doc: YamlDoc, map: unknown): Pair[] {
  const m = deref(doc, map)
  if (!isMap(m)) return []
  const own: Pair[] = []
  const merged: Pair[] = []
  for (const pair of m.items as Pair[]) {
    if (!isMergeKey(pair.key)) {
      own.push(pair)
      continue
    }
    const src = deref(doc, pair.value)
    const sources = isSeq(src) ? src.items : [src]
    for (const s of sources) merged.push(...mergedPairs(doc, s))
  }
  const seen = new Set(own.map(keyString))
  return [...own, ...merged.filter((p) => !seen.has(keyString(p)) && (seen.add(keyString(p)), true))]
}

/** The node at a config path (through aliases and merge keys), with the pair that holds it. */
export function nodeAt(doc: YamlDoc, path: ConfigPath): { node: unknown; pair?: Pair } | undefined {
  let node: unknown = doc.document.contents
  let pair: Pair | undefined
  for (const seg of path) {
    node = deref(doc, node)
    if (isSeq(node) && typeof seg === 'number') {
      if (seg < 0 || seg >= node.items.length) return undefined
      node = node.items[seg]
      pair = undefined
    } else if (isMap(node)) {
      pair = mergedPairs(doc, node).find((p) => keyString(p) === String(seg))
      if (!pair) return undefined
      node = pair.value
    } else {
      return undefined
    }
  }
  return pair ? { node, pair } : { node }
}

/** Position of the value at a config path, or of its key when the value has no text of its own. */
export function locate(doc: YamlDoc, path: ConfigPath): Position | undefined {
  const hit = nodeAt(doc, path)
  if (!hit) return undefined
  return nodePosition(doc, hit.node) ?? (hit.pair ? nodePosition(doc, hit.pair.key) : undefined)
}

/** Like `locate`, but falls back to the deepest ancestor that exists. */
export function locateNearest(doc: YamlDoc, path: ConfigPath): Position | undefined {
  for (let n = path.length; n >= 0; n--) {
    const p = locate(doc, path.slice(0, n))
    if (p) return p
  }
  return undefined
}

/** True when the value node is a `|` block scalar (its content starts on the next line). */
export function isBlockLiteral(node: unknown): boolean {
  return isScalar(node) && node.type === 'BLOCK_LITERAL'
}

/** `['pipeline', 'processors', 2, 'mapping']` → `pipeline.processors[2].mapping`. */
export function formatPath(path: ConfigPath): string {
  let out = ''
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`
    else out += out === '' ? seg : `.${seg}`
  }
  return out
}

/**
 * Inverse of `formatPath`, also accepting Benthos-style paths: `root.pipeline.processors.2` and
 * `pipeline.processors[2].mapping` both give `['pipeline', 'processors', 2, ...]`.
 */
export function parsePath(path: string): (string | number)[] {
  const out: (string | number)[] = []
  for (const part of path.split('.')) {
    if (part === '') continue
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part)
    if (!m) {
      out.push(part)
      continue
    }
    if (m[1] !== '') out.push(/^\d+$/.test(m[1]!) ? Number(m[1]) : m[1]!)
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]))
  }
  if (out[0] === 'root') out.shift()
  return out
}

/** Go yaml's short tag of a node: `!!map`, `!!seq`, `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`. */
export function shortTag(node: unknown): string {
  if (isMap(node)) return '!!map'
  if (isSeq(node)) return '!!seq'
  if (isScalar(node)) {
    if (node.tag) return node.tag.replace(/^tag:yaml\.org,2002:/, '!!')
    const v = node.value
    if (v === null || v === undefined) return '!!null'
    if (typeof v === 'boolean') return '!!bool'
    if (typeof v === 'number' || typeof v === 'bigint') {
      const src = (node as { source?: string }).source ?? String(v)
      return Number.isInteger(v) && !/[.eEnN]/.test(src) ? '!!int' : '!!float'
    }
    return '!!str'
  }
  if (node === null || node === undefined) return '!!null'
  return '!!str'
}

export type { Node }
