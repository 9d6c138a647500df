/**
 * Secret fields (`secret: true` in a FieldSpec) never leave the host, nor do credentials written
 * into URL fields (`url` in a FieldSpec): one walk over the specs finds them in a config,
 * `scrubSecrets` replaces their values for echoing (API, debug endpoints) and `restoreSecrets`
 * puts the running values back where an edited config still holds the marker, so GET → edit → PUT
 * round-trips without retyping a secret.
 */
import { weirError, type ErrorData } from '../errors.js'
import type { ComponentKind, FieldSpec, SpecLookup } from '../spec/index.js'
import { userInfos } from '../util/mask-url.js'
import { componentKindOf, inferComponentType } from './component.js'
import { cloneValue, isPlainObject } from './values.js'
import { formatPath, parseYamlText, type ConfigPath } from './yaml.js'

/** What the reference writes in place of a secret (`internal/docs/field.go`). */
export const SECRET_MARKER = '!!!SECRET_SCRUBBED!!!'

// A value that is only an env reference is shown as written, as the reference's scrubber does; the
// decode suffix is Weir's interpolation grammar and reveals nothing either.
const ENV_REFERENCE = /^\$\{[0-9A-Za-z_.]+(:((\$\{[^}]+\})|[^}])*)?(\|[0-9A-Za-z]+)?\}$/

/**
 * Calls `visit` with the path and value of every secret field and every URL field present in
 * `value` (with the spec of the field, which says which it is), following nested components
 * through `lookup` (a component whose type cannot be inferred is skipped: it cannot have been
 * built, and lint reports it).
 */
export function forEachSecret(fields: readonly FieldSpec[], value: unknown, lookup: SpecLookup, visit: Visit): void {
  walkFields(fields, value, [], lookup, visit)
}

function walkFields(fields: readonly FieldSpec[], value: unknown, path: ConfigPath, lookup: SpecLookup, visit: Visit): void {
  if (!isPlainObject(value)) return
  for (const field of fields) {
    if (field.name in value) walkField(field, value[field.name], [...path, field.name], lookup, visit)
  }
}

type Visit = (path: ConfigPath, v: unknown, field: FieldSpec) => void

function walkField(field: FieldSpec, value: unknown, path: ConfigPath, lookup: SpecLookup, visit: Visit): void {
  const kind = field.kind ?? 'scalar'
  if (kind === 'array') {
    if (Array.isArray(value)) value.forEach((v, i) => walkField({ ...field, kind: 'scalar' }, v, [...path, i], lookup, visit))
    return
  }
  if (kind === 'map') {
    if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) walkField({ ...field, kind: 'scalar' }, v, [...path, k], lookup, visit)
    return
  }
  const core = componentKindOf(field)
  if (core) return walkComponent(core, value, path, lookup, visit)
  if (field.type === 'object' && field.children?.length) return walkFields(field.children, value, path, lookup, visit)
  if (field.secret || field.url) visit(path, value, field)
}

function walkComponent(kind: ComponentKind, raw: unknown, path: ConfigPath, lookup: SpecLookup, visit: Visit): void {
  if (!isPlainObject(raw)) return
  const inf = inferComponentType(kind, Object.keys(raw), raw.type, lookup)
  if (!inf.ok) return
  if (inf.name in raw) walkField(inf.spec.config, raw[inf.name], [...path, inf.name], lookup, visit)
  if ((kind === 'input' || kind === 'output') && Array.isArray(raw.processors)) {
    raw.processors.forEach((p, i) => walkComponent('processor', p, [...path, 'processors', i], lookup, visit))
  }
}

/**
 * A copy of `value` with every secret scrubbed: non-empty values become `!!!SECRET_SCRUBBED!!!`
 * unless they are an env reference, in which case the reference is shown (taken from `source`,
 * the config before env interpolation, when it has one at the same path). A URL field becomes the
 * marker as a whole when its user info holds a credential written literally, and is shown as it
 * is (or as written before interpolation) otherwise, as the reference's URL scrubber does.
 *
 * @example scrubSecrets(streamFields(reg), { output: { http_client: { basic_auth: { password: 'pw' } } } }, reg)
 */
export function scrubSecrets<T>(fields: readonly FieldSpec[], value: T, lookup: SpecLookup, source?: unknown): T {
  const out = cloneValue(value)
  forEachSecret(fields, value, lookup, (path, v, field) => {
    const before = source === undefined ? undefined : valueAt(source, path)
    setAt(out, path, field.secret ? scrubbed(v, before) : scrubbedUrl(v, before, field.url ?? 'password'))
  })
  return out
}

function scrubbed(v: unknown, before: unknown): unknown {
  if (v === null || v === undefined) return ''
  if (v === '') return v
  if (typeof before === 'string' && ENV_REFERENCE.test(before.trim())) return before
  if (typeof v === 'string' && ENV_REFERENCE.test(v.trim())) return v
  return SECRET_MARKER
}

function scrubbedUrl(v: unknown, before: unknown, counts: 'password' | 'token'): unknown {
  // The text before interpolation shows `${VAR}`s where the running value has what they stood for.
  if (typeof before === 'string') return literalCredential(before, counts) ? SECRET_MARKER : before
  return typeof v === 'string' && literalCredential(v, counts) ? SECRET_MARKER : v
}

/**
 * Whether a URL (or list of them) holds a credential other than an env reference. The reference
 * asks only for a password, and only of text Go parses as one URL; any item of a list counts here,
 * and so does text no parser accepts, since that is quoted as written all the same.
 */
function literalCredential(url: string, counts: 'password' | 'token'): boolean {
  return userInfos(url).some(({ user, password }) => {
    const secret = password ?? (counts === 'token' ? user : '')
    return secret !== '' && !ENV_REFERENCE.test(secret.trim())
  })
}

/**
 * `next` with every secret or URL field that holds the marker replaced by the value at the same
 * path in `current` (the running config). A marker with nothing to restore is an error located at
 * its path: it would otherwise become the literal secret.
 */
export function restoreSecrets(
  fields: readonly FieldSpec[],
  next: Record<string, unknown>,
  current: Record<string, unknown> | undefined,
  lookup: SpecLookup,
): { ok: true; value: Record<string, unknown> } | { ok: false; error: ErrorData } {
  const marked: ConfigPath[] = []
  forEachSecret(fields, next, lookup, (path, v) => {
    if (v === SECRET_MARKER) marked.push(path)
  })
  if (marked.length === 0) return { ok: true, value: next }
  const out = cloneValue(next)
  for (const path of marked) {
    const was = current === undefined ? undefined : valueAt(current, path)
    if (was === undefined || was === SECRET_MARKER) {
      return {
        ok: false,
        error: weirError('CONFIG_INVALID', `field ${formatPath(path)} holds ${SECRET_MARKER} but the stream has no value to keep there`, {
          path: formatPath(path),
          hint: 'send the secret itself, or an ${ENV_VAR} reference',
        }).data,
      }
    }
    setAt(out, path, was)
  }
  return { ok: true, value: out }
}

/**
 * Configs remember the text they were parsed from before env interpolation, so a scrubbed echo can
 * show `${VAR}` as written. Keyed by the config object itself: the supervisor stores and hands back
 * the same object, and a config built any other way simply has no source.
 */
const sources = new WeakMap<object, { text?: string; value?: unknown }>()

/** Remembers the pre-interpolation text of `config` (only when interpolation changed it). */
export function rememberSourceText(config: object, before: string, after: string): void {
  if (before !== after) sources.set(config, { text: before })
}

/** Remembers an already-parsed pre-interpolation value (a PATCH merged into a remembered source). */
export function rememberSourceValue(config: object, value: unknown): void {
  sources.set(config, { value })
}

/** The config before env interpolation, when it differed; `undefined` otherwise. */
export function sourceOf(config: object): unknown {
  const s = sources.get(config)
  if (!s) return undefined
  if (s.value === undefined && s.text !== undefined) {
    // The pre-interpolation text may not be valid YAML on its own (a `${VAR}` standing for a
    // whole block); then there is no source and secrets fall back to the marker.
    const parsed = parseYamlText(s.text)
    s.value = parsed.ok ? parsed.value : null
    s.text = undefined
  }
  return s.value ?? undefined
}

function valueAt(v: unknown, path: ConfigPath): unknown {
  let cur = v
  for (const seg of path) {
    if (Array.isArray(cur) && typeof seg === 'number') cur = cur[seg]
    else if (isPlainObject(cur)) cur = cur[String(seg)]
    else return undefined
  }
  return cur
}

function setAt(v: unknown, path: ConfigPath, value: unknown): void {
  let cur = v
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!
    cur = Array.isArray(cur) ? cur[Number(seg)] : isPlainObject(cur) ? cur[String(seg)] : undefined
  }
  const last = path[path.length - 1]!
  if (Array.isArray(cur)) cur[Number(last)] = value
  else if (isPlainObject(cur)) cur[String(last)] = value
}
