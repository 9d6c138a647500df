/**
 * String methods (spec §23.4, except `length`, `slice`, `contains` and `index`, which the core
 * owns for every kind). Each follows the reference's Go implementation: byte offsets where Go
 * counts bytes, Go's simple case mapping and title casing, `strconv` quoting, `fmt` verbs,
 * `net/url` and `html` escaping, Unix `path/filepath` rules and RFC 4122 name-based UUIDs (the
 * ports live in `../text/`, `../fmt/` and `../encoding/`). Whether a bytes target gives bytes
 * back is per method, as in the reference.
 */
import { defineMethod, type MethodDef } from '../registry.js'
import { MappingError, Timestamp, formatRfc3339Nano, getString, stringToBytes, typeError, type Result, type Value } from '../../value/index.js'
import { UrlError, escapeUrl, unescapeUrl, type UrlMode } from '../encoding/go-url-escape.js'
import { goSprintf } from '../fmt/index.js'
import { bytesEqualAt, concatBytes, indexOfBytes } from '../text/bytes.js'
import { joinPath } from '../text/filepath.js'
import { escapeHtml, unescapeHtml } from '../text/html-escape.js'
import { replaceBytes, replaceString, splitBytes, splitString } from '../text/split-replace.js'
import { goQuote, goQuoteBytes } from '../../value/text/strconv-quote.js'
import { goUnquote } from '../text/strconv-unquote.js'
import { goTitle } from '../text/title-case.js'
import { cutsetPredicate, isSpaceCp, trimBytes, trimString } from '../text/trim.js'
import { goLower, goUpper } from '../text/unicode-case.js'
import { uuidNamespace, uuidV5 } from '../text/uuid.js'
import { goDecode, utf8Length } from '../../value/text/utf8.js'

// JavaScript strings cannot be longer than this (V8); the reference would fail to allocate.
const MAX_STRING = 0x1fffffe8

/** The reference's `IGetString` (strings, bytes, timestamps) with Go's view of invalid bytes. */
function stringMethodText(target: Result): string {
  if (target instanceof Uint8Array) return goDecode(target)
  return getString(target)
}

/** The reference's `IGetBytes`. */
function stringMethodBytes(target: Result): Uint8Array {
  if (target instanceof Uint8Array) return target
  if (target instanceof Timestamp) return stringToBytes(formatRfc3339Nano(target))
  if (typeof target === 'string') return stringToBytes(target)
  throw typeError(target, 'string')
}

/** Go `url.QueryUnescape` / `url.PathUnescape` as text. */
function unescapeUrlText(b: Uint8Array, mode: UrlMode): string {
  try {
    return goDecode(unescapeUrl(b, mode))
  } catch (err) {
    if (err instanceof UrlError) throw new MappingError(err.message)
    throw err
  }
}

function strOrBytes(target: Result, onString: (s: string) => Value, onBytes: (b: Uint8Array) => Value): Value {
  if (typeof target === 'string') return onString(target)
  if (target instanceof Uint8Array) return onBytes(target)
  throw typeError(target, 'string')
}

/** Methods over the reference's `IGetString` text (strings, bytes, timestamps) returning a string. */
function textMethod(name: string, description: string, fn: (s: string) => Value, examples: MethodDef['examples'] = []): MethodDef {
  return defineMethod({ name, params: [], description, examples, ctor: () => (target) => fn(stringMethodText(target)) })
}

function bytesTextMethod(name: string, description: string, fn: (b: Uint8Array) => Value, examples: MethodDef['examples'] = []): MethodDef {
  return defineMethod({ name, params: [], description, examples, ctor: () => (target) => fn(stringMethodBytes(target)) })
}

function replaceAllMethod(name: string): MethodDef {
  return defineMethod({
    name,
    params: [
      { name: 'old', type: 'string', description: 'Text to find.' },
      { name: 'new', type: 'string', description: 'Replacement text.' },
    ],
    description: 'Replaces every occurrence of `old` with `new`.',
    examples: [{ mapping: 'root = this.s.replace_all("o", "0")', input: '{"s":"foo boo"}', output: 'f00 b00' }],
    ctor: (args) => {
      const old = args.string('old')
      const rep = args.string('new')
      const oldB = stringToBytes(old)
      const repB = stringToBytes(rep)
      return (target) => strOrBytes(target, (s) => replaceString(s, old, rep), (b) => replaceBytes(b, oldB, repB))
    },
  })
}

function replaceManyMethod(name: string): MethodDef {
  return defineMethod({
    name,
    params: [{ name: 'values', type: 'array', description: 'Pairs `[old1, new1, old2, new2, ...]`, applied in order.' }],
    description: 'Applies several replacements in sequence.',
    examples: [{ mapping: 'root = this.s.replace_all_many(["<", "&lt;", ">", "&gt;"])', input: '{"s":"<b>"}', output: '&lt;b&gt;' }],
    ctor: (args) => {
      const items = args.array('values')
      if (items.length % 2 !== 0) {
        throw new MappingError(`invalid arg, replacements should be in pairs and must therefore be even: ${goSprintf('%v', [items])}`)
      }
      const pairs: [string, string][] = []
      for (let i = 0; i < items.length; i += 2) {
        const text = (k: number): string => {
          try {
            return stringMethodText(items[k]!)
          } catch (err) {
            throw new MappingError(`invalid replacement value at index ${k}: ${err instanceof Error ? err.message : String(err)}`)
          }
        }
        pairs.push([text(i), text(i + 1)])
      }
      const bytePairs = pairs.map(([a, b]) => [stringToBytes(a), stringToBytes(b)] as const)
      return (target) =>
        strOrBytes(
          target,
          (s) => pairs.reduce((acc, [a, b]) => replaceString(acc, a, b), s),
          (b) => bytePairs.reduce((acc, [x, y]) => replaceBytes(acc, x, y), b),
        )
    },
  })
}

export const stringMethods: MethodDef[] = [
  defineMethod({
    name: 'uppercase',
    params: [],
    description: 'Upper-cases every letter (simple Unicode case mapping, character by character).',
    examples: [{ mapping: 'root = this.s.uppercase()', input: '{"s":"héllo"}', output: 'HÉLLO' }],
    ctor: () => (target) => strOrBytes(target, goUpper, (b) => stringToBytes(goUpper(goDecode(b)))),
  }),
  defineMethod({
    name: 'lowercase',
    params: [],
    description: 'Lower-cases every letter (simple Unicode case mapping, character by character).',
    examples: [{ mapping: 'root = this.s.lowercase()', input: '{"s":"HÉLLO"}', output: 'héllo' }],
    ctor: () => (target) => strOrBytes(target, goLower, (b) => stringToBytes(goLower(goDecode(b)))),
  }),
  defineMethod({
    name: 'capitalize',
    params: [],
    description: 'Title-cases each word: first letter upper (title) case, the rest lower case.',
    examples: [{ mapping: 'root = this.s.capitalize()', input: '{"s":"hello big WORLD"}', output: 'Hello Big World' }],
    ctor: () => (target) => strOrBytes(target, goTitle, (b) => stringToBytes(goTitle(goDecode(b)))),
  }),
  defineMethod({
    name: 'trim',
    params: [{ name: 'cutset', type: 'string', optional: true, description: 'Characters to strip instead of white space.' }],
    description: 'Strips white space, or any of the cutset characters, from both ends.',
    examples: [{ mapping: 'root = this.s.trim("-*")', input: '{"s":"--*x*--"}', output: 'x' }],
    ctor: (args) => {
      const cutset = args.optString('cutset')
      const drop = cutset === undefined ? isSpaceCp : cutsetPredicate(cutset)
      return (target) => strOrBytes(target, (s) => trimString(s, drop), (b) => trimBytes(b, drop))
    },
  }),
  defineMethod({
    name: 'trim_prefix',
    params: [{ name: 'prefix', type: 'string', description: 'Leading text to remove.' }],
    description: 'Removes the prefix once, if present.',
    examples: [{ mapping: 'root = this.s.trim_prefix("id_")', input: '{"s":"id_42"}', output: '42' }],
    ctor: (args) => {
      const prefix = args.string('prefix')
      const pb = stringToBytes(prefix)
      return (target) =>
        strOrBytes(
          target,
          (s) => (s.startsWith(prefix) ? s.slice(prefix.length) : s),
          (b) => (bytesEqualAt(b, pb, 0) ? b.subarray(pb.length) : b),
        )
    },
  }),
  defineMethod({
    name: 'trim_suffix',
    params: [{ name: 'suffix', type: 'string', description: 'Trailing text to remove.' }],
    description: 'Removes the suffix once, if present.',
    examples: [{ mapping: 'root = this.s.trim_suffix(".json")', input: '{"s":"f.json"}', output: 'f' }],
    ctor: (args) => {
      const suffix = args.string('suffix')
      const sb = stringToBytes(suffix)
      return (target) =>
        strOrBytes(
          target,
          (s) => (s.endsWith(suffix) ? s.slice(0, s.length - suffix.length) : s),
          (b) => (bytesEqualAt(b, sb, b.length - sb.length) ? b.subarray(0, b.length - sb.length) : b),
        )
    },
  }),
  defineMethod({
    name: 'has_prefix',
    params: [{ name: 'value', type: 'string', description: 'The prefix to test.' }],
    description: 'Whether the string starts with the value.',
    examples: [{ mapping: 'root = this.s.has_prefix("ab")', input: '{"s":"abc"}', output: 'true' }],
    ctor: (args) => {
      const prefix = args.string('value')
      const pb = stringToBytes(prefix)
      return (target) => strOrBytes(target, (s) => s.startsWith(prefix), (b) => bytesEqualAt(b, pb, 0))
    },
  }),
  defineMethod({
    name: 'has_suffix',
    params: [{ name: 'value', type: 'string', description: 'The suffix to test.' }],
    description: 'Whether the string ends with the value.',
    examples: [{ mapping: 'root = this.s.has_suffix("yz")', input: '{"s":"xyz"}', output: 'true' }],
    ctor: (args) => {
      const suffix = args.string('value')
      const sb = stringToBytes(suffix)
      return (target) => strOrBytes(target, (s) => s.endsWith(suffix), (b) => bytesEqualAt(b, sb, b.length - sb.length))
    },
  }),
  defineMethod({
    name: 'index_of',
    params: [{ name: 'value', type: 'string', description: 'Text to search for.' }],
    description: 'Byte offset of the first occurrence of the value, or -1.',
    examples: [{ mapping: 'root = this.s.index_of("bar")', input: '{"s":"foobar"}', output: '3' }],
    ctor: (args) => {
      const sub = args.string('value')
      const sb = stringToBytes(sub)
      return (target) =>
        strOrBytes(
          target,
          (s) => {
            const at = s.indexOf(sub)
            return at <= 0 ? at : utf8Length(s.slice(0, at))
          },
          (b) => indexOfBytes(b, sb),
        )
    },
  }),
  defineMethod({
    name: 'split',
    params: [
      { name: 'delimiter', type: 'string', description: 'Separator; "" splits into characters.' },
      { name: 'empty_as_null', type: 'bool', default: false, description: 'Give empty pieces as null.' },
    ],
    description: 'Splits into an array of pieces (bytes pieces for a bytes target).',
    examples: [{ mapping: 'root = this.s.split(",", true)', input: '{"s":"a,,b"}', output: '["a",null,"b"]' }],
    ctor: (args) => {
      const delim = args.string('delimiter')
      const db = stringToBytes(delim)
      const emptyAsNull = args.bool('empty_as_null')
      return (target) =>
        strOrBytes(
          target,
          (s) => splitString(s, delim).map((p) => (emptyAsNull && p === '' ? null : p)),
          (b) => splitBytes(b, db).map((p) => (emptyAsNull && p.length === 0 ? null : p)),
        )
    },
  }),
  defineMethod({
    name: 'join',
    params: [{ name: 'delimiter', type: 'string', optional: true, description: 'Text placed between elements.' }],
    description: 'Joins an array of strings (or bytes) into one string.',
    examples: [{ mapping: 'root = this.xs.join("|")', input: '{"xs":["a","b"]}', output: 'a|b' }],
    ctor: (args) => {
      const delim = args.optString('delimiter') ?? ''
      return (target) => {
        if (!Array.isArray(target)) throw typeError(target, 'array')
        let anyBytes = false
        target.forEach((e, i) => {
          if (e instanceof Uint8Array) anyBytes = true
          else if (typeof e !== 'string') throw new MappingError(`failed to join element ${i}: ${typeError(e, 'string').message}`)
        })
        if (!anyBytes) return (target as string[]).join(delim)
        // Join at the byte level so characters split across bytes elements survive.
        const db = stringToBytes(delim)
        const parts: Uint8Array[] = []
        target.forEach((e, i) => {
          if (i > 0) parts.push(db)
          parts.push(typeof e === 'string' ? stringToBytes(e) : (e as Uint8Array))
        })
        return goDecode(concatBytes(parts))
      }
    },
  }),
  replaceAllMethod('replace_all'),
  replaceAllMethod('replace'),
  replaceManyMethod('replace_all_many'),
  replaceManyMethod('replace_many'),
  defineMethod({
    name: 'format',
    params: [],
    variadic: true,
    description: 'Uses the string as a Go fmt format (`%v %s %d %f %q %x %%` ...) applied to the arguments.',
    examples: [{ mapping: 'root = "%s is %v years".format(this.name, this.age)', input: '{"name":"Kim","age":33}', output: 'Kim is 33 years' }],
    ctor: (args) => {
      const rest = args.rest
      return (target) => goSprintf(stringMethodText(target), rest)
    },
  }),
  defineMethod({
    name: 'repeat',
    params: [{ name: 'count', type: 'int', description: 'Number of copies (0 or more).' }],
    description: 'Repeats the string.',
    examples: [{ mapping: 'root = this.s.repeat(3)', input: '{"s":"ab"}', output: 'ababab' }],
    ctor: (args) => {
      const count = args.int64('count')
      if (count < 0) throw new MappingError(`invalid count, must be greater than or equal to zero: ${count}`)
      const n = Number(count)
      const check = (len: number): void => {
        if (len * n > MAX_STRING) throw new MappingError(`invalid count, would overflow: ${len}*${count}`)
      }
      return (target) =>
        strOrBytes(
          target,
          (s) => {
            check(s.length)
            return s.repeat(n)
          },
          (b) => {
            check(b.length)
            return b.length === 0 ? b : concatBytes(Array.from({ length: n }, () => b))
          },
        )
    },
  }),
  defineMethod({
    name: 'reverse',
    params: [],
    description: 'Reverses the characters of a string (the bytes of a bytes value).',
    examples: [{ mapping: 'root = this.s.reverse()', input: '{"s":"abc"}', output: 'cba' }],
    ctor: () => (target) =>
      strOrBytes(
        target,
        (s) => Array.from(s).reverse().join(''),
        (b) => Uint8Array.from(b).reverse(),
      ),
  }),
  bytesTextMethod('quote', 'Quotes the string as a Go string literal.', (b) => goQuoteBytes(b), [
    { mapping: 'root = this.s.quote()', input: '{"s":"a\\"b"}', output: '"a\\"b"' },
  ]),
  bytesTextMethod('unquote', 'Interprets a quoted Go string literal ("...", `...` or \'x\').', (b) => goDecode(goUnquote(b)), [
    { mapping: 'root = this.s.unquote()', input: '{"s":"\\"x\\\\ty\\""}', output: 'x\ty' },
  ]),
  textMethod('escape_html', 'Escapes < > & \' " as HTML entities.', escapeHtml, [
    { mapping: 'root = this.s.escape_html()', input: '{"s":"<a>&"}', output: '&lt;a&gt;&amp;' },
  ]),
  textMethod('unescape_html', 'Replaces HTML character references with the characters.', unescapeHtml, [
    { mapping: 'root = this.s.unescape_html()', input: '{"s":"a &lt; b &amp;&amp; c"}', output: 'a < b && c' },
  ]),
  bytesTextMethod('escape_url_query', 'Escapes for a URL query component (space becomes +).', (b) => escapeUrl(b, 'queryComponent'), [
    { mapping: 'root = this.s.escape_url_query()', input: '{"s":"a b&c"}', output: 'a+b%26c' },
  ]),
  bytesTextMethod('unescape_url_query', 'Reverses query escaping (+ becomes a space).', (b) => unescapeUrlText(b, 'queryComponent'), [
    { mapping: 'root = this.s.unescape_url_query()', input: '{"s":"a%20b+c"}', output: 'a b c' },
  ]),
  bytesTextMethod('escape_url_path', 'Escapes for a URL path segment (space becomes %20).', (b) => escapeUrl(b, 'pathSegment'), [
    { mapping: 'root = this.s.escape_url_path()', input: '{"s":"a b&c"}', output: 'a%20b&c' },
  ]),
  bytesTextMethod('unescape_url_path', 'Reverses path-segment escaping.', (b) => unescapeUrlText(b, 'pathSegment'), [
    { mapping: 'root = this.s.unescape_url_path()', input: '{"s":"a%20b+c"}', output: 'a b+c' },
  ]),
  defineMethod({
    name: 'filepath_join',
    params: [],
    description: 'Joins an array of path elements with "/" and cleans the result.',
    examples: [{ mapping: 'root = this.p.filepath_join()', input: '{"p":["/foo/","bar.txt"]}', output: '/foo/bar.txt' }],
    ctor: () => (target) => {
      if (!Array.isArray(target)) throw typeError(target, 'array')
      const parts = target.map((e, i) => {
        try {
          return stringMethodText(e)
        } catch (err) {
          throw new MappingError(`path element ${i}: ${err instanceof Error ? err.message : String(err)}`)
        }
      })
      return joinPath(parts)
    },
  }),
  textMethod(
    'filepath_split',
    'Splits a path after its last "/" into [directory, file].',
    (s) => {
      const i = s.lastIndexOf('/')
      return [s.slice(0, i + 1), s.slice(i + 1)]
    },
    [{ mapping: 'root = this.p.filepath_split()', input: '{"p":"/foo/bar.txt"}', output: '["/foo/","bar.txt"]' }],
  ),
  defineMethod({
    name: 'uuid_v5',
    params: [{ name: 'ns', type: 'string', optional: true, description: 'Namespace: dns, url, oid, x500 or a UUID; the nil UUID when omitted.' }],
    description: 'Name-based (SHA-1) UUID of the string; null stays null.',
    examples: [{ mapping: 'root = this.s.uuid_v5("dns")', input: '{"s":"hello world"}', output: '823a2f73-a936-56c3-b8b4-03641bd74f35' }],
    ctor: (args) => {
      const ns = args.optString('ns')
      return (target) => {
        if (target === null) return null
        let nsBytes: Uint8Array = new Uint8Array(16)
        if (ns !== undefined) {
          const parsed = uuidNamespace(ns)
          if (parsed === undefined) throw new MappingError(`invalid ns uuid: ${goQuote(ns)}`)
          nsBytes = parsed
        }
        return strOrBytes(
          target,
          (s) => uuidV5(nsBytes, stringToBytes(s)),
          (b) => uuidV5(nsBytes, b),
        )
      }
    },
  }),
]
