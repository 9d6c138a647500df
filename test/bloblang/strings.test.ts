/**
 * String methods (spec §23.4) through the public compileMapping. Expected values are what the
 * reference's Go code produces (strings/bytes, x/text title casing, strconv, fmt, html, net/url,
 * path/filepath, RFC 4122 v5 UUIDs), including the places where JavaScript's built-ins differ.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { compileMapping } from '../../src/bloblang/index.js'
import { failure, onString, run, text } from './helpers.js'

test('uppercase and lowercase use simple per-character mappings', () => {
  assert.equal(onString('root = [this.s.uppercase(), this.s.lowercase()]', '  MiXed ß ǅ İ Σ'), '["  MIXED ß Ǆ İ Σ","  mixed ß ǆ i σ"]')
  assert.equal(onString('root = this.s.uppercase()', 'ᾳ ŉ ﬁ'), 'ᾼ ŉ ﬁ')
  // Bytes in, bytes out.
  assert.equal(run('root = [content().uppercase().type(), content().uppercase().string()]', 'shout'), '["bytes","SHOUT"]')
})

test('capitalize title-cases words like golang.org/x/text/cases', () => {
  const cases: Array<[string, string]> = [
    ['hello big world', 'Hello Big World'],
    ['hELLO wORLD', 'Hello World'],
    ['1st place', '1St Place'],
    ["don't stop", "Don't Stop"],
    ['foo.bar foo..bar', 'Foo.bar Foo..Bar'],
    ['foo_bar foo-bar', 'Foo_bar Foo-Bar'],
    ['ßtraße ǆemal ﬁne', 'Sstraße ǅemal Fine'],
    ['ΣΑΣ ΟΔΟΣ.', 'Σας Οδος.'],
    ['ᾀ ვეფხის', 'ᾈ ვეფხის'],
    ['abc漢def', 'Abc漢Def'],
  ]
  for (const [input, want] of cases) assert.equal(onString('root = this.s.capitalize()', input), want, input)
})

test('trim, trim_prefix and trim_suffix', () => {
  assert.equal(onString('root = this.s.trim()', '\u0085\u00a0\t x y \u3000\u2028'), 'x y')
  assert.equal(onString('root = this.s.trim()', '\u200bx\ufeff'), '\u200bx\ufeff')
  assert.equal(onString('root = [this.s.trim("-*"), this.s.trim(""), this.s.trim("😀-")]', '--*x*--'), '["x","--*x*--","*x*"]')
  assert.equal(onString('root = this.s.trim("😀")', '😀a😀'), 'a')
  assert.equal(
    run('root = [this.b.trim_prefix("id_"), this.b.trim_prefix("x"), this.c.trim_suffix(".json"), this.c.trim_suffix(".json.json")]', '{"b":"id_id_42","c":"f.json"}'),
    '["id_42","id_id_42","f","f.json"]',
  )
  assert.equal(run('root = [content().trim().type(), content().trim().string(), content().trim_prefix(" ").string()]', '  hi  '), '["bytes","hi"," hi  "]')
})

test('has_prefix, has_suffix and index_of (byte offsets)', () => {
  assert.equal(onString('root = [this.s.has_prefix("ab"), this.s.has_suffix("yz"), this.s.has_prefix(""), this.s.has_suffix("q")]', 'abcxyz'), '[true,true,true,false]')
  assert.equal(onString('root = [this.s.index_of("l"), this.s.index_of("😀"), this.s.index_of("q"), this.s.index_of("")]', 'héllo😀'), '[3,6,-1,0]')
  assert.equal(run('root = content().index_of("meow")', 'the cat meowed'), '8')
})

test('split and join', () => {
  assert.equal(onString('root = [this.s.split(","), this.s.split(",", true), this.s.split("")]', 'a,,😀'), '[["a","","😀"],["a",null,"😀"],["a",",",",","😀"]]')
  assert.equal(onString('root = [this.s.split(","), this.s.split("")]', ''), '[[""],[]]')
  assert.equal(run('root = content().split(",").map_each(p -> p.type())', 'a,b'), '["bytes","bytes"]')
  assert.equal(run('root = [this.xs.join(), this.xs.join("|"), [].join(",")]', '{"xs":["a","b"]}'), '["ab","a|b",""]')
  assert.equal(run('root = [content(), "x"].join("-")', 'c'), 'c-x')
  assert.equal(failure('root = this.xs.join(",")', '{"xs":["a",1]}'), 'failed assignment (line 1): field `this.xs`: failed to join element 1: expected string value, got number (1)')
  assert.equal(failure('root = this.xs.join(",")', '{"xs":"a"}'), 'failed assignment (line 1): expected array value, got string from field `this.xs` ("a")')
})

test('replace_all, replace_all_many and their aliases', () => {
  assert.equal(onString('root = [this.s.replace_all("o", "0"), this.s.replace("oo", "$1"), this.s.replace_all("", "-")]', 'foo'), '["f00","f$1","-f-o-o-"]')
  assert.equal(onString('root = this.s.replace_all("", "-")', '😀'), '-😀-')
  // A `$` in the replacement is literal text (native replaceAll would read `$&` as the match).
  assert.equal(onString('root = [this.s.replace_all("o", "$&"), this.s.replace_all("o", "$$"), this.s.replace_all_many(["f", "$\'"])]', 'foo'), '["f$&$&","f$$$$","$\'oo"]')
  assert.equal(onString('root = [this.s.replace_all_many(["<", "&lt;", ">", "&gt;"]), this.s.replace_many(["b", "a", "a", "c"])]', '<b>'), '["&lt;b&gt;","<c>"]')
  assert.equal(run('root = content().replace_all("a", "b").type()', 'a'), 'bytes')
  assert.equal(failure('root = this.s.replace_all_many(["a", "b", "c"])', '{"s":""}').replace(/^line 1 char \d+: /, ''), 'invalid arg, replacements should be in pairs and must therefore be even: [a b c]')
  assert.equal(failure('root = this.s.replace_all_many(["a", 1])', '{"s":""}').replace(/^line 1 char \d+: /, ''), 'invalid replacement value at index 1: expected string value, got number (1)')
})

test('format applies Go fmt verbs to the raw values', () => {
  const cases: Array<[string, string, string]> = [
    ['"%s is %v years".format(this.name, this.age)', '{"name":"Kim","age":33}', 'Kim is 33 years'],
    // Input numbers are json.Number: a Stringer, so %d is a bad verb for them.
    ['"%d|%v|%s|%q|%T".format(this.n, this.n, this.n, this.n, this.n)', '{"n":1.50}', '%!d(json.Number=1.50)|1.50|1.50|"1.50"|json.Number'],
    ['"%d %5d|%-5d|%05d %x %X %o %b %c %U %+d".format(42, 42, 42, -42, 255, 255, 8, 5, 65, 9731, 3)', '{}', '42    42|42   |-0042 ff FF 10 101 A U+2603 +3'],
    ['"%v %v %v %.2f %05.1f %e %g %G %8.3f|".format(2000000.0, 0.1, 0.00000015, 3.14159, 2.25, 123456.789, 1000000000000000000000.0, 0.0000001, -1.5)', '{}', '2e+06 0.1 1.5e-07 3.14 002.2 1.234568e+05 1e+21 1E-07   -1.500|'],
    ['"%t %v %s %x %q %#q %.2s|%6s|%-6s|".format(true, null, "héllo", "hi", "a\\"b", "ab", "héllo", "ab", "ab")', '{}', 'true <nil> héllo 6869 "a\\"b" `ab` hé|    ab|ab    |'],
    ['"%v %v %d %s".format([1, "a", null], {"b": 2, "a": [true]}, [1, 2], this.m)', '{"m":{"k":1.50}}', '[1 a <nil>] map[a:[true] b:2] [1 2] map[k:1.50]'],
    ['"%v %s %x %T %T %T".format(content(), content(), content(), content(), 1, 1.5)', 'hi', '[104 105] hi 6869 []uint8 int64 float64'],
    ['"%d %d %!".format(1)', '{}', '1 %!d(MISSING) %!!(MISSING)'],
    ['"%d".format(1, "x", 2.5)', '{}', '1%!(EXTRA string=x, float64=2.5)'],
    ['"%[2]d %[1]d %*d %.*f %%".format(1, 2, 3, 4, 2, 3.14159)', '{}', '2 1  3 %!f(int64=0002) %'],
    ['"%*d|%.*f|%d%%".format(4, 7, 2, 3.14159, 5)', '{}', '   7|3.14|5%'],
    ['"%d %".format(1)', '{}', '1 %!(NOVERB)'],
    ['"%f %s %v".format(3, 4, this.t.ts_parse("2006-01-02"))', '{"t":"2021-03-04"}', '%!f(int64=3) %!s(int64=4) 2021-03-04 00:00:00 +0000 UTC'],
    ['"%.0f %.0f %.1f %.3g %#v %#v".format(0.5, 1.5, 0.25, 100.0, "a", [1, "x"])', '{}', '0 2 0.2 100 "a" []interface {}{1, "x"}'],
  ]
  for (const [expr, input, want] of cases) assert.equal(run(`root = ${expr}`, input), want, expr)
})

test('repeat and reverse', () => {
  assert.equal(onString('root = [this.s.repeat(3), this.s.repeat(0), this.s.reverse()]', 'ab😀'), '["ab😀ab😀ab😀","","😀ba"]')
  assert.equal(run('root = [content().reverse().string(), content().repeat(2).type()]', 'abc'), '["cba","bytes"]')
  assert.equal(failure('root = this.s.repeat(-1)', '{"s":"a"}').replace(/^line 1 char \d+: /, ''), 'invalid count, must be greater than or equal to zero: -1')
})

test('quote and unquote follow strconv', () => {
  assert.equal(onString('root = this.s.quote()', 'a"b\\c\n\t\u0001\u007f é😀\u00a0\u200b'), '"a\\"b\\\\c\\n\\t\\x01\\x7f é😀\\u00a0\\u200b"')
  // Invalid UTF-8 bytes are quoted one by one.
  const raw = compileMapping('root = content().quote()').apply({ content: new Uint8Array([0x61, 0xff, 0xe2, 0x82, 0x62]) })
  assert.equal(text(raw!.content), '"a\\xff\\xe2\\x82b"')
  const unquotes: Array<[string, string]> = [
    ['"x\\ty"', 'x\ty'],
    ['"\\x41\\u263a\\U0001F600\\101"', 'A☺😀A'],
    ['`raw\\n\r`', 'raw\\n'],
    ["'a'", 'a'],
    ["''", ''],
  ]
  for (const [input, want] of unquotes) assert.equal(onString('root = this.s.unquote()', input), want, input)
  for (const bad of ['x', '"abc', '"a\nb"', '"\\q"', '"\\400"', "'ab'", '"\\\'"', '`a`b`', '"a"b"']) {
    assert.equal(failure('root = this.s.unquote()', JSON.stringify({ s: bad })), 'failed assignment (line 1): field `this.s`: invalid syntax', bad)
  }
})

test('HTML escaping', () => {
  assert.equal(onString('root = this.s.escape_html()', `<a href='x'>&"</a>`), '&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;')
  const cases: Array<[string, string]> = [
    ['a &lt; b &amp;&amp; c', 'a < b && c'],
    ['&quot;&apos;&#39;&#34;&#x41;&#65;&#X263A;', `"''"AA☺`],
    ['&amp &ampx &notit; &notin; &AElig', '& &x ¬it; ∉ Æ'],
    ['&unknown; & &; &#; &#x; &#1 &#55x', '&unknown; & &; &#; \ufffd &#1 7x'],
    ['&#0; &#128; &#xD800; &#x110000; &#x1F600;', '\ufffd € \ufffd \ufffd 😀'],
    ['&CounterClockwiseContourIntegral; &NotEqualTilde;', '∳ ≂̸'],
  ]
  for (const [input, want] of cases) assert.equal(onString('root = this.s.unescape_html()', input), want, input)
})

test('URL escaping for query components and path segments', () => {
  assert.equal(onString('root = [this.s.escape_url_query(), this.s.escape_url_path()]', "a b&c/€!*'()~"), '["a+b%26c%2F%E2%82%AC%21%2A%27%28%29~","a%20b&c%2F%E2%82%AC%21%2A%27%28%29~"]')
  assert.equal(onString('root = [this.s.unescape_url_query(), this.s.unescape_url_path()]', 'a%20b+c%26d%e2%82%ac'), '["a b c&d€","a b+c&d€"]')
  assert.equal(failure('root = this.s.unescape_url_query()', '{"s":"x%zzy"}'), 'failed assignment (line 1): field `this.s`: invalid URL escape "%zz"')
  assert.equal(failure('root = this.s.unescape_url_path()', '{"s":"x%4"}'), 'failed assignment (line 1): field `this.s`: invalid URL escape "%4"')
})

test('filepath_join and filepath_split', () => {
  assert.equal(
    run('root = [this.a.filepath_join(), this.b.filepath_join(), this.c.filepath_join(), this.d.filepath_join()]', '{"a":["/foo/","bar.txt"],"b":["a","","../../b/./c/"],"c":["",""],"d":["/..","x"]}'),
    '["/foo/bar.txt","../b/c","","/x"]',
  )
  assert.equal(run('root = [this.p.filepath_split(), this.q.filepath_split()]', '{"p":"/foo/bar.txt","q":"file"}'), '[["/foo/","bar.txt"],["","file"]]')
  assert.equal(failure('root = this.p.filepath_join()', '{"p":["a",1]}'), 'failed assignment (line 1): field `this.p`: path element 1: expected string value, got number (1)')
})

test('uuid_v5 derives name-based UUIDs', () => {
  assert.equal(onString('root = this.s.uuid_v5("dns")', 'hello world'), '823a2f73-a936-56c3-b8b4-03641bd74f35')
  assert.equal(
    onString('root = [this.s.uuid_v5(), this.s.uuid_v5("x500"), this.s.uuid_v5("77f836b7-9f61-46c0-851e-9b6ca3535e69"), this.s.uuid_v5("{77f836b7-9f61-46c0-851e-9b6ca3535e69}")]', 'example'),
    '["feb54431-301b-52bb-a6dd-e1e93e81bb9e","0cbd148f-768f-52fe-a1cd-0c4e6c65de91","a0d220eb-18f1-50ca-b888-86aa5b604edf","a0d220eb-18f1-50ca-b888-86aa5b604edf"]',
  )
  assert.equal(run('root = this.missing.uuid_v5("dns")'), 'null')
  assert.equal(failure('root = this.s.uuid_v5("Dns")', '{"s":"a"}'), 'failed assignment (line 1): field `this.s`: invalid ns uuid: "Dns"')
  assert.equal(failure('root = this.s.uuid_v5()', '{"s":5}'), 'failed assignment (line 1): expected string value, got number from field `this.s` (5)')
})

test('values quoted in error texts follow strconv.Quote exactly', () => {
  assert.equal(
    failure('root = this.s.int64()', JSON.stringify({ s: 'a\u007f\u200b\u00a0\u0007é' })),
    'failed assignment (line 1): field `this.s`: strconv.ParseInt: parsing "a\\x7f\\u200b\\u00a0\\aé": invalid syntax',
  )
  // net/url quotes the raw bytes after `%`: here the two bytes of é.
  assert.equal(
    failure('root = this.s.parse_url()', JSON.stringify({ s: 'http://h/a%é' })),
    'failed assignment (line 1): field `this.s`: parse "http://h/a%é": invalid URL escape "%é"',
  )
  assert.equal(
    failure('root = this.s.parse_form_url_encoded()', JSON.stringify({ s: 'a=%\u00a0' })),
    'failed assignment (line 1): field `this.s`: failed to parse value as url-encoded data: invalid URL escape "%\\u00a0"',
  )
  assert.equal(
    failure('root = this.s.unescape_url_query()', JSON.stringify({ s: 'a=%\u00a0' })),
    'failed assignment (line 1): field `this.s`: invalid URL escape "%\\u00a0"',
  )
})
