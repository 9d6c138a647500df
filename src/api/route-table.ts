/**
 * Stream endpoint routing on the shared server (spec §7.3): exact paths, `/`-suffixed prefixes and
 * `{name}` segment templates, last writer wins, routes never removed (a stopped stream leaves a 503
 * placeholder). Exact paths resolve with one Map lookup so the proxy path stays cheap.
 */

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

interface TemplateRoute {
  path: string
  segments: string[]
  /** Trailing `/` in the registered path: match it and everything below. */
  prefix: boolean
}

export interface RouteMatch {
  target: RouteTarget
  params: Record<string, string>
}

export class RouteTable {
  /** Exact paths, each with its match ready (no allocation per request). */
  #exact = new Map<string, RouteMatch>()
  /** Prefix and template routes in registration order (first match wins among them). */
  #patterns: TemplateRoute[] = []
  #patternTargets = new Map<string, RouteTarget>()
  #seq = 0

  /** Register or replace the handler of `path` (full path on the server, prefix included). */
  set(path: string, target: Omit<RouteTarget, 'seq'>): RouteTarget {
    const t: RouteTarget = { ...target, seq: ++this.#seq }
    if (isPattern(path)) {
      if (!this.#patternTargets.has(path)) {
        this.#patterns.push({ path, segments: path.split('/'), prefix: path.endsWith('/') })
      }
      this.#patternTargets.set(path, t)
    } else {
      this.#exact.set(path, { target: t, params: NO_PARAMS })
    }
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
    return this.#exact.get(path)?.target ?? this.#patternTargets.get(path)
  }

  match(pathname: string): RouteMatch | undefined {
    const exact = this.#exact.get(pathname)
    if (exact) return exact
    if (this.#patterns.length === 0) return undefined
    const segs = pathname.split('/')
    for (const r of this.#patterns) {
      const params = matchPattern(r, segs)
      if (params) return { target: this.#patternTargets.get(r.path)!, params }
    }
    return undefined
  }

  /** path → description, for `/endpoints`. */
  descriptions(): Map<string, string> {
    const out = new Map<string, string>()
    for (const [p, m] of this.#exact) out.set(p, m.target.description)
    for (const [p, t] of this.#patternTargets) out.set(p, t.description)
    return out
  }
}

const NO_PARAMS: Record<string, string> = Object.freeze({}) as Record<string, string>

function isPattern(path: string): boolean {
  return path.endsWith('/') || path.includes('{')
}

function matchPattern(r: TemplateRoute, segs: string[]): Record<string, string> | undefined {
  const pat = r.prefix ? r.segments.slice(0, -1) : r.segments
  if (r.prefix ? segs.length < pat.length : segs.length !== pat.length) return undefined
  let params: Record<string, string> | undefined
  for (let i = 0; i < pat.length; i++) {
    const p = pat[i]!
    const s = segs[i]!
    if (p.length > 2 && p.startsWith('{') && p.endsWith('}')) {
      if (s === '') return undefined
      ;(params ??= {})[p.slice(1, -1)] = decodeURIComponentSafe(s)
    } else if (p !== s) {
      return undefined
    }
  }
  return params ?? {}
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}
