/**
 * The reference's "parse" step after lint: a stream's top-level components (input, buffer,
 * output, pipeline processors and input/output processors) must name a known type. Failing this
 * is an error even when lint findings are tolerated (`--chilled`), and via the API it is a 400
 * rather than a build failure.
 */
import { isMap, isScalar } from 'yaml'
import { weirError, type ErrorData } from '../errors.js'
import type { ComponentKind, SpecLookup } from '../spec/index.js'
import { inferComponentType, unknownTypeHint } from './component.js'
import { isPlainObject } from './values.js'
import { docFromValue, formatPath, locateNearest, shortTag, type ConfigPath, type YamlDoc } from './yaml.js'

/** The first structural error of a stream config, located in `doc` when it came from text. */
export function checkStreamStructure(doc: YamlDoc, lookup: SpecLookup): ErrorData | undefined {
  const contents = doc.document.contents
  if (contents === null || contents === undefined || (isScalar(contents) && contents.value === null)) return undefined
  if (!isMap(contents)) {
    return weirError('CONFIG_TYPE', `expected object value, got ${shortTag(contents)}`, { line: 1, col: 1 }).data
  }
  const value = doc.document.toJS() as Record<string, unknown>
  const checks: [ComponentKind, ConfigPath][] = [
    ['input', ['input']],
    ['buffer', ['buffer']],
    ['output', ['output']],
  ]
  const pipeline = value.pipeline
  if (isPlainObject(pipeline) && Array.isArray(pipeline.processors)) {
    pipeline.processors.forEach((_, i) => checks.push(['processor', ['pipeline', 'processors', i]]))
  }
  for (const [kind, path] of checks) {
    const raw = get(value, path)
    if (raw === undefined || raw === null) continue
    const err = checkComponent(kind, raw, path, lookup)
    if (err) return locateError(doc, err, path)
    if ((kind === 'input' || kind === 'output') && isPlainObject(raw) && Array.isArray(raw.processors)) {
      for (let i = 0; i < raw.processors.length; i++) {
        const p = [...path, 'processors', i]
        const e = checkComponent('processor', raw.processors[i], p, lookup)
        if (e) return locateError(doc, e, p)
      }
    }
  }
  return undefined
}

/** The same check for a plain object (a PATCH result): errors carry a path but no line. */
export function checkStreamConfig(config: unknown, lookup: SpecLookup): ErrorData | undefined {
  return checkStreamStructure(docFromValue(config), lookup)
}

/** One component's type, as the reference's `FromAny` decides it. */
export function checkComponent(kind: ComponentKind, raw: unknown, path: ConfigPath, lookup: SpecLookup): ErrorData | undefined {
  if (!isPlainObject(raw)) {
    if (Array.isArray(raw)) return weirError('CONFIG_TYPE', `invalid type !!seq, expected object`, { path: formatPath(path) }).data
    return undefined
  }
  const inf = inferComponentType(kind, Object.keys(raw), raw.type, lookup)
  if (!inf.ok) return weirError('CONFIG_UNKNOWN_COMPONENT', inf.message, { path: formatPath(path), hint: unknownTypeHint(kind, raw, lookup) }).data
  return undefined
}

function locateError(doc: YamlDoc, err: ErrorData, path: ConfigPath): ErrorData {
  const pos = locateNearest(doc, path)
  return pos ? { ...err, line: pos.line, col: pos.col } : err
}

function get(v: unknown, path: ConfigPath): unknown {
  let cur = v
  for (const seg of path) {
    if (Array.isArray(cur) && typeof seg === 'number') cur = cur[seg]
    else if (isPlainObject(cur)) cur = cur[String(seg)]
    else return undefined
  }
  return cur
}
