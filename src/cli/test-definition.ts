/**
 * `weir test` definitions as the reference reads them: which files are test targets, where each
 * target's cases come from (a `tests:` section in the config itself, or a `<name>_benthos_test.yaml`
 * beside it), and the cases with the line each starts on.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, extname, join, normalize } from 'node:path'
import { toErrorData } from '../errors.js'
import { compileMapping } from '../bloblang/index.js'
import { expandSuperPaths } from '../config/glob.js'
import { isPlainObject } from '../config/values.js'
import { nodePosition, parseYamlText } from '../config/yaml.js'
import { isSeq } from 'yaml'

export const TEST_SUFFIX = '_benthos_test'

/** One message to feed in: raw content (json_content already encoded) or a file to read it from. */
export interface InputSpec {
  content: string
  file?: string
  metadata?: Record<string, unknown>
}

/** The conditions on one expected message, by condition name. */
export type OutputSpec = Record<string, unknown>

export interface TestCase {
  name: string
  /** 1-based line of the case in its definition file (0 when unknown). */
  line: number
  environment?: Record<string, string>
  targetProcessors: string
  targetMapping: string
  mocks?: Record<string, unknown>
  inputBatches: InputSpec[][]
  outputBatches: OutputSpec[][]
}

/** Go's `filepath.Clean` for the paths we print (`./a/b` → `a/b`). */
export function cleanPath(p: string): string {
  if (p === '') return '.'
  const n = normalize(p)
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n
}

/** The config and its definition file for a path naming either (the reference's `GetPathPair`). */
export function pathPair(fullPath: string): { config: string; definition: string } {
  const dir = dirname(fullPath)
  const file = basename(fullPath)
  const ext = extname(file)
  const stem = file.slice(0, file.length - ext.length)
  const joinDir = (name: string): string => (fullPath.includes('/') ? join(dir, name) : name)
  if (stem.endsWith(TEST_SUFFIX)) {
    return { config: cleanPath(joinDir(stem.slice(0, -TEST_SUFFIX.length) + ext)), definition: cleanPath(fullPath) }
  }
  return { config: cleanPath(fullPath), definition: cleanPath(joinDir(stem + TEST_SUFFIX + ext)) }
}

export class TargetError extends Error {}

/** Targets (config path → cases) found at the paths, sorted by path. Throws TargetError. */
export function findTargets(paths: readonly string[]): Map<string, TestCase[]> {
  let files: string[]
  try {
    files = expandSuperPaths(paths, ['yaml', 'yml'])
  } catch (err) {
    throw new TargetError(toErrorData(err).message)
  }
  const out = new Map<string, TestCase[]>()
  for (const f of files) {
    const { config, definition } = pathPair(f)
    const cases = definitionOf(config, definition)
    if (cases.length > 0) out.set(cleanPath(config), cases)
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

function statError(err: unknown): string {
  const e = err as NodeJS.ErrnoException
  if (e.code === 'ENOENT') return `stat ${e.path ?? ''}: no such file or directory`
  return e.message
}

function definitionOf(config: string, definition: string): TestCase[] {
  try {
    statSync(config)
  } catch (err) {
    throw new TargetError(`unable to access target config file '${config}': ${statError(err)}`)
  }
  let from = definition
  if (!existsSync(definition)) {
    if (!config.endsWith('.yaml') && !config.endsWith('.yml')) return []
    from = config
  }
  let text: string
  try {
    text = readFileSync(from, 'utf8')
  } catch (err) {
    throw new TargetError(`failed to read test definition from '${from}': ${toErrorData(err).message}`)
  }
  try {
    return parseCases(text)
  } catch (err) {
    throw new TargetError(`failed to parse test definition from '${from}': ${err instanceof Error ? err.message : String(err)}`)
  }
}

/** The cases of a definition document (its `tests` list); throws with the reference's wording. */
export function parseCases(text: string): TestCase[] {
  const parsed = parseYamlText(text)
  if (!parsed.ok) throw new Error(`yaml: line ${parsed.error.line ?? 1}: ${parsed.error.message}`)
  if (!isPlainObject(parsed.value) || parsed.value.tests === undefined || parsed.value.tests === null) return []
  const tests = parsed.value.tests
  if (!Array.isArray(tests)) throw new Error('expected array value')
  // String fields take the scalar as written (`content_equals: 1.50` is `1.50`), as go-yaml decodes them.
  const written = parseYamlText(text, undefined, { scalarsAsWritten: true })
  const writtenTests = written.ok && isPlainObject(written.value) && Array.isArray(written.value.tests) ? written.value.tests : []
  const root = parsed.doc.document.contents
  const seqNode = root && 'get' in root ? (root as { get(k: string, keep: true): unknown }).get('tests', true) : undefined
  const nodes = isSeq(seqNode) ? seqNode.items : []
  return tests.map((raw, i) => {
    try {
      return caseFrom(asWritten(raw, writtenTests[i]), nodePosition(parsed.doc, nodes[i])?.line ?? 0)
    } catch (err) {
      throw new Error(`${i}: ${err instanceof Error ? err.message : String(err)}`)
    }
  })
}

const STRING_FIELDS = new Set(['name', 'target_processors', 'target_mapping', 'content', 'file_content', 'content_equals', 'content_matches', 'file_equals', 'file_json_equals', 'file_json_contains', 'bloblang'])

/**
 * The typed case with its string fields (and environment values) replaced by their scalars as
 * written; values of `any` fields (`json_content`, `metadata`, `mocks`, ...) stay typed.
 */
function asWritten(typed: unknown, written: unknown, key = ''): unknown {
  if (Array.isArray(typed)) return typed.map((v, i) => asWritten(v, Array.isArray(written) ? written[i] : undefined, key))
  if (isPlainObject(typed)) {
    if (key !== '' && key !== 'environment' && !/^(input_batch|input_batches|output_batches|tests)$/.test(key)) return typed
    const w = isPlainObject(written) ? written : {}
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(typed)) {
      if ((STRING_FIELDS.has(k) || key === 'environment') && isScalarValue(v) && typeof w[k] === 'string') out[k] = w[k]
      else out[k] = asWritten(v, w[k], k === 'environment' || !STRING_FIELDS.has(k) ? k : '')
    }
    return out
  }
  return typed
}

function isScalarValue(v: unknown): boolean {
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint'
}

function str(v: unknown, field: string, dflt = ''): string {
  if (v === undefined || v === null) return dflt
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  throw new Error(`field '${field}': expected string value`)
}

function required(o: Record<string, unknown>, field: string): unknown {
  if (!Object.hasOwn(o, field)) throw new Error(`field '${field}' is required and was not present in the config`)
  return o[field]
}

function stringMap(v: unknown, field: string): Record<string, string> {
  if (!isPlainObject(v)) throw new Error(`field '${field}': expected object value`)
  const out: Record<string, string> = {}
  for (const [k, x] of Object.entries(v)) out[k] = str(x, `${field}.${k}`)
  return out
}

function list(v: unknown, field: string): unknown[] {
  if (v === undefined || v === null) return []
  if (!Array.isArray(v)) throw new Error(`field '${field}': expected array value`)
  return v
}

function caseFrom(raw: unknown, line: number): TestCase {
  if (!isPlainObject(raw)) throw new Error('expected object value')
  const c: TestCase = {
    name: str(required(raw, 'name'), 'name'),
    line,
    targetProcessors: str(raw.target_processors, 'target_processors', '/pipeline/processors'),
    targetMapping: str(raw.target_mapping, 'target_mapping'),
    inputBatches: [],
    outputBatches: [],
  }
  if (raw.environment !== undefined && raw.environment !== null) c.environment = stringMap(raw.environment, 'environment')
  if (raw.mocks !== undefined && raw.mocks !== null) {
    if (!isPlainObject(raw.mocks)) throw new Error("field 'mocks': expected object value")
    c.mocks = raw.mocks
  }
  // `input_batches` first, then `input_batch`, as the reference appends them.
  for (const [i, batch] of list(raw.input_batches, 'input_batches').entries()) {
    c.inputBatches.push(list(batch, `input_batches.${i}`).map((m, j) => inputFrom(m, `input_batches.${i}.${j}`)))
  }
  const single = list(raw.input_batch, 'input_batch')
  if (single.length > 0) c.inputBatches.push(single.map((m, j) => inputFrom(m, `input_batch.${j}`)))
  for (const [i, batch] of list(raw.output_batches, 'output_batches').entries()) {
    c.outputBatches.push(
      list(batch, `output_batches.${i}`).map((m, j) => {
        if (!isPlainObject(m)) throw new Error(`field 'output_batches.${i}.${j}': expected object value`)
        if (m.bloblang !== undefined) checkBloblang(str(m.bloblang, 'bloblang'))
        return m
      }),
    )
  }
  return c
}

/** A `bloblang` condition that does not compile makes the definition unreadable, as in the reference. */
function checkBloblang(source: string): void {
  try {
    compileMapping(source)
  } catch (err) {
    throw new Error(`bloblang: ${toErrorData(err).message}`)
  }
}

function inputFrom(raw: unknown, field: string): InputSpec {
  if (!isPlainObject(raw)) throw new Error(`field '${field}': expected object value`)
  const out: InputSpec = { content: '' }
  if (raw.content !== undefined) out.content = str(raw.content, `${field}.content`)
  if (raw.json_content !== undefined) out.content = goJsonMarshal(raw.json_content)
  if (raw.file_content !== undefined) out.file = str(raw.file_content, `${field}.file_content`)
  if (raw.metadata !== undefined && raw.metadata !== null) {
    if (!isPlainObject(raw.metadata)) throw new Error(`field '${field}.metadata': expected object value`)
    out.metadata = raw.metadata
  }
  return out
}

/** Go's `json.Marshal` of a decoded YAML value: keys sorted, `<`, `>`, `&` escaped. */
export function goJsonMarshal(v: unknown): string {
  return JSON.stringify(sortKeys(v)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (isPlainObject(v)) {
    const o: Record<string, unknown> = {}
    for (const k of Object.keys(v).sort()) o[k] = sortKeys(v[k])
    return o
  }
  if (typeof v === 'bigint') return Number(v)
  return v
}
