/**
 * Regular-expression methods (spec §23.5) through the public compileMapping. Patterns are RE2:
 * the expectations pin the places where RE2 and JavaScript differ (line ends, `.`, `\s`, partial
 * case folding, empty matches, `$` templates) and Go's exact error texts.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { compileMapping } from '../../src/bloblang/index.js'
import { failure, onString, run, text } from './helpers.js'

test('re_match, re_find_all and re_find_all_submatch', () => {
  assert.equal(onString(String.raw`root = [this.s.re_match("^[a-z]+[0-9]$"), this.s.re_match("^[0-9]")]`, 'abc1'), '[true,false]')
  assert.equal(onString('root = this.s.re_find_all("[0-9]+")', 'a1b22c333'), '["1","22","333"]')
  assert.equal(onString(String.raw`root = this.s.re_find_all_submatch("(\\d+)-(\\d+)|(x)")`, '1-2 and 30-40 x'), '[["1-2","1","2",""],["30-40","30","40",""],["x","","","x"]]')
  assert.equal(onString('root = this.s.re_find_all("z")', 'abc'), '[]')
})

test('empty matches follow Go: none right after a previous match', () => {
  assert.equal(onString('root = this.s.re_find_all("a*")', 'baaac'), '["","aaa",""]')
  assert.equal(onString('root = this.s.re_replace_all("a*", "<$0>")', 'baaac'), '<>b<aaa>c<>')
  assert.equal(onString('root = this.s.re_replace_all("x*", "-")', 'abc'), '-a-b-c-')
  assert.equal(onString('root = this.s.re_find_all("")', '😀a'), '["","",""]')
})

test('re_find_object and re_find_all_object key groups by name or index', () => {
  assert.equal(
    onString(String.raw`root = this.s.re_find_object("(?P<user>\\w+)@(?P<host>[\\w.]+)")`, 'x bob@ex.com y'),
    '{"0":"bob@ex.com","host":"ex.com","user":"bob"}',
  )
  assert.equal(onString(String.raw`root = this.s.re_find_object("(a)(?<n>b)?(c)")`, 'xac'), '{"0":"ac","1":"a","3":"c","n":""}')
  assert.equal(onString('root = this.s.re_find_object("q")', 'abc'), '{}')
  assert.equal(
    onString(String.raw`root = this.s.re_find_all_object("(?m)(?P<key>\\w+):\\s+(?P<value>\\w+)$")`, 'first: one\nsecond: two'),
    '[{"0":"first: one","key":"first","value":"one"},{"0":"second: two","key":"second","value":"two"}]',
  )
  // Bytes targets give bytes group values (base64 inside documents) but string matches elsewhere.
  assert.equal(run(String.raw`root = content().re_find_object("(?P<k>\\w+)")`, 'hi'), '{"0":"aGk=","k":"aGk="}')
  assert.equal(run(String.raw`root = content().re_find_all("\\w")`, 'hi'), '["h","i"]')
})

test('re_replace_all expands Go templates', () => {
  const s = JSON.stringify({ s: 'me@host' })
  const cases: Array<[string, string]> = [
    ['$2 at $1', 'host at me'],
    ['$1x', ''],
    ['${1}x', 'mex'],
    ['$$1', '$1'],
    ['$user/$host', 'me/host'],
    ['${host}!', 'host!'],
    ['$9-$', '-$'],
    ['${1', '${1'],
    ['$01', ''],
  ]
  for (const [template, want] of cases) {
    const mapping = `root = this.s.re_replace_all(${JSON.stringify(String.raw`(?P<user>\w+)@(?P<host>\w+)`)}, ${JSON.stringify(template)})`
    assert.equal(run(mapping, s), want, template)
  }
  assert.equal(onString('root = [this.s.re_replace("a+", "_"), this.s.replace("a", "b")]', 'aab'), '["_b","bbb"]')
})

test('RE2 semantics where JavaScript differs', () => {
  // Only \n ends a line; `.` matches \r; \s is ASCII-only and has no \v.
  assert.equal(onString(String.raw`root = this.s.re_find_all("(?m)^\\w+$")`, 'foo\r\nbar'), '["bar"]')
  assert.equal(onString('root = [this.s.re_match("a.b"), this.s.re_match("(?s)b.c")]', 'a\rb\nc'), '[true,true]')
  assert.equal(onString(String.raw`root = [this.s.re_match("a\\sb"), this.s.re_match("a\\Sb")]`, 'a\u00a0b'), '[false,true]')
  assert.equal(onString(String.raw`root = this.s.re_match("x\\vy")`, 'x\u000by'), 'true')
  // `$` without (?m) is the very end, not before a final newline; \z likewise.
  assert.equal(onString(String.raw`root = [this.s.re_match("a$"), this.s.re_match("a\\z"), this.s.re_match("\\Aa")]`, 'a\n'), '[false,false,true]')
  // Case folding can apply to part of a pattern.
  assert.equal(onString('root = [this.s.re_match("^x(?i)y$"), this.s.re_match("^(?i:X)y$"), this.s.re_match("^(?i)XY$")]', 'xY'), '[true,false,true]')
  assert.equal(onString('root = this.s.re_find_all("(?i)k")', 'kK\u212a'), '["k","K","\u212a"]')
  // (?U) swaps greediness; POSIX and Unicode classes; group names may start with a digit.
  assert.equal(onString('root = [this.s.re_find_all("(?U)a+"), this.s.re_find_all("(?U)a+?")]', 'aaa'), '[["a","a","a"],["aaa"]]')
  assert.equal(onString('root = this.s.re_find_all("[[:alpha:]]+|[[:^alpha:][:digit:]]+")', 'ab12 c'), '["ab","12 ","c"]')
  assert.equal(onString(String.raw`root = [this.s.re_find_all("\\pL+"), this.s.re_find_all("\\p{Greek}+"), this.s.re_find_all("\\PL+")]`, 'αβ, ab'), '[["αβ","ab"],["αβ"],[", "]]')
  assert.equal(onString('root = this.s.re_find_object("(?P<1x>a)")', 'a'), '{"0":"a","1x":"a"}')
  assert.equal(onString(String.raw`root = this.s.re_find_all("\\Qa.b\\E+")`, 'a.bb axb'), '["a.bb"]')
  assert.equal(onString('root = this.s.re_find_all("a{,2}")', 'a{,2}'), '["a{,2}"]')
})

test('pattern errors: Go texts, at compile time for constants and at run time otherwise', () => {
  const cases: Array<[string, string]> = [
    ['(?=a)', 'invalid or unsupported Perl syntax: `(?=`'],
    ['(?<=a)b', 'invalid named capture: `(?<=a)b`'],
    ['(a)\\1', 'invalid escape sequence: `\\1`'],
    ['a**', 'invalid nested repetition operator: `**`'],
    ['a{2}{3}', 'invalid nested repetition operator: `{2}{3}`'],
    ['*a', 'missing argument to repetition operator: `*`'],
    ['(a', 'missing closing ): `(a`'],
    ['a)', 'unexpected ): `a)`'],
    ['[a', 'missing closing ]: `[a`'],
    ['[z-a]', 'invalid character class range: `z-a`'],
    ['[[:foo:]]', 'invalid character class range: `[:foo:]`'],
    ['\\p{Foo}', 'invalid character class range: `\\p{Foo}`'],
    ['a{1001}', 'invalid repeat count: `{1001}`'],
    ['(a{500}){3}', 'invalid repeat count: `{3}`'],
    ['\\Z', 'invalid escape sequence: `\\Z`'],
    ['a\\', 'trailing backslash at end of expression: ``'],
    ['(?P<a-b>x)', 'invalid named capture: `(?P<a-b>`'],
  ]
  for (const [pattern, detail] of cases) {
    // The column is the compiler's business; the detail is ours.
    const atCompile = failure(`root = this.s.re_match(${JSON.stringify(pattern)})`, '{"s":""}')
    assert.match(atCompile, /^line 1 char \d+: /, pattern)
    assert.equal(atCompile.replace(/^line 1 char \d+: /, ''), `error parsing regexp: ${detail}`, pattern)
    assert.equal(failure('root = this.s.re_match(this.p)', JSON.stringify({ s: '', p: pattern })), `failed assignment (line 1): error parsing regexp: ${detail}`, pattern)
  }
  assert.equal(failure('root = this.s.re_match("a")', '{"s":5}'), 'failed assignment (line 1): expected string value, got number from field `this.s` (5)')
})

test('dynamic patterns are compiled per value and cached', () => {
  const m = compileMapping('root = this.s.re_find_all(this.p)')
  const apply = (s: string, p: string): string => text(m.apply({ content: JSON.stringify({ s, p }) })!.content)
  assert.equal(apply('a1b2', '[0-9]'), '["1","2"]')
  assert.equal(apply('a1b2', '[a-z]'), '["a","b"]')
  assert.equal(apply('a1b2', '[0-9]'), '["1","2"]')
})
