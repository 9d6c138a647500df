/** The API's view of the config layer (`bodies.ts`), implemented with `src/config`. */
import type { SpecLookup } from '../spec/index.js'
import type { EnvLookup } from '../config/env.js'
import { parseStreamBody } from '../config/stream-file.js'
import { checkStreamConfig, parseResourceBody, parseStreamSetBody } from '../config/api-bodies.js'
import { parseYamlText } from '../config/yaml.js'
import { renderLint } from '../config/lint.js'
import type { ConfigService } from './bodies.js'

export function createConfigService(lookup: SpecLookup, env: EnvLookup): ConfigService {
  return {
    parseStream(text, opts) {
      const r = parseStreamBody(text, { interpolate: opts.interpolate, lint: !opts.chilled, lookup, env })
      if (!r.ok) return r
      return { ok: true, value: r.config, lintErrors: r.findings.map(renderLint) }
    },
    parseStreamSet(text, opts) {
      const r = parseStreamSetBody(text, { lint: !opts.chilled, lookup })
      if (!r.ok) return r
      return { ok: true, value: r.configs, lintErrors: r.lintErrors }
    },
    parsePatch(text) {
      const r = parseYamlText(text)
      if (!r.ok) return r
      return { ok: true, value: r.value, lintErrors: [] }
    },
    checkStream(config) {
      return checkStreamConfig(config, lookup)
    },
    parseResource(kind, text, opts) {
      const r = parseResourceBody(kind, text, { interpolate: opts.interpolate, lint: !opts.chilled, lookup, env })
      if (!r.ok) return r
      return { ok: true, value: r.config, lintErrors: r.findings.map(renderLint) }
    },
  }
}
