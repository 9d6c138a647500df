/** Lints a stream config with the built-in registry, for tests: the finding messages. */
import { lintStreamDoc } from '../../src/config/lint.js'
import { defaultRegistry } from '../../src/components/registry.js'
import { parse } from 'yaml'

export function lintText(text: string): string[] {
  return lintStreamDoc({ value: parse(text) as unknown }, defaultRegistry()).map((f) => f.message)
}
