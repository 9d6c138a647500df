/**
 * The regex module's engine choice: V8 runs a pattern only when its backtracking is provably
 * linear (re2-linear.ts), re2js runs everything else, and both give Go's results. The attack
 * patterns must land on RE2; the common log-processing shapes should stay on V8.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { compileRe2, re2All, re2First, re2ReplaceAll, re2Test, type Re2 } from '../../src/bloblang/regex/index.js'
import { onString } from './helpers.js'
import { stripGroupNames } from '../../src/bloblang/regex/re2-match.js'

test('nested and overlapping quantifiers run on the RE2 engine and finish', () => {
  const attacks = ['^(a+)+$', '(a|aa)*$', '(a*)*b', '(\\w+\\s?)*$', '.*.*=.*', '(x+x+)+y', '^(a|a?)+$', '(.*,)*z', '\\d+\\d+x', 'a*\\w*b']
  const evil = `${'a'.repeat(5000)}b`
  for (const p of attacks) {
    const r = compileRe2(p)
    assert.equal(r.engine, 're2', p)
    // Without linear matching these would not return within the test's lifetime.
    re2Test(r, evil)
    re2All(r, evil)
    re2ReplaceAll(r, `${'x'.repeat(3000)}${'1'.repeat(3000)}`, '-')
  }
  assert.equal(onString('root = this.s.re_match("^(a+)+$")', `${'a'.repeat(40)}b`), 'false')
  assert.equal(onString('root = this.s.re_match("^(a+)+$")', 'a'.repeat(40)), 'true')
})

test('quadratic shapes on V8 become linear with a run-start guard', () => {
  // Unguarded, V8 rescans each run from every start: these took seconds at 16k characters.
  for (const [p, s] of [['\\d+x', '1'], ['\\s*#', ' '], ['(\\w+)=([^ ]+)', 'a'], ['\\w+\\.\\w+$', 'ab.']] as const) {
    const r = compileRe2(p)
    assert.equal(r.engine, 'v8', p)
    const big = s.repeat(200_000)
    assert.equal(re2Test(r, big), false, p)
    assert.equal(re2ReplaceAll(r, big, '-'), big, p)
  }
  // The guard keeps matches that start inside a run at the search start (Go finds them).
  assert.equal(JSON.stringify(re2All(compileRe2('a+ba'), 'aabaaba').map((m) => [m.index, m[0]])), '[[0,"aaba"],[4,"aba"]]')
})

test('common log shapes run on V8 when that is provably linear', () => {
  const v8 = [
    'status=5\\d\\d',
    '^\\d{4}-\\d\\d-\\d\\dT',
    '(?i)error|warn|fatal',
    '[0-9]+',
    '\\s+',
    'user=(\\w+)',
    '^(\\S+) (\\w+) \\[([^\\]]+)\\] (.*)$',
    '(\\w+)=([^ ]+)',
    '[\\w.]+@[\\w.]+',
    '(?P<y>\\d{4})-(?P<m>\\d{2})',
  ]
  for (const p of v8) assert.equal(compileRe2(p).engine, 'v8', p)
  // Bounded repeats started inside a longer run, and nullable repeated groups, are left to RE2.
  for (const p of ['\\d{1,3}\\.', '($|^)?x', '(a|)+', '\\w+=[^ ]+;']) assert.equal(compileRe2(p).engine, 're2', p)
})

function outcome(r: Re2, s: string): string {
  const first = re2First(r, s)
  return JSON.stringify([re2Test(r, s), first === null ? null : [first.index, ...first], re2All(r, s).map((m) => [m.index, ...m]), re2ReplaceAll(r, s, '<$0|$1|${n}>')])
}

test('both engines agree on Go semantics: leftmost-first, empty matches, groups, flags, unicode', () => {
  const patterns = [
    '(a|ab)',
    '(a|ab)(c|bcd)(d*)',
    'a*',
    'x*',
    '',
    '(?P<n>\\w+)=(?P<v>[^ ]*)',
    '(?i)straße|k',
    '(?s)a.b',
    'a.b',
    '\\pL+',
    '\\p{Greek}+',
    '[^a]+',
    '(?m)^\\w+$',
    '\\b\\w',
    '\\w+@\\w+\\.com',
    'a+ba',
    '\\w*=x',
    '[😀-😂]+',
    '(?U)a+',
    '(a)(?P<n>b)?(c)',
    '.*(ab|k).*',
    '(x+)*a(\\w+)*',
    '(?s).*\\bb.*?',
  ]
  const inputs = ['ab', 'abcd', 'baaac', 'k=v=w x==y', 'STRASSE straße \u212a', 'a\nb a\rb', 'αβ, ab', 'foo\r\nbar', 'a@b.com x@y.com', 'aabaaba', 'aa=x=xb=x', '😀😁x😂', 'xac abc', '']
  for (const p of patterns) {
    const auto = compileRe2(p)
    const re2 = compileRe2(p, 're2')
    for (const s of inputs) assert.equal(outcome(auto, s), outcome(re2, s), `${p} on ${JSON.stringify(s)} (${auto.engine})`)
  }
})

test('re_match on an RE2-engine pattern tests its core on V8 when optional ends are all that stop it', () => {
  // `.*x.*` matches wherever `x` does; the match itself (find, replace) stays on RE2.
  const r = compileRe2('.*(timeout|refused).*')
  assert.equal(r.engine, 're2')
  assert.deepEqual([re2Test(r, 'a timeout b'), re2Test(r, 'refuse'), re2Test(r, 'x\nrefused')], [true, false, true])
  const big = 'timeo refuse '.repeat(50_000)
  assert.equal(re2Test(r, big), false)
})

test('Go results through the methods on either engine', () => {
  // Leftmost-first, not leftmost-longest.
  assert.equal(onString('root = this.s.re_find_all("(a|ab)")', 'ab ab'), '["a","a"]')
  assert.equal(onString('root = this.s.re_find_all_submatch("(a|ab)(c|bcd)(d*)")', 'abcd'), '[["abcd","a","bcd",""]]')
  // Same on the RE2 engine (the (x+)+ shape forces it).
  assert.equal(onString('root = this.s.re_find_all_submatch("(a|ab)(c|bcd)(d*)|(x+)+")', 'abcd'), '[["abcd","a","bcd","",""]]')
  assert.equal(onString('root = this.s.re_find_all("(?:a|ab)+?|(x+)+")', 'abab'), '["a","a"]')
  // Empty matches next to a previous match are skipped, on the RE2 engine too.
  assert.equal(onString('root = this.s.re_find_all("a*|(x+)+")', 'baaac'), '["","aaa",""]')
  assert.equal(onString('root = this.s.re_replace_all("a*|(x+)+", "<$0>")', 'baaac'), '<>b<aaa>c<>')
  // Named groups, `$name` expansion, (?i), (?s), \pL and non-BMP text on the RE2 engine.
  assert.equal(onString('root = this.s.re_replace_all("(?P<k>\\\\w+)=(?P<v>\\\\w+)(x+)*", "${v}:$k")', 'a=1 b=2'), '1:a 2:b')
  assert.equal(onString('root = this.s.re_find_object("(?i)(?P<w>STRASSE)(x+)*")', 'straße strasse'), '{"0":"strasse","2":"","w":"strasse"}')
  assert.equal(onString('root = this.s.re_match("(?s)a.b(x+)*")', 'a\nb'), 'true')
  assert.equal(onString('root = this.s.re_match("a.b(x+)*")', 'a\nb'), 'false')
  assert.equal(onString('root = this.s.re_find_all("\\\\pL+(x+)*")', 'αβ, ab'), '["αβ","ab"]')
  assert.equal(onString('root = this.s.re_find_all("[😀-😂](x*)*")', '😀a😂'), '["😀","😂"]')
})

test('one name on several groups, as Go allows: both engines keep every group', () => {
  for (const engine of ['re2', 'v8'] as const) {
    const r = compileRe2('(?P<a>x+)-(?P<a>y+)', engine)
    assert.deepEqual(r.names, ['', 'a', 'a'], engine)
    assert.deepEqual([...(re2First(r, 'xx-yyy') ?? [])], ['xx-yyy', 'xx', 'yyy'], engine)
  }
  // Only group syntax loses its name: escapes, \Q...\E and classes keep their text.
  assert.equal(stripGroupNames('(?P<a>x)\\(?P<b>[(?P<c>]\\Q(?P<d>\\E(?<e>z)'), '(x)\\(?P<b>[(?P<c>]\\Q(?P<d>\\E(z)')
  assert.equal(stripGroupNames('[]](?P<n>a)[^]](?P<m>b)[[:alpha:](?P<x>]'), '[]](a)[^]](b)[[:alpha:](?P<x>]')
})
