/** The API's view of the config layer (`bodies.ts`), implemented with `src/config`. */
import type { SpecLookup } from '../spec/index.js'
import type { EnvLookup } from '../config/env.js'
import { parseStreamBody } from '../config/stream-file.js'
import { checkStreamConfig, parseResourceBody, parseStreamSetBody } from '../config/api-bodies.js'
import { parseYamlText } from '../config/yaml.js'
import { renderLintCompat } from '../config/lint.js'
import type { ConfigService } from './bodies.js'
import { rememberSourceValue, restoreSecrets, scrubSecrets, sourceOf } from '../config/secrets.js'
import { rootFields, streamFields } from '../config/schema.js'
import { withBuiltins } from '../config/builtin-specs.js'
import { isPlainObject } from '../config/values.js'
import { mergePatch } from './streams.js'
import { stringify } from 'yaml'

export function createConfigService(lookup: SpecLookup, env: EnvLookup): ConfigService {
  return {
    parseStream(text, opts) {
      const r = parseStreamBody(text, { interpolate: opts.interpolate, lint: !opts.chilled, lookup, env })
      if (!r.ok) return r
      return { ok: true, value: r.config, lintErrors: r.findings.map(renderLintCompat) }
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
      return { ok: true, value: r.config, lintErrors: r.findings.map(renderLintCompat) }
    },
    scrubStream(config) {
      return scrubSecrets(streamFields(lookup), config, lookup, sourceOf(config))
    },
    restoreSecrets(next, current, patch) {
      const r = restoreSecrets(streamFields(lookup), next, current, lookup)
      if (!r.ok) return r
      const before = current && sourceOf(current)
      if (patch !== undefined && before !== undefined) rememberSourceValue(r.value, mergePatch(isPlainObject(before) ? before : {}, patch))
      else if (r.value !== next && sourceOf(next) !== undefined) rememberSourceValue(r.value, sourceOf(next))
      return { ok: true, value: r.value, lintErrors: [] }
    },
    storableText(config) {
      return stringify(sourceOf(config) ?? config)
    },
    scrubRoot(config) {
      const full = withBuiltins(lookup)
      return scrubSecrets(rootFields(full), config, full, sourceOf(config))
    },
  }
}
