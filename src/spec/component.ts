/**
 * Component specs as plain data. One spec drives defaults, lint, docs, the JSON schema, secret
 * scrubbing and construction, so a new component is one file:
 * `defineComponent({ kind, name, config: f.object('', [...]), build })`, with `build`'s config type
 * inferred from `config`.
 */
import type { Buffer, Cache, ComponentContext, Input, Output, Processor, RateLimit, Scanner } from './contracts.js'
import type { ComponentKind, FieldSpec, ValueOf } from './field.js'

export type { ComponentKind }

/** What a component of each kind builds. Metrics exporters and tracers are built by the host. */
export interface InstanceByKind {
  input: Input
  buffer: Buffer
  processor: Processor
  output: Output
  cache: Cache
  rate_limit: RateLimit
  scanner: Scanner
  metrics: never
  tracer: never
}
export type InstanceOf<K extends ComponentKind> = InstanceByKind[K]

/**
 * A documented example that is also a test: `config` is a stream config fragment; `input` is what
 * the outside world supplies (messages fed to a processor example, request bodies for an HTTP
 * input, lines of the files a file input reads) and `output` what must come out, in order
 * (message bodies, or what an output leaves at its destination).
 */
export interface ComponentExample {
  title: string
  config: string
  input?: readonly ExampleMessage[]
  output?: readonly ExampleMessage[]
}

/** A message of an example: its content, or content with metadata (compared as strings). */
export type ExampleMessage = string | { content: string; metadata?: Readonly<Record<string, unknown>> }

export interface ComponentSpec<K extends ComponentKind = ComponentKind, C extends FieldSpec = FieldSpec> {
  kind: K
  name: string
  status?: 'stable' | 'beta' | 'experimental' | 'deprecated'
  summary?: string
  /**
   * Shape of the value under the type key. Most components take an object (`type: 'object'` with
   * children); some take a scalar (`mapping: "root = ..."` is a `bloblang` string, `resource: name`
   * a string).
   */
  config: C
  /** Documented examples, run by the registry test (`test/components/examples.test.ts`). */
  examples?: readonly ComponentExample[]
  /**
   * Build the component. `conf` is the value under the type key with defaults applied (an object
   * for object configs, the scalar otherwise). Method syntax on purpose: a registry holds specs of
   * every config type as `ComponentSpec`.
   */
  build(conf: ValueOf<C>, ctx: ComponentContext): InstanceOf<K> | Promise<InstanceOf<K>>
  /**
   * Template components (`-t` files) only: the component config of the same kind this one renders
   * to, built in its place. The stream builder merges an input's or output's `processors` around
   * the rendered ones the reference's way; `build` covers every other caller.
   */
  render?(conf: ValueOf<C>, label: string): unknown
}

/** Declares a component; `build`'s `conf` is typed from `config`. */
export function defineComponent<K extends ComponentKind, C extends FieldSpec>(spec: ComponentSpec<K, C>): ComponentSpec<K, C> {
  return spec
}

/** Lookup used by lint and construction; a registry instance, never process-global state. */
export interface SpecLookup {
  get<K extends ComponentKind>(kind: K, name: string): ComponentSpec<K> | undefined
  names(kind: ComponentKind): string[]
  /**
   * Lookups that load implementations on demand (a stream worker's): makes `get` answer for those
   * of `names` it knows. The builder awaits it before resolving a component; names it does not
   * know are left for `get` to miss, so the error is the same as with every spec loaded.
   */
  load?(kind: ComponentKind, names: readonly string[]): Promise<void>
}

/** `spec` when it is of `kind`: the one checked narrowing that lookups answer with. */
export function ofKind<K extends ComponentKind>(spec: ComponentSpec | undefined, kind: K): ComponentSpec<K> | undefined {
  return spec?.kind === kind ? (spec as ComponentSpec<K>) : undefined
}

/** A lookup answering from `specs` first, then `base`. */
export function layeredLookup(base: SpecLookup, specs: readonly ComponentSpec[]): SpecLookup {
  if (specs.length === 0) return base
  const load = base.load?.bind(base)
  return {
    get: (kind, name) => ofKind(specs.find((s) => s.kind === kind && s.name === name), kind) ?? base.get(kind, name),
    names: (kind) => [...new Set([...base.names(kind), ...specs.filter((s) => s.kind === kind).map((s) => s.name)])].sort(),
    ...(load ? { load } : {}),
  }
}
