/**
 * A stream worker's registry: knows every component's kind and name up front (so an unknown name
 * gets the same error and suggestion as with every spec loaded) and loads a component's module
 * only when the builder asks for it. A thread then evaluates the handful of modules its stream
 * uses instead of all of them.
 */
import { weirError } from '../errors.js'
import { ofKind, type ComponentKind, type ComponentSpec, type SpecLookup } from '../spec/index.js'
import { BUILTIN_LOADERS, type ComponentLoader } from './loaders.js'
import { loadExtraSpecs } from './extra.js'

const keyOf = (kind: ComponentKind, name: string): string => `${kind}\0${name}`

/** A lookup over `loaders` plus the already loaded `extra` specs. Throws on a duplicate kind/name. */
export function lazyRegistry(loaders: readonly ComponentLoader[], extra: readonly ComponentSpec[] = []): Required<SpecLookup> {
  const pending = new Map<string, ComponentLoader>()
  const loaded = new Map<string, ComponentSpec>()
  const loading = new Map<string, Promise<void>>()
  const namesByKind = new Map<ComponentKind, string[]>()
  const known = (kind: ComponentKind, name: string): void => {
    const k = keyOf(kind, name)
    if (pending.has(k) || loaded.has(k)) throw new Error(`duplicate ${kind} component '${name}'`)
    let names = namesByKind.get(kind)
    if (!names) namesByKind.set(kind, (names = []))
    names.push(name)
  }
  for (const l of loaders) {
    known(l.kind, l.name)
    pending.set(keyOf(l.kind, l.name), l)
  }
  for (const s of extra) {
    known(s.kind, s.name)
    loaded.set(keyOf(s.kind, s.name), s)
  }
  for (const names of namesByKind.values()) names.sort()

  const loadOne = (k: string, l: ComponentLoader): Promise<void> => {
    let p = loading.get(k)
    if (!p) {
      p = l.load().then((mod) => {
        const spec = mod.default
        // A loader pointing at the wrong module would otherwise build the wrong component.
        if (spec?.kind !== l.kind || spec.name !== l.name) {
          throw weirError('INTERNAL', `component loader for ${l.kind} '${l.name}' loaded ${spec ? `${spec.kind} '${spec.name}'` : 'no spec'}`)
        }
        loaded.set(k, spec)
        pending.delete(k)
      })
      loading.set(k, p)
    }
    return p
  }

  return {
    get: (kind, name) => ofKind(loaded.get(keyOf(kind, name)), kind),
    names: (kind) => [...(namesByKind.get(kind) ?? [])],
    async load(kind, names) {
      const jobs: Promise<void>[] = []
      for (const name of names) {
        const k = keyOf(kind, name)
        const l = pending.get(k)
        if (l) jobs.push(loadOne(k, l))
      }
      if (jobs.length) await Promise.all(jobs)
    },
  }
}

/** The built-ins, loaded on demand, plus the components of `$WEIR_EXTRA_COMPONENTS`, when set. */
export async function loadLazyRegistry(env: NodeJS.ProcessEnv = process.env): Promise<Required<SpecLookup>> {
  return lazyRegistry(BUILTIN_LOADERS, await loadExtraSpecs(env))
}
