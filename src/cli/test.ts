/**
 * `weir test [paths...]`: runs the reference's config unit tests (`tests:` sections and
 * `<name>_benthos_test.yaml` definitions) against Weir's processors. Each target is linted first;
 * lints and case failures are reported after a `Test '<path>' succeeded|failed` line per target,
 * and the exit code is 1 when anything failed or no test was found.
 */
import type { SpecLookup } from '../spec/index.js'
import { renderErrorLine, toErrorData } from '../errors.js'
import { withTemplates } from './templates.js'
import { bool, list, parseArgs, str, type FlagSpec } from './args.js'
import { expandGlobs } from '../config/glob.js'
import { readDotenvFiles } from './dotenv.js'
import { renderLintCompat } from '../config/lint.js'
import { createLogger, silentLogger, type Logger } from '../util/logger.js'
import { lintConfigFile } from './lint.js'
import { ANSI, PLAIN, type Paint } from './test-conditions.js'
import { findTargets, TargetError, type TestCase } from './test-definition.js'
import { CaseError, runTarget, type CaseFailure } from './test-runner.js'

export const TEST_FLAGS: readonly FlagSpec[] = [
  { name: 'log', type: 'string' },
  { name: 'verbose', alias: 'v', type: 'bool' },
  { name: 'resources', alias: 'r', type: 'list' },
  { name: 'env-file', alias: 'e', type: 'list' },
  { name: 'templates', alias: 't', type: 'list' },
]

export interface TestIo {
  stdout: (line: string) => void
  stderr: (line: string) => void
  lookup: SpecLookup
  /** Colour failures as the reference does on a terminal (default: plain text). */
  color?: boolean
}

interface Failed {
  target: string
  lints: string[]
  cases: CaseFailure[]
}

/** Runs `weir test`; resolves with the exit code. Throws ArgError on bad flags. */
export async function runTest(args: string[], io: TestIo): Promise<number> {
  const parsed = parseArgs(args, TEST_FLAGS)
  const paint: Paint = io.color ? ANSI : PLAIN
  const yellow = (s: string): string => (io.color ? `\x1b[33m${s}\x1b[0m` : s)
  const green = (s: string): string => (io.color ? `\x1b[32m${s}\x1b[0m` : s)
  const red = (s: string): string => (io.color ? `\x1b[31m${s}\x1b[0m` : s)

  // Env files are applied to the process environment before anything is read, as the reference does.
  let dotenv: ReturnType<typeof readDotenvFiles>
  try {
    dotenv = readDotenvFiles(list(parsed, 'env-file'))
  } catch (err) {
    io.stderr(`failed to read dotenv file: ${toErrorData(err).message}`)
    return 1
  }
  if (dotenv.errors.length > 0) {
    io.stderr(`failed to read dotenv file: ${dotenv.errors[0]!.message}`)
    return 1
  }
  Object.assign(process.env, dotenv.values)
  const templates = withTemplates(io.lookup, list(parsed, 'templates'))
  if (!templates.ok) {
    io.stderr(`template file read error: ${renderErrorLine(templates.error)}`)
    return 1
  }
  const lookup = templates.lookup

  let resourceFiles: string[]
  try {
    resourceFiles = expandGlobs(list(parsed, 'resources'))
  } catch (err) {
    io.stderr(`failed to resolve resource glob pattern: ${err instanceof Error ? err.message : String(err)}`)
    return 1
  }
  const level = str(parsed, 'log') ?? ''
  // The reference's logger defaults: logfmt, no timestamp, the service as a static field.
  const logger: Logger =
    level !== '' ? createLogger({ level: level.toUpperCase(), format: 'logfmt', addTimestamp: false, staticFields: { '@service': 'benthos' }, levelName: 'level', timestampName: 'time', messageName: 'msg' }) : silentLogger

  let targets: Map<string, TestCase[]>
  try {
    targets = findTargets(parsed.positionals)
  } catch (err) {
    io.stderr(`Failed to obtain test targets: ${err instanceof TargetError ? err.message : String(err)}`)
    return 1
  }
  if (targets.size === 0) {
    io.stdout(yellow('No tests were found'))
    return 1
  }

  const fails: Failed[] = []
  for (const [target, cases] of targets) {
    const lints = lintConfigFile(target, lookup).map(renderLintCompat)
    if (bool(parsed, 'verbose')) for (const c of cases) io.stdout(`  - ${c.name === '' ? '(unnamed)' : c.name}`)
    let caseFails: CaseFailure[]
    try {
      caseFails = await runTarget(cases, { target, resourceFiles, lookup, logger }, paint)
    } catch (err) {
      io.stderr(`Failed to execute test target '${target}': ${err instanceof CaseError ? err.message : String(err)}`)
      return 1
    }
    if (lints.length > 0 || caseFails.length > 0) {
      fails.push({ target, lints, cases: caseFails })
      io.stdout(`Test '${target}' ${red('failed')}`)
    } else io.stdout(`Test '${target}' ${green('succeeded')}`)
  }
  if (fails.length === 0) return 0
  io.stdout(report(fails))
  return 1
}

/** The failure report printed after the per-target lines. */
function report(fails: readonly Failed[]): string {
  const out: string[] = ['', 'Failures:', '']
  for (const [i, f] of fails.entries()) {
    if (i > 0) out.push('')
    out.push(`--- ${f.target} ---`, '')
    for (const l of f.lints) out.push(`Lint: ${l}`)
    if (f.cases.length === 0) continue
    if (f.lints.length > 0) out.push('')
    // As the reference: a first case with an empty name gets no header line.
    let prev = ''
    for (const [j, c] of f.cases.entries()) {
      if (prev !== c.name) {
        if (j > 0) out.push('')
        out.push(`${c.name} [line ${c.line}]:`)
        prev = c.name
      }
      out.push(c.reason)
    }
  }
  return out.join('\n')
}
