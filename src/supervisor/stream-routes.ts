/**
 * Where each stream's endpoints and readiness live on the shared server. Worker endpoints go into
 * the route table the proxy matches; readiness paths (`/<id>/ready`, or the bare `/ready` without
 * prefixing) are kept here, apart, and answered by a supervisor query, never by a worker.
 *
 * Both follow the route table's rules (spec §6.12, §7.3): last writer wins, nothing is ever
 * removed, a stopped stream leaves a placeholder that answers 503.
 */
import { posix } from 'node:path'
import { streamPath } from '../http/index.js'
import type { EndpointInfo } from '../protocol/messages.js'

/** The part of the API's route table the supervisor writes to (`api/route-table.ts` satisfies it). */
export interface RouteSink {
  set(path: string, target: { stream: string; endpoint: string; description: string; live: boolean }): unknown
  disable(stream: string, paths: Iterable<string>): void
  descriptions(): Map<string, string>
}

export interface ReadinessRoute {
  stream: string
  /** false once the stream is deleted (until a stream registers the path again). */
  live: boolean
}

const READY_DESCRIPTION = 'Returns 200 OK if the stream is connected.'
const DISABLED_DESCRIPTION = 'Endpoint disabled.'

export class StreamRoutes {
  readonly #table: RouteSink
  readonly #prefix: boolean
  readonly #root: string
  readonly #readiness = new Map<string, ReadinessRoute>()

  constructor(table: RouteSink, settings: { prefixEndpoints: boolean; rootPath: string }) {
    this.#table = table
    this.#prefix = settings.prefixEndpoints
    this.#root = settings.rootPath
  }

  /**
   * Point the stream's paths at its new worker in one step; paths the previous worker had and this
   * one lacks become placeholders. Returns every path the stream now owns.
   */
  publish(stream: string, endpoints: readonly EndpointInfo[], previous: ReadonlySet<string>): Set<string> {
    const readiness = this.#readinessPaths(stream)
    for (const p of readiness) this.#readiness.set(p, { stream, live: true })
    const fresh = new Set<string>()
    for (const ep of endpoints) {
      const full = this.#prefix ? streamPath(stream, ep.path) : ep.path
      for (const p of this.#mirrored(full)) {
        // Readiness owns its path: a component endpoint there was never reachable.
        if (this.#readiness.has(p)) continue
        this.#table.set(p, { stream, endpoint: ep.path, description: ep.description, live: true })
        fresh.add(p)
      }
    }
    const stale = [...previous].filter((p) => !fresh.has(p))
    this.#table.disable(stream, stale)
    return new Set([...fresh, ...stale])
  }

  /** The stream is gone: its endpoints and readiness answer 503 until someone registers them again. */
  withdraw(stream: string, paths: Iterable<string>): void {
    this.#table.disable(stream, paths)
    for (const p of this.#readinessPaths(stream)) {
      const r = this.#readiness.get(p)
      if (r?.stream === stream) r.live = false
    }
  }

  /** The readiness route at `pathname`, if any (one map lookup: this runs for every request). */
  readinessAt(pathname: string): ReadinessRoute | undefined {
    return this.#readiness.get(pathname)
  }

  /** path → description of every stream route, readiness included (for `/endpoints`). */
  descriptions(): Map<string, string> {
    const out = this.#table.descriptions()
    for (const [p, r] of this.#readiness) out.set(p, r.live ? READY_DESCRIPTION : DISABLED_DESCRIPTION)
    return out
  }

  #readinessPaths(stream: string): string[] {
    return this.#mirrored(this.#prefix ? posix.join('/', stream, 'ready') : '/ready')
  }

  #mirrored(path: string): string[] {
    const root = this.#root
    return root && root !== '/' ? [path, posix.join(root, path)] : [path]
  }
}
