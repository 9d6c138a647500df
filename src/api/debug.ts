/**
 * `http.debug_endpoints` (spec §7.2): the root config with its secrets scrubbed (by the caller,
 * through the spec walk), and the Go-only profiling endpoints answered with 501 since V8 has no
 * equivalent served this way.
 */
import type { Hono } from 'hono'
import { stringify } from 'yaml'
import { stableStringify } from './http-errors.js'

export function debugRoutes(app: Hono, scrubbedConfig: Record<string, unknown>): void {
  app.all('/debug/config/json', (c) => c.body(stableStringify(scrubbedConfig), 200, { 'Content-Type': 'application/json' }))
  app.all('/debug/config/yaml', (c) => c.body(stringify(scrubbedConfig), 200, { 'Content-Type': 'text/yaml' }))
  for (const p of ['/debug/stack', '/debug/pprof/*']) {
    app.all(p, (c) => c.body('Not implemented: Go runtime profiling has no equivalent here; use node --cpu-prof or --heap-prof\n', 501, { 'Content-Type': 'text/plain; charset=utf-8' }))
  }
}
