/**
 * Component registries: a lookup from (kind, name) to spec, owned by whoever creates it (no
 * registration by import side effect). `defaultRegistry()` holds every built-in component; tests
 * build smaller ones with `createRegistry([...])`. Stream workers use `lazyRegistry` instead, which
 * loads only the modules a config names (loaders.ts).
 */
import { ofKind, type ComponentKind, type ComponentSpec, type SpecLookup } from '../spec/index.js'
import generate from './inputs/generate.js'
import httpServer from './inputs/http-server.js'
import stdin from './inputs/stdin.js'
import socketInput from './inputs/socket.js'
import socketServer from './inputs/socket-server.js'
import subprocessInput from './inputs/subprocess.js'
import websocketInput from './inputs/websocket.js'
import csvInput from './inputs/csv.js'
import fileInput from './inputs/file.js'
import mapping from './processors/mapping.js'
import mutation from './processors/mutation.js'
import bloblang from './processors/bloblang.js'
import log from './processors/log.js'
import noop from './processors/noop.js'
import syncResponseProcessor from './processors/sync-response.js'
import sleep from './processors/sleep.js'
import crash from './processors/crash.js'
import tryProcessor from './processors/try.js'
import catchProcessor from './processors/catch.js'
import tryCatch from './processors/try-catch.js'
import switchProcessor from './processors/switch.js'
import forEach from './processors/for-each.js'
import processorsProcessor from './processors/processors.js'
import whileProcessor from './processors/while.js'
import retryProcessor from './processors/retry.js'
import parallel from './processors/parallel.js'
import branch from './processors/branch.js'
import workflow from './processors/workflow.js'
import split from './processors/split.js'
import selectParts from './processors/select-parts.js'
import insertPart from './processors/insert-part.js'
import boundsCheck from './processors/bounds-check.js'
import jsonSchema from './processors/json-schema.js'
import command from './processors/command.js'
import subprocessProcessor from './processors/subprocess.js'
import grok from './processors/grok.js'
import jmespath from './processors/jmespath.js'
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
import socketOutput from './outputs/socket.js'
import subprocessOutput from './outputs/subprocess.js'
import websocketOutput from './outputs/websocket.js'
import drop from './outputs/drop.js'
import syncResponseOutput from './outputs/sync-response.js'
import fileOutput from './outputs/file.js'
import httpClientOutput from './outputs/http-client.js'
import httpProcessor from './processors/http.js'
import httpClientInput from './inputs/http-client.js'
import httpServerOutput from './outputs/http-server.js'
import noneBuffer from './buffers/none.js'
import memoryBuffer from './buffers/memory.js'
import memoryCache from './caches/memory.js'
import localRateLimit from './rate-limits/local.js'
import lines from './scanners/lines.js'
import toTheEnd from './scanners/to-the-end.js'
import tarScanner from './scanners/tar.js'
import brokerOutput from './outputs/broker.js'
import brokerInput from './inputs/broker.js'
import sequenceInput from './inputs/sequence.js'
import readUntilInput from './inputs/read-until.js'
import batchedInput from './inputs/batched.js'
import switchOutput from './outputs/switch.js'
import fallbackOutput from './outputs/fallback.js'
import retryOutput from './outputs/retry.js'
import rejectOutput from './outputs/reject.js'
import rejectErroredOutput from './outputs/reject-errored.js'
import dropOnOutput from './outputs/drop-on.js'
import resourceInput from './inputs/resource.js'
import inprocInput from './inputs/inproc.js'
import resourceOutput from './outputs/resource.js'
import inprocOutput from './outputs/inproc.js'
import cacheOutput from './outputs/cache.js'
import resourceProcessor from './processors/resource.js'
import cacheProcessor from './processors/cache.js'
import rateLimitProcessor from './processors/rate-limit.js'
import lruCache from './caches/lru.js'
import ttlruCache from './caches/ttlru.js'
import noopCache from './caches/noop.js'
import multilevelCache from './caches/multilevel.js'
import fileCache from './caches/file.js'
import chunker from './scanners/chunker.js'
import csvScanner from './scanners/csv.js'
import jsonDocuments from './scanners/json-documents.js'
import jsonArray from './scanners/json-array.js'
import reMatch from './scanners/re-match.js'
import skipBom from './scanners/skip-bom.js'
import decompressScanner from './scanners/decompress.js'
import natsInput from './nats/input-nats.js'
import natsJetStreamInput from './nats/input-jetstream.js'
import natsOutput from './nats/output-nats.js'
import natsJetStreamOutput from './nats/output-jetstream.js'
import natsKvCache from './nats/cache-kv.js'
import natsKvProcessor from './nats/processor-kv.js'
import natsKvInput from './nats/input-kv.js'
import natsKvOutput from './nats/output-kv.js'
import { loadExtraSpecs } from './extra.js'

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
  socketInput,
  socketServer,
  subprocessInput,
  websocketInput,
  csvInput,
  mapping,
  mutation,
  bloblang,
  log,
  noop,
  syncResponseProcessor,
  sleep,
  crash,
  tryProcessor,
  catchProcessor,
  tryCatch,
  switchProcessor,
  forEach,
  processorsProcessor,
  whileProcessor,
  retryProcessor,
  parallel,
  branch,
  workflow,
  split,
  selectParts,
  insertPart,
  boundsCheck,
  jsonSchema,
  command,
  subprocessProcessor,
  grok,
  jmespath,
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
  socketOutput,
  subprocessOutput,
  websocketOutput,
  httpClientOutput,
  httpProcessor,
  httpClientInput,
  httpServerOutput,
  noneBuffer,
  memoryBuffer,
  memoryCache,
  localRateLimit,
  lines,
  toTheEnd,
  tarScanner,
  brokerInput,
  sequenceInput,
  readUntilInput,
  batchedInput,
  brokerOutput,
  switchOutput,
  fallbackOutput,
  retryOutput,
  rejectOutput,
  rejectErroredOutput,
  dropOnOutput,
  resourceInput,
  inprocInput,
  resourceOutput,
  inprocOutput,
  cacheOutput,
  resourceProcessor,
  cacheProcessor,
  rateLimitProcessor,
  lruCache,
  ttlruCache,
  noopCache,
  multilevelCache,
  fileCache,
  chunker,
  csvScanner,
  jsonDocuments,
  jsonArray,
  reMatch,
  skipBom,
  decompressScanner,
  natsInput,
  natsJetStreamInput,
  natsOutput,
  natsJetStreamOutput,
  natsKvCache,
  natsKvProcessor,
  natsKvInput,
  natsKvOutput,
]

/** Every built-in component. */
export function defaultRegistry(): Registry {
  return createRegistry(BUILTIN_SPECS)
}

export { EXTRA_COMPONENTS_ENV } from './extra.js'

/** The built-ins plus the components of `$WEIR_EXTRA_COMPONENTS`, when set. */
export async function loadRegistry(env: NodeJS.ProcessEnv = process.env): Promise<Registry> {
  const extra = await loadExtraSpecs(env)
  return extra.length ? createRegistry([...BUILTIN_SPECS, ...extra]) : defaultRegistry()
}
