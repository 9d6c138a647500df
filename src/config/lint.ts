/**
 * Lint entry points per document kind (stream file or API body, root config, resource file, single
 * component, everything for `weir lint`) and the `(line,col) text` rendering the reference prints.
 * Every finding counts, warnings included (spec §5.5).
 */
import type { ComponentKind, SpecLookup } from '../spec/index.js'
import { defaultBloblangChecker, type BloblangChecker } from './bloblang-check.js'
import { withBuiltins } from './builtin-specs.js'
import { LintWalk, type LintFinding, type WalkedComponent } from './lint-walk.js'
import { fullFields, resourceFileFields, rootFields, streamFields, streamFileFields } from './schema.js'
import { isScalar } from 'yaml'
import { docFromValue, nodeAt, type ConfigPath, type YamlDoc } from './yaml.js'

export type { LintFinding, LintLevel, LintType, WalkedComponent } from './lint-walk.js'
export type { BloblangChecker, BloblangProblem } from './bloblang-check.js'

export interface LintOptions {
  /** `--deprecated`: deprecated components and fields are findings. */
  rejectDeprecated?: boolean
  /** `--labels`: components that can carry a label must have one. */
  requireLabels?: boolean
  /** Bloblang compiler used for mapping and interpolation fields (default: src/bloblang). */
  bloblang?: BloblangChecker
  /** Lint the node at this path instead of the whole document (one entry of a bulk body). */
  at?: ConfigPath
  /** Called for every component with a known type. */
  onComponent?: (c: WalkedComponent) => void
}

export interface StreamLintOptions extends LintOptions {
  /**
   * Files accept `tests` (ignored); API bodies do not, so pass `false` there: `tests` and every
   * `*_resources` key are then findings.
   */
  allowTests?: boolean
}

/** A parsed document, or a plain value (findings then all sit at line 1). */
export type Lintable = YamlDoc | { value: unknown }

function toDoc(input: Lintable): YamlDoc {
  return 'document' in input ? input : docFromValue(input.value)
}

const START = { line: 1, col: 1 }

function run(input: Lintable, lookup: SpecLookup, opts: LintOptions, visit: (w: LintWalk, contents: unknown) => void): LintFinding[] {
  const doc = toDoc(input)
  const walk = new LintWalk(doc, lookup, {
    rejectDeprecated: opts.rejectDeprecated,
    requireLabels: opts.requireLabels,
    bloblang: opts.bloblang ?? defaultBloblangChecker,
    onComponent: opts.onComponent,
  })
  const contents = opts.at ? nodeAt(doc, opts.at)?.node : doc.document.contents
  // An empty document is an empty config: every field takes its default.
  if (contents === null || contents === undefined || (isScalar(contents) && contents.value === null)) return []
  visit(walk, contents)
  return walk.findings
}

/** A stream config (file or API body). */
export function lintStreamDoc(input: Lintable, lookup: SpecLookup, opts: StreamLintOptions = {}): LintFinding[] {
  const fields = opts.allowTests === false ? streamFields(lookup) : streamFileFields(lookup)
  return run(input, lookup, opts, (w, c) => w.fields(fields, c, [], START))
}

/** The root (`-o`/`-c`) config in streams mode: everything except the stream fields. */
export function lintRootDoc(input: Lintable, lookup: SpecLookup, opts: LintOptions = {}): LintFinding[] {
  const full = withBuiltins(lookup)
  return run(input, full, opts, (w, c) => w.fields(rootFields(full), c, [], START))
}

/** A `-r` resource file: the five `*_resources` lists (plus `tests`). */
export function lintResourceDoc(input: Lintable, lookup: SpecLookup, opts: LintOptions = {}): LintFinding[] {
  return run(input, lookup, opts, (w, c) => w.fields(resourceFileFields(), c, [], START))
}

/** One component config, e.g. the body of `POST /resources/{type}/{id}`. */
export function lintComponentDoc(kind: ComponentKind, input: Lintable, lookup: SpecLookup, opts: LintOptions = {}): LintFinding[] {
  const full = withBuiltins(lookup)
  return run(input, full, opts, (w, c) => w.component(kind, c, [], START))
}

/** Root, stream and resource fields together: what `weir lint` checks a file against. */
export function lintFullDoc(input: Lintable, lookup: SpecLookup, opts: LintOptions = {}): LintFinding[] {
  const full = withBuiltins(lookup)
  return run(input, full, opts, (w, c) => w.fields(fullFields(full), c, [], START))
}

/**
 * `(line,col) text`, as the reference prints a lint (callers prefix a file path or stream id),
 * plus ` (did you mean \`x\`?)` when the finding has a hint. For `weir lint` and logs; API bodies
 * use `renderLintCompat`.
 */
export function renderLint(f: Pick<LintFinding, 'line' | 'col' | 'message' | 'hint'>): string {
  return f.hint ? `${renderLintCompat(f)} (${f.hint})` : renderLintCompat(f)
}

/** Exactly the reference's `(line,col) text`: what the API's `lint_errors` hold. */
export function renderLintCompat(f: Pick<LintFinding, 'line' | 'col' | 'message'>): string {
  return `(${f.line},${f.col}) ${f.message}`
}

/** A finding at line 1 that is not tied to a node (missing env vars, invalid UTF-8). */
export function documentFinding(message: string, type: LintFinding['type']): LintFinding {
  return { line: 1, col: 1, message, path: '', level: 'error', type }
}
