/**
 * Bloblang for hosts: compile mappings, queries and interpolated strings. Compile failures throw
 * WeirError `BLOBLANG_PARSE` (line/col within the source); execution failures `BLOBLANG_RUNTIME`.
 */
import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import { WeirError } from '../errors.js'
import type { Message } from '../message/message.js'
import type { Program, Source } from './ast.js'
import { compileProgram, Compiler, type CompileEnv, type CompiledMap, type CompiledStmt } from './compiler.js'
import { allFunctions } from './functions/index.js'
import { Mapping } from './mapping.js'
import { allMethods } from './methods/index.js'
import { ParseError, Parser, type Importer } from './parser.js'
import { createRegistry, type Registry } from './registry.js'
import type { Result } from '../value/value-types.js'
import { compileInterpolationWith, type Interpolation } from './interpolation.js'
import type { Fn } from './compile-support.js'
import { parseErrorToWeir, runOnMessage } from './host-boundary.js'
import { programTargets, type MappingTargets } from './targets.js'
import { codegenByDefault } from './codegen/mode.js'

export { Mapping, fromPlain, type ApplyInput, type ApplyOutput, type CompiledForm } from './mapping.js'
export { CODEGEN_ENV } from './codegen/mode.js'
export { toPlain } from './plain.js'
export type { Interpolation } from './interpolation.js'
export type { MappingTargets, TargetPath, TargetType } from './targets.js'
export { mapOnto } from './map-onto.js'
export { parseErrorToWeir } from './host-boundary.js'

export interface CompileOptions {
  /** Directory that relative `import`/`from` paths and `file_rel` resolve against (default cwd). */
  configDir?: string
  /** Registry to compile against (default: every built-in method and function). */
  registry?: Registry
  /**
   * Mappings as generated JavaScript (true) or closures (false). Default: generated unless the
   * environment has WEIR_BLOBLANG_CODEGEN=0.
   */
  codegen?: boolean
}

let defaultRegistry: Registry | undefined
/** The registry with all built-in methods and functions. */
export function builtinRegistry(): Registry {
  defaultRegistry ??= createRegistry({ methods: allMethods, functions: allFunctions })
  return defaultRegistry
}

function fileImporter(configDir: string): Importer {
  return {
    read(path, fromFile) {
      const base = fromFile !== '' ? dirname(fromFile) : configDir
      const full = isAbsolute(path) ? path : resolve(base, path)
      try {
        return { text: readFileSync(full, 'utf8'), file: full }
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code
        if (code === 'ENOENT') throw new Error(`open ${path}: no such file or directory`)
        throw new Error(`open ${path}: ${(err as Error).message}`)
      }
    },
  }
}

/**
 * A human-readable rendering of a located error: the message, then the source line with a caret
 * under the column (the reference's `blobl` output).
 */
export function renderExcerpt(source: string, line: number, col: number, message: string, file = ''): string {
  const text = source.split('\n')[line - 1] ?? ''
  const chars = [...text]
  const context = chars.slice(0, Math.max(col - 1 + 60, Math.min(chars.length, col + 60))).join('').replace(/\r$/, '')
  const ln = String(line)
  const pad = ' '.repeat(ln.length)
  const detail = message.replace(/^line \d+ char \d+: /, '')
  return `${file !== '' ? `${file}: ` : ''}line ${line} char ${col}: ${detail}\n${pad} |\n${ln} | ${context}\n${pad} | ${' '.repeat(col - 1)}^---`
}

function envFor(opts: CompileOptions): CompileEnv {
  return { registry: opts.registry ?? builtinRegistry(), configDir: opts.configDir ?? process.cwd(), maps: new Map<string, CompiledMap>() }
}

function mappingEnvFor(opts: CompileOptions): CompileEnv {
  const env = envFor(opts)
  if (opts.codegen ?? codegenByDefault()) env.codegen = { fallbacks: [] }
  return env
}

/** Compile a full mapping. Throws WeirError BLOBLANG_PARSE. */
export function compileMapping(source: string, opts: CompileOptions = {}): Mapping {
  const src: Source = { text: source, file: '' }
  let env = mappingEnvFor(opts)
  try {
    const program: Program = new Parser(src, { importer: fileImporter(env.configDir) }).parseMapping()
    let stmts: CompiledStmt[]
    try {
      stmts = compileProgram(program, env)
    } catch (err) {
      // A process run with --disallow-code-generation-from-strings cannot use `new Function`.
      if (!(err instanceof EvalError) || env.codegen === undefined) throw err
      env = envFor(opts)
      stmts = compileProgram(program, env)
    }
    return new Mapping(stmts, source, env.codegen)
  } catch (err) {
    if (err instanceof ParseError) throw parseErrorToWeir(err, err.source.file === '' ? src : err.source)
    throw tooDeep(err)
  }
}

/** Pathologically nested source exhausts the parser's stack: report it as a parse error. */
function tooDeep(err: unknown): unknown {
  if (!(err instanceof RangeError)) return err
  return new WeirError({ code: 'BLOBLANG_PARSE', message: 'line 1 char 1: mapping is nested too deeply', line: 1, col: 1 }, { cause: err })
}

export interface Query {
  /** Evaluate against message `index` of `batch`. Throws WeirError BLOBLANG_RUNTIME. */
  value(batch: readonly Message[], index: number): Result
}

/** Compile a single query expression (no statements). */
export function compileQuery(source: string, opts: CompileOptions = {}): Query {
  const src: Source = { text: source, file: '' }
  const env = envFor(opts)
  let fn: Fn
  try {
    const p = new Parser(src, { importer: fileImporter(env.configDir) })
    const e = p.query()
    p.pos = skipTrailing(source, p.pos)
    if (p.pos < source.length) p.fail('expected end of input')
    fn = new Compiler(env, src).expr(e).fn
  } catch (err) {
    if (err instanceof ParseError) throw parseErrorToWeir(err, src)
    throw tooDeep(err)
  }
  return {
    value: (batch, index) => runOnMessage(fn, batch, index),
  }
}

function skipTrailing(s: string, pos: number): number {
  while (pos < s.length && /[ \t\r\n]/.test(s[pos]!)) pos++
  return pos
}

/** Compile an interpolated string (`${! query }`, `${{! escaped }}`). */
export function compileInterpolation(source: string, opts: CompileOptions = {}): Interpolation {
  return compileInterpolationWith(source, envFor(opts))
}

/**
 * What a mapping reads and assigns (the reference's query/assignment targets), for `workflow`'s
 * dependency inference. Throws WeirError BLOBLANG_PARSE like `compileMapping`.
 */
export function mappingTargets(source: string, opts: CompileOptions = {}): MappingTargets {
  const src: Source = { text: source, file: '' }
  const env = envFor(opts)
  try {
    return programTargets(new Parser(src, { importer: fileImporter(env.configDir) }).parseMapping())
  } catch (err) {
    if (err instanceof ParseError) throw parseErrorToWeir(err, err.source.file === '' ? src : err.source)
    throw tooDeep(err)
  }
}
