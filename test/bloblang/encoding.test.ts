/**
 * Encoding, parsing and formatting methods (spec §23.8) through the public compileMapping.
 * Expected values are published test vectors (NIST AES, RFC hashes, Z85 spec) or the reference
 * implementation's documented outputs; error texts are the reference's.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { encodingMethods } from '../../src/bloblang/methods/encoding.js'
import { failure, run, runBytes } from './helpers.js'

const hw = '{"s":"hello world"}'

test('encode / decode: schemes and round trips', () => {
  assert.equal(run('root = this.s.encode("base64")', hw), 'aGVsbG8gd29ybGQ=')
  assert.equal(run('root = this.s.encode("hex")', hw), '68656c6c6f20776f726c64')
  assert.equal(run('root = content().encode("ascii85")', 'this is totally unstructured data'), 'FD,B0+DGm>FDl80Ci"A>F`)8BEckl6F`M&(+Cno&@/')
  assert.equal(run('root = "fbff".decode("hex").encode("base64")'), '+/8=')
  assert.equal(run('root = "fbff".decode("hex").encode("base64url")'), '-_8=')
  assert.equal(run('root = "fbff".decode("hex").encode("base64rawurl")'), '-_8')
  assert.equal(run('root = "864fd26fb559f75b".decode("hex").encode("z85")'), 'HelloWorld')
  assert.equal(run('root = "HelloWorld".decode("z85").encode("hex")'), '864fd26fb559f75b')
  assert.equal(run('root = "00000000ff".decode("hex").encode("ascii85")'), 'zrr')
  assert.equal(run('root = this.e.decode("ascii85")', '{"e":"FD,B0+DGm>FDl80Ci\\"A>F`)8BEckl6F`M&(+Cno&@/"}'), 'this is totally unstructured data')
  assert.equal(run('root = this.e.decode("base64")', '{"e":"aGVs\\nbG8="}'), 'hello')
  assert.equal(run('root = this.e.decode("base64rawurl")', '{"e":"aGk"}'), 'hi')
  assert.equal(run('root.raw = this.b.decode("hex")', '{"b":"6869"}'), '{"raw":"aGk="}')
  assert.equal(run('root.enc = this.s.encode("base64")\nroot.dec = this.enc.decode("base64")', '{"s":"hello world","enc":"aGk="}'), '{"dec":"aGk=","enc":"aGVsbG8gd29ybGQ="}')
})

test('encode / decode: errors', () => {
  assert.match(failure('root = this.s.encode("rot13")', hw), /^line 1 char \d+: unrecognized encoding type: rot13$/)
  assert.match(failure('root = this.s.decode("rot13")', hw), /^line 1 char \d+: unrecognized encoding type: rot13$/)
  const bad: Array<[string, string, string]> = [
    ['base64', 'aGk', 'illegal base64 data at input byte 0'],
    ['base64', 'aG!k', 'illegal base64 data at input byte 2'],
    ['base64', 'aGk=x', 'illegal base64 data at input byte 4'],
    ['base64rawurl', 'aGk=', 'illegal base64 data at input byte 3'],
    ['hex', '6g', "encoding/hex: invalid byte: U+0067 'g'"],
    ['hex', '616', 'unexpected EOF'],
    ['ascii85', 'ab~', 'illegal ascii85 data at input byte 2'],
    ['z85', 'Hello', 'no error'],
    ['z85', 'Hell', 'z85: wrongly aligned input data'],
  ]
  for (const [scheme, input, want] of bad) {
    const got = failure(`root = this.e.decode("${scheme}")`, JSON.stringify({ e: input }))
    if (want === 'no error') assert.ok(got.startsWith('no error'), got)
    else assert.equal(got, `failed assignment (line 1): field \`this.e\`: ${want}`, `${scheme} ${input}`)
  }
  assert.equal(failure('root = this.s.encode("z85")', '{"s":"abc"}'), 'failed assignment (line 1): field `this.s`: z85: wrongly aligned input data')
  assert.equal(failure('root = this.n.encode("hex")', '{"n":5}'), 'failed assignment (line 1): expected string value, got number from field `this.n` (5)')
})

test('hash: every algorithm', () => {
  const cases: Array<[string, string]> = [
    ['"md5"', '5eb63bbbe01eeed093cb22bb8f5acdc3'],
    ['"sha1"', '2aae6c35c94fcfb415dbe95f408b9ce91ee846ed'],
    ['"sha256"', 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9'],
    ['"sha3_256"', '644bcc7e564373040999aac89e7622f3ca71fba1d972fd94a31c3bfbf24e3938'],
    ['"hmac_sha1", "static-key"', 'd87e5f068fa08fe90bb95bc7c8344cb809179d76'],
    ['"hmac_sha256", "static-key"', 'b1cdce8b2add1f96135b2506f8ab748ae8ef15c49c0320357a6d168c42e20746'],
    ['"crc32"', '0d4a1185'],
    ['algorithm: "crc32", polynomial: "Castagnoli"', 'c99465aa'],
    ['algorithm: "crc32", polynomial: "Koopman"', 'df373d3c'],
  ]
  for (const [args, want] of cases) assert.equal(run(`root = this.s.hash(${args}).encode("hex")`, hw), want, args)
  assert.equal(run('root = this.s.hash("sha512").encode("hex").slice(0, 32)', hw), '309ecc489c12d6eb4cc40f50c902f2b4')
  assert.equal(run('root = this.s.hash("sha3_512").length()', hw), '64')
  // xxhash64 and fnv32 give the decimal text of the sum, as bytes.
  assert.equal(run('root = this.s.hash("xxhash64")', hw), '5020219685658847592')
  assert.equal(run('root = "".hash("xxhash64")'), '17241709254077376921')
  assert.equal(run('root = this.s.hash("xxhash64")', JSON.stringify({ s: 'x'.repeat(100) })), '10588207204368892052')
  assert.equal(run('root = this.s.hash("fnv32")', hw), '1418570095')
  // A bytes key is used as raw bytes.
  assert.equal(run('root = this.s.hash("hmac_sha256", "7374617469632d6b6579".decode("hex")).encode("hex")', hw), 'b1cdce8b2add1f96135b2506f8ab748ae8ef15c49c0320357a6d168c42e20746')
  assert.match(failure('root = this.s.hash("hmac_sha256")', hw), /^line 1 char \d+: hash algorithm hmac_sha256 requires a key argument$/)
  assert.match(failure('root = this.s.hash("sha0")', hw), /^line 1 char \d+: unrecognized hash type: sha0$/)
  assert.equal(failure('root = this.s.hash(algorithm: "crc32", polynomial: "Foo")', hw), 'failed assignment (line 1): field `this.s`: unsupported crc32 hash key "Foo"')
})

test('encrypt_aes / decrypt_aes: NIST vectors and round trips', () => {
  const key = 'let key = "2b7e151628aed2a6abf7158809cf4f3c".decode("hex")\n'
  const pt = '"6bc1bee22e409f96e93d7e117393172a".decode("hex")'
  const iv0 = 'let iv = "000102030405060708090a0b0c0d0e0f".decode("hex")\n'
  const ivCtr = 'let iv = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff".decode("hex")\n'
  assert.equal(run(`${key}${iv0}root = ${pt}.encrypt_aes("cbc", $key, $iv).encode("hex")`), '7649abac8119b246cee98e9b12e9197d')
  assert.equal(run(`${key}${iv0}root = ${pt}.encrypt_aes("ofb", $key, $iv).encode("hex")`), '3b3fd92eb72dad20333449f8e83cfb4a')
  assert.equal(run(`${key}${ivCtr}root = ${pt}.encrypt_aes("ctr", $key, $iv).encode("hex")`), '874d6191b620e3261bef6864990db6ce')
  assert.equal(run(`${key}${iv0}root = "7649abac8119b246cee98e9b12e9197d".decode("hex").decrypt_aes("cbc", $key, $iv).encode("hex")`), '6bc1bee22e409f96e93d7e117393172a')
  assert.equal(run(`${key}${ivCtr}root = this.s.encrypt_aes("ctr", $key, $iv).decrypt_aes("ctr", $key, $iv)`, '{"s":"secret text"}'), 'secret text')
  const gcm = `${key}let nonce = "cafebabefacedbaddecaf888".decode("hex")\n`
  assert.equal(run(`${gcm}root = this.s.encrypt_aes("gcm", $key, $nonce).length()`, '{"s":"secret text"}'), '27')
  assert.equal(run(`${gcm}root = this.s.encrypt_aes("gcm", $key, $nonce).decrypt_aes("gcm", $key, $nonce)`, '{"s":"secret text"}'), 'secret text')
  assert.match(
    failure(`${gcm}root = this.s.encrypt_aes("gcm", $key, $nonce).encode("hex").replace_all("0", "1").decode("hex").decrypt_aes("gcm", $key, $nonce)`, '{"s":"secret text"}'),
    /^failed assignment \(line 3\): .*gcm decrypting failed: cipher: message authentication failed$/,
  )
  assert.match(failure(`${iv0}root = this.s.encrypt_aes("ctr", "short", $iv)`, hw), /crypto\/aes: invalid key size 5$/)
  assert.match(failure(`${key}root = this.s.encrypt_aes("ctr", $key, "0123")`, hw), /the key must match the initialisation vector size$/)
  assert.match(failure(`${key}${iv0}root = this.s.encrypt_aes("ecb", $key, $iv)`, hw), /unrecognized encryption type: ecb$/)
  assert.match(failure(`${key}${iv0}root = this.s.decrypt_aes("ecb", $key, $iv)`, hw), /unrecognized decryption type: ecb$/)
  assert.equal(failure(`${key}${iv0}root = this.s.encrypt_aes("cbc", $key, $iv)`, hw), 'failed assignment (line 3): field `this.s`: plaintext is not a multiple of the block size')
})

test('parse_json / format_json', () => {
  assert.equal(run('root = this.doc.parse_json()', '{"doc":"{\\"foo\\":\\"bar\\"}"}'), '{"foo":"bar"}')
  assert.equal(run('root = this.doc.parse_json(use_number: true)', '{"doc":"{\\"foo\\":11380878173205700000000000000000000000000000000}"}'), '{"foo":11380878173205700000000000000000000000000000000}')
  assert.equal(run('root = this.doc.parse_json(use_number: true)', '{"doc":"[1.50, 2]"}'), '[1.50,2]')
  assert.equal(run('root = this.doc.parse_json()', '{"doc":"[1.50, 2]"}'), '[1.5,2]')
  // Like Go's json.Decoder, only the first value is read.
  assert.equal(run('root = this.doc.parse_json()', '{"doc":"{\\"a\\":1} trailing"}'), '{"a":1}')
  assert.equal(run('root = content().parse_json().a', '{"a":"x"}'), 'x')
  assert.equal(failure('root = this.doc.parse_json()', '{"doc":"{nope"}'), "failed assignment (line 1): field `this.doc`: failed to parse value as JSON: invalid character 'n' looking for beginning of object key string")
  assert.equal(failure('root = this.doc.parse_json()', '{"doc":""}'), 'failed assignment (line 1): field `this.doc`: failed to parse value as JSON: EOF')
  assert.equal(failure('root = this.doc.parse_json()', '{"doc":"[1,"}'), 'failed assignment (line 1): field `this.doc`: failed to parse value as JSON: unexpected EOF')
  assert.equal(run('root = this.format_json()', '{"a":{"b":1}}'), '{\n    "a": {\n        "b": 1\n    }\n}')
  assert.equal(run('root = this.format_json("  ")', '{"doc":{"foo":"bar"}}'), '{\n  "doc": {\n    "foo": "bar"\n  }\n}')
  assert.equal(run('root = this.doc.format_json(no_indent: true)', '{"doc":{"foo":"bar","a":[]}}'), '{"a":[],"foo":"bar"}')
  assert.equal(run('root = this.format_json()', '{"email":"foo&bar","name":"a>b<c"}'), '{\n    "email": "foo\\u0026bar",\n    "name": "a\\u003eb\\u003cc"\n}')
  assert.equal(run('root = this.format_json(escape_html: false, no_indent: true)', '{"email":"foo&bar"}'), '{"email":"foo&bar"}')
  // An empty indent still breaks lines, as Go's encoder does.
  assert.equal(run('root = this.format_json(indent: "")', '{"a":[1,{}]}'), '{\n"a": [\n1,\n{}\n]\n}')
  assert.equal(run('root = this.s.format_json()', hw), '"hello world"')
  assert.equal(run('root.doc = this.doc.format_json().string()', '{"doc":{"foo":"bar"}}'), '{"doc":"{\\n    \\"foo\\": \\"bar\\"\\n}"}')
})

test('parse_yaml / format_yaml', () => {
  assert.equal(run('root = this.y.parse_yaml()', '{"y":"a: 1\\nb: [x, y]\\n"}'), '{"a":1,"b":["x","y"]}')
  assert.equal(
    run('root = this.y.parse_yaml()', JSON.stringify({ y: 'hex: 0x1F\noct: 0o17\nold: 0777\nsep: 1_000\nf: 1.5\nexp: 1e3\nn: ~\nyes: yes\nts: 2001-12-14\nq: "1"\nb: True\nbig: 18446744073709551615' })),
    '{"b":true,"big":18446744073709551615,"exp":1000,"f":1.5,"hex":31,"n":null,"oct":15,"old":511,"q":"1","sep":1000,"ts":"2001-12-14","yes":"yes"}',
  )
  assert.equal(run('root = this.y.parse_yaml()', JSON.stringify({ y: 'base: &b {k: 1, j: 2}\nderived:\n  <<: *b\n  j: 3\n' })), '{"base":{"j":2,"k":1},"derived":{"j":3,"k":1}}')
  assert.equal(run('root = this.y.parse_yaml()', '{"y":""}'), 'null')
  assert.equal(run('root = this.y.parse_yaml()', '{"y":"- a\\n---\\n- b"}'), '["a"]')
  assert.match(failure('root = this.y.parse_yaml()', '{"y":"a: [1"}'), /^failed assignment \(line 1\): field `this\.y`: failed to parse value as YAML: /)
  assert.match(failure('root = this.y.parse_yaml()', '{"y":"a: 1\\na: 2"}'), /failed to parse value as YAML: /)

  assert.equal(run('root = this.format_yaml()', '{"b":"x","a":"y"}'), 'a: y\nb: x\n')
  assert.equal(run('root = this.doc.format_yaml()', '{"doc":{"foo":"bar"}}'), 'foo: bar\n')
  assert.equal(run('root = this.format_yaml()', '{"doc":{"foo":"bar"}}'), 'doc:\n    foo: bar\n')
  assert.equal(run('root.doc = this.doc.format_yaml().string()', '{"doc":{"foo":"bar"}}'), '{"doc":"foo: bar\\n"}')
  assert.equal(
    run('root = {"list": [1, "two", {"k": "v", "e": []}, [3, 4]], "empty": {}, "nil": null, "yes": true, "f": 1.5}.format_yaml()'),
    'empty: {}\nf: 1.5\nlist:\n    - 1\n    - two\n    - e: []\n      k: v\n    - - 3\n      - 4\nnil: null\n"yes": true\n',
  )
  // Strings that would read back as something else are quoted; multi-line strings are literal blocks.
  assert.equal(
    run('root = {"a": "true", "b": "1.5", "c": "", "d": "a: b", "e": "#x", "f": " lead", "g": "it\'s", "h": "multi\\nline", "i": "off", "j": "2021-01-01", "k": "tab\\there", "l": "😀", "m": "é"}.format_yaml()'),
    'a: "true"\nb: "1.5"\nc: ""\nd: \'a: b\'\ne: \'#x\'\nf: \' lead\'\ng: it\'s\nh: |-\n    multi\n    line\ni: "off"\nj: "2021-01-01"\nk: "tab\\there"\nl: "\\U0001F600"\nm: é\n',
  )
  // Numbers read from input JSON are Go json.Number strings, which yaml.v3 quotes. The value model
  // keeps the source text only for non-integers and large integers, so small integers stay plain.
  assert.equal(run('root = this.format_yaml()', '{"n":1.5,"i":2,"big":12345678901234567890}'), 'big: "12345678901234567890"\ni: 2\nn: "1.5"\n')
  assert.equal(run('root = {"k10": 1, "k9": 2, "a": 3}.format_yaml()'), 'a: 3\nk9: 2\nk10: 1\n')
  assert.equal(run('root = "plain".format_yaml()'), 'plain\n')
  assert.equal(run('root = [].format_yaml()'), '[]\n')
  assert.equal(run('root = "hi".bytes().format_yaml()'), '- 104\n- 105\n')
})

test('parse_csv', () => {
  assert.equal(run('root = this.csv.parse_csv()', '{"csv":"name,age\\nal,3\\nbo,4"}'), '[{"age":"3","name":"al"},{"age":"4","name":"bo"}]')
  assert.equal(run('root = this.orders.parse_csv(false)', '{"orders":"foo 1,bar 1\\nfoo 2,bar 2"}'), '[["foo 1","bar 1"],["foo 2","bar 2"]]')
  assert.equal(run('root = this.orders.parse_csv(delimiter:".")', '{"orders":"foo.bar\\nfoo 1.bar 1"}'), '[{"bar":"bar 1","foo":"foo 1"}]')
  assert.equal(run('root = this.orders.parse_csv(lazy_quotes:true)', '{"orders":"foo,bar\\nfoo 1,bar 1\\nfoo\\" \\"2,bar\\" \\"2"}'), '[{"bar":"bar 1","foo":"foo 1"},{"bar":"bar\\" \\"2","foo":"foo\\" \\"2"}]')
  assert.equal(run('root = this.c.parse_csv(false)', '{"c":"a,\\"b\\r\\nc\\"\\r\\n\\r\\n1,\\"2\\"\\"x\\"\\r\\n"}'), '[["a","b\\nc"],["1","2\\"x"]]')
  assert.equal(failure('root = this.c.parse_csv()', '{"c":"a,b\\n1,2,3"}'), 'failed assignment (line 1): field `this.c`: record on line 2: wrong number of fields')
  assert.equal(failure('root = this.c.parse_csv()', '{"c":"a,b\\n1,x\\"y"}'), 'failed assignment (line 1): field `this.c`: parse error on line 2, column 4: bare " in non-quoted-field')
  assert.equal(failure('root = this.c.parse_csv()', '{"c":"a,b\\n\\"1\\"x,2"}'), 'failed assignment (line 1): field `this.c`: parse error on line 2, column 3: extraneous or missing " in quoted-field')
  assert.equal(failure('root = this.c.parse_csv()', '{"c":"a,\\"b\\nc"}'), 'failed assignment (line 1): field `this.c`: record on line 1; parse error on line 2, column 2: extraneous or missing " in quoted-field')
  assert.equal(failure('root = this.c.parse_csv()', '{"c":""}'), 'failed assignment (line 1): field `this.c`: zero records were parsed')
  assert.equal(failure('root = this.c.parse_csv(delimiter: "ab")', '{"c":"x"}'), 'failed assignment (line 1): field `this.c`: delimiter value must be exactly one character')
})

test('parse_url', () => {
  assert.equal(
    run('root = this.u.parse_url()', '{"u":"https://docs.redpanda.com/redpanda-connect/guides/bloblang/about/"}'),
    '{"fragment":"","host":"docs.redpanda.com","opaque":"","path":"/redpanda-connect/guides/bloblang/about/","raw_fragment":"","raw_path":"","raw_query":"","scheme":"https"}',
  )
  assert.equal(run('root.host = this.u.parse_url().host\nroot.path = this.u.parse_url().path\nroot.q = this.u.parse_url().raw_query', '{"u":"https://ex.com:8080/a/b?x=1&y=2#frag"}'), '{"host":"ex.com:8080","path":"/a/b","q":"x=1&y=2"}')
  assert.equal(run('root = this.u.parse_url().user', '{"u":"amqp://foo:b%40r@127.0.0.1:5672/"}'), '{"name":"foo","password":"b@r"}')
  assert.equal(run('root = this.u.parse_url().user', '{"u":"redis://admin@localhost:6379"}'), '{"name":"admin"}')
  assert.equal(run('root = this.u.parse_url().user.name | "unknown"', '{"u":"redis://localhost:6379"}'), 'unknown')
  assert.equal(run('root = this.u.parse_url()', '{"u":"HTTP://h/p%20a!th#f%20x"}'), '{"fragment":"f x","host":"h","opaque":"","path":"/p a!th","raw_fragment":"","raw_path":"/p%20a!th","raw_query":"","scheme":"http"}')
  assert.equal(run('root = this.u.parse_url()', '{"u":"mailto:joe@example.com"}'), '{"fragment":"","host":"","opaque":"joe@example.com","path":"","raw_fragment":"","raw_path":"","raw_query":"","scheme":"mailto"}')
  assert.equal(failure('root = this.u.parse_url()', '{"u":"http://[::1"}'), 'failed assignment (line 1): field `this.u`: parse "http://[::1": missing \']\' in host')
  assert.equal(failure('root = this.u.parse_url()', '{"u":"http://a b.com/"}'), 'failed assignment (line 1): field `this.u`: parse "http://a b.com/": invalid character " " in host name')
  assert.equal(failure('root = this.u.parse_url()', '{"u":"http://h:8x/"}'), 'failed assignment (line 1): field `this.u`: parse "http://h:8x/": invalid port ":8x" after host')
  assert.equal(failure('root = this.u.parse_url()', '{"u":":foo"}'), 'failed assignment (line 1): field `this.u`: parse ":foo": missing protocol scheme')
  assert.equal(failure('root = this.u.parse_url()', '{"u":"/a%zzb"}'), 'failed assignment (line 1): field `this.u`: parse "/a%zzb": invalid URL escape "%zz"')
})

test('parse_logfmt / parse_form_url_encoded', () => {
  assert.equal(run('root = this.l.parse_logfmt()', '{"l":"a=1 b=\\"two words\\" c"}'), '{"a":"1","b":"two words","c":true}')
  assert.equal(run('root = this.l.parse_logfmt()', '{"l":"level=info msg=\\"hello \\\\\\"world\\\\\\"\\\\n\\" dur=1.5s\\tk="}'), '{"dur":"1.5s","k":"","level":"info","msg":"hello \\"world\\"\\n"}')
  assert.equal(failure('root = this.l.parse_logfmt()', '{"l":"a=\\"open"}'), 'failed assignment (line 1): field `this.l`: logfmt: unterminated quoted value for key "a"')
  assert.equal(run('root = this.b.parse_form_url_encoded()', '{"b":"noise=meow&animal=cat&fur=orange&fur=fluffy"}'), '{"animal":"cat","fur":["orange","fluffy"],"noise":"meow"}')
  assert.equal(run('root = this.b.parse_form_url_encoded()', '{"b":"a=1+2&b=%26&c&=e"}'), '{"":"e","a":"1 2","b":"&","c":""}')
  assert.equal(failure('root = this.b.parse_form_url_encoded()', '{"b":"a=%zz"}'), 'failed assignment (line 1): field `this.b`: failed to parse value as url-encoded data: invalid URL escape "%zz"')
  assert.equal(failure('root = this.b.parse_form_url_encoded()', '{"b":"a=1;b=2"}'), 'failed assignment (line 1): field `this.b`: failed to parse value as url-encoded data: invalid semicolon separator in query')
})

test('compress / decompress', () => {
  for (const algo of ['gzip', 'pgzip', 'zlib', 'flate', 'snappy', 'lz4', 'zstd']) {
    assert.equal(run(`root = this.s.compress("${algo}").decompress("${algo}")`, '{"s":"hello hello hello hello world"}'), 'hello hello hello hello world', algo)
    assert.equal(run(`root = this.s.compress("${algo}", 9).decompress("${algo}").string()`, hw), 'hello world', algo)
  }
  assert.equal(run('root = this.c.decode("base64").decompress("gzip")', '{"c":"H4sIAN12MWkAA8tIzcnJVyjPL8pJUfBUyMkvS1UoLkhMTgUAQpDxbxgAAAA="}'), 'hello world I love space')
  assert.equal(run('root = "789ccb48cdc9c90700062c0215".decode("hex").decompress("zlib")'), 'hello')
  // Short inputs are a single literal in Go's snappy block encoder too.
  assert.equal(run('root = this.s.compress("snappy").encode("hex")', hw), '0b2868656c6c6f20776f726c64')
  assert.equal(run('root = "080461620902".decode("hex").decompress("snappy")'), 'abababab')
  const long = JSON.stringify({ s: 'The quick brown fox jumps over the lazy dog. '.repeat(50) })
  assert.equal(run('root = this.s.compress("snappy").length() < 200', long), 'true')
  assert.equal(run('root = this.s.compress("snappy").decompress("snappy") == this.s', long), 'true')
  assert.deepEqual(runBytes('root = content().compress("gzip").decompress("gzip")', Uint8Array.of(0, 255, 1)), Buffer.from([0, 255, 1]))
  assert.match(failure('root = this.s.compress("brotli")', hw), /^line 1 char \d+: compression type not recognised: brotli$/)
  assert.match(failure('root = this.s.compress("bzip2")', hw), /^line 1 char \d+: compression type not recognised: bzip2$/)
  assert.equal(failure('root = this.s.decompress("gzip")', hw), 'failed assignment (line 1): field `this.s`: gzip: invalid header')
  assert.equal(failure('root = this.s.decompress("snappy")', hw), 'failed assignment (line 1): field `this.s`: snappy: corrupt input')
  assert.equal(failure('root = this.s.decompress("lz4")', hw), 'failed assignment (line 1): field `this.s`: lz4: bad magic number')
  assert.equal(failure('root = this.s.decompress("zstd")', hw), 'failed assignment (line 1): field `this.s`: invalid input: magic number mismatch')
  assert.equal(failure('root = this.s.decompress("bzip2")', hw), 'failed assignment (line 1): field `this.s`: bzip2 data invalid: bad magic value')
  // `echo hello | bzip2`: bzip2 only decompresses, as in the reference.
  assert.equal(run('root = "QlpoOTFBWSZTWcHAgOIAAAFBAAAQAkSgADDNAMNGKZcXckU4UJDBwIDi".decode("base64").decompress("bzip2")'), 'hello\n')
  assert.match(failure('root = this.s.compress("gzip", 12)', hw), /gzip: invalid compression level: 12$/)
})

test('every documented encoding example produces its output', () => {
  for (const def of encodingMethods) {
    for (const ex of def.examples ?? []) {
      if (ex.output !== undefined) assert.equal(run(ex.mapping, ex.input), ex.output, `${def.name}: ${ex.mapping}`)
      if (ex.error !== undefined) assert.ok(failure(ex.mapping, ex.input).includes(ex.error), `${def.name}: ${ex.mapping}`)
    }
  }
})
