/**
 * `weir list [kinds...]`: the components this build knows, by kind, with status and summary, in the
 * reference's section order and names (`inputs`, `rate-limits`, `bloblang-functions` ...).
 * `--format json` prints `{ "<section>": [{ name, status, summary }] }`; `--format jsonschema` is
 * `weir jsonschema`.
 */
import { parseArgs, str, type FlagSpec } from './args.js'
import type { ComponentKind, SpecLookup } from '../spec/index.js'
import type { Registry } from '../components/registry.js'
import { withBuiltins } from '../config/builtin-specs.js'
import { builtinRegistry } from '../bloblang/index.js'
import { renderJsonSchema } from './jsonschema.js'

export const LIST_FLAGS: readonly FlagSpec[] = [
  { name: 'format', type: 'string' },
  { name: 'status', type: 'string' },
]

const SECTIONS: readonly [string, ComponentKind | 'bloblang-functions' | 'bloblang-methods'][] = [
  ['inputs', 'input'],
  ['processors', 'processor'],
  ['outputs', 'output'],
  ['caches', 'cache'],
  ['rate-limits', 'rate_limit'],
  ['buffers', 'buffer'],
  ['metrics', 'metrics'],
  ['tracers', 'tracer'],
  ['scanners', 'scanner'],
  ['bloblang-functions', 'bloblang-functions'],
  ['bloblang-methods', 'bloblang-methods'],
]

export interface ListEntry {
  name: string
  status: string
  summary: string
}

/** Every section's entries, filtered by status when given. */
export function listComponents(registry: SpecLookup, status?: string): Map<string, ListEntry[]> {
  const lookup = withBuiltins(registry)
  const blobl = builtinRegistry()
  const out = new Map<string, ListEntry[]>()
  for (const [section, kind] of SECTIONS) {
    let entries: ListEntry[]
    if (kind === 'bloblang-functions') entries = blobl.functionNames().map((n) => ({ name: n, status: 'stable', summary: firstSentence(blobl.fn(n)?.description) }))
    else if (kind === 'bloblang-methods') entries = blobl.methodNames().map((n) => ({ name: n, status: 'stable', summary: firstSentence(blobl.method(n)?.description) }))
    else
      entries = [...lookup.names(kind)].sort().map((n) => {
        const spec = lookup.get(kind, n)!
        return { name: n, status: spec.status ?? 'stable', summary: firstSentence(spec.summary) }
      })
    out.set(section, status ? entries.filter((e) => e.status === status) : entries)
  }
  return out
}

function firstSentence(text: string | undefined): string {
  if (!text) return ''
  const line = text.trim().split('\n')[0]!
  const end = line.search(/\.(\s|$)/)
  return end === -1 ? line : line.slice(0, end + 1)
}

export function runList(argv: string[], io: { stdout: (l: string) => void; stderr: (l: string) => void; registry: Registry }): number {
  const args = parseArgs(argv, LIST_FLAGS)
  const format = str(args, 'format') ?? 'text'
  const wanted = new Set(args.positionals)
  const unknown = [...wanted].filter((k) => !SECTIONS.some(([s]) => s === k))
  if (unknown.length && format !== 'jsonschema') {
    io.stderr(`unknown component type: ${unknown.join(', ')} (one of ${SECTIONS.map(([s]) => s).join(', ')})`)
    return 1
  }
  const sections = [...listComponents(io.registry, str(args, 'status'))].filter(([s]) => wanted.size === 0 || wanted.has(s))
  switch (format) {
    case 'text': {
      const blocks = sections.map(([section, entries]) => {
        const title = section.replace(/-/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase())
        const width = Math.max(0, ...entries.map((e) => e.name.length))
        const statusWidth = Math.max(0, ...entries.map((e) => e.status.length))
        const lines = entries.map((e) => `  - ${e.name.padEnd(width)}  ${e.status.padEnd(statusWidth)}  ${e.summary}`.trimEnd())
        return [`${title}:`, ...lines].join('\n')
      })
      io.stdout(blocks.join('\n\n'))
      return 0
    }
    case 'json':
      io.stdout(JSON.stringify(Object.fromEntries(sections)))
      return 0
    case 'jsonschema':
      io.stdout(renderJsonSchema(io.registry, 'stream'))
      return 0
    default:
      io.stderr(`unknown format: ${format} (text, json or jsonschema)`)
      return 1
  }
}
