/**
 * The processors a `weir test` case runs, built with Weir's own component registry and resources:
 * the target config is read with the case's environment, mocks replace components (JSON pointers
 * first, then labels; `-` appends to a list), the processors at `target_processors` (a JSON
 * pointer, optionally prefixed by another file and `#`, or a label) are built, with the target's
 * and the `-r` files' cache, rate limit and processor resources. A `target_mapping` runs a
 * Bloblang file as one `mapping` processor.
 */
import { dirname, isAbsolute, join } from 'node:path'
import { readFileSync } from 'node:fs'
import { toErrorData } from '../errors.js'
import type { Logger, MetricsView, Processor, SpecLookup } from '../spec/index.js'
import { ComponentBuilder } from '../stream/build.js'
import type { StreamEnv } from '../stream/types.js'
import { ResourceHost } from '../supervisor/resource-host.js'
import { lintFullDoc } from '../config/lint.js'
import { RESOURCE_KINDS } from '../config/resource-kinds.js'
import { interpolateText, readConfigText } from '../config/stream-file.js'
import { isPlainObject } from '../config/values.js'
import { docFromValue, formatPath, parsePath, parseYamlText } from '../config/yaml.js'

export interface ProvidedProcessors {
  processors: Processor[]
  close(): Promise<void>
}

export interface ProviderOptions {
  /** The test target (config file) the case belongs to. */
  target: string
  resourceFiles: readonly string[]
  lookup: SpecLookup
  logger: Logger
}

type Path = (string | number)[]

const NO_METRICS: MetricsView = {
  counter: () => ({ inc: () => undefined }),
  gauge: () => ({ set: () => undefined }),
  timer: () => ({ observe: () => undefined }),
}

const errText = (err: unknown): string => toErrorData(err).message

/** Processors at `pointer` of the target with the case's environment and mocks applied. Throws. */
export async function provideProcessors(opts: ProviderOptions, pointer: string, environment: Record<string, string>, mocks: Record<string, unknown>): Promise<ProvidedProcessors> {
  const { file, procPath } = resolvePointer(opts.target, pointer)
  const lookupEnv = (name: string): string | undefined => (Object.hasOwn(environment, name) ? environment[name] : process.env[name])
  const root = readConfig(file, lookupEnv, 'config file')

  const labelled = (): Map<string, Path> => labelPaths(root, opts.lookup)
  let labels: Map<string, Path> | undefined
  for (const [k, v] of Object.entries(mocks)) {
    if (!k.startsWith('/')) continue
    try {
      setMock(root, v, pointerToPath(k))
    } catch (err) {
      throw new Error(`failed to set mock '${k}': ${errText(err)}`)
    }
  }
  for (const [k, v] of Object.entries(mocks)) {
    if (k.startsWith('/')) continue
    labels ??= labelled()
    const at = labels.get(k)
    if (!at) {
      throw new Error(`mock for label '${k}' could not be applied as the label was not found in the test target file, it is not currently possible to mock resources imported separate to the test file`)
    }
    try {
      setMock(root, v, at)
    } catch (err) {
      throw new Error(`failed to set mock '${k}': ${errText(err)}`)
    }
  }

  let path: Path
  if (procPath.startsWith('/')) path = pointerToPath(procPath)
  else {
    labels ??= labelled()
    const at = labels.get(procPath)
    if (!at) {
      throw new Error(`target for label '${procPath}' failed as the label was not found in the test target file, it is not currently possible to target resources imported separate to the test file`)
    }
    path = at
  }
  const target = valueAt(root, path)
  if (target === undefined) throw new Error(`failed to resolve case processors from '${file}': path '${formatPath(path)}' not found`)
  const confs = Array.isArray(target) ? target : [target]

  const resources = [root, ...opts.resourceFiles.map((f) => readConfig(f, lookupEnv, 'resources config file'))]
  return build(opts, resources, confs.map((c, i) => [c, formatPath(Array.isArray(target) ? [...path, i] : path)] as const), dirname(file))
}

/** A Bloblang file (relative to the target's directory) run as one `mapping` processor. Throws. */
export async function provideMapping(opts: ProviderOptions, mappingPath: string): Promise<ProvidedProcessors> {
  const full = isAbsolute(mappingPath) ? mappingPath : join(dirname(opts.target), mappingPath)
  let text: string
  try {
    text = readFileSync(full, 'utf8')
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw new Error(e.code === 'ENOENT' ? `open ${full}: no such file or directory` : e.message)
  }
  return build(opts, [], [[{ mapping: text }, 'target_mapping']], dirname(full))
}

async function build(opts: ProviderOptions, resourceDocs: unknown[], confs: readonly (readonly [unknown, string])[], configDir: string): Promise<ProvidedProcessors> {
  const host = new ResourceHost(opts.lookup, opts.logger, () => NO_METRICS)
  // Input and output resources are never used by processors under test (as the reference drops them).
  for (const doc of resourceDocs) {
    if (!isPlainObject(doc)) continue
    for (const { kind, field } of RESOURCE_KINDS) {
      if (kind === 'input' || kind === 'output') continue
      const items = doc[field]
      if (!Array.isArray(items)) continue
      for (const item of items) {
        if (!isPlainObject(item) || typeof item.label !== 'string') continue
        const { label, ...conf } = item
        const clash = host.declare(kind, label, conf)
        if (clash) {
          await host.close()
          throw new Error(`failed to initialise resources: ${clash.message}`)
        }
      }
    }
  }
  const abort = new AbortController()
  const env: StreamEnv = {
    streamId: '',
    registry: opts.lookup,
    endpoints: {
      register: () => {
        throw new Error('processors under test cannot register HTTP endpoints')
      },
    },
    resources: host.local,
    logger: opts.logger,
    metrics: () => NO_METRICS,
    configDir,
    signal: abort.signal,
  }
  const builder = new ComponentBuilder(env, abort.signal)
  const close = async (): Promise<void> => {
    abort.abort()
    await Promise.allSettled(builder.built.map((c) => c.close()))
    await host.close()
  }
  const processors: Processor[] = []
  for (const [i, [conf, at]] of confs.entries()) {
    try {
      processors.push((await builder.build('processor', conf, at)).instance)
    } catch (err) {
      await close()
      const d = toErrorData(err)
      throw new Error(`failed to initialise processor index '${i}': ${d.path ? `${d.path}: ` : ''}${d.message}`)
    }
  }
  return { processors, close }
}

function readConfig(file: string, env: (name: string) => string | undefined, what: string): unknown {
  const fail = (why: string): Error => new Error(`failed to parse ${what} '${file}': ${why}`)
  const raw = readConfigText(file)
  if (!raw.ok) throw fail(raw.error.message)
  const interp = interpolateText(raw.text, env)
  if (!interp.ok) throw fail(interp.error.message)
  const parsed = parseYamlText(interp.text)
  if (!parsed.ok) throw fail(`yaml: line ${parsed.error.line ?? 1}: ${parsed.error.message}`)
  return parsed.value ?? {}
}

/** `file.yaml#/pipeline/processors` → that file (beside the target) and its fragment. */
function resolvePointer(target: string, pointer: string): { file: string; procPath: string } {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(pointer)
  if (scheme && scheme[1] !== 'file') throw new Error(`target processors '${pointer}' contains non-path scheme value`)
  const rest = scheme ? pointer.slice(scheme[0].length) : pointer
  const hash = rest.indexOf('#')
  const out = hash >= 0 && hash < rest.length - 1 ? { file: join(dirname(target), rest.slice(0, hash)), procPath: rest.slice(hash + 1) } : { file: target, procPath: hash >= 0 ? rest.slice(0, hash) : rest }
  if (out.procPath === '') throw new Error(`failed to target processors '${pointer}': reference URI must contain a path or fragment`)
  return out
}

/** RFC 6901: `/a/b~1c/0` → `['a', 'b/c', '0']` (numbers are resolved against lists later). */
function pointerToPath(ptr: string): Path {
  return ptr
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}

function valueAt(root: unknown, path: Path): unknown {
  let v = root
  for (const seg of path) {
    if (Array.isArray(v)) {
      const i = Number(seg)
      if (!Number.isInteger(i) || i < 0 || i >= v.length) return undefined
      v = v[i]
    } else if (isPlainObject(v)) {
      if (!Object.hasOwn(v, String(seg))) return undefined
      v = v[String(seg)]
    } else return undefined
  }
  return v
}

/** Puts `mock` at `path`; it keeps the replaced component's label unless it has its own. */
function setMock(root: unknown, mock: unknown, path: Path): void {
  if (path.length === 0) throw new Error('cannot replace the whole config')
  const existing = valueAt(root, path)
  let value = mock
  if (isPlainObject(mock) && !Object.hasOwn(mock, 'label') && isPlainObject(existing) && typeof existing.label === 'string') {
    value = { ...mock, label: existing.label }
  }
  let parent = root
  for (const [n, seg] of path.slice(0, -1).entries()) {
    let next: unknown = valueAt(parent, [seg])
    if (next === undefined) {
      if (!isPlainObject(parent)) throw new Error(`path '${formatPath(path.slice(0, n + 1))}' not found`)
      next = {}
      parent[String(seg)] = next
    }
    parent = next
  }
  const last = path[path.length - 1]!
  if (Array.isArray(parent)) {
    if (last === '-') parent.push(value)
    else {
      const i = Number(last)
      if (!Number.isInteger(i) || i < 0 || i >= parent.length) throw new Error(`index '${last}' is out of bounds`)
      parent[i] = value
    }
  } else if (isPlainObject(parent)) parent[String(last)] = value
  else throw new Error(`path '${formatPath(path)}' does not lead to an object or array`)
}

/** Component label → its path, found by walking the config against the component specs. */
function labelPaths(root: unknown, lookup: SpecLookup): Map<string, Path> {
  const out = new Map<string, Path>()
  lintFullDoc(docFromValue(root), lookup, {
    onComponent: (c) => {
      const path = parsePath(c.path)
      const v = valueAt(root, path)
      if (isPlainObject(v) && typeof v.label === 'string' && v.label !== '' && !out.has(v.label)) out.set(v.label, path)
    },
  })
  return out
}
