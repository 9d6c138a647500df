/**
 * Command-line flags in the reference's style: `-r a -r b`, `--set a.b=c`, `--flag=false`,
 * `--log.level debug`. A small parser of our own because node:util's parseArgs has no
 * `--bool=false` form, which `--prefix-stream-endpoints=false` needs.
 */

export interface FlagSpec {
  name: string
  alias?: string
  type: 'bool' | 'string' | 'list'
}

export interface ParsedArgs {
  flags: Map<string, string | boolean | string[]>
  positionals: string[]
}

export class ArgError extends Error {}

export function parseArgs(argv: string[], specs: readonly FlagSpec[]): ParsedArgs {
  const byName = new Map<string, FlagSpec>()
  for (const s of specs) {
    byName.set(s.name, s)
    if (s.alias) byName.set(s.alias, s)
  }
  const flags = new Map<string, string | boolean | string[]>()
  const positionals: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--') {
      positionals.push(...argv.slice(i + 1))
      break
    }
    if (!a.startsWith('-') || a === '-') {
      positionals.push(a)
      continue
    }
    const body = a.replace(/^--?/, '')
    const eq = body.indexOf('=')
    const name = eq === -1 ? body : body.slice(0, eq)
    const spec = byName.get(name)
    if (!spec) throw new ArgError(`flag provided but not defined: ${a}`)
    let value: string | undefined = eq === -1 ? undefined : body.slice(eq + 1)
    if (spec.type === 'bool') {
      if (value === undefined) flags.set(spec.name, true)
      else if (/^(true|1|t)$/i.test(value)) flags.set(spec.name, true)
      else if (/^(false|0|f)$/i.test(value)) flags.set(spec.name, false)
      else throw new ArgError(`invalid boolean value "${value}" for flag ${a}`)
      continue
    }
    if (value === undefined) {
      value = argv[++i]
      if (value === undefined) throw new ArgError(`flag needs an argument: ${a}`)
    }
    if (spec.type === 'string') flags.set(spec.name, value)
    else flags.set(spec.name, [...((flags.get(spec.name) as string[] | undefined) ?? []), value])
  }
  return { flags, positionals }
}

export function str(p: ParsedArgs, name: string): string | undefined {
  const v = p.flags.get(name)
  return typeof v === 'string' ? v : undefined
}

export function bool(p: ParsedArgs, name: string, dflt = false): boolean {
  const v = p.flags.get(name)
  return typeof v === 'boolean' ? v : dflt
}

export function list(p: ParsedArgs, name: string): string[] {
  const v = p.flags.get(name)
  return Array.isArray(v) ? v : []
}
