/** `POST /resources/{type}/{id}` (spec §6.10). */
import type { Hono } from 'hono'
import type { Host } from '../supervisor/host.js'
import { isResourceKind } from '../config/resource-kinds.js'
import type { ConfigService } from './bodies.js'
import { checkResourceLabel } from './stream-id.js'
import { bodyError, bodyText, emptyOk, lintError, textError } from './http-errors.js'

const BAD_TYPE = 'Var `type` must be set to one of `cache`, `input`, `output`, `processor` or `rate_limit`'

export function resourceRoutes(app: Hono, host: Host, cfg: ConfigService, bodyLimit: number): void {
  app.all('/resources/:type/:id', async (c) => {
    const type = c.req.param('type')
    const id = c.req.param('id')
    if (!isResourceKind(type)) return textError(c, 400, BAD_TYPE)
    const bad = checkResourceLabel(id)
    if (bad) return textError(c, 400, `Error: ${bad}`)
    if (c.req.method !== 'POST') return textError(c, 400, `Error: verb not supported: ${c.req.method}`)
    const kind = type
    const chilled = c.req.query('chilled') === 'true'
    const body = await bodyText(c, bodyLimit)
    if (!body.ok) return body.response
    const parsed = cfg.parseResource(kind, body.text, { interpolate: true, chilled })
    if (!parsed.ok) return bodyError(c, parsed.error)
    if (parsed.lintErrors.length) {
      host.logger.info(`Resource '${id}' config: ${parsed.lintErrors.join('; ')}`)
      return lintError(c, parsed.lintErrors)
    }
    const conf = parsed.value
    if ((kind === 'input' || kind === 'output') && conf && typeof conf === 'object') {
      const label = (conf as Record<string, unknown>).label
      if (label !== undefined && label !== '' && label !== id) {
        return textError(c, 502, `Error: label '${String(label)}' must be empty or match the resource name '${id}'`)
      }
    }
    const r = await host.resources.replace(kind, id, conf)
    if (!r.ok) return textError(c, 502, `Error: ${r.error.message}`)
    return emptyOk(c)
  })
}
