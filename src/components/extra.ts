/**
 * Extra components from `$WEIR_EXTRA_COMPONENTS`: an ES module whose default export is a list of
 * component specs (test-only components such as `x_weir_fault`). Honoured only when set, by every
 * place that builds a registry: the host, each stream worker (workers inherit the host's
 * environment) and `weir lint`, so a config using them lints, builds and runs end to end.
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ComponentSpec } from '../spec/index.js'

export const EXTRA_COMPONENTS_ENV = 'WEIR_EXTRA_COMPONENTS'

/** The specs of `$WEIR_EXTRA_COMPONENTS`, or none when it is not set. */
export async function loadExtraSpecs(env: NodeJS.ProcessEnv = process.env): Promise<ComponentSpec[]> {
  const file = env[EXTRA_COMPONENTS_ENV]
  if (!file) return []
  const mod = (await import(pathToFileURL(resolve(file)).href)) as { default?: unknown }
  if (!Array.isArray(mod.default)) throw new Error(`${EXTRA_COMPONENTS_ENV}=${file}: the module's default export must be a list of component specs`)
  return mod.default as ComponentSpec[]
}
