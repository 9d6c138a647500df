/**
 * Resources shared by every stream (spec §10). Caches and rate limits live on the main thread, one
 * instance per label, and workers reach them over the port (`rpc.call`), so all streams really share
 * them. Processor, input and output resources are configs handed to each worker, which builds its
 * own instance (a worker cannot share a live component with another thread).
 */
import { weirError, type ErrorData } from '../errors.js'
import type { RpcCall } from '../protocol/messages.js'
import type { ComponentKind, SpecLookup } from '../spec/index.js'
import type { Cache, ComponentContext, ComponentInstance, Logger, MetricsView, RateLimit } from '../spec/index.js'
import { resolveComponent } from '../config/component.js'

import type { ResourceKind } from '../config/resource-kinds.js'

interface Entry {
  kind: ResourceKind
  conf: unknown
  /** Built on first use (spec §10.1: lazily constructed). */
  instance: Promise<ComponentInstance> | undefined
}

export class ResourceHost {
  #entries = new Map<string, Entry>()
  #registry: SpecLookup
  #logger: Logger
  #metrics: (path: string, label: string) => MetricsView

  constructor(registry: SpecLookup, logger: Logger, metrics: (path: string, label: string) => MetricsView) {
    this.#registry = registry
    this.#logger = logger
    this.#metrics = metrics
  }

  /** Declare resources from the root/resource files; labels are unique across all kinds. */
  declare(kind: ResourceKind, label: string, conf: unknown): ErrorData | undefined {
    const existing = this.#entries.get(label)
    if (existing && existing.kind !== kind) {
      return weirError('CONFIG_INVALID', `${kind} resource label '${label}' collides with a previously defined resource`).data
    }
    this.#entries.set(label, { kind, conf, instance: undefined })
    return undefined
  }

  /** Create or replace one resource (API `POST /resources/{type}/{id}`): close the old, build the new. */
  async replace(kind: ResourceKind, label: string, conf: unknown): Promise<{ ok: true } | { ok: false; error: ErrorData }> {
    const existing = this.#entries.get(label)
    if (existing && existing.kind !== kind) {
      return { ok: false, error: weirError('RESOURCE_BUILD', `${kind} resource label '${label}' collides with a previously defined resource`).data }
    }
    const entry: Entry = { kind, conf, instance: undefined }
    if (kind === 'cache' || kind === 'rate_limit') {
      entry.instance = this.#build(kind, label, conf)
      try {
        await entry.instance
      } catch (err) {
        return { ok: false, error: errorOf(err, label) }
      }
    }
    if (existing?.instance) {
      try {
        await (await existing.instance).close()
      } catch (err) {
        this.#logger.warn('closing the replaced resource failed', { label, error: String(err) })
      }
    }
    this.#entries.set(label, entry)
    return { ok: true }
  }

  /** Drop a resource (its file no longer declares it); closes a built instance. */
  remove(label: string): void {
    const e = this.#entries.get(label)
    if (!e) return
    this.#entries.delete(label)
    if (e.instance) void e.instance.then((i) => i.close()).catch(() => undefined)
  }

  has(kind: ResourceKind, label: string): boolean {
    return this.#entries.get(label)?.kind === kind
  }

  componentConfigs(): { processor: Record<string, unknown>; input: Record<string, unknown>; output: Record<string, unknown> } {
    const out = { processor: {} as Record<string, unknown>, input: {} as Record<string, unknown>, output: {} as Record<string, unknown> }
    for (const [label, e] of this.#entries) {
      if (e.kind === 'processor' || e.kind === 'input' || e.kind === 'output') out[e.kind][label] = e.conf
    }
    return out
  }

  sharedLabels(): { cache: string[]; rate_limit: string[] } {
    const out = { cache: [] as string[], rate_limit: [] as string[] }
    for (const [label, e] of this.#entries) if (e.kind === 'cache' || e.kind === 'rate_limit') out[e.kind].push(label)
    return out
  }

  /** Serve a worker's resource call. Values cross the port as plain data. */
  async call(call: RpcCall): Promise<unknown> {
    if (call.kind === 'cache') {
      const cache = (await this.#get('cache', call.name)) as Cache
      switch (call.op) {
        case 'get':
          return (await cache.get(call.key)) ?? null
        case 'delete':
          await cache.delete(call.key)
          return null
        case 'set':
          await cache.set(call.key, call.value, call.ttlMs)
          return null
        case 'add':
          await cache.add(call.key, call.value, call.ttlMs)
          return null
      }
    }
    const rl = (await this.#get('rate_limit', call.name)) as RateLimit
    return rl.access()
  }

  /** Local access for main-thread users. */
  async cache(label: string): Promise<Cache> {
    return (await this.#get('cache', label)) as Cache
  }

  async close(): Promise<void> {
    await Promise.allSettled(
      [...this.#entries.values()].map(async (e) => {
        if (e.instance) await (await e.instance).close()
      }),
    )
  }

  #get(kind: ResourceKind, label: string): Promise<ComponentInstance> {
    const e = this.#entries.get(label)
    if (!e || e.kind !== kind) {
      const what = kind === 'rate_limit' ? 'rate limit' : kind
      return Promise.reject(weirError('RESOURCE_NOT_FOUND', `${what} resource '${label}' was not found`))
    }
    e.instance ??= this.#build(kind, label, e.conf)
    return e.instance
  }

  async #build(kind: ResourceKind, label: string, conf: unknown): Promise<ComponentInstance> {
    const path = `root.${kind}_resources`
    const resolved = resolveComponent(kind as ComponentKind, conf, this.#registry, path)
    const ctx: ComponentContext = {
      stream: '',
      path,
      label,
      logger: this.#logger.child({ label, path }),
      metrics: this.#metrics(path, label),
      resources: {
        cache: () => {
          throw weirError('RESOURCE_BUILD', 'resources cannot reference other resources from the main thread')
        },
        rateLimit: () => {
          throw weirError('RESOURCE_BUILD', 'resources cannot reference other resources from the main thread')
        },
        hasCache: (n) => this.has('cache', n),
        hasRateLimit: (n) => this.has('rate_limit', n),
        componentConfig: () => undefined,
      },
      endpoints: {
        register: () => {
          throw weirError('RESOURCE_BUILD', 'resources cannot register HTTP endpoints')
        },
      },
      configDir: '',
      build: () => Promise.reject(weirError('RESOURCE_BUILD', 'nested components are not supported in cache or rate limit resources')),
      signal: new AbortController().signal,
    }
    return resolved.spec.build(resolved.conf, ctx)
  }
}

function errorOf(err: unknown, label: string): ErrorData {
  if (err && typeof err === 'object' && 'data' in err) return (err as { data: ErrorData }).data
  return weirError('RESOURCE_BUILD', `failed to build resource '${label}': ${err instanceof Error ? err.message : String(err)}`).data
}
