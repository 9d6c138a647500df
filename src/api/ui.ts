/**
 * The status page: `/ui` (every stream, live) and `/ui/streams/{id}` (one stream: config, live
 * tap), plus `/` as an alias of `/ui` when no stream endpoint took `/` (stream endpoints are
 * matched first, so they win). Each page is one self-contained response: its CSS and script are
 * inlined from `src/ui/` (copied next to this module at build) and a Content-Security-Policy
 * allows nothing but this host, so the page works on a host without internet and cannot leak.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { Context, Hono } from 'hono'
import type { Host } from '../supervisor/host.js'
import type { SseHub } from './sse.js'
import { SummaryFeed } from './summary-feed.js'
import { textError } from './http-errors.js'

const UI_DIR = new URL('../ui/', import.meta.url)

interface Page {
  html: string
  csp: string
}

export function uiRoutes(app: Hono, host: Host, hub: SseHub): void {
  const feed = new SummaryFeed(host)
  const pages = new Map<string, Page>()
  const page = (name: 'index' | 'stream'): Page => {
    let p = pages.get(name)
    if (!p) pages.set(name, (p = assemble(name)))
    return p
  }
  const serve = (c: Context, name: 'index' | 'stream'): Response => {
    let p: Page
    try {
      p = page(name)
    } catch (err) {
      return textError(c, 500, `Error: the status page's files are missing from the build (${err instanceof Error ? err.message : String(err)}); run npm run build`)
    }
    const base = basePath(c.req.path, host.settings.rootPath)
    return c.body(p.html.replace('{{base}}', escapeAttr(base)), 200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': p.csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    })
  }
  app.get('/', (c) => serve(c, 'index'))
  app.get('/ui', (c) => serve(c, 'index'))
  app.get('/ui/', (c) => serve(c, 'index'))
  app.get('/ui/streams/:id', (c) => serve(c, 'stream'))
  app.get('/ui/summaries', () => feed.respond(hub))
}

/** The page calls the API below the prefix it was served under (`http.root_path` or none). */
function basePath(path: string, root: string): string {
  if (!root || root === '/') return ''
  const r = root.endsWith('/') ? root.slice(0, -1) : root
  return path === r || path.startsWith(r + '/') ? r : ''
}

/** `<name>.html` with `style.css` and `common.js` + `<name>.js` inlined, and a CSP naming their hashes. */
function assemble(name: string): Page {
  const read = (f: string): string => readFileSync(new URL(f, UI_DIR), 'utf8')
  const style = read('style.css')
  const script = `${read('common.js')}\n${read(`${name}.js`)}`
  const html = read(`${name}.html`).replace('{{style}}', () => style).replace('{{script}}', () => script)
  const hash = (s: string): string => `'sha256-${createHash('sha256').update(s).digest('base64')}'`
  const csp = [
    "default-src 'none'",
    `script-src ${hash(script)}`,
    `style-src ${hash(style)}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
  return { html, csp }
}

function escapeAttr(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}
