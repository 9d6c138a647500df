/**
 * YAML 1.2 parsing that keeps positions: every config input (files and API bodies) goes through
 * `parseYamlText`, and lint and error location read lines and columns back from the Document.
 */
import { Composer, Document, Lexer, LineCounter, Parser, YAMLParseError, isAlias, isMap, isScalar, isSeq, type CST, type Node, type Pair } from 'yaml'
import type { ErrorData } from '../errors.js'
import { MAX_ALIAS_COUNT, MAX_CONFIG_BYTES, MAX_CONFIG_DEPTH, MAX_CONFIG_TOKENS, formatBytes } from './limits.js'
import { duplicateKeyAt, tooDeepAt } from './yaml-depth.js'
import { alignBlockScalars } from './yaml-block-scalars.js'

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

export interface ParseOptions {
  /**
   * Every scalar as the string it is written as (`1.50` stays `1.50`), the way go-yaml decodes a
   * scalar into a string field; nulls and collections are unchanged in shape.
   */
  scalarsAsWritten?: boolean
}

/**
 * Parses YAML text into a plain value, keeping the Document for positions. Merge keys (`<<`) and
 * anchors are honoured. An empty document parses to `null`.
 */
export function parseYamlText(text: string, file?: string, opts: ParseOptions = {}): YamlParse {
  // Checked on UTF-16 length first so a huge text is never walked twice.
  if (text.length > MAX_CONFIG_BYTES || Buffer.byteLength(text) > MAX_CONFIG_BYTES) {
    return { ok: false, error: withFile(tooLarge(Buffer.byteLength(text)), file) }
  }
  const lines = new LineCounter()
  const tokens = parseTokens(text, lines)
  if (!Array.isArray(tokens)) {
    const deep = 'deepAt' in tokens
    const pos = lines.linePos(deep ? tokens.deepAt : tokens.manyAt)
    return { ok: false, error: withFile(deep ? tooDeep(pos.line, pos.col) : tooMany(pos.line, pos.col), file) }
  }
  const document = composeOne(tokens, text.length, opts.scalarsAsWritten === true)
  const tab = document.errors.length === 0 ? alignBlockScalars(document, text) : undefined
  if (tab) {
    const pos = lines.linePos(tab.offset)
    return { ok: false, error: withFile({ code: 'CONFIG_YAML', message: tab.message, line: pos.line, col: pos.col }, file) }
  }
  const dup = duplicateKeyAt(document.contents)
  const err = document.errors[0]
  if (dup !== undefined && (!err || dup < err.pos[0])) {
    const pos = lines.linePos(dup)
    return { ok: false, error: withFile({ code: 'CONFIG_YAML', message: 'Map keys must be unique', line: pos.line, col: pos.col }, file) }
  }
  if (err) {
    const pos = lines.linePos(err.pos[0])
    return { ok: false, error: withFile({ code: 'CONFIG_YAML', message: err.message, line: pos.line, col: pos.col }, file) }
  }
  let value: unknown
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (e) {
    return { ok: false, error: withFile(toJsError(e), file) }
  }
  return { ok: true, value: value ?? null, doc: { document, lines, text } }
}

/**
 * The parser's CST, stopped as soon as its stack of open nodes outgrows the depth bound: a
 * megabyte of `[` would otherwise build a CST of gigabytes before any check could run. The stack
 * holds a few non-collection entries (document, open scalar), hence the margin; the exact bound
 * is then checked on the finished CST.
 */
function parseTokens(text: string, lines: LineCounter): CST.Token[] | { deepAt: number } | { manyAt: number } {
  const parser = new Parser(lines.addNewLine)
  const tokens: CST.Token[] = []
  lines.addNewLine(0)
  let count = 0
  for (const lexeme of new Lexer().lex(text)) {
    for (const t of parser.next(lexeme)) tokens.push(t)
    if (parser.stack.length > MAX_CONFIG_DEPTH + STACK_MARGIN) return { deepAt: parser.offset }
    // Indentation and line breaks are not counted: they cost nothing once parsed.
    if (lexeme !== '\n' && lexeme[0] !== ' ' && ++count > MAX_CONFIG_TOKENS) return { manyAt: parser.offset }
  }
  for (const t of parser.end()) tokens.push(t)
  const deep = tooDeepAt(tokens, MAX_CONFIG_DEPTH)
  return deep === undefined ? tokens : { deepAt: deep }
}

const STACK_MARGIN = 4

/** `parseDocument` on tokens already parsed: the first document, a second one is an error. */
function composeOne(tokens: CST.Token[], end: number, failsafe: boolean): Document {
  // Source tokens let block scalars be read as go-yaml reads them (yaml-block-scalars.ts).
  const composer = new Composer({ merge: true, version: '1.2', prettyErrors: false, uniqueKeys: false, keepSourceTokens: true, ...(failsafe ? { schema: 'failsafe' as const } : {}) })
  let doc: Document | undefined
  for (const d of composer.compose(tokens, true, end)) {
    if (!doc) doc = d as Document
    else {
      doc.errors.push(new YAMLParseError([d.range[0], d.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'))
      break
    }
  }
  return doc!
}

function tooLarge(bytes: number): ErrorData {
  return {
    code: 'CONFIG_LIMIT',
    message: `config is ${formatBytes(bytes)}, more than the ${formatBytes(MAX_CONFIG_BYTES)} Weir accepts`,
    line: 1,
    col: 1,
    hint: 'split it into several streams or resource files',
  }
}

function tooMany(line: number, col: number): ErrorData {
  return { code: 'CONFIG_LIMIT', message: `config has more than ${MAX_CONFIG_TOKENS} YAML tokens`, line, col, hint: 'split it into several streams or resource files' }
}

function tooDeep(line: number, col: number): ErrorData {
  return { code: 'CONFIG_LIMIT', message: `config nests deeper than ${MAX_CONFIG_DEPTH} levels`, line, col, hint: 'flatten the document' }
}

/** toJS fails on alias bombs (yaml's own text names the attack) and on nothing else we expect. */
function toJsError(e: unknown): ErrorData {
  const message = e instanceof Error ? e.message : String(e)
  if (/alias/i.test(message)) {
    return { code: 'CONFIG_LIMIT', message: `config expands aliases more than ${MAX_ALIAS_COUNT} times (${message})`, line: 1, col: 1, hint: 'repeat the value instead of aliasing it' }
  }
  return { code: 'CONFIG_YAML', message, line: 1, col: 1 }
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

/**
 * Where a text value's own positions start: character C of line L inside the value sits at
 * (line + L - 1, col + C) in the file. A plain or quoted value uses its node's position, with the
 * reference's column arithmetic. A `|` block uses its first content line and that content's
 * indentation, so the position is where the character actually is rather than the `|`'s column.
 */
export function valueOrigin(doc: YamlDoc, node: unknown): Position | undefined {
  const pos = nodePosition(doc, node)
  if (!pos || !isBlockLiteral(node)) return pos
  const start = (node as { range: [number, number, number] }).range[0]
  const eol = doc.text.indexOf('\n', start)
  if (eol < 0) return { line: pos.line + 1, col: 0 }
  const body = doc.text.slice(eol + 1)
  const first = /^([ \t]*\r?\n)*( *)/.exec(body)
  return { line: pos.line + 1, col: first?.[2]?.length ?? 0 }
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
