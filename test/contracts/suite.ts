/**
 * Shared machinery of the kind contract suites (style.md §5: one suite run against every
 * implementation): the registry walk against the case table, a per-test environment (temp dir,
 * real loopback HTTP server), and components built directly through the engine's builder.
 */
import { createServer } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { defaultRegistry } from '../../src/components/registry.js'
import type { ComponentKind, InstanceOf } from '../../src/spec/index.js'
import { ComponentBuilder } from '../../src/stream/build.js'
import { createLogger } from '../../src/util/logger.js'
import { WorkerMetrics } from '../../src/metrics/worker-metrics.js'
import { TestEndpoints, localResources, settings } from '../stream/harness.js'
import { CONTRACT_RESOURCES } from './configs.js'
import { CASES, EXEMPT, type ContractCase, type ContractEnv } from './configs.js'

export type CaseOf<K extends ContractCase['kind']> = Extract<ContractCase, { kind: K }>

/** Every registered component of `kind` with its case; `missing`/`stale` list what the table lacks or has extra. */
export function walk<K extends ContractCase['kind']>(kind: K): { cases: [string, CaseOf<K>][]; exempt: [string, string][]; missing: string[]; stale: string[] } {
  const names = defaultRegistry().names(kind)
  const cases: [string, CaseOf<K>][] = []
  const exempt: [string, string][] = []
  const missing: string[] = []
  for (const name of names) {
    const key = `${kind}/${name}`
    const c = CASES[key]
    if (c && c.kind === kind) cases.push([name, c as CaseOf<K>])
    else if (EXEMPT[key]) exempt.push([name, EXEMPT[key]])
    else missing.push(key)
  }
  const stale = [...Object.keys(CASES), ...Object.keys(EXEMPT)].filter((k) => k.startsWith(`${kind}/`) && !names.includes(k.slice(kind.length + 1)))
  return { cases, exempt, missing, stale }
}

/** A temp dir and a loopback server (`/ok` → 200, `/fail` → 500), both gone when `t` ends. */
export async function contractEnv(t: TestContext): Promise<ContractEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'weir-contract-'))
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      if (req.url === '/ok') res.writeHead(200).end('ok')
      else res.writeHead(500).end('contract failure')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const a = server.address()
  t.after(async () => {
    server.closeAllConnections()
    await new Promise<void>((r) => server.close(() => r()))
    rmSync(dir, { recursive: true, force: true })
  })
  return { dir, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`, streamBase: '' }
}

export interface Built<K extends ComponentKind> {
  instance: InstanceOf<K>
  metrics: WorkerMetrics
  /** Aborted when the test ends (the stream's hard stop). */
  signal: AbortSignal
}

/** Builds one component at `configPath` as a stream would, metered processors included. */
export async function buildOne<K extends ComponentKind>(t: TestContext, kind: K, raw: unknown, configPath: string): Promise<Built<K>> {
  const registry = defaultRegistry()
  const metrics = new WorkerMetrics('test', { mapping: '', useHistogramTiming: false, histogramBuckets: [], summaryQuantiles: [] })
  const hard = new AbortController()
  const builder = new ComponentBuilder(
    {
      streamId: 'test',
      registry,
      endpoints: new TestEndpoints('test'),
      resources: await localResources(registry, CONTRACT_RESOURCES),
      logger: createLogger(settings('OFF'), {}),
      metrics: (path, label) => metrics.view(path, label),
      configDir: '',
      signal: new AbortController().signal,
    },
    hard.signal,
  )
  t.after(async () => {
    hard.abort()
    await Promise.allSettled(builder.built.map((c) => c.close()))
  })
  const built = await builder.build(kind, raw, configPath)
  return { instance: built.instance, metrics, signal: hard.signal }
}

/** `p` within `ms`, else a failure naming `what` (a deadline, not a synchronisation sleep). */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms)
    }),
  ])
}

/** The value of metric `name` at `path` in a harness stream's stats (0 when absent). */
export function metric(stats: Record<string, unknown>, name: string, path: string): number {
  const v = stats[`${name}{label="",path="${path}",stream="test"}`]
  return typeof v === 'number' ? v : 0
}

/** Bound on close(), connect() and stops: generous for a busy 2-core machine, still a bound. */
export const BOUND_MS = 5000
