/**
 * Stream endpoint routing on the shared server (spec §7.3): which stream owns each registered
 * path, last writer wins, routes never removed (a stopped stream leaves a 503 placeholder).
 * Matching is src/http's Router, the one every Weir server uses: exact paths cost one Map lookup.
 */
import { Router, type RouteMatch as Match } from '../http/index.js'

export interface RouteTarget {
  /** Stream that owns the route now. */
  stream: string
  /** Path as the component registered it (before prefixing), sent to the worker. */
  endpoint: string
  description: string
  /** false = placeholder left by a stopped stream: answer 503 `Service unavailable`. */
  live: boolean
  /** Monotonic registration number: a stale placeholder never replaces a newer registration. */
  seq: number
}

export type RouteMatch = Match<RouteTarget>

export class RouteTable {
  readonly #router = new Router<RouteTarget>()
  #seq = 0

  /** Register or replace the handler of `path` (full path on the server, prefix included). */
  set(path: string, target: Omit<RouteTarget, 'seq'>): RouteTarget {
    const t: RouteTarget = { ...target, seq: ++this.#seq }
    this.#router.set(path, t)
    return t
  }

  /**
   * Turn the routes of `stream` into placeholders, unless another stream registered them since,
   * or unless `keep` says a newer worker of the same stream owns them.
   */
  disable(stream: string, paths: Iterable<string>): void {
    for (const p of paths) {
      const t = this.get(p)
      if (t && t.stream === stream && t.live) this.set(p, { ...t, live: false, description: 'Endpoint disabled.' })
    }
  }

  get(path: string): RouteTarget | undefined {
    return this.#router.get(path)
  }

  /** The route for a request's path (as received, still percent-encoded). */
  match(pathname: string): RouteMatch | undefined {
    return this.#router.match(pathname)
  }

  /** path → description, for `/endpoints`. */
  descriptions(): Map<string, string> {
    const out = new Map<string, string>()
    for (const [p, t] of this.#router.entries()) out.set(p, t.description)
    return out
  }
}
