/**
 * Component config specs as plain data. One spec drives defaults, lint, docs and construction, so a
 * new component is one file: `defineComponent({ kind, name, config: f.object([...]), build })`.
 */
import type { ComponentContext, ComponentInstance } from './types.js'

export type ComponentKind =
  | 'input'
  | 'buffer'
  | 'processor'
  | 'output'
  | 'cache'
  | 'rate_limit'
  | 'scanner'
  | 'metrics'
  | 'tracer'

export type FieldType =
  | 'string'
  | 'int'
  | 'float'
  | 'bool'
  | 'duration' // Go duration string
  | 'interp' // string with ${! } interpolation
  | 'bloblang' // a mapping or query, compiled at build time
  | 'object' // has `children`
  | 'any' // anything, not linted below this point
  | ComponentKind // a nested component config (`input`, `processor`, ...)

export interface FieldSpec {
  name: string
  type: FieldType
  /** `array` = list of `type`, `map` = string-keyed map of `type`. */
  kind?: 'scalar' | 'array' | 'map'
  description?: string
  /** Value used when the field is omitted. A field with no default and not optional is required. */
  default?: unknown
  optional?: boolean
  /** Allowed values for a string field (enum). */
  options?: readonly string[]
  children?: readonly FieldSpec[]
  advanced?: boolean
  deprecated?: boolean
  /** Redacted whenever a config is echoed. */
  secret?: boolean
  /** Extra lint: returns problems (text only; the linter adds the location). */
  lint?: (value: unknown) => string[]
}

/**
 * A documented example that is also a test: `config` is a stream config fragment; `input` is what
 * the outside world supplies (messages fed to a processor example, request bodies for an HTTP
 * input, lines of the files a file input reads) and `output` what must come out, in order
 * (message bodies, or what an output leaves at its destination).
 */
export interface ComponentExample {
  title: string
  config: string
  input?: readonly (string | { content: string; metadata?: Readonly<Record<string, string>> })[]
  output?: readonly string[]
}

/** What a built component gets: its config with defaults applied. */
export type ConfigValue = Record<string, unknown>

export interface ComponentSpec {
  kind: ComponentKind
  name: string
  status?: 'stable' | 'beta' | 'experimental' | 'deprecated'
  summary?: string
  /**
   * Shape of the value under the type key. Most components take an object (`type: 'object'` with
   * children); some take a scalar (`mapping: "root = ..."` is a `bloblang` string, `resource: name`
   * a string, `broker` etc. objects).
   */
  config: FieldSpec
  /** Documented examples, run by the registry test (`test/components/examples.test.ts`). */
  examples?: readonly ComponentExample[]
  /**
   * Build the component. `conf` is the value under the type key with defaults applied (an object
   * for object configs, the scalar otherwise).
   */
  build(conf: unknown, ctx: ComponentContext): ComponentInstance | Promise<ComponentInstance>
}

export function defineComponent<T extends ComponentSpec>(spec: T): T {
  return spec
}

/** Lookup used by lint and construction; a registry instance, never process-global state. */
export interface SpecLookup {
  get(kind: ComponentKind, name: string): ComponentSpec | undefined
  names(kind: ComponentKind): string[]
}

type Opts = Omit<FieldSpec, 'name' | 'type' | 'children'>

/** Field builders: `f.string('path', { default: '/post' })`. */
export const f = {
  string: (name: string, o: Opts = {}): FieldSpec => ({ name, type: 'string', ...o }),
  int: (name: string, o: Opts = {}): FieldSpec => ({ name, type: 'int', ...o }),
  float: (name: string, o: Opts = {}): FieldSpec => ({ name, type: 'float', ...o }),
  bool: (name: string, o: Opts = {}): FieldSpec => ({ name, type: 'bool', ...o }),
  duration: (name: string, o: Opts = {}): FieldSpec => ({ name, type: 'duration', ...o }),
  interp: (name: string, o: Opts = {}): FieldSpec => ({ name, type: 'interp', ...o }),
  bloblang: (name: string, o: Opts = {}): FieldSpec => ({ name, type: 'bloblang', ...o }),
  any: (name: string, o: Opts = {}): FieldSpec => ({ name, type: 'any', ...o }),
  object: (name: string, children: readonly FieldSpec[], o: Opts = {}): FieldSpec => ({ name, type: 'object', children, ...o }),
  component: (name: string, kind: ComponentKind, o: Opts = {}): FieldSpec => ({ name, type: kind, ...o }),
  array: (field: FieldSpec): FieldSpec => ({ ...field, kind: 'array' }),
  map: (field: FieldSpec): FieldSpec => ({ ...field, kind: 'map' }),
}
