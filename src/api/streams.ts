/**
 * `/streams` routes (spec §6.2-§6.9): parse bodies through the config service, call the supervisor,
 * map its outcomes to the reference's status codes and bodies.
 */
import type { Context, Hono } from 'hono'
import type { ErrorData } from '../errors.js'
import type { Host, Outcome, StreamSpec } from '../supervisor/host.js'
import { parseDuration, formatGoDuration } from '../config/duration.js'
import type { ConfigService } from './bodies.js'
import { bodyError, bodyText, emptyOk, lintError, sortedJson, textError } from './http-errors.js'
import { checkStreamId } from './stream-id.js'
import { applyPlan, failureLine, type WantedStream } from '../supervisor/apply.js'
import { ALWAYS_CHANGED, diffStreams } from '../supervisor/stream-diff.js'
import { answer, writeThrough, type Applied, type StreamBucket } from './stream-bucket.js'

/** With `bucket` (`--config-kv`), writes go to the bucket and are answered once applied here. */
export function streamRoutes(app: Hono, host: Host, cfg: ConfigService, bodyLimit: number, bucket?: StreamBucket): void {
  app.all('/streams', async (c) => {
    if (c.req.method === 'GET') return sortedJson(c, listStreams(host))
    if (c.req.method !== 'POST') return textError(c, 400, 'Error: method not supported')
    const body = await bodyText(c, bodyLimit)
    if (!body.ok) return body.response
    const parsed = cfg.parseStreamSet(body.text, { interpolate: false, chilled: c.req.query('chilled') === 'true' })
    if (!parsed.ok) return bodyError(c, parsed.error)
    if (parsed.lintErrors.length) return lintError(c, parsed.lintErrors)
    return bucket ? setStreamsKv(c, host, cfg, parsed.value, bucket) : setStreams(c, host, cfg, parsed.value)
  })

  app.all('/streams/', (c) => textError(c, 400, 'Var `id` must be set'))

  app.all('/streams/:id/stats', async (c) => {
    const id = c.req.param('id')
    if (c.req.method !== 'GET') return textError(c, 400, `Error: verb not supported: ${c.req.method}`)
    const stats = await host.stats(id)
    if (!stats) return textError(c, 404, 'Stream not found')
    // The stream may have been deleted while its worker answered.
    const info = host.info(id)
    if (!info) return textError(c, 404, 'Stream not found')
    return sortedJson(c, { ...stats, uptime_ns: Math.round(info.uptimeSeconds * 1e9) })
  })

  app.post('/streams/:id/pause', (c) => outcome(c, host.pause(c.req.param('id'))))
  app.post('/streams/:id/resume', (c) => outcome(c, host.resume(c.req.param('id'))))
  // Weir's own: a fresh worker from the current config, swapped in as an update is (`?timeout=` bounds the old one's drain).
  app.post('/streams/:id/restart', async (c) => outcome(c, await host.restart(c.req.param('id'), stopTimeout(c))))

  app.all('/streams/:id', async (c) => {
    const id = c.req.param('id')
    const bad = checkStreamId(id)
    if (bad) return textError(c, 400, `Error: ${bad}`)
    const badKey = c.req.method !== 'GET' ? bucket?.checkId(id) : undefined
    if (badKey) return textError(c, 400, `Error: ${badKey}`)
    const chilled = c.req.query('chilled') === 'true'
    const timeout = stopTimeout(c)
    switch (c.req.method) {
      case 'GET': {
        const info = host.info(id)
        if (!info) return textError(c, 404, 'Stream not found')
        return sortedJson(c, { ...describe(info), config: cfg.scrubStream(info.config) })
      }
      case 'POST': {
        const body = await bodyText(c, bodyLimit)
        if (!body.ok) return body.response
        const parsed = cfg.parseStream(body.text, { interpolate: true, chilled })
        if (!parsed.ok) return bodyError(c, parsed.error)
        if (parsed.lintErrors.length) {
          host.logger.info(`Stream '${id}' config: ${parsed.lintErrors.join('; ')}`)
          return lintError(c, parsed.lintErrors)
        }
        const fresh = cfg.restoreSecrets(parsed.value, undefined)
        if (!fresh.ok) return textError(c, 400, `Error: ${fresh.error.message}`)
        // The body as sent: every host interpolates it with its own environment, as a file.
        if (bucket) return answer(c, await writeThrough(bucket, 'create', id, body.text, renderBuildErrors))
        return outcome(c, await host.create(id, apiSpec(fresh.value)))
      }
      case 'PUT': {
        if (!host.has(id) && !bucket?.has(id)) return textError(c, 404, 'Stream not found')
        const body = await bodyText(c, bodyLimit)
        if (!body.ok) return body.response
        const parsed = cfg.parseStream(body.text, { interpolate: true, chilled })
        if (!parsed.ok) return bodyError(c, parsed.error)
        if (parsed.lintErrors.length) return lintError(c, parsed.lintErrors)
        const restored = cfg.restoreSecrets(parsed.value, host.info(id)?.config ?? {})
        if (!restored.ok) return textError(c, 400, `Error: ${restored.error.message}`)
        if (bucket) {
          const text = restored.value === parsed.value ? body.text : cfg.storableText(restored.value)
          return answer(c, await writeThrough(bucket, 'put', id, text, renderBuildErrors))
        }
        return outcome(c, await update(host, id, apiSpec(restored.value), timeout))
      }
      case 'PATCH': {
        const current = host.info(id)
        if (!current) return textError(c, 404, 'Stream not found')
        const body = await bodyText(c, bodyLimit)
        if (!body.ok) return body.response
        const patch = cfg.parsePatch(body.text)
        if (!patch.ok) return bodyError(c, patch.error)
        const restored = cfg.restoreSecrets(mergePatch(current.config, patch.value), current.config, patch.value)
        if (!restored.ok) return textError(c, 400, `Error: ${restored.error.message}`)
        const invalid = cfg.checkStream(restored.value)
        if (invalid) return textError(c, 400, `Error: ${invalid.message}`)
        if (bucket) return answer(c, await writeThrough(bucket, 'put', id, cfg.storableText(restored.value), renderBuildErrors))
        return outcome(c, await update(host, id, apiSpec(restored.value), timeout))
      }
      case 'DELETE': {
        if (bucket) return answer(c, await writeThrough(bucket, 'delete', id, '', renderBuildErrors))
        const r = await host.delete(id, timeout)
        return outcome(c, r)
      }
      default:
        return textError(c, 400, `Error: verb not supported: ${c.req.method}`)
    }
  })
}

/** A failed update is logged once, as the apply path logs its failures. */
async function update(host: Host, id: string, spec: StreamSpec, timeout: number | undefined): Promise<Outcome> {
  const out = await host.update(id, spec, timeout)
  if (!out.ok && out.reason === 'build') host.logger.error(failureLine({ id, action: 'change', errors: out.errors, kept: host.serving(id) }), { stream: id })
  return out
}

const VERBS = { add: 'create', change: 'update', remove: 'delete' } as const

function apiSpec(config: Record<string, unknown>): StreamSpec {
  return { config, source: 'api' }
}

function stopTimeout(c: Context): number | undefined {
  const t = c.req.query('timeout')
  if (t === undefined) return undefined
  const ms = parseDuration(t)
  // Unparseable values are ignored, as in the reference.
  return ms === undefined || ms < 0 ? undefined : ms
}

function outcome(c: Context, o: Outcome): Response {
  if (o.ok) return emptyOk(c)
  switch (o.reason) {
    case 'not_found':
      return textError(c, 404, 'Stream not found')
    case 'exists':
      return textError(c, 400, 'Stream already exists')
    case 'build':
    case 'closed':
      return textError(c, 502, `Error: ${renderBuildErrors(o.errors)}`)
  }
}

function renderBuildErrors(errors: ErrorData[]): string {
  return errors
    .map((e) => {
      const loc = e.line !== undefined ? ` (line ${e.line}, column ${e.col ?? 1})` : ''
      return e.path ? `failed to init ${e.path}${loc}: ${e.message}` : e.message + loc
    })
    .join('\n')
}

interface Described {
  active: boolean
  uptime: number
  uptime_str: string
  state: string
  source: string
  generation: number
  restarts: number
  last_error: unknown
  next_retry_at: string | null
}

function describe(info: NonNullable<ReturnType<Host['info']>>): Described {
  return {
    active: info.active,
    uptime: info.uptimeSeconds,
    uptime_str: formatGoDuration(Math.round(info.uptimeSeconds * 1e9)),
    state: info.state,
    source: info.source,
    generation: info.generation,
    restarts: info.restarts,
    last_error: info.lastError,
    next_retry_at: info.nextRetryAt,
  }
}

function listStreams(host: Host): Record<string, Described> {
  const out: Record<string, Described> = {}
  for (const id of host.ids()) out[id] = describe(host.info(id)!)
  return out
}

/** `POST /streams` without a bucket: the parsed body is the whole set of streams this host runs. */
async function setStreams(c: Context, host: Host, cfg: ConfigService, wanted: Map<string, Record<string, unknown>>): Promise<Response> {
  const timeout = stopTimeout(c)
  if (wanted.size === 0) host.logger.warn('POST /streams with an empty body: deleting every stream')
  const failures: string[] = []
  const plan = diffStreams(new Map(host.ids().map((id) => [id, id])), wanted, ALWAYS_CHANGED)
  const valid = (id: string): boolean => {
    const bad = checkStreamId(id)
    if (bad) failures.push(`failed to create stream: ${bad}`)
    return !bad
  }
  plan.add = plan.add.filter(valid)
  plan.change = plan.change.filter(valid)
  const specs = new Map<string, WantedStream>()
  for (const [id, config] of wanted) {
    const current = host.info(id)?.config
    if (!current) {
      specs.set(id, { ok: true, spec: apiSpec(config) })
      continue
    }
    // A secret sent back as the scrub marker keeps the running value.
    const restored = cfg.restoreSecrets(config, current)
    if (restored.ok) specs.set(id, { ok: true, spec: apiSpec(restored.value) })
    else {
      failures.push(`failed to update stream: ${restored.error.message}`)
      plan.change = plan.change.filter((x) => x !== id)
    }
  }
  for (const r of await applyPlan(host, plan, specs, { recordFailures: false, ...(timeout !== undefined ? { stopTimeoutMs: timeout } : {}) })) {
    if (!r.ok) failures.push(`failed to ${VERBS[r.action]} stream: ${renderBuildErrors(r.errors)}`)
  }
  if (failures.length) return textError(c, 400, `Error: ${failures.join('\n')}`)
  return emptyOk(c)
}

/** Deep merge of a PATCH body into the stored raw config (spec §6.7). */
export function mergePatch(base: Record<string, unknown>, patch: unknown): Record<string, unknown> {
  if (!isPlainObject(patch)) return base
  return mergeObjects(base, patch)
}

function mergeObjects(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a }
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k]
    out[k] = isPlainObject(cur) && isPlainObject(v) ? mergeObjects(cur, v) : v
  }
  return out
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * `POST /streams` with a config bucket: every id in the body is written (the reference replaces
 * them all), every other key is deleted, then the answer waits until this host applied them all.
 */
async function setStreamsKv(c: Context, host: Host, cfg: ConfigService, wanted: Map<string, Record<string, unknown>>, bucket: StreamBucket): Promise<Response> {
  const failures: string[] = []
  const texts = new Map<string, string>()
  for (const [id, config] of wanted) {
    const bad = checkStreamId(id) ?? bucket.checkId(id)
    if (bad) {
      failures.push(`failed to create stream: ${bad}`)
      continue
    }
    const current = host.info(id)?.config
    const restored = current ? cfg.restoreSecrets(config, current) : { ok: true as const, value: config }
    if (restored.ok) texts.set(id, cfg.storableText(restored.value))
    else failures.push(`failed to update stream: ${restored.error.message}`)
  }
  // Nothing is written when part of the body is refused: the bucket is every host's truth.
  if (failures.length) return textError(c, 400, `Error: ${failures.join('\n')}`)
  if (texts.size === 0) host.logger.warn(`POST /streams with an empty body: deleting every stream from ${bucket.display}`)
  const jobs: Promise<string | undefined>[] = []
  // A key deleted meanwhile by another host is already what this body asks for: not a failure.
  const settle = (p: Promise<Applied>): void => {
    jobs.push(p.then((r) => (r.ok || r.status === 404 ? undefined : r.message)))
  }
  for (const [id, text] of texts) settle(writeThrough(bucket, 'put', id, text, renderBuildErrors))
  for (const id of bucket.keys()) if (!texts.has(id)) settle(writeThrough(bucket, 'delete', id, '', renderBuildErrors))
  for (const m of await Promise.all(jobs)) if (m !== undefined) failures.push(m.replace(/^Error: /, ''))
  if (failures.length) return textError(c, 400, `Error: ${failures.join('\n')}`)
  return emptyOk(c)
}
