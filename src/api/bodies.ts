/**
 * What the API needs from the config layer to turn request bodies into configs. The API depends on
 * this interface only; `config-service.ts` implements it on top of `src/config`.
 */
import type { ErrorData } from '../errors.js'
import type { ResourceKind } from '../config/resource-kinds.js'

export type BodyResult<T> =
  /** `lintErrors` are already rendered as `(line,col) text`. */
  | { ok: true; value: T; lintErrors: string[] }
  | { ok: false; error: ErrorData }

export interface BodyOptions {
  /** Apply `${VAR}` interpolation (POST/PUT single stream, resources). */
  interpolate: boolean
  /** `?chilled=true`: skip lint and tolerate missing env vars. */
  chilled: boolean
}

export interface ConfigService {
  /** One stream config (POST/PUT `/streams/{id}`). */
  parseStream(text: string, opts: BodyOptions): BodyResult<Record<string, unknown>>
  /** Map of id → stream config (POST `/streams`); lint findings prefixed `stream '<id>': `. */
  parseStreamSet(text: string, opts: BodyOptions): BodyResult<Map<string, Record<string, unknown>>>
  /** A PATCH body: any YAML value, no interpolation, no lint. */
  parsePatch(text: string): BodyResult<unknown>
  /** Lint a merged/parsed stream object without its text (PATCH result): errors only. */
  checkStream(config: Record<string, unknown>): ErrorData | undefined
  /** One component config for `POST /resources/{type}/{id}`. */
  parseResource(kind: ResourceKind, text: string, opts: BodyOptions): BodyResult<unknown>
  /** A stream config as the API may echo it: secrets scrubbed (`${VAR}` shown as written). */
  scrubStream(config: Record<string, unknown>): Record<string, unknown>
  /**
   * `next` with the running secrets put back where it holds the scrub marker (PUT/PATCH of an
   * echoed config); an error where there is none to put back (`current` undefined for a new
   * stream). `patch`, for a PATCH, carries the pre-interpolation source over to the result.
   */
  restoreSecrets(next: Record<string, unknown>, current: Record<string, unknown> | undefined, patch?: unknown): BodyResult<Record<string, unknown>>
  /**
   * A stream config as YAML to store for other hosts (`--config-kv`): the text before env
   * interpolation where there was one, so each host interpolates with its own environment and
   * secrets held in variables are not written out.
   */
  storableText(config: Record<string, unknown>): string
  /** The root config as `/debug/config` may echo it. */
  scrubRoot(config: Record<string, unknown>): Record<string, unknown>
}
