/**
 * The one route matcher: the shared server's route table, an own-address `http_server` and the
 * test harness all match with it. Routes keep the position of their first registration and the
 * first one that matches wins, as with gorilla/mux; registering a template again replaces its
 * target in place.
 *
 *   match(raw) ── #fast hit (exact, unshadowed) ──▶ its ready match: one Map lookup, no allocation
 *        │
 *        └─ decode; exact route of the decoded path, else patterns in registration order up to
 *           that exact route's position; first match wins
 *
 * Whether an earlier pattern shadows an exact path is decided once, when the exact path is first
 * registered: later patterns come after it, so they can never shadow it. Exact templates hold no
 * `%` (those compile as patterns), so a raw path that hits #fast is already its decoded form.
 */
import { NO_PARAMS, compileTemplate, type CompiledTemplate, type RouteParams } from './route-template.js'

export interface RouteMatch<T> {
  target: T
  params: RouteParams
}

interface Route<T> {
  readonly order: number
  /** Patterns only: the matcher. */
  readonly exec: ((path: string) => RouteParams | undefined) | undefined
  /** The current answer; for exact routes it is returned as is on every match. */
  hit: RouteMatch<T>
  /** Exact routes only: a pattern registered earlier matches this path, so it must be consulted. */
  shadowed: boolean
}

export class Router<T> {
  /** Every route by template, in registration order. */
  readonly #routes = new Map<string, Route<T>>()
  /** Unshadowed exact routes: template → the match returned as is. */
  readonly #fast = new Map<string, RouteMatch<T>>()
  readonly #exact = new Map<string, Route<T>>()
  readonly #patterns: Route<T>[] = []

  /** Registers `template` (kept at its first position) or replaces its target. */
  set(template: string, target: T): void {
    const known = this.#routes.get(template)
    if (known) {
      known.hit = { target, params: NO_PARAMS }
      if (this.#fast.has(template)) this.#fast.set(template, known.hit)
      return
    }
    let compiled: CompiledTemplate | undefined
    try {
      compiled = compileTemplate(template)
    } catch {
      // As with mux, a template that does not compile is listed but never matches (components
      // check theirs at build time, so this is a template the host built).
      compiled = undefined
    }
    const exec = compiled?.kind === 'pattern' ? compiled.exec : undefined
    const route: Route<T> = { order: this.#routes.size, exec, hit: { target, params: NO_PARAMS }, shadowed: false }
    this.#routes.set(template, route)
    if (compiled?.kind === 'exact') {
      route.shadowed = this.#patterns.some((p) => p.exec!(template) !== undefined)
      this.#exact.set(template, route)
      if (!route.shadowed) this.#fast.set(template, route.hit)
    } else if (exec) {
      this.#patterns.push(route)
    }
  }

  /** The target registered for exactly `template`. */
  get(template: string): T | undefined {
    return this.#routes.get(template)?.hit.target
  }

  /**
   * The route serving the path part of a request target (still percent-encoded, as on the wire).
   * Templates see the decoded path, as mux matches `URL.Path`.
   */
  match(rawPath: string): RouteMatch<T> | undefined {
    const fast = this.#fast.get(rawPath)
    if (fast !== undefined) return fast
    const path = rawPath.indexOf('%') === -1 ? rawPath : decodePath(rawPath)
    const exact = this.#exact.get(path)
    if (exact !== undefined && !exact.shadowed) return exact.hit
    const before = exact === undefined ? Infinity : exact.order
    for (const r of this.#patterns) {
      if (r.order > before) break
      const params = r.exec!(path)
      if (params !== undefined) return { target: r.hit.target, params }
    }
    return exact?.hit
  }

  /** Template → target, in registration order. */
  *entries(): IterableIterator<[string, T]> {
    for (const [template, r] of this.#routes) yield [template, r.hit.target]
  }
}

/** Go's path unescaping; a malformed escape leaves the path as received. */
export function decodePath(raw: string): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}
