/**
 * Output conditions of `weir test` cases (`content_equals`, `json_contains`, `bloblang`, ...):
 * compiled once per case, checked against each output message, failures worded as the reference
 * words them. Conditions run in name order, as the reference sorts them.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { RE2JS } from 're2js'
import { compileMapping } from '../bloblang/index.js'
import { fromPlain } from '../bloblang/index.js'
import type { Message } from '../message/message.js'
import { valuesEqual } from '../value/equality.js'
import { formatFloatG } from '../value/format-number.js'
import { isPlainObject } from '../config/values.js'
import { compareJson } from './json-diff.js'
import { goJsonMarshal, type OutputSpec } from './test-definition.js'

/** Colours as the reference's `fatih/color` gives them: only when stdout is a terminal. */
export interface Paint {
  blue(s: string): string
  red(s: string): string
}

export const PLAIN: Paint = { blue: (s) => s, red: (s) => s }
export const ANSI: Paint = { blue: (s) => `\x1b[34m${s}\x1b[0m`, red: (s) => `\x1b[31m${s}\x1b[0m` }

type Check = (msg: Message) => string | undefined

export interface Conditions {
  /** Failure texts (`<condition>: <why>`) for one message; empty when it passes. */
  check(msg: Message): string[]
}

/** Compiles the conditions of one expected message; throws on a bad `bloblang` or regexp. */
export function compileConditions(spec: OutputSpec, dir: string, paint: Paint): Conditions {
  const checks: [string, Check][] = []
  for (const name of Object.keys(spec).sort()) {
    const c = conditionOf(name, spec[name], dir, paint)
    if (c) checks.push([name, c])
  }
  return {
    check(msg) {
      const out: string[] = []
      for (const [name, c] of checks) {
        const why = c(msg)
        if (why !== undefined) out.push(`${name}: ${why}`)
      }
      return out
    },
  }
}

function asString(v: unknown): string {
  if (v === null || v === undefined) return ''
  return typeof v === 'string' ? v : String(v)
}

/** The condition value of `json_equals`/`json_contains`: a string is JSON already. */
function asJsonText(v: unknown): string {
  return typeof v === 'string' ? v : goJsonMarshal(v)
}

function conditionOf(name: string, raw: unknown, dir: string, paint: Paint): Check | undefined {
  switch (name) {
    case 'bloblang': {
      let mapping
      try {
        mapping = compileMapping(asString(raw), { configDir: dir })
      } catch (err) {
        throw new Error(`bloblang: ${err instanceof Error ? err.message : String(err)}`)
      }
      return (msg) => {
        try {
          return mapping.queryBool([msg], 0) ? undefined : 'bloblang expression was false'
        } catch (err) {
          return err instanceof Error ? err.message : String(err)
        }
      }
    }
    case 'content_equals': {
      const exp = asString(raw)
      return (msg) => contentMismatch(exp, msg.text(), paint)
    }
    case 'content_matches': {
      const pattern = asString(raw)
      const re = RE2JS.compile(pattern)
      return (msg) => (re.matcher(msg.text()).find() ? undefined : `pattern mismatch\n   pattern: ${paint.blue(pattern)}\n  received: ${paint.red(msg.text())}`)
    }
    case 'metadata_equals': {
      const exp = isPlainObject(raw) ? raw : {}
      return (msg) => metadataMismatch(exp, msg, paint)
    }
    case 'file_equals': {
      const path = join(dir, asString(raw))
      return (msg) => {
        const file = readOrWhy(path, 'failed to read comparison file')
        return file.ok ? contentMismatch(file.text, msg.text(), paint) : file.why
      }
    }
    case 'file_json_equals':
    case 'file_json_contains': {
      const path = join(dir, asString(raw))
      const contains = name === 'file_json_contains'
      return (msg) => {
        const file = readOrWhy(path, 'failed to read comparison JSON file')
        return file.ok ? jsonMismatch(msg, file.text, contains) : file.why
      }
    }
    case 'json_equals':
    case 'json_contains': {
      const exp = asJsonText(raw)
      const contains = name === 'json_contains'
      return (msg) => jsonMismatch(msg, exp, contains)
    }
    default:
      return undefined
  }
}

function contentMismatch(exp: string, act: string, paint: Paint): string | undefined {
  return exp === act ? undefined : `content mismatch\n  expected: ${paint.blue(exp)}\n  received: ${paint.red(act)}`
}

function jsonMismatch(msg: Message, exp: string, contains: boolean): string | undefined {
  const { match, explanation } = compareJson(msg.text(), exp)
  if (match === 'full' || (contains && match === 'superset')) return undefined
  return `${contains ? 'JSON superset mismatch' : 'JSON content mismatch'}\n${explanation}`
}

function metadataMismatch(exp: Record<string, unknown>, msg: Message, paint: Paint): string | undefined {
  for (const [k, want] of Object.entries(exp)) {
    if (!msg.metadata.has(k)) return `metadata key '${k}' expected but not found`
    const got = msg.metadata.get(k)
    if (!valuesEqual(fromPlain(want), got ?? null)) {
      return `metadata key '${k}' mismatch\n  expected: ${paint.blue(goValue(want))}\n  received: ${paint.red(goValue(got))}`
    }
  }
  return undefined
}

function readOrWhy(path: string, what: string): { ok: true; text: string } | { ok: false; why: string } {
  try {
    return { ok: true, text: readFileSync(path, 'utf8') }
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    const detail = e.code === 'ENOENT' ? `open ${path}: no such file or directory` : e.message
    return { ok: false, why: `${what}: ${detail}` }
  }
}

/** Go's `%v` of a decoded YAML value or a metadata value. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>'
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatFloatG(v)
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  if (v instanceof Uint8Array) return `[${[...v].join(' ')}]`
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`
  if (isPlainObject(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goValue(v[k])}`).join(' ')}]`
  return String(v)
}
