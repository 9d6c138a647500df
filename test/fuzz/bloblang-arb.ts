/**
 * A grammar-based arbitrary for Bloblang mappings (spec/bloblang.md §3-§17): literals, paths,
 * metadata and variables, operators, `if`/`match` expressions, lambdas, and calls of every method
 * and function in the real registry with arguments shaped by their parameter types (sometimes the
 * wrong type, sometimes a dynamic expression). Programs are mostly well-formed so the fuzz reaches
 * the runtime; `mangled` adds near-miss syntax for the parser.
 */
import fc from 'fast-check'
import { mangle } from './settings.js'
import { builtinRegistry } from '../../src/bloblang/index.js'
import type { ParamDef } from '../../src/bloblang/registry.js'

/** Functions left out: they read files (the fuzz must not touch the filesystem). */
const SKIPPED_FUNCTIONS = new Set(['file', 'file_rel'])

const registry = builtinRegistry()
const methods = registry.methodNames().map((n) => registry.method(n)!)
const functions = registry.functionNames().filter((n) => !SKIPPED_FUNCTIONS.has(n)).map((n) => registry.fn(n)!)

const FIELD_NAMES = ['a', 'b', 'id', 'name', 'xs', 'nested', '0', '1', 'value', 'key']
const VAR_NAMES = ['x', 'y', 'acc']
const META_KEYS = ['k', 'topic', 'n', 'empty']

const quote = (s: string): string => JSON.stringify(s)

const int = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: -3, max: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 0, 255, 1024, 65536, 2147483647, -2147483648, '9223372036854775807', '-9223372036854775808', '9007199254740993') },
).map(String)

const float = fc.tuple(fc.integer({ min: -100, max: 100 }), fc.nat({ max: 999 })).map(([a, b]) => `${a}.${b}`)

/** Strings that mean something to some method: formats, patterns, encodings, paths, JSON. */
const MEANINGFUL = [
  '', 'a', 'a.b', 'a.b.0', 'xs', '2006-01-02', '2006-01-02T15:04:05Z07:00', '%Y-%m-%d', 'RFC3339', 'UTC', 'Europe/Paris', 'unix',
  '\\d+', '(a|b)*c', '[', '(?i)x', '^$', 'json', 'yaml', 'base64', 'base64url', 'hex', 'ascii85', 'z85', 'sha256', 'md5', 'crc32', 'xxhash64',
  'gzip', 'zlib', 'snappy', 'lz4', '{"a":1}', '[1,2]', 'not json', '2020-01-01T00:00:00Z', '1h', '-5m', '%v', '%s-%d', ',', ' ', 'é', '\u0000',
]
const stringLit = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...MEANINGFUL).map(quote) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }).map(quote) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8, unit: 'binary' }).map(quote) },
  { weight: 1, arbitrary: fc.constantFrom('"\\x00\\xff"', '"\\u00e9\\U0001F600"', '"\\101\\n\\t"', '"""raw\nline"""') },
)

const literal = fc.oneof(int, float, stringLit, fc.constantFrom('true', 'false', 'null'))

const path = fc.oneof(
  fc.constantFrom('this', 'root', '@', 'content()', 'json()', 'meta()', 'metadata()', 'batch_index()', 'deleted()', 'nothing()', 'error()', 'errored()'),
  fc
    .tuple(fc.constantFrom('this', 'root', '', '$x', '$y', '@k'), fc.array(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.constantFrom('"with space"', '"a.b"', '"~"')), { minLength: 1, maxLength: 3 }))
    .map(([head, segs]) => (head === '' ? segs.join('.').replace(/^"/, 'this."') : `${head}.${segs.join('.')}`)),
  fc.constantFrom(...VAR_NAMES).map((v) => `$${v}`),
  fc.constantFrom(...META_KEYS).map((k) => `@${k}`),
)

const BINARY = ['+', '-', '*', '/', '%', '|', '==', '!=', '>', '>=', '<', '<=', '&&', '||']

function argFor(p: ParamDef, expr: fc.Arbitrary<string>, lambdaBody: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const right = ((): fc.Arbitrary<string> => {
    switch (p.type) {
      case 'string':
        return stringLit
      case 'int':
        return int
      case 'float':
        return fc.oneof(float, int)
      case 'bool':
        return fc.constantFrom('true', 'false')
      case 'timestamp':
        return fc.oneof(fc.constantFrom('"2020-01-01T00:00:00Z"', '"2024-02-29T23:59:59.999999999+01:00"'), int)
      case 'array':
        return fc.array(literal, { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`)
      case 'object':
        return fc.dictionary(fc.constantFrom(...FIELD_NAMES), literal, { maxKeys: 3 }).map((o) => `{${Object.entries(o).map(([k, v]) => `${quote(k)}: ${v}`).join(', ')}}`)
      case 'query':
        return fc.oneof(lambdaBody, fc.tuple(fc.constantFrom('v', 'el', '_'), lambdaBody).map(([n, b]) => `${n} -> ${b}`))
      case 'any':
        return expr
    }
  })()
  // Now and then a wrong type or a dynamic argument: checked at compile time or at run time.
  return fc.oneof({ weight: 8, arbitrary: right }, { weight: 1, arbitrary: literal }, { weight: 1, arbitrary: expr })
}

function callArgs(params: readonly ParamDef[], variadic: boolean | undefined, expr: fc.Arbitrary<string>, lambdaBody: fc.Arbitrary<string>): fc.Arbitrary<string> {
  if (variadic) return fc.array(expr, { maxLength: 3 }).map((xs) => xs.join(', '))
  if (params.length === 0) return fc.oneof({ weight: 9, arbitrary: fc.constant('') }, { weight: 1, arbitrary: literal })
  const required = params.filter((p) => p.default === undefined && !p.optional).length
  return fc
    .tuple(fc.integer({ min: required, max: params.length }), fc.tuple(...params.map((p) => argFor(p, expr, lambdaBody))), fc.nat({ max: 9 }))
    .map(([n, args, style]) => {
      const used = args.slice(0, n)
      if (style === 0) return used.map((a, i) => `${params[i]!.name}: ${a}`).join(', ')
      if (style === 1 && used.length > 0) return used.slice(0, -1).join(', ') // a missing argument
      return used.join(', ')
    })
}

const { expr } = fc.letrec<{ expr: string; term: string }>((tie) => {
  const e = tie('expr')
  const t = tie('term')
  const methodCall = fc.constantFrom(...methods).chain((m) => fc.tuple(t, callArgs(m.params, m.variadic, e, e)).map(([target, args]) => `${target}.${m.name}(${args})`))
  const functionCall = fc.constantFrom(...functions).chain((f) => callArgs(f.params, f.variadic, e, e).map((args) => `${f.name}(${args})`))
  return {
    term: fc.oneof(
      { depthSize: 'xsmall', withCrossShrink: true },
      { weight: 4, arbitrary: literal },
      { weight: 4, arbitrary: path },
      { weight: 1, arbitrary: fc.array(e, { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`) },
      { weight: 1, arbitrary: fc.array(fc.tuple(fc.oneof(stringLit, path), e), { maxLength: 3 }).map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(', ')}}`) },
      { weight: 1, arbitrary: e.map((x) => `(${x})`) },
      { weight: 3, arbitrary: methodCall },
      { weight: 2, arbitrary: functionCall },
      { weight: 1, arbitrary: fc.tuple(t, e).map(([x, y]) => `${x}.(${y})`) },
      { weight: 1, arbitrary: fc.tuple(t, fc.constantFrom('v', 'el'), e).map(([x, n, y]) => `${x}.(${n} -> ${y})`) },
      { weight: 1, arbitrary: fc.tuple(e, e, fc.option(e)).map(([c, a, b]) => (b === null ? `if ${c} { ${a} }` : `if ${c} { ${a} } else { ${b} }`)) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.option(e), fc.array(fc.tuple(fc.oneof(literal, e), e), { minLength: 1, maxLength: 3 }), fc.option(e))
          .map(([subject, cases, dflt]) => `match ${subject ?? ''} {\n${cases.map(([c, r]) => `  ${c} => ${r}`).join('\n')}${dflt === null ? '' : `\n  _ => ${dflt}`}\n}`),
      },
      { weight: 1, arbitrary: fc.tuple(t, e).map(([x, y]) => `${x}.catch(${y})`) },
    ),
    expr: fc.oneof(
      { depthSize: 'xsmall', withCrossShrink: true },
      { weight: 5, arbitrary: t },
      { weight: 2, arbitrary: fc.tuple(e, fc.constantFrom(...BINARY), e).map(([a, op, b]) => `${a} ${op} ${b}`) },
      { weight: 1, arbitrary: t.map((x) => `!${x}`) },
      { weight: 1, arbitrary: t.map((x) => `-${x}`) },
    ),
  }
})

const target = fc.oneof(
  fc.constant('root'),
  fc.array(fc.constantFrom(...FIELD_NAMES), { minLength: 1, maxLength: 3 }).map((segs) => `root.${segs.join('.')}`),
  fc.constantFrom(...FIELD_NAMES),
)

const stmt: fc.Arbitrary<string> = fc.letrec<{ stmt: string }>((tie) => ({
  stmt: fc.oneof(
    { depthSize: 'xsmall', withCrossShrink: true },
    { weight: 6, arbitrary: fc.tuple(target, expr).map(([t, e]) => `${t} = ${e}`) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...META_KEYS, '"odd key"', ''), expr).map(([k, e]) => (k === '' ? `meta = ${e}` : `meta ${k} = ${e}`)) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...VAR_NAMES), expr).map(([v, e]) => `let ${v} = ${e}`) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(expr, fc.array(tie('stmt'), { minLength: 1, maxLength: 2 }), fc.option(fc.array(tie('stmt'), { minLength: 1, maxLength: 2 })))
        .map(([c, a, b]) => `if ${c} {\n${a.join('\n')}\n}${b === null ? '' : ` else {\n${b.join('\n')}\n}`}`),
    },
  ),
})).stmt

/** A named map and a call of it (possibly recursive, possibly of a map that does not exist). */
const namedMap = fc
  .tuple(fc.array(stmt, { minLength: 1, maxLength: 2 }), fc.constantFrom('"m"', '"m"', '"missing"'), expr)
  .map(([body, name, on]) => [`map m {\n${body.filter((s) => !s.startsWith('meta')).join('\n') || 'root = this'}\n}`, `root.applied = ${on}.apply(${name})`])

/** Well-formed-looking mappings: statements, a shorthand expression, or maps with `apply`. */
export const mapping: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.array(stmt, { minLength: 1, maxLength: 5 }).map((s) => s.join('\n')) },
  { weight: 2, arbitrary: expr },
  { weight: 1, arbitrary: fc.tuple(namedMap, fc.array(stmt, { maxLength: 2 })).map(([[m, call], rest]) => [m, ...rest, call].join('\n')) },
)

/** Near-miss syntax: a well-formed mapping with characters cut, doubled or swapped in. */
export const mangled: fc.Arbitrary<string> = mangle(mapping, ['(', ')', '{', '}', '"', '.', ' ', '\n', '=', '#', '->', '=>', '$', '@', '|', '\\'])

/** Random message contents: JSON documents, text, bytes that are not UTF-8. */
export const content: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: fc.dictionary(fc.constantFrom(...FIELD_NAMES), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }).map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 20 }) },
)

export const metadata: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(fc.constantFrom(...META_KEYS), fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant('')), { maxKeys: 3 })
