/**
 * `weir lint [paths...]` (spec §5.5): lints files, globs and `dir/...` trees (plus `-c` and `-r`
 * files) against the full schema, prints `<path>(<line>,<col>) <text>` to stderr for every
 * finding and exits 1 if there was any. `.md` files have their ```yaml snippets linted.
 */
import { readFileSync } from 'node:fs'
import type { SpecLookup } from '../spec/index.js'
import { renderErrorLine, toErrorData } from '../errors.js'
import { withTemplates } from './templates.js'
import { bool, list, parseArgs, str, type FlagSpec } from './args.js'
import { withBuiltins } from '../config/builtin-specs.js'
import { missingEnvMessage } from '../config/env.js'
import { expandSuperPaths } from '../config/glob.js'
import { readDotenvFiles } from './dotenv.js'
import { documentFinding, lintFullDoc, renderLint, type LintFinding, type LintOptions, type WalkedComponent } from '../config/lint.js'
import { buildRootConfig } from '../config/root.js'
import { interpolateText, readConfigText } from '../config/stream-file.js'
import { checkStreamStructure } from '../config/structure.js'
import { isPlainObject } from '../config/values.js'
import { isLintDisabled, parseYamlText, type YamlDoc } from '../config/yaml.js'

export const LINT_FLAGS: readonly FlagSpec[] = [
  { name: 'deprecated', type: 'bool' },
  { name: 'labels', type: 'bool' },
  { name: 'skip-env-var-check', type: 'bool' },
  { name: 'verbose', type: 'bool' },
  { name: 'resources', alias: 'r', type: 'list' },
  { name: 'config', alias: 'c', type: 'string' },
  { name: 'env-file', alias: 'e', type: 'list' },
  { name: 'templates', alias: 't', type: 'list' },
]

export interface LintIo {
  stdout: (line: string) => void
  stderr: (line: string) => void
  lookup: SpecLookup
  /** Environment for `${VAR}` (default: process.env); `-e` files are layered on top. */
  env?: Readonly<Record<string, string | undefined>>
}

const STRICT_CATCH_MESSAGE =
  'a `catch` processor does not recover messages while `error_handling.strict` is enabled, as a failed message short-circuits past it. Wrap the failing step and its recovery within a `try_catch` processor (or a `retry` for transient failures) instead.'

/** Runs `weir lint`; resolves with the exit code. Throws ArgError on bad flags. */
export async function runLint(args: string[], io: LintIo): Promise<number> {
  const parsed = parseArgs(args, LINT_FLAGS)
  const base = io.env ?? process.env
  let dotenv: ReturnType<typeof readDotenvFiles>
  try {
    dotenv = readDotenvFiles(list(parsed, 'env-file'))
  } catch (err) {
    io.stderr(toErrorData(err).message)
    return 1
  }
  const envError = dotenv.errors[0]
  if (envError) {
    io.stderr(envError.code === 'CONFIG_READ' ? envError.message : `${envError.file}: ${envError.message}`)
    return 1
  }
  const overlay = dotenv.values
  const env = (name: string): string | undefined => (name in overlay ? overlay[name] : base[name])

  let targets: string[]
  try {
    targets = expandSuperPaths(parsed.positionals, ['yaml', 'yml'])
  } catch (err) {
    io.stderr(`lint paths error: ${toErrorData(err).message}`)
    return 1
  }
  const conf = str(parsed, 'config')
  if (conf) targets.push(conf)
  targets.push(...list(parsed, 'resources'))

  const templates = withTemplates(io.lookup, list(parsed, 'templates'))
  if (!templates.ok) {
    io.stderr(renderErrorLine(templates.error))
    return 1
  }
  const opts: Options = {
    lookup: withBuiltins(templates.lookup),
    lint: { rejectDeprecated: bool(parsed, 'deprecated'), requireLabels: bool(parsed, 'labels') },
    skipEnvVarCheck: bool(parsed, 'skip-env-var-check'),
    env,
  }
  let failed = false
  for (const target of targets) {
    if (target === '') continue
    const findings = target.endsWith('.md') ? lintMarkdown(target, opts) : lintFile(target, opts)
    if (bool(parsed, 'verbose')) io.stdout(`${target}: ${findings.length ? 'FAILED' : 'OK'}`)
    for (const f of findings) io.stderr(`${target}${renderLint(f)}`)
    failed ||= findings.length > 0
  }
  return failed ? 1 : 0
}

/**
 * The findings `weir test` reports for a test target: the file linted as `weir lint` does, except
 * that unset environment variables are not findings (each case may set its own).
 */
export function lintConfigFile(file: string, lookup: SpecLookup): LintFinding[] {
  return lintFile(file, { lookup: withBuiltins(lookup), lint: {}, skipEnvVarCheck: true, env: (name) => process.env[name] })
}

interface Options {
  lookup: SpecLookup
  lint: LintOptions
  skipEnvVarCheck: boolean
  env: (name: string) => string | undefined
}

function failedRead(message: string, line = 1, col = 1): LintFinding {
  return { ...documentFinding(message, 'failed_read'), line, col }
}

function lintFile(file: string, opts: Options): LintFinding[] {
  const raw = readConfigText(file)
  if (!raw.ok) return [failedRead(raw.error.message)]
  const interp = interpolateText(raw.text, opts.env)
  if (!interp.ok) return [failedRead(interp.error.message)]
  const findings = [...raw.findings]
  if (interp.missing.length && !opts.skipEnvVarCheck) findings.push(documentFinding(missingEnvMessage(interp.missing), 'missing_env_var'))
  const parsed = parseYamlText(interp.text)
  if (!parsed.ok) return [failedRead(parsed.error.message, parsed.error.line, parsed.error.col)]
  const broken = structuralProblem(parsed.doc, parsed.value, opts.lookup)
  if (broken) return [broken]
  if (!isLintDisabled(interp.text)) findings.push(...lintDocument(parsed.doc, parsed.value, opts, 0))
  return findings
}

/** Lint plus the strict-mode `catch` warnings (4.76.0), lines shifted by `offset`. */
function lintDocument(doc: YamlDoc, value: unknown, opts: Options, offset: number): LintFinding[] {
  const strict = isPlainObject(value) && isPlainObject(value.error_handling) && value.error_handling.strict === true
  const catches: WalkedComponent[] = []
  const onComponent = strict ? (c: WalkedComponent) => c.kind === 'processor' && c.name === 'catch' && catches.push(c) : undefined
  const findings = lintFullDoc(doc, opts.lookup, { ...opts.lint, onComponent })
  for (const c of catches) findings.push({ line: c.line, col: 1, message: STRICT_CATCH_MESSAGE, path: c.path, level: 'warning', type: 'custom' })
  return findings.map((f) => ({ ...f, line: f.line + offset }))
}

/** What stops the reference from parsing a config at all (reported alone, at its line). */
function structuralProblem(doc: YamlDoc, value: unknown, lookup: SpecLookup): LintFinding | undefined {
  const err = checkStreamStructure(doc, lookup)
  if (err) return failedRead(err.message, err.line, err.col)
  try {
    // Resource labels are not checked here: the reference only does that when building the manager.
    buildRootConfig(value, lookup)
  } catch (e) {
    return failedRead(toErrorData(e).message)
  }
  return undefined
}

function lintMarkdown(file: string, opts: Options): LintFinding[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    return [failedRead(toErrorData(err).message)]
  }
  const findings: LintFinding[] = []
  const start = '```yaml'
  let at = text.indexOf(start)
  while (at !== -1) {
    const bodyStart = at + start.length
    const snippetLine = countLines(text, bodyStart)
    const end = text.indexOf('```', bodyStart)
    if (end === -1) {
      findings.push(failedRead('markdown snippet not terminated', snippetLine))
      break
    }
    const parsed = parseYamlText(text.slice(bodyStart, end))
    if (!parsed.ok) findings.push(failedRead(parsed.error.message, snippetLine))
    else {
      const broken = structuralProblem(parsed.doc, parsed.value, opts.lookup)
      if (broken) findings.push({ ...broken, line: broken.line + snippetLine - 1 })
      else findings.push(...lintDocument(parsed.doc, parsed.value, opts, snippetLine - 1))
    }
    at = text.indexOf(start, end + 3)
  }
  return findings
}

function countLines(text: string, upTo: number): number {
  let n = 1
  for (let i = 0; i < upTo; i++) if (text.charCodeAt(i) === 10) n++
  return n
}
