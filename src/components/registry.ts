/**
 * Component registries: a lookup from (kind, name) to spec, owned by whoever creates it (no
 * registration by import side effect). `defaultRegistry()` holds every built-in component; tests
 * build smaller ones with `createRegistry([...])`.
 */
import { ofKind, type ComponentKind, type ComponentSpec, type SpecLookup } from '../spec/index.js'
import generate from './inputs/generate.js'
import httpServer from './inputs/http-server.js'
import stdin from './inputs/stdin.js'
import fileInput from './inputs/file.js'
import mapping from './processors/mapping.js'
import mutation from './processors/mutation.js'
import bloblang from './processors/bloblang.js'
import log from './processors/log.js'
import noop from './processors/noop.js'
import syncResponseProcessor from './processors/sync-response.js'
import sleep from './processors/sleep.js'
import crash from './processors/crash.js'
import weirFault from './processors/x-weir-fault.js'
import split from './processors/split.js'
import selectParts from './processors/select-parts.js'
import insertPart from './processors/insert-part.js'
import boundsCheck from './processors/bounds-check.js'
import groupBy from './processors/group-by.js'
import groupByValue from './processors/group-by-value.js'
import dedupe from './processors/dedupe.js'
import cached from './processors/cached.js'
import metric from './processors/metric.js'
import benchmark from './processors/benchmark.js'
import archive from './processors/archive.js'
import unarchive from './processors/unarchive.js'
import compress from './processors/compress.js'
import decompress from './processors/decompress.js'
import stdout from './outputs/stdout.js'
import drop from './outputs/drop.js'
import syncResponseOutput from './outputs/sync-response.js'
import fileOutput from './outputs/file.js'
import httpClientOutput from './outputs/http-client.js'
import noneBuffer from './buffers/none.js'
import memoryBuffer from './buffers/memory.js'
import memoryCache from './caches/memory.js'
import localRateLimit from './rate-limits/local.js'
import lines from './scanners/lines.js'
import toTheEnd from './scanners/to-the-end.js'
import chunker from './scanners/chunker.js'
import csvScanner from './scanners/csv.js'
import jsonDocuments from './scanners/json-documents.js'
import jsonArray from './scanners/json-array.js'
import reMatch from './scanners/re-match.js'
import skipBom from './scanners/skip-bom.js'
import decompressScanner from './scanners/decompress.js'

export interface Registry extends SpecLookup {
  /** Every spec, in registration order (docs, lint-all, example tests). */
  all(): ComponentSpec[]
}

/** A registry of exactly `specs`. Throws on a duplicate kind/name pair. */
export function createRegistry(specs: readonly ComponentSpec[]): Registry {
  const byKind = new Map<ComponentKind, Map<string, ComponentSpec>>()
  for (const s of specs) {
    let m = byKind.get(s.kind)
    if (!m) byKind.set(s.kind, (m = new Map()))
    if (m.has(s.name)) throw new Error(`duplicate ${s.kind} component '${s.name}'`)
    m.set(s.name, s)
  }
  return {
    get: (kind, name) => ofKind(byKind.get(kind)?.get(name), kind),
    names: (kind) => [...(byKind.get(kind)?.keys() ?? [])].sort(),
    all: () => [...specs],
  }
}

export const BUILTIN_SPECS: readonly ComponentSpec[] = [
  generate,
  httpServer,
  stdin,
  fileInput,
  mapping,
  mutation,
  bloblang,
  log,
  noop,
  syncResponseProcessor,
  sleep,
  crash,
  weirFault,
  split,
  selectParts,
  insertPart,
  boundsCheck,
  groupBy,
  groupByValue,
  dedupe,
  cached,
  metric,
  benchmark,
  archive,
  unarchive,
  compress,
  decompress,
  stdout,
  drop,
  syncResponseOutput,
  fileOutput,
  httpClientOutput,
  noneBuffer,
  memoryBuffer,
  memoryCache,
  localRateLimit,
  lines,
  toTheEnd,
  chunker,
  csvScanner,
  jsonDocuments,
  jsonArray,
  reMatch,
  skipBom,
  decompressScanner,
]

/** Every built-in component. */
export function defaultRegistry(): Registry {
  return createRegistry(BUILTIN_SPECS)
}
