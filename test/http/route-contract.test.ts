/**
 * The route contract (issue 12, item 8): one case table run against every user of the matcher —
 * the shared server through the real CLI (unprefixed, and stream-prefixed), an own-address
 * `http_server` through the real CLI, and the in-process test harness. Skips are listed with
 * their reason. Every route answers `<label> <param>=<value>...`, so a response names the route
 * that won and the parameters it extracted.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { startHost, type RunningHost } from '../helpers/cli-host.js'
import { TestEndpoints } from '../stream/harness.js'

interface RouteDef {
  /** As the component registers it (`http_server.path`). */
  path: string
  label: string
  params?: string[]
  /** Answer with the request body instead (framing cases). */
  echo?: boolean
}

interface Req {
  path: string
  /** Expected body, 404 for "no route", or 301 to `location` (mux's clean-path redirect). */
  expect: string | 404 | 301
  /** For 301: where to, as a path before any stream prefix. */
  location?: string
  /** POST this many bytes (echo routes). */
  bodyBytes?: number
  /** Expected framing: `length` = Content-Length, `chunked` = Transfer-Encoding: chunked. */
  framing?: 'length' | 'chunked'
}

interface Case {
  name: string
  /** Registered in this order. */
  routes: RouteDef[]
  requests: Req[]
  /**
   * Under a stream prefix the host registers `path.Join("/", id, path)`, which drops a trailing
   * slash (spec §7.3 quirk): where that changes the answer, the prefixed expectations.
   */
  prefixedRequests?: Req[]
}

const CASES: Case[] = [
  {
    name: 'an exact path matches only itself',
    routes: [{ path: '/exact/x', label: 'E' }],
    requests: [
      { path: '/exact/x', expect: 'E' },
      { path: '/exact/x/', expect: 404 },
      { path: '/exact/xy', expect: 404 },
      { path: '/exact', expect: 404 },
      { path: '/exact/%78', expect: 'E' },
    ],
  },
  {
    name: 'an unclean path is redirected to its clean form before routing',
    routes: [{ path: '/clean/x', label: 'C' }],
    requests: [
      { path: '/clean/./x?q=1', expect: 301, location: '/clean/x?q=1' },
      { path: '/clean//x', expect: 301, location: '/clean/x' },
      { path: '/clean/y/../x', expect: 301, location: '/clean/x' },
      { path: '/clean/%2E/x', expect: 301, location: '/clean/x' },
      { path: '/clean/x', expect: 'C' },
    ],
  },
  {
    name: 'a path ending in / is a prefix: itself and everything below, not the bare path',
    routes: [{ path: '/pre/', label: 'P' }],
    requests: [
      { path: '/pre/', expect: 'P' },
      { path: '/pre/a/b', expect: 'P' },
      { path: '/pre', expect: 404 },
      { path: '/prefix', expect: 404 },
    ],
    prefixedRequests: [
      { path: '/pre', expect: 'P' },
      { path: '/pre/', expect: 404 },
      { path: '/pre/a/b', expect: 404 },
    ],
  },
  {
    name: '{name} matches one non-empty segment and becomes a parameter (decoded)',
    routes: [{ path: '/items/{id}', label: 'I', params: ['id'] }],
    requests: [
      { path: '/items/42', expect: 'I id=42' },
      { path: '/items/a%20b', expect: 'I id=a b' },
      { path: '/items/', expect: 404 },
      { path: '/items/4/2', expect: 404 },
      { path: '/items/4%2F2', expect: 404 },
    ],
  },
  {
    name: '{name:[0-9]+} matches only what the expression accepts',
    routes: [{ path: '/num/{n:[0-9]+}/x', label: 'N', params: ['n'] }],
    requests: [
      { path: '/num/123/x', expect: 'N n=123' },
      { path: '/num/12a/x', expect: 404 },
      { path: '/num/abc/x', expect: 404 },
    ],
  },
  {
    name: 'an expression may span segments, with RE2 syntax',
    routes: [{ path: '/files/{rest:[[:alpha:]/]+}', label: 'F', params: ['rest'] }],
    requests: [
      { path: '/files/a/b/c', expect: 'F rest=a/b/c' },
      { path: '/files/a/1', expect: 404 },
    ],
  },
  {
    name: 'precedence: a pattern registered first wins over a later exact path',
    routes: [
      { path: '/first/{x}', label: 'PAT', params: ['x'] },
      { path: '/first/fixed', label: 'EXACT' },
    ],
    requests: [
      { path: '/first/fixed', expect: 'PAT x=fixed' },
      { path: '/first/other', expect: 'PAT x=other' },
    ],
  },
  {
    name: 'precedence: an exact path registered first wins over a later pattern',
    routes: [
      { path: '/second/fixed', label: 'EXACT' },
      { path: '/second/{x}', label: 'PAT', params: ['x'] },
    ],
    requests: [
      { path: '/second/fixed', expect: 'EXACT' },
      { path: '/second/other', expect: 'PAT x=other' },
    ],
  },
  {
    name: 'precedence: prefix and exact, and two overlapping templates, in registration order',
    routes: [
      { path: '/third/', label: 'PRE' },
      { path: '/third/x', label: 'EXACT' },
      { path: '/fourth/{n:[0-9]+}', label: 'NUM', params: ['n'] },
      { path: '/fourth/{s}', label: 'ANY', params: ['s'] },
    ],
    requests: [
      { path: '/third/x', expect: 'PRE' },
      { path: '/fourth/12', expect: 'NUM n=12' },
      { path: '/fourth/ab', expect: 'ANY s=ab' },
    ],
    prefixedRequests: [
      { path: '/third/x', expect: 'EXACT' },
      { path: '/third', expect: 'PRE' },
      { path: '/fourth/12', expect: 'NUM n=12' },
      { path: '/fourth/ab', expect: 'ANY s=ab' },
    ],
  },
  {
    name: 'framing: a complete body up to 2048 bytes gets Content-Length, a larger one is chunked',
    routes: [{ path: '/echo', label: 'ECHO', echo: true }],
    requests: [
      { path: '/echo', expect: 'x'.repeat(10), bodyBytes: 10, framing: 'length' },
      { path: '/echo', expect: 'x'.repeat(2048), bodyBytes: 2048, framing: 'length' },
      { path: '/echo', expect: 'x'.repeat(2049), bodyBytes: 2049, framing: 'chunked' },
    ],
  },
]

/** Where a case's requests go: the URL for a path as the component sees it. */
type Locate = (c: Case, path: string) => string

interface Surface {
  name: string
  /** Registered paths are served below a stream prefix. */
  prefixed: boolean
  /** Cases this surface cannot run, with the reason. */
  skip(c: Case): string | undefined
  start(t: TestContext, cases: Case[]): Promise<Locate>
}

const ONE_ROUTE_PER_STREAM = 'each stream has one http_server here, so routes of one case never share a namespace'

const SURFACES: Surface[] = [
  {
    name: 'shared server, --prefix-stream-endpoints=false (real CLI)',
    prefixed: false,
    skip: () => undefined,
    async start(t, cases) {
      const host = await startHost(t, { args: ['--prefix-stream-endpoints=false', '{dir}'] })
      // Created one at a time through the API: registration order is the order of the table.
      let n = 0
      for (const c of cases) for (const r of c.routes) await createStream(host, `s${n++}`, streamConfig(r))
      return (_c, path) => host.base + path
    },
  },
  {
    name: 'shared server, stream-prefixed (real CLI)',
    prefixed: true,
    skip: (c) => (c.routes.length > 1 ? ONE_ROUTE_PER_STREAM : undefined),
    async start(t, cases) {
      const files: Record<string, string> = {}
      cases.forEach((c, i) => (files[`p${i}.yaml`] = JSON.stringify(streamConfig(c.routes[0]!))))
      const host = await startHost(t, { files })
      await host.until('every stream routed', async () => {
        for (let i = 0; i < cases.length; i++) if ((await host.fetch(`/p${i}/ready`)).status === 404) return false
        return true
      })
      return (c, path) => `${host.base}/p${cases.indexOf(c)}${path}`
    },
  },
  {
    name: 'own-address http_server (real CLI)',
    prefixed: false,
    skip: (c) => (c.routes.length > 1 ? 'an own-address server serves the one path of its input' : undefined),
    async start(t, cases) {
      const files: Record<string, string> = {}
      cases.forEach((c, i) => (files[`o${i}.yaml`] = JSON.stringify(streamConfig(c.routes[0]!, '127.0.0.1:0'))))
      const host = await startHost(t, { files })
      const ports = await host.until('every own server listening', () => {
        const found = cases.map((_, i) => new RegExp(`Receiving HTTP messages at: http://127\\.0\\.0\\.1:(\\d+)\\S*" .*stream=o${i}\\b`).exec(host.stdout())?.[1])
        return found.every((p) => p !== undefined) && found
      })
      return (c, path) => `http://127.0.0.1:${ports[cases.indexOf(c)]}${path}`
    },
  },
  {
    name: 'test harness (in-process stand-in for the shared server)',
    prefixed: true,
    skip: () => undefined,
    async start(t, cases) {
      const endpoints = new TestEndpoints('s')
      for (const c of cases) {
        for (const r of c.routes) {
          endpoints.register(r.path, r.label, (req) => ({
            status: 200,
            headers: [['Content-Type', 'application/octet-stream']],
            body: r.echo ? req.body : answer(r, req.params),
          }))
        }
      }
      const base = await endpoints.serve()
      t.after(() => endpoints.close())
      return (_c, path) => `${base}/s${path}`
    },
  },
]

for (const surface of SURFACES) {
  test(`route contract: ${surface.name}`, async (t) => {
    const runnable = CASES.filter((c) => surface.skip(c) === undefined)
    const locate = await surface.start(t, runnable)
    for (const c of CASES) {
      const skip = surface.skip(c)
      await t.test(c.name, { skip }, async () => {
        const reqs = (surface.prefixed && c.prefixedRequests) || c.requests
        for (const r of reqs) {
          const res = await send(locate(c, r.path), r.bodyBytes)
          const what = `${r.path} on ${surface.name}`
          if (r.expect === 301) {
            const to = locate(c, r.location!)
            assert.deepEqual([res.status, res.headers.location, res.headers['content-length'], res.body], [301, to.slice(origin(to).length), '0', ''], what)
            continue
          }
          if (r.expect === 404) {
            assert.deepEqual([res.status, res.body], [404, '404 page not found\n'], what)
            continue
          }
          assert.deepEqual([res.status, res.body], [200, r.expect], what)
          if (r.framing === 'length') assert.deepEqual([res.headers['content-length'], res.headers['transfer-encoding']], [String(r.bodyBytes), undefined], what)
          if (r.framing === 'chunked') assert.deepEqual([res.headers['content-length'], res.headers['transfer-encoding']], [undefined, 'chunked'], what)
        }
      })
    }
    if (surface.prefixed) {
      await t.test('the stream prefix is part of the path: without it nothing matches', async () => {
        const c = CASES.find((x) => x.routes[0]!.path === '/items/{id}')!
        const prefixed = locate(c, '/items/7')
        const bare = origin(prefixed) + '/items/7'
        assert.deepEqual(await send(prefixed).then((r) => [r.status, r.body]), [200, 'I id=7'])
        assert.deepEqual(await send(bare).then((r) => [r.status, r.body]), [404, '404 page not found\n'])
      })
    }
  })
}

/** The stream behind one route: GET answers with the label and parameters, POST echoes. */
function streamConfig(r: RouteDef, address = ''): Record<string, unknown> {
  const mapping = r.echo ? 'root = content()' : `root = ${JSON.stringify(r.label)}${(r.params ?? []).map((p) => ` + " ${p}=" + meta(${JSON.stringify(p)}).or("-")`).join('')}`
  return {
    input: { http_server: { address, path: r.path, allowed_verbs: ['GET', 'POST'] } },
    pipeline: { processors: [{ mapping }] },
    output: { sync_response: {} },
  }
}

function answer(r: RouteDef, params: Record<string, string>): string {
  return r.label + (r.params ?? []).map((p) => ` ${p}=${params[p] ?? '-'}`).join('')
}

async function createStream(host: RunningHost, id: string, config: Record<string, unknown>): Promise<void> {
  const r = await host.text(`/streams/${id}`, { method: 'POST', body: JSON.stringify(config) })
  assert.equal(r.status, 200, `creating ${id}: ${r.body}`)
}

function origin(url: string): string {
  return /^http:\/\/[^/]+/.exec(url)![0]
}

/**
 * A raw node:http request, GET or a POST of `bytes` bytes: the path goes out exactly as written
 * (a URL object would remove dot segments) and the framing headers stay visible (fetch hides them).
 */
function send(url: string, bytes?: number): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const { hostname, port } = new URL(url)
  const path = url.slice(origin(url).length)
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: bytes === undefined ? 'GET' : 'POST', agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(bytes === undefined ? undefined : 'x'.repeat(bytes))
  })
}

test('the shared server cleans every path before routing, the REST API included', async (t) => {
  const host = await startHost(t)
  const r = await send(`${host.base}//streams/../ping?x=1`)
  assert.deepEqual([r.status, r.headers.location, r.body], [301, '/ping?x=1', ''])
  assert.deepEqual(await send(`${host.base}/ping`).then((x) => [x.status, x.body]), [200, 'pong'])
})
