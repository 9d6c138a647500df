/**
 * Field specs: plain data that drives defaults, lint, docs, the JSON schema and secret scrubbing,
 * built with typed builders so that a component's config type is inferred from its spec
 * (`ValueOf<typeof spec>`), never written by hand beside it.
 */

/** The component kinds; a field of one of these types holds a nested component config. */
export type ComponentKind = 'input' | 'buffer' | 'processor' | 'output' | 'cache' | 'rate_limit' | 'scanner' | 'metrics' | 'tracer'

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
  /**
   * A URL (or comma-separated URLs) whose user info may carry credentials: echoed as the secret
   * marker when one is written literally, as the reference's URL fields are. `'password'`: a
   * password counts (`user:pw@`), a bare user name does not; `'token'`: a bare user name counts
   * too, for clients that read it as a token (NATS).
   */
  url?: 'password' | 'token'
  /** Extra lint: returns problems (text only; the linter adds the location). */
  lint?: (value: unknown) => string[]
}

/**
 * A field spec that carries the TypeScript type of its value once defaults are applied. `__value`
 * exists only for the compiler: no builder sets it.
 */
export interface Field<T = unknown, N extends string = string> extends FieldSpec {
  readonly name: N
  readonly __value?: T
}

/** The value a field holds after defaults: what `build` receives. */
export type ValueOf<F> = F extends { readonly __value?: infer T } ? (unknown extends T ? unknown : T) : unknown

/** A raw nested component config (`{ mapping: ... }`), resolved and built by `ctx.build`. */
export type ComponentConfig = unknown

type Common = Omit<FieldSpec, 'name' | 'type' | 'children' | 'default' | 'optional' | 'kind'>
/** No default and `optional: true`: the value may be absent. */
type Absent = Common & { optional: true; default?: undefined }
// A list or map field takes its default on the item builder (`f.array(f.string('x', { default: [] }))`).
type Present<T> = Common & { default?: T | readonly T[] | Readonly<Record<string, T>>; optional?: boolean }

interface ScalarBuilder<T> {
  <const N extends string>(name: N, o: Absent): Field<T | undefined, N>
  <const N extends string>(name: N, o?: Present<T>): Field<T, N>
}

function scalar<T>(type: FieldType): ScalarBuilder<T> {
  return ((name: string, o: Common & { default?: unknown; optional?: boolean } = {}) => ({ name, type, ...o })) as ScalarBuilder<T>
}

type AnyField = Field<unknown, string>
type Simplify<T> = { [K in keyof T]: T[K] } & {}
/** `{ a: string; b: number }` from `[Field<string,'a'>, Field<number,'b'>]`. */
export type ObjectOf<C extends readonly AnyField[]> = Simplify<{ [F in C[number] as F['name']]: ValueOf<F> }>

interface ObjectBuilder {
  <const N extends string, const C extends readonly AnyField[]>(name: N, children: C, o: Absent): Field<ObjectOf<C> | undefined, N>
  <const N extends string, const C extends readonly AnyField[]>(name: N, children: C, o?: Present<Record<string, unknown>>): Field<ObjectOf<C>, N>
}

interface ComponentBuilder {
  <const N extends string>(name: N, kind: ComponentKind, o: Absent): Field<ComponentConfig | undefined, N>
  <const N extends string>(name: N, kind: ComponentKind, o?: Present<unknown>): Field<ComponentConfig, N>
}

/**
 * Field builders: `f.string('path', { default: '/post' })` is a `Field<string, 'path'>`;
 * `f.object('', [f.string('a'), f.int('b', { optional: true })])` a `Field<{ a: string; b: number | undefined }>`.
 * Lists and maps always hold a value (an omitted one defaults to `[]` / `{}`).
 */
export const f = {
  string: scalar<string>('string'),
  int: scalar<number>('int'),
  float: scalar<number>('float'),
  bool: scalar<boolean>('bool'),
  /** Go duration string (`1s`, `500ms`), parsed by the component. */
  duration: scalar<string>('duration'),
  /** String with `${! }` interpolations, compiled by the component. */
  interp: scalar<string>('interp'),
  /** Bloblang mapping or query source, compiled by the component. */
  bloblang: scalar<string>('bloblang'),
  any: scalar<unknown>('any'),
  object: ((name: string, children: readonly FieldSpec[], o: Common & { default?: unknown; optional?: boolean } = {}) => ({
    name,
    type: 'object',
    children,
    ...o,
  })) as ObjectBuilder,
  component: ((name: string, kind: ComponentKind, o: Common & { default?: unknown; optional?: boolean } = {}) => ({
    name,
    type: kind,
    ...o,
  })) as ComponentBuilder,
  array: <F extends AnyField>(field: F): Field<NonNullable<ValueOf<F>>[], F['name']> => ({ ...field, kind: 'array' }) as Field<NonNullable<ValueOf<F>>[], F['name']>,
  map: <F extends AnyField>(field: F): Field<Record<string, NonNullable<ValueOf<F>>>, F['name']> =>
    ({ ...field, kind: 'map' }) as Field<Record<string, NonNullable<ValueOf<F>>>, F['name']>,
}
