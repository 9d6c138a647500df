/**
 * Component construction for one stream: resolve the type and defaults, give the component its
 * context (logger and metrics bound to its `label`/`path`), wrap processors with their metrics, and
 * turn any failure into a WeirError located at the config path, e.g.
 * `pipeline.processors[2].mapping` (Bloblang line/col from inside the mapping are kept).
 */
import { WeirError, weirError } from '../errors.js'
import type { ComponentContext, ComponentKind, Input, InstanceOf, MetricsView, Output, Processor } from '../spec/index.js'
import { inputWithProcessors, outputWithProcessors } from './nested.js'
import { resolveComponent, type ResolvedComponent } from '../config/component.js'
import { isPlainObject } from '../config/values.js'
import { MeteredProcessor } from './processors.js'
import type { StreamEnv } from './types.js'

export interface BuiltComponent<K extends ComponentKind = ComponentKind> {
  kind: K
  instance: InstanceOf<K>
  /** Component type (`http_server`). */
  name: string
  label: string
  /** Built input-/output-level processors (metered). */
  processors: Processor[]
  configPath: string
  metricsPath: string
}

/** Errors already carrying their full config path (from nested builds or resolution). */
const located = new WeakSet<object>()

/** `pipeline.processors[2]` → `root.pipeline.processors.2` (spec §9.2 metrics paths). */
export function metricsPathOf(configPath: string): string {
  return `root.${configPath.replace(/\[(\d+)\]/g, '.$1')}`
}

function joinPath(base: string, rel: string): string {
  if (rel === '') return base
  return rel.startsWith('[') ? `${base}${rel}` : `${base}.${rel}`
}

export class ComponentBuilder {
  readonly #env: StreamEnv
  readonly #hard: AbortSignal
  /** Everything built so far, so a failed build can close what it created. */
  readonly built: InstanceOf<ComponentKind>[] = []

  constructor(env: StreamEnv, hard: AbortSignal) {
    this.#env = env
    this.#hard = hard
  }

  /**
   * Builds the component at `configPath` (`input`, `pipeline.processors[0]`, ...). Processors come
   * back wrapped with their metrics.
   */
  async build<K extends ComponentKind>(kind: K, raw: unknown, configPath: string): Promise<BuiltComponent<K>> {
    const env = this.#env
    let resolved
    // A lazily loading registry (a stream worker's) loads the modules this object may name first.
    if (env.registry.load && isPlainObject(raw)) await env.registry.load(kind, typeof raw.type === 'string' && raw.type !== '' ? [raw.type] : Object.keys(raw))
    try {
      resolved = resolveComponent(kind, raw, env.registry, configPath)
    } catch (err) {
      throw mark(err instanceof WeirError ? err : weirError('STREAM_BUILD', String(err), { path: configPath }))
    }
    const render = resolved.spec.render
    if (render) return this.build(kind, this.#rendered(kind, resolved, render, configPath), configPath)
    const metricsPath = metricsPathOf(configPath)
    const label = resolved.label
    const metrics = env.metrics(metricsPath, label)
    const typePath = `${configPath}.${resolved.name}`
    const ctx: ComponentContext = {
      stream: env.streamId,
      path: metricsPath,
      label,
      logger: env.logger.child({ label, path: metricsPath }),
      metrics,
      resources: env.resources,
      endpoints: env.endpoints,
      configDir: env.configDir,
      // `rel` is relative to this component's object, type key included: `broker.inputs[1]`.
      build: async (k, conf, rel) => withOwnProcessors(await this.build(k, conf, joinPath(configPath, rel))),
      signal: this.#hard,
    }
    let instance: InstanceOf<K>
    try {
      instance = await resolved.spec.build(resolved.conf, ctx)
    } catch (err) {
      throw locate(err, typePath)
    }
    instance = metered(kind, instance, metrics)
    this.built.push(instance)
    const processors: Processor[] = []
    for (const [i, p] of (resolved.processors ?? []).entries()) {
      processors.push((await this.build('processor', p, `${configPath}.processors[${i}]`)).instance)
    }
    return { kind, instance, name: resolved.name, label, processors, configPath, metricsPath }
  }

  /**
   * A template component rendered to the config it stands for, in its place (so it is built and
   * metered once, at the template's path); for an input the template's processors run ahead of the
   * user's, for an output after them (as the reference).
   */
  #rendered(kind: ComponentKind, resolved: ResolvedComponent, render: NonNullable<ResolvedComponent['spec']['render']>, configPath: string): Record<string, unknown> {
    let out: unknown
    try {
      out = render(resolved.conf, resolved.label)
    } catch (err) {
      throw locate(err, `${configPath}.${resolved.name}`)
    }
    if (!isPlainObject(out)) throw mark(weirError('STREAM_BUILD', 'mapping for template component resulted in invalid config: expected an object', { path: `${configPath}.${resolved.name}` }))
    const label = resolved.label !== '' ? resolved.label : out.label
    const labelled = { ...out, ...(label !== undefined ? { label } : {}) }
    if (kind !== 'input' && kind !== 'output') return labelled
    const theirs = Array.isArray(out.processors) ? out.processors : []
    const mine = resolved.processors ?? []
    return { ...labelled, processors: kind === 'input' ? [...theirs, ...mine] : [...mine, ...theirs] }
  }
}

/** A nested input or output with `processors` comes back running them (nested.ts). */
function withOwnProcessors<K extends ComponentKind>(b: BuiltComponent<K>): InstanceOf<K> {
  if (b.processors.length === 0) return b.instance
  const kind: ComponentKind = b.kind
  if (kind === 'input') return inputWithProcessors(b.instance as Input, b.processors) as InstanceOf<K>
  if (kind === 'output') return outputWithProcessors(b.instance as Output, b.processors) as InstanceOf<K>
  return b.instance
}

/** Processors come back wrapped with their metrics; the kind check is the narrowing. */
function metered<K extends ComponentKind>(kind: K, instance: InstanceOf<K>, metrics: MetricsView): InstanceOf<K> {
  if (kind !== 'processor') return instance
  const wrapped: Processor = new MeteredProcessor(instance as Processor, metrics)
  return wrapped as InstanceOf<K>
}

function mark(e: WeirError): WeirError {
  located.add(e)
  return e
}

/** Adds the component's config path to an error thrown by its `build` (paths there are relative). */
function locate(err: unknown, typePath: string): WeirError {
  if (err instanceof WeirError) {
    if (located.has(err)) return err
    return mark(err.with({ path: joinPath(typePath, err.data.path ?? '') }))
  }
  const msg = err instanceof Error ? err.message : String(err)
  return mark(weirError('STREAM_BUILD', msg, { path: typePath }))
}
