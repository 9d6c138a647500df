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
]

/** Every built-in component. */
export function defaultRegistry(): Registry {
  return createRegistry(BUILTIN_SPECS)
}
