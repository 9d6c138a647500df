/**
 * `http.debug_endpoints` (spec §7.2): the sanitised root config, and the Go-only profiling
 * endpoints answered with 501 since V8 has no equivalent served this way.
 */
import type { Hono } from 'hono'
import { stringify } from 'yaml'
import { stableStringify } from './http-errors.js'

const SECRET_KEYS = new Set(['password', 'password_hash', 'salt', 'secret', 'token', 'key_file'])

export function debugRoutes(app: Hono, rootConfig: Record<string, unknown>): void {
  const clean = scrub(rootConfig)
  app.all('/debug/config/json', (c) => c.body(stableStringify(clean), 200, { 'Content-Type': 'application/json' }))
  app.all('/debug/config/yaml', (c) => c.body(stringify(clean), 200, { 'Content-Type': 'text/yaml' }))
  for (const p of ['/debug/stack', '/debug/pprof/*']) {
    app.all(p, (c) => c.body('Not implemented: Go runtime profiling has no equivalent here; use node --cpu-prof or --heap-prof\n', 501, { 'Content-Type': 'text/plain; charset=utf-8' }))
  }
}

function scrub(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(scrub)
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) out[k] = SECRET_KEYS.has(k) && typeof x === 'string' && x !== '' ? '!!!SECRET_SCRUBBED!!!' : scrub(x)
    return out
  }
  return v
}
