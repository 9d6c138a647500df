/**
 * Test harness for streams built in-process: a real loopback HTTP server standing in for the
 * shared server (cleans paths, routes `/<stream><path>` to registered handlers through src/http's
 * Router and frames responses with its `sendResponse`, as the host does),
 * resources built through the same registry as the host does, a captured logger, real metrics,
 * temp dirs, and polling with deadlines.
 */
import { createServer, type Server } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { buildStream, type StreamEnv, type StreamHandle } from '../../src/stream/index.js'
import { createRegistry, BUILTIN_SPECS } from '../../src/components/registry.js'
import type { ComponentSpec, SpecLookup } from '../../src/spec/index.js'
import type { EndpointHandler, EndpointRegistry, Resources } from '../../src/spec/index.js'
import { ResourceHost } from '../../src/supervisor/resource-host.js'
import { createLogger } from '../../src/util/logger.js'
import { WorkerMetrics } from '../../src/metrics/worker-metrics.js'
import { resolveComponent } from '../../src/config/component.js'
import { Router, cleanPathRedirect, movedPermanently, notFound, sendResponse, streamPath } from '../../src/http/index.js'

export interface Harness {
  stream: StreamHandle
  metrics: WorkerMetrics
  logs: string[]
  endpoints: TestEndpoints
  /** Base URL of the stand-in shared server (`http://127.0.0.1:port`). */
  base: string
}

export interface HarnessOptions {
  id?: string
  extraSpecs?: ComponentSpec[]
  resources?: Partial<Record<'cache' | 'rate_limit' | 'input' | 'output' | 'processor', Record<string, unknown>>>
  /** Resources to use as they are (streams sharing one set), instead of building `resources`. */
  sharedResources?: Resources
  logLevel?: string
  paused?: boolean
  /** Told of every status change, as the worker is (it posts them to the host for `/ready`). */
  onStatus?: StreamEnv['onStatus']
}

/** Endpoint registry of the host, served over real HTTP on an ephemeral loopback port. */
export class TestEndpoints implements EndpointRegistry {
  /** Registered path (unprefixed) → handler. */
  readonly handlers = new Map<string, { description: string; handler: EndpointHandler }>()
  /** Prefixed path → registered path; the host's routing rules, the host's matcher. */
  readonly #routes = new Router<string>()
  readonly #stream: string
  #server: Server | undefined
  readonly stopping = new AbortController()

  constructor(stream: string) {
    this.#stream = stream
  }

  register(path: string, description: string, handler: EndpointHandler): void {
    this.handlers.set(path, { description, handler })
    this.#routes.set(streamPath(this.#stream, path), path)
  }

  async serve(): Promise<string> {
    this.#server = createServer((req, res) => {
      void (async () => {
        const url = req.url ?? '/'
        const q = url.indexOf('?')
        const path = q === -1 ? url : url.slice(0, q)
        const hit = this.#routes.match(path)
        const found = hit && this.handlers.get(hit.target)
        const chunks: Buffer[] = []
        for await (const c of req) chunks.push(c as Buffer)
        const to = cleanPathRedirect(url)
        if (to !== undefined) {
          sendResponse(res, movedPermanently(to))
          return
        }
        if (!hit || !found) {
          sendResponse(res, notFound())
          return
        }
        const body = Buffer.concat(chunks)
        const out = await found.handler(
          {
            method: req.method ?? 'GET',
            path,
            query: q === -1 ? '' : url.slice(q + 1),
            rawHeaders: req.rawHeaders,
            body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
            remoteAddress: req.socket.remoteAddress ?? '',
            params: hit.params,
          },
          this.stopping.signal,
        )
        sendResponse(res, out)
      })()
    })
    await new Promise<void>((r) => this.#server!.listen(0, '127.0.0.1', () => r()))
    const a = this.#server.address()
    return `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`
  }

  close(): Promise<void> {
    return new Promise((r) => {
      if (!this.#server) return r()
      this.#server.close(() => r())
      this.#server.closeAllConnections()
    })
  }
}

/**
 * Resources built by the host's own ResourceHost (caches, rate limits, inputs, outputs, inproc
 * exchanges and processor configs), seen the way main-thread components see them.
 */
export async function localResources(registry: SpecLookup, decl: HarnessOptions['resources'] = {}): Promise<Resources> {
  const metrics = new WorkerMetrics('', { mapping: '', useHistogramTiming: false, histogramBuckets: [], summaryQuantiles: [] })
  const host = new ResourceHost(registry, createLogger(settings('OFF'), {}), (path, label) => metrics.view(path, label))
  for (const kind of ['cache', 'rate_limit', 'input', 'output', 'processor'] as const) {
    for (const [label, raw] of Object.entries(decl[kind] ?? {})) {
      // Built at once (the host builds lazily) so a bad resource fails the test where it is declared.
      const r = await host.replace(kind, label, raw)
      if (!r.ok) throw new Error(r.error.message)
    }
  }
  return host.local
}

export function settings(level: string): Parameters<typeof createLogger>[0] {
  return { level, format: 'logfmt', addTimestamp: false, staticFields: {}, levelName: 'level', timestampName: 'time', messageName: 'msg' }
}

/** Builds a stream from `config` and stops it (5 s budget) when the test ends. */
export async function startStream(t: TestContext, config: Record<string, unknown>, opts: HarnessOptions = {}): Promise<Harness> {
  const id = opts.id ?? 'test'
  const registry = createRegistry([...BUILTIN_SPECS, ...(opts.extraSpecs ?? [])])
  const logs: string[] = []
  const logger = createLogger(settings(opts.logLevel ?? 'DEBUG'), { stream: id }, (l) => logs.push(l))
  const metrics = new WorkerMetrics(id, { mapping: '', useHistogramTiming: false, histogramBuckets: [], summaryQuantiles: [{ quantile: 0.5, error: 0.05 }] })
  const endpoints = new TestEndpoints(id)
  const base = await endpoints.serve()
  const signal = new AbortController()
  const stream = await buildStream(config, {
    streamId: id,
    registry,
    endpoints,
    resources: opts.sharedResources ?? (await localResources(registry, opts.resources)),
    logger,
    metrics: (path, label) => metrics.view(path, label),
    configDir: '',
    signal: signal.signal,
    paused: opts.paused ?? false,
    ...(opts.onStatus ? { onStatus: opts.onStatus } : {}),
  })
  t.after(async () => {
    await stream.stop(5000)
    await endpoints.close()
  })
  return { stream, metrics, logs, endpoints, base }
}

/** Same as `startStream` but returns the build error (or fails the test if the build succeeds). */
export async function buildError(config: Record<string, unknown>, extraSpecs: ComponentSpec[] = []): Promise<unknown> {
  const registry = createRegistry([...BUILTIN_SPECS, ...extraSpecs])
  const endpoints = new TestEndpoints('bad')
  try {
    const s = await buildStream(config, {
      streamId: 'bad',
      registry,
      endpoints,
      resources: await localResources(registry),
      logger: createLogger(settings('OFF'), {}),
      metrics: (path, label) => new WorkerMetrics('bad', { mapping: '', useHistogramTiming: false, histogramBuckets: [], summaryQuantiles: [] }).view(path, label),
      configDir: '',
      signal: new AbortController().signal,
    })
    await s.stop(1000)
  } catch (err) {
    return err
  }
  throw new Error('expected the build to fail')
}

export function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'weir-stream-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Polls `fn` until it returns a truthy value; fails after `timeoutMs`. */
export async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** Resolves with `p`, or rejects after `ms` (a deadline, never a synchronisation sleep). */
export function deadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)
    }),
  ])
}
