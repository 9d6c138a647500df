/**
 * Encoding, parsing and formatting methods (spec §23.8): encode/decode, hash, encrypt_aes /
 * decrypt_aes, parse_json / format_json, parse_yaml / format_yaml, parse_csv, parse_url,
 * parse_logfmt, parse_form_url_encoded, compress / decompress. The algorithms live in
 * `../encoding/`; this file maps Bloblang arguments and targets onto them.
 */
import { crypto } from '../../util/lazy-builtins.js'
import { defineMethod, type Args, type MethodDef, type MethodImpl, type ParamDef } from '../registry.js'
import {
  JsonSyntaxError,
  MappingError,
  asBytesValue,
  bytesToString,
  getBytes,
  getString,
  parseJson,
  setKey,
  stringToBytes,
  toJson,
  typeError,
  typeName,
  type Result,
  type Value,
  type VObject,
} from '../../value/index.js'
import {
  ascii85Decode,
  ascii85Encode,
  base64Decode,
  base64Encode,
  hexDecode,
  hexEncode,
  z85Decode,
  z85Encode,
} from '../encoding/codecs.js'
import { crc32, fnv32, isCrc32Polynomial, xxhash64 } from '../encoding/checksums.js'
import { aesCipher } from '../encoding/aes.js'
import { formatYaml } from '../encoding/yaml-emit.js'
import { parseYaml } from '../encoding/yaml-parse.js'
import { readCsv } from '../encoding/csv.js'
import { parseGoQuery, parseGoUrl } from '../encoding/go-url.js'
import { parseLogfmt } from '../encoding/logfmt.js'
import { compressor, decompressor } from '../encoding/compression.js'

/** Raw bytes of a string or bytes target (the reference's `[]byte(t)` switch). */
function rawTarget(target: Result): Uint8Array {
  if (typeof target === 'string') return stringToBytes(target)
  if (target instanceof Uint8Array) return target
  throw typeError(target, 'string')
}

/** Text of a string or bytes target. */
function textTarget(target: Result): string {
  if (typeof target === 'string') return target
  if (target instanceof Uint8Array) return bytesToString(target)
  throw typeError(target, 'string')
}

/**
 * A string-typed argument as raw bytes. Declared as 'any' so bytes (an AES key from
 * `decode("hex")`) are not pushed through UTF-8 text, which would corrupt them.
 */
function rawArg(v: Value | undefined, param: string): Uint8Array {
  if (typeof v === 'string') return stringToBytes(v)
  if (v instanceof Uint8Array) return v
  throw new MappingError(`wrong argument type for ${param}, expected string, got ${typeName(v ?? null)}`)
}

/** Turns an algorithm failure into a mapping error with the same text. */
function guard<T>(fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    if (e instanceof MappingError) throw e
    throw new MappingError(e instanceof Error ? e.message : String(e))
  }
}

const ENCODERS: Readonly<Record<string, (b: Uint8Array) => string>> = {
  base64: (b) => base64Encode(b, 'std'),
  base64url: (b) => base64Encode(b, 'url'),
  base64rawurl: (b) => base64Encode(b, 'rawurl'),
  hex: hexEncode,
  ascii85: ascii85Encode,
  z85: z85Encode,
}

const DECODERS: Readonly<Record<string, (b: Uint8Array) => Uint8Array>> = {
  base64: (b) => base64Decode(b, 'std'),
  base64url: (b) => base64Decode(b, 'url'),
  base64rawurl: (b) => base64Decode(b, 'rawurl'),
  hex: hexDecode,
  ascii85: ascii85Decode,
  z85: z85Decode,
}

function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined
}

const HMAC_ALGOS: Readonly<Record<string, string>> = {
  hmac_sha1: 'sha1', 'hmac-sha1': 'sha1',
  hmac_sha256: 'sha256', 'hmac-sha256': 'sha256',
  hmac_sha512: 'sha512', 'hmac-sha512': 'sha512',
}
const DIGESTS: Readonly<Record<string, string>> = {
  md5: 'md5', sha1: 'sha1', sha256: 'sha256', sha512: 'sha512', sha3_256: 'sha3-256', sha3_512: 'sha3-512',
}

function hashFn(algorithm: string, key: Uint8Array | undefined, polynomial: string): (b: Uint8Array) => Uint8Array {
  const hmac = lookup(HMAC_ALGOS, algorithm)
  if (hmac !== undefined) {
    if (key === undefined || key.length === 0) throw new MappingError(`hash algorithm ${algorithm} requires a key argument`)
    return (b) => asBytesValue(crypto().createHmac(hmac, key).update(b).digest())
  }
  const digest = lookup(DIGESTS, algorithm)
  if (digest !== undefined) return (b) => asBytesValue(crypto().createHash(digest).update(b).digest())
  switch (algorithm) {
    case 'xxhash64':
      return (b) => stringToBytes(xxhash64(b).toString())
    case 'fnv32':
      return (b) => stringToBytes(String(fnv32(b)))
    case 'crc32':
      return (b) => {
        // The reference only checks the polynomial when hashing.
        if (!isCrc32Polynomial(polynomial)) throw new MappingError(`unsupported crc32 hash key ${JSON.stringify(polynomial)}`)
        return crc32(b, polynomial)
      }
  }
  throw new MappingError(`unrecognized hash type: ${algorithm}`)
}

/** Go's json.Decoder reads the first value and ignores whatever follows it. */
function parseFirstJson(text: string, useNumber: boolean): Value {
  const mode = useNumber ? 'preserve' : 'float'
  try {
    return parseJson(text, mode)
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e
    if (e.message.endsWith('after top-level value')) return parseJson(text.slice(0, e.offset), mode)
    if (e.message === 'unexpected end of JSON input') {
      throw new MappingError(`failed to parse value as JSON: ${text.trim() === '' ? 'EOF' : 'unexpected EOF'}`)
    }
    throw new MappingError(`failed to parse value as JSON: ${e.message}`)
  }
}

function formatJson(v: Result, indent: string, noIndent: boolean, escapeHtml: boolean): string {
  if (noIndent) return toJson(v, { escapeHtml })
  // Go still breaks lines for an empty indent; JSON text never holds a raw tab, so indenting
  // with tabs and deleting them gives exactly that layout.
  if (indent === '') return toJson(v, { escapeHtml, indent: '\t' }).replace(/\t/g, '')
  return toJson(v, { escapeHtml, indent })
}

function valuesToObject(values: Map<string, string[]>): VObject {
  const out: VObject = {}
  for (const [k, list] of values) setKey(out, k, list.length === 1 ? list[0]! : [...list])
  return out
}

function csvRecords(target: Result, parseHeaderRow: boolean, delimiter: string, lazyQuotes: boolean): Value {
  if ([...delimiter].length !== 1) throw new MappingError('delimiter value must be exactly one character')
  const records = guard(() => readCsv(rawTarget(target), delimiter, lazyQuotes))
  if (records.length === 0) throw new MappingError('zero records were parsed')
  if (!parseHeaderRow) return records
  const headers = records[0]!
  if (headers.length === 0) throw new MappingError('no headers found on first row')
  return records.slice(1).map((rec, j) => {
    if (rec.length !== headers.length) throw new MappingError(`record on line ${j}: record mismatch with headers`)
    const obj: VObject = {}
    rec.forEach((field, i) => setKey(obj, headers[i]!, field))
    return obj
  })
}

/** `encode` / `decode`: the scheme picks the codec when the mapping compiles. */
const codecCtor = (table: Readonly<Record<string, (b: Uint8Array) => Value>>) => (args: Args): MethodImpl => {
  const scheme = args.string('scheme')
  const fn = lookup(table, scheme)
  if (fn === undefined) throw new MappingError(`unrecognized encoding type: ${scheme}`)
  return (target) => guard(() => fn(rawTarget(target)))
}

const AES_PARAMS: ParamDef[] = [
  { name: 'scheme', type: 'string', description: 'One of ctr, gcm, ofb, cbc.' },
  { name: 'key', type: 'any', description: 'The key (16, 24 or 32 bytes).' },
  { name: 'iv', type: 'any', description: 'The initialisation vector (16 bytes) or GCM nonce (12 bytes).' },
]

const aesCtor = (direction: 'encryption' | 'decryption') => (args: Args): MethodImpl => {
  const scheme = args.string('scheme')
  const cipher = guard(() => aesCipher(scheme, rawArg(args.value('key'), 'key'), rawArg(args.value('iv'), 'iv'), direction))
  return (target) => {
    const data = rawTarget(target)
    return guard(() => (direction === 'encryption' ? cipher.encrypt(data) : cipher.decrypt(data)))
  }
}

export const encodingMethods: MethodDef[] = [
  defineMethod({
    name: 'encode',
    description: 'Encodes a string or bytes as base64, base64url, base64rawurl, hex or ascii85 text.',
    params: [{ name: 'scheme', type: 'string', description: 'The encoding scheme.' }],
    foldConstant: true,
    examples: [
      { mapping: 'root.encoded = this.value.encode("hex")', input: '{"value":"hello world"}', output: '{"encoded":"68656c6c6f20776f726c64"}' },
      { mapping: 'root = content().encode("ascii85")', input: 'this is totally unstructured data', output: 'FD,B0+DGm>FDl80Ci"A>F`)8BEckl6F`M&(+Cno&@/' },
    ],
    ctor: codecCtor(ENCODERS),
  }),
  defineMethod({
    name: 'decode',
    description: 'Decodes base64, base64url, base64rawurl, hex or ascii85 text into bytes.',
    params: [{ name: 'scheme', type: 'string', description: 'The decoding scheme.' }],
    foldConstant: true,
    examples: [
      { mapping: 'root.decoded = this.value.decode("hex").string()', input: '{"value":"68656c6c6f20776f726c64"}', output: '{"decoded":"hello world"}' },
    ],
    ctor: codecCtor(DECODERS),
  }),
  defineMethod({
    name: 'encrypt_aes',
    description: 'Encrypts a string or bytes with AES (ctr, gcm, ofb or cbc) and returns bytes.',
    params: AES_PARAMS,
    examples: [
      {
        mapping:
          'let key = "2b7e151628aed2a6abf7158809cf4f3c".decode("hex")\nlet vector = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff".decode("hex")\nroot.encrypted = this.value.encrypt_aes("ctr", $key, $vector).encode("hex")',
        input: '{"value":"hello world!"}',
        output: '{"encrypted":"84e9b31ff7400bdf80be7254"}',
      },
    ],
    ctor: aesCtor('encryption'),
  }),
  defineMethod({
    name: 'decrypt_aes',
    description: 'Decrypts AES (ctr, gcm, ofb or cbc) ciphertext into bytes.',
    params: AES_PARAMS,
    examples: [
      {
        mapping:
          'let key = "2b7e151628aed2a6abf7158809cf4f3c".decode("hex")\nlet vector = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff".decode("hex")\nroot.decrypted = this.value.decode("hex").decrypt_aes("ctr", $key, $vector).string()',
        input: '{"value":"84e9b31ff7400bdf80be7254"}',
        output: '{"decrypted":"hello world!"}',
      },
    ],
    ctor: aesCtor('decryption'),
  }),
  defineMethod({
    name: 'hash',
    description:
      'Hashes a string or bytes: md5, sha1, sha256, sha512, sha3_256, sha3_512, hmac_sha1/256/512 (key required), crc32 (IEEE, Castagnoli, Koopman), xxhash64 and fnv32 (decimal text). Returns bytes.',
    params: [
      { name: 'algorithm', type: 'string', description: 'The hashing algorithm.' },
      { name: 'key', type: 'any', optional: true, description: 'Key for the hmac algorithms.' },
      { name: 'polynomial', type: 'string', default: 'IEEE', description: 'crc32 polynomial: IEEE, Castagnoli or Koopman.' },
    ],
    foldConstant: true,
    examples: [
      {
        mapping: 'root.h1 = this.value.hash("sha1").encode("hex")\nroot.h2 = this.value.hash("hmac_sha1","static-key").encode("hex")',
        input: '{"value":"hello world"}',
        output: '{"h1":"2aae6c35c94fcfb415dbe95f408b9ce91ee846ed","h2":"d87e5f068fa08fe90bb95bc7c8344cb809179d76"}',
      },
      {
        mapping:
          'root.h1 = this.value.hash(algorithm: "crc32", polynomial: "Castagnoli").encode("hex")\nroot.h2 = this.value.hash(algorithm: "crc32", polynomial: "Koopman").encode("hex")',
        input: '{"value":"hello world"}',
        output: '{"h1":"c99465aa","h2":"df373d3c"}',
      },
    ],
    ctor: (args) => {
      const keyArg = args.optValue('key')
      const key = keyArg === undefined || keyArg === null ? undefined : rawArg(keyArg, 'key')
      const fn = hashFn(args.string('algorithm'), key, args.string('polynomial'))
      return (target) => fn(rawTarget(target))
    },
  }),
  defineMethod({
    name: 'parse_json',
    description: 'Parses JSON text; numbers become floats unless use_number is true.',
    params: [{ name: 'use_number', type: 'bool', optional: true, description: 'Keep numbers as their source text.' }],
    foldConstant: true,
    examples: [{ mapping: 'root.doc = this.doc.parse_json()', input: '{"doc":"{\\"foo\\":\\"bar\\"}"}', output: '{"doc":{"foo":"bar"}}' }],
    ctor: (args) => {
      const useNumber = args.optBool('use_number') === true
      return (target) => parseFirstJson(textTarget(target), useNumber)
    },
  }),
  defineMethod({
    name: 'format_json',
    description: 'Serialises a value as JSON bytes: keys sorted, 4-space indent and HTML escaping by default.',
    params: [
      { name: 'indent', type: 'string', default: '    ', description: 'Indentation per level.' },
      { name: 'no_indent', type: 'bool', default: false, description: 'Compact output.' },
      { name: 'escape_html', type: 'bool', default: true, description: 'Escape <, > and &.' },
    ],
    foldConstant: true,
    examples: [
      { mapping: 'root = this.doc.format_json()', input: '{"doc":{"foo":"bar"}}', output: '{\n    "foo": "bar"\n}' },
      { mapping: 'root = this.doc.format_json(no_indent: true)', input: '{"doc":{"foo":"bar"}}', output: '{"foo":"bar"}' },
    ],
    ctor: (args) => {
      const indent = args.string('indent')
      const noIndent = args.bool('no_indent')
      const escapeHtml = args.bool('escape_html')
      return (target) => stringToBytes(guard(() => formatJson(target, indent, noIndent, escapeHtml)))
    },
  }),
  defineMethod({
    name: 'parse_yaml',
    description: 'Parses a YAML document.',
    params: [],
    foldConstant: true,
    examples: [{ mapping: 'root.doc = this.doc.parse_yaml()', input: '{"doc":"foo: bar"}', output: '{"doc":{"foo":"bar"}}' }],
    ctor: () => (target) => parseYaml(textTarget(target)),
  }),
  defineMethod({
    name: 'format_yaml',
    description: 'Serialises a value as YAML bytes.',
    params: [],
    foldConstant: true,
    examples: [{ mapping: 'root = this.doc.format_yaml()', input: '{"doc":{"foo":"bar"}}', output: 'foo: bar\n' }],
    ctor: () => (target) => stringToBytes(formatYaml(target)),
  }),
  defineMethod({
    name: 'parse_csv',
    description: 'Parses CSV into objects keyed by the header row, or into arrays of fields.',
    params: [
      { name: 'parse_header_row', type: 'bool', default: true, description: 'Use the first row as keys.' },
      { name: 'delimiter', type: 'string', default: ',', description: 'Field delimiter (one character).' },
      { name: 'lazy_quotes', type: 'bool', default: false, description: 'Allow quotes in unquoted fields and unescaped quotes in quoted fields.' },
    ],
    foldConstant: true,
    examples: [
      {
        mapping: 'root.orders = this.orders.parse_csv()',
        input: '{"orders":"foo,bar\\nfoo 1,bar 1\\nfoo 2,bar 2"}',
        output: '{"orders":[{"bar":"bar 1","foo":"foo 1"},{"bar":"bar 2","foo":"foo 2"}]}',
      },
    ],
    ctor: (args) => {
      const header = args.bool('parse_header_row')
      const delimiter = args.string('delimiter')
      const lazy = args.bool('lazy_quotes')
      return (target) => csvRecords(target, header, delimiter, lazy)
    },
  }),
  defineMethod({
    name: 'parse_url',
    description: 'Splits a URL into scheme, opaque, user, host, path, raw_path, raw_query, fragment and raw_fragment.',
    params: [],
    foldConstant: true,
    examples: [
      { mapping: 'root.username = this.url.parse_url().user.name | "unknown"', input: '{"url":"amqp://foo:bar@127.0.0.1:5672/"}', output: '{"username":"foo"}' },
    ],
    ctor: () => (target) => {
      const u = guard(() => parseGoUrl(getString(target)))
      const out: VObject = {
        scheme: u.scheme,
        opaque: u.opaque,
        host: u.host,
        path: u.path,
        raw_path: u.rawPath,
        raw_query: u.rawQuery,
        fragment: u.fragment,
        raw_fragment: u.rawFragment,
      }
      if (u.user !== undefined) {
        const user: VObject = { name: u.user.name }
        if (u.user.password !== undefined) user['password'] = u.user.password
        out['user'] = user
      }
      return out
    },
  }),
  defineMethod({
    name: 'parse_logfmt',
    description: 'Parses a logfmt line into an object (bare keys are true).',
    params: [],
    foldConstant: true,
    examples: [
      { mapping: 'root = this.msg.parse_logfmt()', input: '{"msg":"level=info msg=\\"hello world\\" dur=1.5s"}', output: '{"dur":"1.5s","level":"info","msg":"hello world"}' },
    ],
    ctor: () => (target) => {
      const pairs = guard(() => parseLogfmt(getString(target)))
      const out: VObject = {}
      for (const [k, v] of pairs) setKey(out, k, v)
      return out
    },
  }),
  defineMethod({
    name: 'parse_form_url_encoded',
    description: 'Parses an application/x-www-form-urlencoded body; repeated keys become arrays.',
    params: [],
    foldConstant: true,
    examples: [
      {
        mapping: 'root.values = this.body.parse_form_url_encoded()',
        input: '{"body":"noise=meow&animal=cat&fur=orange&fur=fluffy"}',
        output: '{"values":{"animal":"cat","fur":["orange","fluffy"],"noise":"meow"}}',
      },
    ],
    ctor: () => (target) => {
      const r = parseGoQuery(getString(target))
      if (r.error !== undefined) throw new MappingError(`failed to parse value as url-encoded data: ${r.error}`)
      return valuesToObject(r.values)
    },
  }),
  defineMethod({
    name: 'compress',
    description: 'Compresses bytes with gzip, pgzip, zlib, flate, snappy, lz4 or zstd.',
    params: [
      { name: 'algorithm', type: 'string', description: 'The compression algorithm.' },
      { name: 'level', type: 'int', default: -1, description: 'Compression level (-1 for the default).' },
    ],
    foldConstant: true,
    examples: [
      { mapping: 'root = this.s.compress("gzip").decompress("gzip").string()', input: '{"s":"hello world"}', output: 'hello world' },
    ],
    ctor: (args) => {
      const level = args.int('level')
      const fn = guard(() => compressor(args.string('algorithm')))
      return (target) => asBytesValue(guard(() => fn(getBytes(target), level)))
    },
  }),
  defineMethod({
    name: 'decompress',
    description: 'Decompresses gzip, pgzip, zlib, flate, snappy, lz4, zstd or bzip2 data into bytes.',
    params: [{ name: 'algorithm', type: 'string', description: 'The decompression algorithm.' }],
    foldConstant: true,
    examples: [
      {
        mapping: 'root = this.compressed.decode("base64").decompress("gzip")',
        input: '{"compressed":"H4sIAN12MWkAA8tIzcnJVyjPL8pJUfBUyMkvS1UoLkhMTgUAQpDxbxgAAAA="}',
        output: 'hello world I love space',
      },
    ],
    ctor: (args) => {
      const fn = guard(() => decompressor(args.string('algorithm')))
      return (target) => asBytesValue(guard(() => fn(getBytes(target))))
    },
  }),
]

