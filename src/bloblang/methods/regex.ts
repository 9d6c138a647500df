/**
 * Regular-expression methods (spec §23.5). Patterns use Go's RE2 syntax; they are parsed with the
 * reference's rules (same accepted patterns, same error texts) and translated to JavaScript
 * RegExps (see `../regex/`). Constant patterns compile once when the mapping compiles; dynamic
 * ones go through a bounded cache. Iteration and replacement follow Go's rules for empty matches
 * and `$` templates.
 */
import { defineMethod, type MethodDef } from '../registry.js'
import { MappingError, bytesToString, newObject, setKey, stringToBytes, typeError, type Result, type Value, type VObject } from '../../value/index.js'
import { Re2SyntaxError, compileRe2, re2All, re2First, re2ReplaceAll, re2Test, type Re2, type Re2Match } from '../regex/index.js'

const CACHE_LIMIT = 256
const cache = new Map<string, Re2 | string>()

/** Compile (or fetch) a pattern; failures throw the reference's parse error as a MappingError. */
function patternArg(pattern: string): Re2 {
  let hit = cache.get(pattern)
  if (hit === undefined) {
    try {
      hit = compileRe2(pattern)
    } catch (err) {
      if (!(err instanceof Re2SyntaxError)) throw err
      hit = err.message
    }
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string)
    cache.set(pattern, hit)
  }
  if (typeof hit === 'string') throw new MappingError(hit)
  return hit
}

/** Text of a string or bytes target (bytes decoded as UTF-8). */
function textOf(target: Result): string {
  if (typeof target === 'string') return target
  if (target instanceof Uint8Array) return bytesToString(target)
  throw typeError(target, 'string')
}

/** Group keys for object results: the group's name, or its index when unnamed. */
function groupKeys(r: Re2): string[] {
  return r.names.map((n, i) => (n === '' ? String(i) : n))
}

function matchObject(keys: readonly string[], m: Re2Match, asBytes: boolean): VObject {
  const obj = newObject()
  for (let i = 0; i < m.length; i++) {
    const s = m[i] ?? ''
    setKey(obj, keys[i]!, asBytes ? stringToBytes(s) : s)
  }
  return obj
}

const patternParam = [{ name: 'pattern', type: 'string' as const, description: 'An RE2 regular expression.' }]

function regexMethod(name: string, description: string, run: (r: Re2, target: Result) => Value, examples: MethodDef['examples'] = []): MethodDef {
  return defineMethod({
    name,
    params: patternParam,
    description,
    examples,
    ctor: (args) => {
      const r = patternArg(args.string('pattern'))
      return (target) => run(r, target)
    },
  })
}

function replaceMethod(name: string): MethodDef {
  return defineMethod({
    name,
    params: [...patternParam, { name: 'value', type: 'string', description: 'Replacement; `$1`, `${1}`, `$name` and `$$` expand as in Go.' }],
    description: 'Replaces every match of the pattern, expanding Go-style `$` references in the replacement.',
    examples: [{ mapping: 'root = this.s.re_replace_all("(\\\\w+)@(\\\\w+)", "$2 at $1")', input: '{"s":"me@host"}', output: 'host at me' }],
    ctor: (args) => {
      const r = patternArg(args.string('pattern'))
      const template = args.string('value')
      return (target) => re2ReplaceAll(r, textOf(target), template)
    },
  })
}

export const regexMethods: MethodDef[] = [
  regexMethod('re_match', 'Whether the pattern matches anywhere in the string.', (r, t) => re2Test(r, textOf(t)), [
    { mapping: 'root = this.s.re_match("^[a-z]+[0-9]$")', input: '{"s":"abc1"}', output: 'true' },
  ]),
  regexMethod('re_find_all', 'Every non-overlapping match, as an array of strings.', (r, t) => re2All(r, textOf(t)).map((m) => m[0] ?? ''), [
    { mapping: 'root = this.s.re_find_all("[0-9]+")', input: '{"s":"a1b22c333"}', output: '["1","22","333"]' },
  ]),
  regexMethod(
    're_find_all_submatch',
    'Every match with its groups: an array of `[match, group1, ...]` (unmatched groups are empty strings).',
    (r, t) => re2All(r, textOf(t)).map((m) => Array.from(m, (g) => g ?? '')),
    [{ mapping: 'root = this.s.re_find_all_submatch("(\\\\d+)-(\\\\d+)")', input: '{"s":"1-2 30-40"}', output: '[["1-2","1","2"],["30-40","30","40"]]' }],
  ),
  regexMethod(
    're_find_object',
    'The first match as an object: key "0" holds the whole match, named groups their name, others their index. No match gives {}.',
    (r, t) => {
      const m = re2First(r, textOf(t))
      return m === null ? newObject() : matchObject(groupKeys(r), m, t instanceof Uint8Array)
    },
    [{ mapping: 'root = this.s.re_find_object("(?P<user>\\\\w+)@(?P<host>[\\\\w.]+)")', input: '{"s":"bob@ex.com"}', output: '{"0":"bob@ex.com","host":"ex.com","user":"bob"}' }],
  ),
  regexMethod(
    're_find_all_object',
    'Every match as an object keyed like `re_find_object`.',
    (r, t) => {
      const keys = groupKeys(r)
      const asBytes = t instanceof Uint8Array
      return re2All(r, textOf(t)).map((m) => matchObject(keys, m, asBytes))
    },
    [{ mapping: 'root = this.s.re_find_all_object("(?P<k>\\\\w)=(?P<v>\\\\d)")', input: '{"s":"a=1 b=2"}', output: '[{"0":"a=1","k":"a","v":"1"},{"0":"b=2","k":"b","v":"2"}]' }],
  ),
  replaceMethod('re_replace_all'),
  replaceMethod('re_replace'),
]
